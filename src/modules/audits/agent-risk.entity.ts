import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../../common/columns';

/** The inputs behind each agent's riskScore at its last recomputation, so a score can be explained. */
@ObjectType({ description: "Why an agent has its riskScore (see the audits module's README)" })
@Entity('agent_risk')
export class AgentRisk {
  @PrimaryColumn({ type: 'int' })
  agentId: number;

  @Field(() => Int, { description: 'Audited records (closed batches, audited within the last 90 days)' })
  @Column({ type: 'int' })
  auditedItems: number;

  @Field(() => Int, { description: 'Of those, failed' })
  @Column({ type: 'int' })
  failedItems: number;

  @Field(() => Int, { description: 'Records submitted within the last 90 days' })
  @Column({ type: 'int' })
  recentRecords: number;

  @Field(() => Int, { description: 'Of those, with flags' })
  @Column({ type: 'int' })
  flaggedRecords: number;

  @Field(() => Int, { description: '0–50: min(50, 125 × failed ÷ (audited + 2))' })
  @Column({ type: 'int' })
  findingPoints: number;

  @Field(() => Int, { description: '0–30: min(30, 60 × flagged ÷ (records + 2))' })
  @Column({ type: 'int' })
  flagPoints: number;

  @Field(() => Int, { description: '20 under 30 days old, 13 under 60, 7 under 90, else 0' })
  @Column({ type: 'int' })
  newnessPoints: number;

  @Field(() => Int, { description: 'The sum: riskScore' })
  @Column({ type: 'int' })
  score: number;

  @Field()
  @DateTimeColumn()
  computedAt: Date;
}
