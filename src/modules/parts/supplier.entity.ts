import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn } from '../../common/columns';

/** Where the centre buys parts (Shenzhen, Guangzhou, Wuhan in the document). */
@ObjectType()
@Entity('supplier')
@Index('uq_supplier_name', ['name'], { unique: true })
export class Supplier {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field()
  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Field()
  @Column({ type: 'varchar', length: 64 })
  city: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  contactName: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 32, nullable: true })
  contactPhone: string | null;

  @Field()
  @DateTimeColumn()
  createdAt: Date;
}
