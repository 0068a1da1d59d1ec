import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';

/** A count of (some of) the parts at one location; each difference is posted as an adjustment. */
@ObjectType({ description: 'A count of parts at one location; differences are posted as ADJUSTMENT movements' })
@Entity('stocktake')
@Index('idx_stocktake_location', ['locationId', 'id'])
export class Stocktake {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  locationId: number;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  note: string | null;

  @Field(() => SafeInt, { description: 'Value of all differences at cost (negative: stock lost)' })
  @FenColumn()
  differenceFen: number;

  @Field()
  @DateTimeColumn()
  countedAt: Date;

  @Column({ type: 'int', nullable: true })
  actorId: number | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  actorName: string | null;
}

@ObjectType({ description: 'One part counted: what the books said, what was found' })
@Entity('stocktake_line')
@Index('idx_stocktake_line_stocktake', ['stocktakeId', 'id'])
export class StocktakeLine {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  stocktakeId: number;

  @Column({ type: 'int' })
  partId: number;

  @Field(() => Int, { description: 'On the books when the count was posted' })
  @Column({ type: 'int' })
  bookQuantity: number;

  @Field(() => Int)
  @Column({ type: 'int' })
  countedQuantity: number;

  @Field(() => Int, { description: 'countedQuantity - bookQuantity, posted as an adjustment when not 0' })
  @Column({ type: 'int' })
  difference: number;

  @Field(() => SafeInt)
  @FenColumn()
  unitCostFen: number;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  reason: string | null;
}
