import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { EnumColumn } from '../../common/columns';

export enum RegionKind {
  CITY_DISTRICT = 'CITY_DISTRICT',
  COUNTY = 'COUNTY',
}
registerEnumType(RegionKind, { name: 'RegionKind' });

@ObjectType()
@Entity('region')
export class Region {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field()
  @Column({ type: 'varchar', length: 32, unique: true })
  code: string;

  @Field()
  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Field(() => RegionKind)
  @EnumColumn(RegionKind)
  kind: RegionKind;
}
