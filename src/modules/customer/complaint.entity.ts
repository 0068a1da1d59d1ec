import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';
import { ComplaintCategory, ComplaintOutcome, ComplaintState } from './customer.enums';

/** A customer complaint with the branch's 24-hour promise (dueAt = receivedAt + 24 h). */
@ObjectType({ description: 'A customer complaint, to be handled within 24 hours' })
@Entity('complaint')
@Index('idx_complaint_state_due', ['state', 'dueAt'])
@Index('idx_complaint_period_category', ['period', 'category'])
@Index('idx_complaint_agent', ['agentId', 'id'])
@Index('idx_complaint_partner', ['repairPartnerId', 'outcome', 'resolvedAt'])
@Index('idx_complaint_msisdn', ['msisdn'])
export class Complaint {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field()
  @Column({ type: 'varchar', length: 20 })
  msisdn: string;

  /** The line's live record, when the number has one. */
  @Column({ type: 'int', nullable: true })
  registrationId: number | null;

  @Field(() => ComplaintCategory)
  @EnumColumn(ComplaintCategory)
  category: ComplaintCategory;

  @Column({ type: 'int', nullable: true })
  agentId: number | null;

  @Column({ type: 'int', nullable: true })
  repairPartnerId: number | null;

  @Column({ type: 'int', nullable: true })
  spId: number | null;

  /** The line's (or the party's) region, for the totals. */
  @Column({ type: 'int', nullable: true })
  regionId: number | null;

  /** What the customer said; hidden from agents and partners. */
  @Column({ type: 'varchar', length: 2000 })
  description: string;

  @Field(() => SafeInt, { nullable: true, description: 'The amount the customer disputes (fen), where there is one' })
  @FenColumn({ nullable: true, default: null })
  disputedAmountFen: number | null;

  @Field({ description: 'When the customer complained' })
  @DateTimeColumn()
  receivedAt: Date;

  @Field({ description: "receivedAt + 24 hours: the branch's promise" })
  @DateTimeColumn()
  dueAt: Date;

  @Field({ description: '"YYYY-MM": the Asia/Shanghai month of receivedAt' })
  @Column({ type: 'varchar', length: 7 })
  period: string;

  @Field(() => ComplaintState)
  @EnumColumn(ComplaintState)
  state: ComplaintState;

  @Field(() => ComplaintOutcome, { nullable: true })
  @EnumColumn(ComplaintOutcome, { nullable: true })
  outcome: ComplaintOutcome | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 1000, nullable: true })
  resolutionNote: string | null;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  resolvedAt: Date | null;

  @Field(() => Int, { nullable: true, description: 'Seconds from receivedAt to resolvedAt' })
  @Column({ type: 'int', nullable: true })
  resolutionSeconds: number | null;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  closedAt: Date | null;

  @Column({ type: 'int' })
  openedById: number;

  @Column({ type: 'int', nullable: true })
  resolvedById: number | null;

  /** The audit finding an upheld AGENT_CONDUCT or FALSE_RECORD complaint created. */
  @Column({ type: 'int', nullable: true })
  findingId: number | null;

  @Field()
  @DateTimeColumn()
  createdAt: Date;
}
