import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { Agent } from '../agents/agent.entity';
import { Registration } from '../agents/registration.entity';
import { AuditOutcome } from './audit.enums';
import { AuditBatch } from './audit-batch.entity';

@ObjectType({ description: 'One sampled record of an audit batch and its result' })
@Entity('audit_item')
@Unique('uq_audit_item_batch_registration', ['batchId', 'registrationId'])
@Unique('uq_audit_item_batch_rank', ['batchId', 'drawRank'])
@Index('idx_audit_item_registration', ['registrationId', 'batchId'])
@Index('idx_audit_item_agent_audited', ['agentId', 'auditedAt'])
export class AuditItem {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  batchId: number;

  @ManyToOne(() => AuditBatch, { nullable: false })
  @JoinColumn({ name: 'batchId' })
  batchRef?: AuditBatch;

  @Column({ type: 'int' })
  registrationId: number;

  @ManyToOne(() => Registration, { nullable: false })
  @JoinColumn({ name: 'registrationId' })
  registrationRef?: Registration;

  @Column({ type: 'int' })
  agentId: number;

  @ManyToOne(() => Agent, { nullable: false })
  @JoinColumn({ name: 'agentId' })
  agentRef?: Agent;

  @Field(() => Int, { description: 'Position in the draw, 1 first: flagged records come first' })
  @Column({ type: 'int' })
  drawRank: number;

  @Field({ description: 'Whether the record carried flags when it was drawn' })
  @Column({ type: 'boolean', default: false })
  flagged: boolean;

  @Field(() => Float, { description: 'The seeded key the record was drawn by (larger first, after flagged records): see the audits README' })
  @Column({ type: 'double' })
  drawKey: number;

  @Field(() => Int, { description: "The agent's riskScore when the record was drawn" })
  @Column({ type: 'int', default: 0 })
  riskScoreAtDraw: number;

  @Field(() => AuditOutcome, { nullable: true, description: 'null until a result is recorded' })
  @EnumColumn(AuditOutcome, { nullable: true })
  outcome: AuditOutcome | null;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  auditedAt: Date | null;

  @Column({ type: 'int', nullable: true })
  auditorId: number | null;
}
