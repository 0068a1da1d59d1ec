import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { EnumColumn } from '../../common/columns';

export enum LocationKind {
  CENTRE = 'CENTRE',
  PARTNER = 'PARTNER',
}
registerEnumType(LocationKind, { name: 'LocationKind' });

/**
 * Where parts are: the central parts centre (one row, partnerId null) or one partner's shelf.
 * The repair module creates a partner's location when it creates the partner.
 */
@ObjectType('Location')
@Entity('stock_location')
export class StockLocation {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field(() => LocationKind)
  @EnumColumn(LocationKind)
  kind: LocationKind;

  @Field(() => ID, { nullable: true })
  @Column({ type: 'int', nullable: true, unique: true })
  partnerId: number | null;

  @Field()
  @Column({ type: 'varchar', length: 128 })
  name: string;
}
