import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';
import { Region } from '../regions/region.entity';

export enum PartnerStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  TERMINATED = 'TERMINATED',
}
registerEnumType(PartnerStatus, { name: 'PartnerStatus' });

/** An independent repair shop (社會售后商) in the branch's after-sales network. */
@ObjectType()
@Entity('repair_partner')
@Index('idx_repair_partner_region_status', ['regionId', 'status', 'id'])
@Index('idx_repair_partner_status', ['status', 'id'])
export class RepairPartner {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field()
  @Column({ type: 'varchar', length: 32, unique: true })
  code: string;

  @Field()
  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ type: 'int' })
  regionId: number;

  @ManyToOne(() => Region, { nullable: false })
  @JoinColumn({ name: 'regionId' })
  region?: Region;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  address: string | null;

  @Field({ description: 'The branch provides the premises free of charge' })
  @Column({ type: 'boolean', default: false })
  premisesProvided: boolean;

  @Field(() => SafeInt)
  @FenColumn()
  monthlyWageSubsidyFen: number;

  @Field(() => PartnerStatus)
  @EnumColumn(PartnerStatus)
  status: PartnerStatus;

  @Field(() => String, { nullable: true, description: 'Why the partner was last suspended, reactivated or terminated' })
  @Column({ type: 'varchar', length: 255, nullable: true })
  statusReason: string | null;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  statusChangedAt: Date | null;

  @Field()
  @DateTimeColumn()
  createdAt: Date;
}
