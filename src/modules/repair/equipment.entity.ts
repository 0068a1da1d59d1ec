import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';
import { RepairPartner } from './repair-partner.entity';

export enum EquipmentStatus {
  AVAILABLE = 'AVAILABLE',
  LENT = 'LENT',
}
registerEnumType(EquipmentStatus, { name: 'EquipmentStatus' });

/**
 * Repair equipment the branch owns and lends to partners (維修設備). `custodianPartnerId` is the one
 * partner holding it now; it only changes by conditional writes, so two lenders can never both win.
 */
@ObjectType()
@Entity('equipment')
@Index('idx_equipment_custodian', ['custodianPartnerId', 'id'])
@Index('idx_equipment_kind', ['kind', 'id'])
export class Equipment {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field()
  @Column({ type: 'varchar', length: 32, unique: true })
  assetTag: string;

  @Field({ description: 'What it is, e.g. BGA rework station, programmer, power supply' })
  @Column({ type: 'varchar', length: 64 })
  kind: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  description: string | null;

  @Field(() => SafeInt)
  @FenColumn()
  valueFen: number;

  @Column({ type: 'int', nullable: true })
  custodianPartnerId: number | null;

  @ManyToOne(() => RepairPartner, { nullable: true })
  @JoinColumn({ name: 'custodianPartnerId' })
  custodian?: RepairPartner | null;

  @Field(() => Date, { nullable: true, description: 'When the current custodian received it' })
  @DateTimeColumn({ nullable: true })
  lentAt: Date | null;

  @Field()
  @DateTimeColumn()
  registeredAt: Date;
}

/**
 * Who held an item when (append-mostly: a row is closed by setting returnedAt). `openEquipmentId`
 * equals equipmentId while the row is open and is NULL once returned: its unique key is a second
 * guard that an item has at most one open custody.
 */
@ObjectType('EquipmentCustody')
@Entity('equipment_custody')
@Index('idx_equipment_custody_equipment', ['equipmentId', 'id'])
@Index('idx_equipment_custody_partner', ['partnerId', 'lentAt'])
export class EquipmentCustody {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  equipmentId: number;

  @ManyToOne(() => Equipment, { nullable: false })
  @JoinColumn({ name: 'equipmentId' })
  equipment?: Equipment;

  @Column({ type: 'int' })
  partnerId: number;

  @ManyToOne(() => RepairPartner, { nullable: false })
  @JoinColumn({ name: 'partnerId' })
  partner?: RepairPartner;

  @Column({ type: 'int', nullable: true, unique: true })
  openEquipmentId: number | null;

  @Field(() => SafeInt, { description: "The item's value when it was lent" })
  @FenColumn()
  valueFen: number;

  @Field()
  @DateTimeColumn()
  lentAt: Date;

  @Column({ type: 'int', nullable: true })
  lentById: number | null;

  @Field(() => String, { nullable: true, description: 'Username of who lent it' })
  @Column({ type: 'varchar', length: 64, nullable: true })
  lentBy: string | null;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  returnedAt: Date | null;

  @Column({ type: 'int', nullable: true })
  returnedById: number | null;

  @Field(() => String, { nullable: true, description: 'Username of who took it back' })
  @Column({ type: 'varchar', length: 64, nullable: true })
  returnedBy: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  note: string | null;
}
