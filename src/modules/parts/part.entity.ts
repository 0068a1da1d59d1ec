import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';

export enum PartCategory {
  SCREEN = 'SCREEN',
  BATTERY = 'BATTERY',
  MAINBOARD = 'MAINBOARD',
  KEYPAD = 'KEYPAD',
  HOUSING = 'HOUSING',
  FLEX_CABLE = 'FLEX_CABLE',
  ANTENNA = 'ANTENNA',
  SPEAKER = 'SPEAKER',
  MICROPHONE = 'MICROPHONE',
  CAMERA = 'CAMERA',
  CONNECTOR = 'CONNECTOR',
  CHIP = 'CHIP',
  CHARGER = 'CHARGER',
  OTHER = 'OTHER',
}
registerEnumType(PartCategory, { name: 'PartCategory' });

/**
 * A spare part in the centre's catalog. Its unit cost is not stored here: it is the moving-average
 * cost of the centre's stock (stock_level of the centre), so there is one figure to keep in step.
 */
@ObjectType({ description: 'A spare part in the parts centre catalog' })
@Entity('part')
@Index('uq_part_sku', ['sku'], { unique: true })
@Index('idx_part_category', ['category', 'id'])
export class Part {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field({ description: 'Stock-keeping unit, upper case, unique' })
  @Column({ type: 'varchar', length: 32 })
  sku: string;

  @Field()
  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Field(() => PartCategory)
  @EnumColumn(PartCategory)
  category: PartCategory;

  @Field(() => Int, { description: "When the centre's stock falls below this, it is time to buy" })
  @Column({ type: 'int', default: 0 })
  reorderPoint: number;

  @Field()
  @DateTimeColumn()
  createdAt: Date;
}

/** A handset model a part fits. A part with none listed is universal (fits any handset). */
@ObjectType({ description: 'A handset model a part fits' })
@Entity('part_compatible_model')
@Index('uq_part_compatible_model', ['partId', 'brandKey', 'modelKey'], { unique: true })
@Index('idx_part_compatible_brand', ['brandKey', 'partId'])
export class PartCompatibleModel {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  partId: number;

  @Field()
  @Column({ type: 'varchar', length: 64 })
  brand: string;

  @Field()
  @Column({ type: 'varchar', length: 64 })
  model: string;

  /** Lower case, letters and digits only: "Samsung" and "SAMSUNG", "SCH-X699" and "sch x699" match. */
  @Column({ type: 'varchar', length: 64 })
  brandKey: string;

  @Column({ type: 'varchar', length: 64 })
  modelKey: string;
}
