import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Network } from '../../common/network';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';
import { RepairPartner } from './repair-partner.entity';

export enum RepairOrderStatus {
  RECEIVED = 'RECEIVED',
  DIAGNOSED = 'DIAGNOSED',
  IN_REPAIR = 'IN_REPAIR',
  READY = 'READY',
  RETURNED = 'RETURNED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(RepairOrderStatus, { name: 'RepairOrderStatus' });

/** The handset is still in the partner's hands: parts may be consumed and loaners lent against it. */
export const OPEN_REPAIR_STATUSES: readonly RepairOrderStatus[] = [
  RepairOrderStatus.RECEIVED,
  RepairOrderStatus.DIAGNOSED,
  RepairOrderStatus.IN_REPAIR,
  RepairOrderStatus.READY,
];

/** The only moves an order may make; anything else is CONFLICT. RETURNED and CANCELLED are final. */
export const REPAIR_TRANSITIONS: Readonly<Record<RepairOrderStatus, readonly RepairOrderStatus[]>> = {
  [RepairOrderStatus.RECEIVED]: [RepairOrderStatus.DIAGNOSED, RepairOrderStatus.CANCELLED],
  [RepairOrderStatus.DIAGNOSED]: [RepairOrderStatus.IN_REPAIR, RepairOrderStatus.CANCELLED],
  [RepairOrderStatus.IN_REPAIR]: [RepairOrderStatus.READY, RepairOrderStatus.CANCELLED],
  [RepairOrderStatus.READY]: [RepairOrderStatus.RETURNED],
  [RepairOrderStatus.RETURNED]: [],
  [RepairOrderStatus.CANCELLED]: [],
};

/** A customer's handset in a partner's hands. */
@ObjectType()
@Entity('repair_order')
@Index('idx_repair_order_partner', ['partnerId', 'id'])
@Index('idx_repair_order_partner_status', ['partnerId', 'status', 'id'])
@Index('idx_repair_order_status', ['status', 'id'])
@Index('idx_repair_order_msisdn', ['customerMsisdn'])
@Index('idx_repair_order_serial', ['serial'])
@Index('idx_repair_order_ready', ['readyAt', 'partnerId'])
@Index('idx_repair_order_brand', ['brand', 'id'])
@Index('idx_repair_order_opened', ['openedAt', 'id'])
@Index('idx_repair_order_out_of_authorization', ['outOfAuthorization', 'id'])
export class RepairOrder {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  partnerId: number;

  @ManyToOne(() => RepairPartner, { nullable: false })
  @JoinColumn({ name: 'partnerId' })
  partner?: RepairPartner;

  @Field()
  @Column({ type: 'varchar', length: 11 })
  customerMsisdn: string;

  @Field({ description: 'The brand name as in handsetBrands' })
  @Column({ type: 'varchar', length: 64 })
  brand: string;

  @Field()
  @Column({ type: 'varchar', length: 64 })
  model: string;

  @Field(() => Network, { nullable: true, description: 'From the model when it is a known one, else from the serial (IMEI: GSM, MEID/ESN: CDMA)' })
  @EnumColumn(Network, { nullable: true })
  network: Network | null;

  @Field({ description: 'IMEI (GSM), MEID or ESN (CDMA)' })
  @Column({ type: 'varchar', length: 20 })
  serial: string;

  @Field()
  @Column({ type: 'varchar', length: 500 })
  fault: string;

  @Field()
  @Column({ type: 'boolean', default: false })
  underWarranty: boolean;

  @Field(() => String, { nullable: true, description: 'The main repair done (a RepairServiceType code), when known' })
  @Column({ type: 'varchar', length: 32, nullable: true })
  serviceType: string | null;

  @Field(() => RepairOrderStatus)
  @EnumColumn(RepairOrderStatus)
  status: RepairOrderStatus;

  @Field({ description: 'Opened although the partner held no valid authorization for the brand (after-sales staff only)' })
  @Column({ type: 'boolean', default: false })
  outOfAuthorization: boolean;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  outOfAuthorizationReason: string | null;

  @Field(() => ID, { nullable: true, description: 'The brand authorization the order was opened under' })
  @Column({ type: 'int', nullable: true })
  authorizationId: number | null;

  @Field(() => SafeInt, { nullable: true, description: 'What the customer paid; 0 for warranty repairs' })
  @FenColumn({ nullable: true, default: null })
  priceChargedFen: number | null;

  @Field({ description: 'When the handset was received (the order opened)' })
  @DateTimeColumn()
  openedAt: Date;

  @Field()
  @DateTimeColumn()
  statusChangedAt: Date;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  readyAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was returned or cancelled' })
  @DateTimeColumn({ nullable: true })
  closedAt: Date | null;

  @Field(() => Int, { nullable: true, description: 'Seconds from RECEIVED to READY' })
  @Column({ type: 'int', nullable: true })
  turnaroundSeconds: number | null;

  @Column({ type: 'int', nullable: true })
  openedById: number | null;
}

/** One stay of an order in one status: entered, left, and how long. The open row has leftAt null. */
@ObjectType('RepairOrderStatusSpan')
@Entity('repair_order_status_span')
@Index('idx_repair_order_status_span_order', ['orderId', 'id'])
export class RepairOrderStatusSpan {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  orderId: number;

  @ManyToOne(() => RepairOrder, { nullable: false })
  @JoinColumn({ name: 'orderId' })
  order?: RepairOrder;

  @Field(() => RepairOrderStatus)
  @EnumColumn(RepairOrderStatus)
  status: RepairOrderStatus;

  @Field()
  @DateTimeColumn()
  enteredAt: Date;

  @Field(() => Date, { nullable: true, description: 'null while the order is still in this status' })
  @DateTimeColumn({ nullable: true })
  leftAt: Date | null;

  /** Set when the span closes; the resolver counts an open span up to now. */
  @Column({ type: 'int', nullable: true })
  seconds: number | null;

  @Column({ type: 'int', nullable: true })
  actorId: number | null;

  @Field(() => String, { nullable: true, description: 'Username of who moved the order into this status' })
  @Column({ type: 'varchar', length: 64, nullable: true })
  actorName: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  note: string | null;
}
