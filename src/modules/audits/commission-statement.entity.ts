import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';
import { Agent } from '../agents/agent.entity';
import { CommissionStatus } from './audit.enums';

/** One agent's commission for one period. Keyed by (period, agentId): re-settling rewrites it in place. */
@ObjectType({ description: "One agent's commission for one period: netFen = max(0, grossFen + carriedInFen - penaltiesFen)" })
@Entity('commission_statement')
@Index('idx_commission_statement_agent', ['agentId', 'period'])
@Index('idx_commission_statement_carry', ['carriedIntoPeriod', 'carriedOutFen'])
export class CommissionStatement {
  @Field({ description: '"YYYY-MM", Asia/Shanghai month' })
  @PrimaryColumn({ type: 'varchar', length: 7 })
  period: string;

  @PrimaryColumn({ type: 'int' })
  agentId: number;

  @ManyToOne(() => Agent, { nullable: false })
  @JoinColumn({ name: 'agentId' })
  agentRef?: Agent;

  @Field(() => Int, {
    description: 'Lines activated in the period (by the Asia/Shanghai month of activatedAt), plus lateActivations: activations this statement pays',
  })
  @Column({ type: 'int' })
  activations: number;

  @Field(() => Int, {
    description:
      'Of activations, those of earlier periods that were already closed when the activation arrived (e.g. imported later); ' +
      "each one's Registration.commissionPeriod names this period while its activatedAt is in its own month",
  })
  @Column({ type: 'int', default: 0 })
  lateActivations: number;

  @Field(() => SafeInt, { description: "The agent's commission per activation when the period was settled" })
  @FenColumn()
  commissionPerActivationFen: number;

  @Field(() => SafeInt, { description: 'activations × commissionPerActivationFen' })
  @FenColumn()
  grossFen: number;

  @Field(() => SafeInt, { description: 'Confirmed penalties this statement deducts (listed in penalties)' })
  @FenColumn()
  penaltiesFen: number;

  @Field(() => Int)
  @Column({ type: 'int', default: 0 })
  penaltyCount: number;

  @Field(() => SafeInt, { description: 'Zero or negative: shortfalls (carriedOutFen) of earlier closed periods, owed from this one' })
  @FenColumn()
  carriedInFen: number;

  @Field(() => SafeInt, { description: 'What is paid: max(0, grossFen + carriedInFen - penaltiesFen)' })
  @FenColumn()
  netFen: number;

  @Field(() => SafeInt, { description: 'Shortfall carried into the next period: max(0, penaltiesFen - grossFen - carriedInFen)' })
  @FenColumn()
  carriedOutFen: number;

  @Field(() => String, { nullable: true, description: 'The later period whose statement took over carriedOutFen (as its carriedInFen)' })
  @Column({ type: 'varchar', length: 7, nullable: true })
  carriedIntoPeriod: string | null;

  @Field(() => CommissionStatus)
  @EnumColumn(CommissionStatus)
  status: CommissionStatus;

  @Field()
  @DateTimeColumn()
  settledAt: Date;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  closedAt: Date | null;
}
