import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';
import { RepairOrder } from '../repair/repair-order.entity';
import { RepairPartner } from '../repair/repair-partner.entity';
import { LoanerPhone } from './loaner-phone.entity';

export enum LoanerCondition {
  /** Back to the partner's shelf (ALLOCATED); deposit refunded. */
  GOOD = 'GOOD',
  /** Sent for service (IN_SERVICE); the deposit is refunded unless part is kept for the damage. */
  DAMAGED = 'DAMAGED',
  /** Not coming back (LOST); the deposit is kept. */
  LOST = 'LOST',
}
registerEnumType(LoanerCondition, { name: 'LoanerCondition' });

export enum DepositStatus {
  /** The loan is open: the partner holds the deposit. */
  HELD = 'HELD',
  REFUNDED = 'REFUNDED',
  KEPT = 'KEPT',
  /** Part refunded, part kept (a damaged loaner). */
  PARTLY_KEPT = 'PARTLY_KEPT',
}
registerEnumType(DepositStatus, { name: 'LoanerDepositStatus' });

/**
 * One loan of a loaner to a customer against a repair order. The deposit is accounted on the row:
 * while open it is HELD; when closed, depositRefundedFen + depositKeptFen = depositFen.
 *
 * openLoanerId / openRepairOrderId equal loanerId / repairOrderId while the loan is open and are
 * NULL once it is closed. Their unique indexes (which allow many NULLs on both databases) make
 * "one open loan per loaner" and "one loaner per repair order" hold under any concurrency.
 */
@ObjectType()
@Entity('loaner_loan')
@Index('uq_loaner_loan_open_loaner', ['openLoanerId'], { unique: true })
@Index('uq_loaner_loan_open_order', ['openRepairOrderId'], { unique: true })
@Index('idx_loaner_loan_loaner', ['loanerId', 'id'])
@Index('idx_loaner_loan_order', ['repairOrderId', 'id'])
@Index('idx_loaner_loan_partner', ['partnerId', 'id'])
@Index('idx_loaner_loan_open_due', ['returnedAt', 'dueAt', 'id'])
@Index('idx_loaner_loan_partner_open_due', ['partnerId', 'returnedAt', 'dueAt', 'id'])
@Index('idx_loaner_loan_msisdn', ['customerMsisdn', 'id'])
export class LoanerLoan {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  loanerId: number;

  @ManyToOne(() => LoanerPhone, { nullable: false })
  @JoinColumn({ name: 'loanerId' })
  loanerRef?: LoanerPhone;

  @Column({ type: 'int' })
  partnerId: number;

  @ManyToOne(() => RepairPartner, { nullable: false })
  @JoinColumn({ name: 'partnerId' })
  partnerRef?: RepairPartner;

  @Column({ type: 'int' })
  repairOrderId: number;

  @ManyToOne(() => RepairOrder, { nullable: false })
  @JoinColumn({ name: 'repairOrderId' })
  repairOrderRef?: RepairOrder;

  @Field()
  @Column({ type: 'varchar', length: 11 })
  customerMsisdn: string;

  @Field(() => SafeInt)
  @FenColumn()
  depositFen: number;

  @Field(() => DepositStatus)
  @EnumColumn(DepositStatus)
  depositStatus: DepositStatus;

  @Field(() => SafeInt, { description: 'Paid back to the customer at the return' })
  @FenColumn()
  depositRefundedFen: number;

  @Field(() => SafeInt, { description: 'Kept by the partner at the return (lost or damaged loaner)' })
  @FenColumn()
  depositKeptFen: number;

  @Field()
  @DateTimeColumn()
  lentAt: Date;

  @Field()
  @DateTimeColumn()
  dueAt: Date;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  returnedAt: Date | null;

  /** `condition` is a reserved word in MySQL, so the column has another name. */
  @Field(() => LoanerCondition, { name: 'condition', nullable: true, description: 'Set at the return' })
  @EnumColumn(LoanerCondition, { nullable: true })
  returnCondition: LoanerCondition | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 500, nullable: true })
  returnNote: string | null;

  @Column({ type: 'int', nullable: true })
  openLoanerId: number | null;

  @Column({ type: 'int', nullable: true })
  openRepairOrderId: number | null;

  @Column({ type: 'int', nullable: true })
  lentById: number | null;

  @Column({ type: 'int', nullable: true })
  returnedById: number | null;
}
