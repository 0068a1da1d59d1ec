import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { FindingType } from './audit.enums';
import { AuditItem } from './audit-item.entity';

/** Rows are replaced while the batch is open (re-recording); frozen once it closes. */
@ObjectType({ description: 'Something wrong with an audited record' })
@Entity('audit_finding')
@Unique('uq_audit_finding_item_type', ['itemId', 'type'])
@Index('idx_audit_finding_batch', ['batchId', 'id'])
export class Finding {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  itemId: number;

  @ManyToOne(() => AuditItem, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'itemId' })
  itemRef?: AuditItem;

  @Column({ type: 'int' })
  batchId: number;

  @Column({ type: 'int' })
  agentId: number;

  @Column({ type: 'int' })
  registrationId: number;

  @Field(() => FindingType)
  @EnumColumn(FindingType)
  type: FindingType;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 1000, nullable: true })
  note: string | null;

  @Field()
  @DateTimeColumn()
  recordedAt: Date;
}
