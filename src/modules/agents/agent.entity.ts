import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';
import { Region } from '../regions/region.entity';

export enum AgentKind {
  DEALER = 'DEALER',
  FRANCHISE_HALL = 'FRANCHISE_HALL',
  OUTLET = 'OUTLET',
}
registerEnumType(AgentKind, { name: 'AgentKind' });

export enum AgentStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  TERMINATED = 'TERMINATED',
}
registerEnumType(AgentStatus, { name: 'AgentStatus' });

@ObjectType()
@Entity('agent')
@Index('idx_agent_region_status', ['regionId', 'status', 'id'])
export class Agent {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field()
  @Column({ type: 'varchar', length: 32, unique: true })
  code: string;

  @Field()
  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Field(() => AgentKind)
  @EnumColumn(AgentKind)
  kind: AgentKind;

  @Field(() => AgentStatus)
  @EnumColumn(AgentStatus)
  status: AgentStatus;

  @Column({ type: 'int' })
  regionId: number;

  @ManyToOne(() => Region, { nullable: false })
  @JoinColumn({ name: 'regionId' })
  region?: Region;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  contactName: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 32, nullable: true })
  contactPhone: string | null;

  @Field(() => SafeInt, { description: 'Commission earned per activated line, in fen' })
  @FenColumn()
  commissionPerActivationFen: number;

  @Field(() => Int, { description: '0 (low) to 100 (high); see the README for how it is computed' })
  @Column({ type: 'int', default: 0 })
  riskScore: number;

  @Field()
  @DateTimeColumn()
  createdAt: Date;
}
