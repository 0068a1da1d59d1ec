import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';

/** Parts a partner used in one repair order, off its own shelf. */
@ObjectType({ description: "Parts used in a repair order, taken off the partner's shelf" })
@Entity('parts_consumption')
@Index('idx_parts_consumption_order', ['repairOrderId', 'id'])
@Index('idx_parts_consumption_partner', ['partnerId', 'id'])
export class PartsConsumption {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  repairOrderId: number;

  @Column({ type: 'int' })
  partnerId: number;

  @Column({ type: 'int' })
  locationId: number;

  @Field(() => SafeInt, { description: "Cost of the parts used, at the shelf's average cost" })
  @FenColumn()
  totalFen: number;

  @Field()
  @DateTimeColumn()
  consumedAt: Date;

  @Column({ type: 'int', nullable: true })
  actorId: number | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  actorName: string | null;
}
