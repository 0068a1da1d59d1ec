import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { AuditBatchStatus, AuditStrategy } from './audit.enums';

@ObjectType({ description: "A sample of one period's customer records (by the Shanghai month of openedAt), audited item by item" })
@Entity('audit_batch')
@Index('idx_audit_batch_period', ['period', 'id'])
@Index('idx_audit_batch_status', ['status', 'id'])
export class AuditBatch {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field({ description: '"YYYY-MM": records whose openedAt falls in this Asia/Shanghai month were sampled' })
  @Column({ type: 'varchar', length: 7 })
  period: string;

  @Field(() => AuditStrategy)
  @EnumColumn(AuditStrategy)
  strategy: AuditStrategy;

  @Field(() => AuditBatchStatus)
  @EnumColumn(AuditBatchStatus)
  status: AuditBatchStatus;

  @Field(() => Int, { description: 'The seed of the draw: the same seed over the same data draws the same records' })
  @Column({ type: 'int' })
  seed: number;

  @Field(() => Int, { description: 'How many records were asked for' })
  @Column({ type: 'int' })
  sampleSize: number;

  /** Comma-separated agent ids the sample was limited to; '' for all agents. */
  @Column({ type: 'text' })
  agentIdList: string;

  @Field({ description: 'Whether records drawn by an earlier batch were left out' })
  @Column({ type: 'boolean', default: false })
  excludeAudited: boolean;

  @Field(() => Int, { description: 'Records drawn (fewer than sampleSize when the population is smaller)' })
  @Column({ type: 'int', default: 0 })
  itemCount: number;

  @Field(() => Int, { description: 'Records the sample was drawn from' })
  @Column({ type: 'int', default: 0 })
  populationSize: number;

  @Field(() => Int, { description: 'Drawn records that carried flags (they are drawn first)' })
  @Column({ type: 'int', default: 0 })
  flaggedCount: number;

  /** Bumped by every result recorded: the conditional write that serialises recording against closing. */
  @Column({ type: 'int', default: 0 })
  revision: number;

  @Field()
  @DateTimeColumn()
  createdAt: Date;

  @Column({ type: 'int', nullable: true })
  createdById: number | null;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  closedAt: Date | null;

  @Column({ type: 'int', nullable: true })
  closedById: number | null;
}
