import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn } from '../../common/columns';

/** Who changed what and when. Rows are only ever inserted: no code path updates or deletes them. */
@ObjectType()
@Entity('change_log')
@Index('idx_change_log_entity', ['entityType', 'entityId', 'id'])
export class ChangeLogEntry {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field()
  @DateTimeColumn()
  at: Date;

  @Field(() => ID, { nullable: true })
  @Column({ type: 'int', nullable: true })
  actorId: number | null;

  @Field(() => String, { nullable: true, description: 'Username of who did it; null for the system itself' })
  @Column({ type: 'varchar', length: 64, nullable: true })
  actorName: string | null;

  @Field({ description: 'The mutation or system action, e.g. createAgent' })
  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Field()
  @Column({ type: 'varchar', length: 48 })
  entityType: string;

  @Field(() => ID)
  @Column({ type: 'varchar', length: 64 })
  entityId: string;

  @Field(() => String, { nullable: true, description: 'JSON of what changed; secrets and identity numbers are never included' })
  @Column({ type: 'text', nullable: true })
  data: string | null;
}
