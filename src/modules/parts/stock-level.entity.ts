import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';
import type { Part } from './part.entity';
import type { StockLocation } from './stock-location.entity';

/**
 * How many of a part are at a location, kept in step with the movement ledger inside the same
 * transaction (the sum of a pair's movements is always its onHand). Changed only by conditional
 * writes: `onHand = onHand - ? ... WHERE onHand >= ?`, so it never goes below zero.
 */
@ObjectType({ description: 'Stock of one part at one location' })
@Entity('stock_level')
@Index('uq_stock_level_part_location', ['partId', 'locationId'], { unique: true })
@Index('idx_stock_level_location', ['locationId', 'id'])
// The last line of defence behind the conditional writes.
@Check('chk_stock_level_on_hand', 'onHand >= 0')
export class StockLevel {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  partId: number;

  @Column({ type: 'int' })
  locationId: number;

  @Field(() => Int)
  @Column({ type: 'int', default: 0 })
  onHand: number;

  /**
   * Moving-average cost of the units here, whole fen. At the centre it is the part's unit cost;
   * on a partner's shelf it is what the partner was charged, so a return credits the same.
   */
  @Field(() => SafeInt, { description: 'Moving-average cost of the units at this location (fen)' })
  @FenColumn()
  unitCostFen: number;

  @Field()
  @DateTimeColumn()
  updatedAt: Date;

  /** The part and location when the list query joined them (not columns; see listStockLevels). */
  joinedPart?: Part | null;
  joinedLocation?: StockLocation | null;
}
