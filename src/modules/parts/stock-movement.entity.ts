import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';

export enum MovementKind {
  RECEIPT = 'RECEIPT',
  ISSUE = 'ISSUE',
  CONSUMPTION = 'CONSUMPTION',
  RETURN = 'RETURN',
  ADJUSTMENT = 'ADJUSTMENT',
}
registerEnumType(MovementKind, {
  name: 'MovementKind',
  valuesConfig: {
    RECEIPT: { description: 'Bought in from a supplier, into the centre' },
    ISSUE: { description: "From the centre (negative) to a partner's shelf (positive)" },
    CONSUMPTION: { description: "Used in a repair order, off the partner's shelf" },
    RETURN: { description: "Unused parts from a partner's shelf (negative) back to the centre (positive)" },
    ADJUSTMENT: { description: 'A difference found by a stocktake, with its reason' },
  },
});

export enum StockDocumentType {
  PURCHASE_RECEIPT = 'PURCHASE_RECEIPT',
  PARTS_ISSUE = 'PARTS_ISSUE',
  PARTS_CONSUMPTION = 'PARTS_CONSUMPTION',
  PARTS_RETURN = 'PARTS_RETURN',
  STOCKTAKE = 'STOCKTAKE',
}
registerEnumType(StockDocumentType, { name: 'StockDocumentType' });

/**
 * The append-only stock ledger: one row per change of one part's stock at one location. Rows are
 * only ever inserted, in the same transaction as the stock_level change they explain.
 */
@ObjectType({ description: 'One change of stock: who, when, how many, and the document it belongs to' })
@Entity('stock_movement')
@Index('idx_stock_movement_part_location', ['partId', 'locationId', 'id'])
@Index('idx_stock_movement_location', ['locationId', 'id'])
@Index('idx_stock_movement_document', ['documentType', 'documentId'])
export class StockMovement {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  partId: number;

  @Column({ type: 'int' })
  locationId: number;

  @Field(() => MovementKind)
  @EnumColumn(MovementKind)
  kind: MovementKind;

  @Field(() => Int, { description: 'Signed: positive into the location, negative out of it' })
  @Column({ type: 'int' })
  quantity: number;

  @Field(() => SafeInt, { description: 'Cost of one unit as it moved (fen)' })
  @FenColumn()
  unitCostFen: number;

  @Field(() => StockDocumentType)
  @EnumColumn(StockDocumentType)
  documentType: StockDocumentType;

  @Field(() => ID)
  @Column({ type: 'int' })
  documentId: number;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  reason: string | null;

  @Column({ type: 'int', nullable: true })
  actorId: number | null;

  @Field(() => String, { nullable: true, description: 'Username of who moved it; null for the system' })
  @Column({ type: 'varchar', length: 64, nullable: true })
  actorName: string | null;

  @Field()
  @DateTimeColumn()
  at: Date;
}
