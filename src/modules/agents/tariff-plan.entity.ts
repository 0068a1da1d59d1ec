import { Field, ID, ObjectType } from 'type-graphql';
import { Network } from '../../common/network';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { EnumColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';

/** A tariff plan (資費套餐) a line can be opened on; reference data. A plan belongs to one network. */
@ObjectType()
@Entity('tariff_plan')
export class TariffPlan {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field()
  @Column({ type: 'varchar', length: 32, unique: true })
  code: string;

  @Field()
  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Field(() => Network)
  @EnumColumn(Network)
  network: Network;

  @Field(() => SafeInt, { description: 'Monthly fee in fen (0 for prepaid plans)' })
  @FenColumn()
  monthlyFeeFen: number;
}
