import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { RepairPartner } from '../repair/repair-partner.entity';

export enum LoanerStatus {
  /** At the centre, free to allocate. */
  IN_POOL = 'IN_POOL',
  /** On a partner's shelf, free to lend. */
  ALLOCATED = 'ALLOCATED',
  /** With a customer whose own handset is being repaired. */
  ON_LOAN = 'ON_LOAN',
  /** Came back damaged and is being repaired itself. */
  IN_SERVICE = 'IN_SERVICE',
  LOST = 'LOST',
  /** Written off for good. */
  RETIRED = 'RETIRED',
}
registerEnumType(LoanerStatus, { name: 'LoanerStatus' });

export enum LoanerSerialKind {
  IMEI = 'IMEI',
  MEID = 'MEID',
}
registerEnumType(LoanerSerialKind, { name: 'LoanerSerialKind', description: 'IMEI: GSM, 15 digits; MEID: CDMA, 14 hex digits' });

/** A loaner handset (備機) of the branch's pool, lent by partners to customers during a repair. */
@ObjectType()
@Entity('loaner_phone')
@Index('idx_loaner_phone_status', ['status', 'id'])
@Index('idx_loaner_phone_partner_status', ['partnerId', 'status', 'id'])
@Index('idx_loaner_phone_brand', ['brand', 'model', 'id'])
export class LoanerPhone {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field({ description: 'IMEI (15 digits) or MEID (14 upper-case hex digits, without the check digit)' })
  @Column({ type: 'varchar', length: 15, unique: true })
  serial: string;

  @Field(() => LoanerSerialKind)
  @EnumColumn(LoanerSerialKind)
  serialKind: LoanerSerialKind;

  @Field()
  @Column({ type: 'varchar', length: 64 })
  brand: string;

  @Field()
  @Column({ type: 'varchar', length: 64 })
  model: string;

  @Field(() => LoanerStatus)
  @EnumColumn(LoanerStatus)
  status: LoanerStatus;

  /** The partner holding it: set while ALLOCATED or ON_LOAN, kept while IN_SERVICE or LOST (who had it). */
  @Column({ type: 'int', nullable: true })
  partnerId: number | null;

  @ManyToOne(() => RepairPartner, { nullable: true })
  @JoinColumn({ name: 'partnerId' })
  partnerRef?: RepairPartner;

  @Field()
  @DateTimeColumn()
  registeredAt: Date;

  @Field(() => Date, { nullable: true, description: 'When it was allocated to its current partner' })
  @DateTimeColumn({ nullable: true })
  allocatedAt: Date | null;

  @Field()
  @DateTimeColumn()
  statusChangedAt: Date;
}
