import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { RepairPartner } from './repair-partner.entity';

/** A person to call at a repair partner (owner, technician, bookkeeper). */
@ObjectType('RepairPartnerContact')
@Entity('repair_partner_contact')
@Index('idx_repair_partner_contact_partner', ['partnerId', 'id'])
export class PartnerContact {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  partnerId: number;

  @ManyToOne(() => RepairPartner, { nullable: false })
  @JoinColumn({ name: 'partnerId' })
  partner?: RepairPartner;

  @Field()
  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Field()
  @Column({ type: 'varchar', length: 32 })
  phone: string;

  @Field(() => String, { nullable: true, description: 'What the person does: owner, technician, bookkeeper...' })
  @Column({ type: 'varchar', length: 64, nullable: true })
  title: string | null;

  @Field({ description: 'The first person to call' })
  @Column({ type: 'boolean', default: false })
  primary: boolean;
}
