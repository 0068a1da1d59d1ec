import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';

/**
 * Parts moved from the centre to a partner's shelf, drawn on the revolving fund at unit cost.
 * The unique (partnerId, idempotencyKey) is what makes a retried call issue once.
 */
@ObjectType({ description: "Parts issued from the centre to a partner's shelf, drawn on the revolving fund" })
@Entity('parts_issue')
@Index('idx_parts_issue_partner', ['partnerId', 'id'])
@Index('uq_parts_issue_idempotency', ['partnerId', 'idempotencyKey'], { unique: true })
export class PartsIssue {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  partnerId: number;

  /** The partner's shelf the parts went to. */
  @Column({ type: 'int' })
  locationId: number;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  idempotencyKey: string | null;

  @Field(() => SafeInt, { description: 'Drawn on the revolving fund' })
  @FenColumn()
  totalFen: number;

  @Field()
  @DateTimeColumn()
  issuedAt: Date;

  @Column({ type: 'int', nullable: true })
  actorId: number | null;

  @Field(() => String, { nullable: true, description: 'Username of who issued it' })
  @Column({ type: 'varchar', length: 64, nullable: true })
  actorName: string | null;
}
