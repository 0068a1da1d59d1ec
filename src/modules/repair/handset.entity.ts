import { Field, ID, ObjectType } from 'type-graphql';
import { Network } from '../../common/network';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';

/** A handset maker (Samsung, Kyocera, ...). Authorizations and repair orders name a brand. */
@ObjectType()
@Entity('handset_brand')
export class HandsetBrand {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field({ description: 'Short upper-case code, e.g. SAMSUNG' })
  @Column({ type: 'varchar', length: 32, unique: true })
  code: string;

  @Field()
  @Column({ type: 'varchar', length: 64, unique: true })
  name: string;

  @Field()
  @DateTimeColumn()
  createdAt: Date;
}

/** A handset model of a brand, on one network (CDMA or GSM). */
@ObjectType()
@Entity('handset_model')
@Index('uq_handset_model_brand_name', ['brandId', 'name'], { unique: true })
@Index('idx_handset_model_network', ['network', 'brandId'])
export class HandsetModel {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  brandId: number;

  @ManyToOne(() => HandsetBrand, { nullable: false })
  @JoinColumn({ name: 'brandId' })
  brandRef?: HandsetBrand;

  @Field()
  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Field(() => Network)
  @EnumColumn(Network)
  network: Network;

  @Field()
  @DateTimeColumn()
  createdAt: Date;
}
