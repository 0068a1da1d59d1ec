import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';

/** Unused parts a partner sends back to the centre; their cost is credited to its fund account. */
@ObjectType({ description: "Unused parts back from a partner's shelf to the centre, credited to its fund account" })
@Entity('parts_return')
@Index('idx_parts_return_partner', ['partnerId', 'id'])
export class PartsReturn {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  partnerId: number;

  /** The partner's shelf the parts left. */
  @Column({ type: 'int' })
  locationId: number;

  @Field(() => SafeInt, { description: "Credited to the partner's fund account (what it was charged for these units)" })
  @FenColumn()
  creditFen: number;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  reason: string | null;

  @Field()
  @DateTimeColumn()
  returnedAt: Date;

  @Column({ type: 'int', nullable: true })
  actorId: number | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  actorName: string | null;
}
