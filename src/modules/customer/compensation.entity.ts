import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';
import { CompensationBasis, CompensationStatus, ComplaintCategory } from './customer.enums';

/** The compensation rule book (服務補償辦法): one rule per complaint category, changed by ADMIN. */
@ObjectType({ description: 'What an upheld complaint of one category is compensated' })
@Entity('compensation_rule')
export class CompensationRule {
  @Field(() => ComplaintCategory)
  @PrimaryColumn({ type: 'varchar', length: 16 })
  category: ComplaintCategory;

  @Field(() => CompensationBasis)
  @EnumColumn(CompensationBasis)
  basis: CompensationBasis;

  @Field(() => SafeInt, { description: 'FIXED: the amount (fen)' })
  @FenColumn()
  amountFen: number;

  @Field(() => Int, { description: 'MULTIPLE: the multiple of the disputed amount' })
  @Column({ type: 'int', default: 0 })
  multiplier: number;

  @Field()
  @Column({ type: 'varchar', length: 255, default: '' })
  description: string;

  @Field()
  @DateTimeColumn()
  updatedAt: Date;

  @Column({ type: 'int', nullable: true })
  updatedById: number | null;
}

/** Append-only history of the rule book: every version of every rule. */
@ObjectType({ description: 'One version of a compensation rule' })
@Entity('compensation_rule_change')
@Index('idx_compensation_rule_change_category', ['category', 'id'])
export class CompensationRuleChange {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field(() => ComplaintCategory)
  @EnumColumn(ComplaintCategory)
  category: ComplaintCategory;

  @Field(() => CompensationBasis)
  @EnumColumn(CompensationBasis)
  basis: CompensationBasis;

  @Field(() => SafeInt)
  @FenColumn()
  amountFen: number;

  @Field(() => Int)
  @Column({ type: 'int', default: 0 })
  multiplier: number;

  @Field()
  @Column({ type: 'varchar', length: 255, default: '' })
  description: string;

  @Field()
  @DateTimeColumn()
  changedAt: Date;

  @Column({ type: 'int', nullable: true })
  changedById: number | null;
}

/** One per upheld complaint (unique complaintId). */
@ObjectType({ description: 'The compensation of an upheld complaint' })
@Entity('compensation')
@Index('uq_compensation_complaint', ['complaintId'], { unique: true })
@Index('idx_compensation_status', ['status', 'id'])
@Index('idx_compensation_period', ['period', 'status'])
export class Compensation {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  complaintId: number;

  @Field(() => ComplaintCategory)
  @EnumColumn(ComplaintCategory)
  category: ComplaintCategory;

  @Field(() => CompensationBasis)
  @EnumColumn(CompensationBasis)
  basis: CompensationBasis;

  @Field(() => Int, { description: 'The multiple applied (MULTIPLE), else 0' })
  @Column({ type: 'int', default: 0 })
  multiplier: number;

  @Field(() => SafeInt)
  @FenColumn()
  amountFen: number;

  @Field(() => CompensationStatus)
  @EnumColumn(CompensationStatus)
  status: CompensationStatus;

  @Column({ type: 'int', nullable: true })
  regionId: number | null;

  @Column({ type: 'int', nullable: true })
  spId: number | null;

  @Field(() => SafeInt, { description: 'SP_CHARGE: the part of the refund the SP deposit paid' })
  @FenColumn()
  fromDepositFen: number;

  @Field(() => SafeInt, { description: 'SP_CHARGE: the part the branch paid first and the SP now owes' })
  @FenColumn()
  advancedFen: number;

  @Field(() => String, { nullable: true, description: '"YYYY-MM": the Asia/Shanghai month it was paid (confirmed)' })
  @Column({ type: 'varchar', length: 7, nullable: true })
  period: string | null;

  @Field()
  @DateTimeColumn()
  proposedAt: Date;

  @Column({ type: 'int', nullable: true })
  proposedById: number | null;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'int', nullable: true })
  decidedById: number | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 500, nullable: true })
  rejectReason: string | null;
}
