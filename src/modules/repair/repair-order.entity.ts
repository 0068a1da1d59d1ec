import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
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

/** A customer's handset in a partner's hands. */
@ObjectType()
@Entity('repair_order')
@Index('idx_repair_order_partner', ['partnerId', 'id'])
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

  @Field()
  @Column({ type: 'varchar', length: 64 })
  brand: string;

  @Field()
  @Column({ type: 'varchar', length: 64 })
  model: string;

  @Field()
  @Column({ type: 'varchar', length: 20 })
  serial: string;

  @Field()
  @Column({ type: 'varchar', length: 500 })
  fault: string;

  @Field()
  @Column({ type: 'boolean', default: false })
  underWarranty: boolean;

  @Field(() => RepairOrderStatus)
  @EnumColumn(RepairOrderStatus)
  status: RepairOrderStatus;

  @Field()
  @DateTimeColumn()
  openedAt: Date;
}
