import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { AgentStatus } from './agent.entity';

/** Every status change of an agent with its reason: the history the agency management centre keeps. */
@ObjectType()
@Entity('agent_status_change')
@Index('idx_agent_status_change_agent', ['agentId', 'id'])
export class AgentStatusChange {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  agentId: number;

  @Field(() => AgentStatus)
  @EnumColumn(AgentStatus)
  fromStatus: AgentStatus;

  @Field(() => AgentStatus)
  @EnumColumn(AgentStatus)
  toStatus: AgentStatus;

  @Field()
  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Field()
  @DateTimeColumn()
  at: Date;

  @Column({ type: 'int', nullable: true })
  actorId: number | null;

  @Field(() => String, { nullable: true, description: 'Username of who changed it' })
  @Column({ type: 'varchar', length: 64, nullable: true })
  actorName: string | null;
}
