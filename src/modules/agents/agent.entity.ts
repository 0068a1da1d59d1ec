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
registerEnumType(AgentKind, {
  name: 'AgentKind',
  description:
    'DEALER: a dealer (代理商); FRANCHISE_HALL: a partner hall (合作營業廳) that may activate lines itself; OUTLET: a distribution outlet (分銷網點)',
});

export enum AgentStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  TERMINATED = 'TERMINATED',
}
registerEnumType(AgentStatus, {
  name: 'AgentStatus',
  description: 'Only ACTIVE agents may submit records; TERMINATED is final',
});

@ObjectType({ description: "A third-party outlet that opens lines and enters its customers' records (代辦商)" })
@Entity('agent')
@Index('idx_agent_region_status', ['regionId', 'status', 'id'])
// The agents list is ordered by code (then id, which InnoDB keeps in every secondary index): one
// index per filter it takes, so that a page reads its rows in order instead of sorting a region.
@Index('idx_agent_region_code', ['regionId', 'code'])
@Index('idx_agent_region_status_code', ['regionId', 'status', 'code'])
@Index('idx_agent_status_code', ['status', 'code'])
@Index('idx_agent_kind_code', ['kind', 'code'])
export class Agent {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field({ description: 'Unique, upper case, e.g. AGT-0001; never changes (imports and users refer to it)' })
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

  @Field(() => String, { nullable: true, description: 'Why the agent was last suspended, terminated or reinstated' })
  @Column({ type: 'varchar', length: 500, nullable: true })
  statusReason: string | null;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  statusChangedAt: Date | null;

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

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  updatedAt: Date | null;
}
