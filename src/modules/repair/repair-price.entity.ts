import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';
import { RepairPartner } from './repair-partner.entity';

/** A kind of repair a partner prices: screen, battery, charging port, board repair, ... */
@ObjectType()
@Entity('repair_service_type')
export class RepairServiceType {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field({ description: 'e.g. SCREEN; what setRepairPrice and repairPriceIndex take' })
  @Column({ type: 'varchar', length: 32, unique: true })
  code: string;

  @Field()
  @Column({ type: 'varchar', length: 64 })
  name: string;
}

/** A partner's price now for one service type; one row per (partner, service type). */
@ObjectType()
@Entity('repair_price')
@Index('uq_repair_price_partner_service', ['partnerId', 'serviceType'], { unique: true })
@Index('idx_repair_price_service', ['serviceType', 'partnerId'])
export class RepairPrice {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  partnerId: number;

  @ManyToOne(() => RepairPartner, { nullable: false })
  @JoinColumn({ name: 'partnerId' })
  partner?: RepairPartner;

  @Field()
  @Column({ type: 'varchar', length: 32 })
  serviceType: string;

  @Field(() => SafeInt)
  @FenColumn()
  priceFen: number;

  @Field({ description: 'Since when this price applies' })
  @DateTimeColumn()
  setAt: Date;

  @Column({ type: 'int', nullable: true })
  setById: number | null;
}

/** Every price a partner ever set (the history the price index's month-by-month median reads). */
@ObjectType()
@Entity('repair_price_change')
@Index('idx_repair_price_change_service', ['serviceType', 'effectiveFrom'])
@Index('idx_repair_price_change_partner', ['partnerId', 'serviceType', 'id'])
export class RepairPriceChange {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  partnerId: number;

  @ManyToOne(() => RepairPartner, { nullable: false })
  @JoinColumn({ name: 'partnerId' })
  partner?: RepairPartner;

  @Field()
  @Column({ type: 'varchar', length: 32 })
  serviceType: string;

  @Field(() => SafeInt)
  @FenColumn()
  priceFen: number;

  @Field(() => SafeInt, { nullable: true })
  @FenColumn({ nullable: true, default: null })
  previousPriceFen: number | null;

  @Field()
  @DateTimeColumn()
  effectiveFrom: Date;

  @Column({ type: 'int', nullable: true })
  changedById: number | null;

  @Field(() => String, { nullable: true, description: 'Username of who set it' })
  @Column({ type: 'varchar', length: 64, nullable: true })
  changedBy: string | null;
}
