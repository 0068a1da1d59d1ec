import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';
import { Agent } from '../agents/agent.entity';
import { FindingType, PenaltyKind, PenaltyStatus } from './audit.enums';
import { Finding } from './audit-finding.entity';

/**
 * A deduction from an agent's commission. Its amount is fixed when proposed; settlement links it to
 * the statement that deducts it (agentId + settledPeriod) and closing that period marks it APPLIED.
 */
@ObjectType({ description: "A deduction from an agent's commission" })
@Entity('penalty')
@Index('idx_penalty_agent', ['agentId', 'status', 'id'])
@Index('idx_penalty_status', ['status', 'id'])
@Index('idx_penalty_period', ['period', 'id'])
@Index('idx_penalty_batch', ['batchId', 'id'])
@Index('idx_penalty_settled', ['settledPeriod', 'agentId', 'amountFen'])
@Index('idx_penalty_escalation', ['agentId', 'findingType', 'offenceAt'])
@Index('idx_penalty_registration', ['registrationId', 'findingType'])
export class Penalty {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  agentId: number;

  @ManyToOne(() => Agent, { nullable: false })
  @JoinColumn({ name: 'agentId' })
  agentRef?: Agent;

  @Field(() => PenaltyKind)
  @EnumColumn(PenaltyKind)
  kind: PenaltyKind;

  /** One penalty per finding at most. */
  @Column({ type: 'int', nullable: true, unique: true })
  findingId: number | null;

  @ManyToOne(() => Finding, { nullable: true })
  @JoinColumn({ name: 'findingId' })
  findingRef?: Finding;

  @Column({ type: 'int', nullable: true })
  batchId: number | null;

  @Column({ type: 'int', nullable: true })
  registrationId: number | null;

  @Field(() => FindingType, { nullable: true })
  @EnumColumn(FindingType, { nullable: true })
  findingType: FindingType | null;

  @Field(() => Date, { nullable: true, description: 'For audit penalties: when the audited record was opened (the 90-day escalation window counts these)' })
  @DateTimeColumn({ nullable: true })
  offenceAt: Date | null;

  @Field(() => Int, { nullable: true, description: 'For audit penalties: this is the n-th finding of its type for the agent within 90 days' })
  @Column({ type: 'int', nullable: true })
  occurrence: number | null;

  @Field(() => SafeInt, { description: 'The rule amount when the penalty was proposed' })
  @FenColumn()
  baseAmountFen: number;

  @Field(() => SafeInt, { description: 'What is deducted: baseAmountFen, doubled from the third finding of a type within 90 days' })
  @FenColumn()
  amountFen: number;

  @Field()
  @Column({ type: 'boolean', default: false })
  escalated: boolean;

  @Field()
  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Field(() => PenaltyStatus)
  @EnumColumn(PenaltyStatus)
  status: PenaltyStatus;

  @Field({
    description:
      '"YYYY-MM": the audited period, or the month a manual penalty was created; it is deducted by the first settlement of this period or a later one',
  })
  @Column({ type: 'varchar', length: 7 })
  period: string;

  @Field()
  @DateTimeColumn()
  createdAt: Date;

  @Column({ type: 'int', nullable: true })
  createdById: number | null;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'int', nullable: true })
  decidedById: number | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 500, nullable: true })
  waiveReason: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When a waiver of this CONFIRMED penalty was requested; a second person approves it (approvePenaltyWaiver)',
  })
  @DateTimeColumn({ nullable: true })
  waiverRequestedAt: Date | null;

  @Column({ type: 'int', nullable: true })
  waiverRequestedById: number | null;

  @Field(() => String, { nullable: true, description: 'The commission period whose statement deducts (or deducted) this penalty' })
  @Column({ type: 'varchar', length: 7, nullable: true })
  settledPeriod: string | null;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  appliedAt: Date | null;
}
