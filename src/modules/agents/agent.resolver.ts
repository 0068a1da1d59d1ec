import { GraphQLResolveInfo } from 'graphql';
import { AGENT_READERS } from './agents.roles';
import { RECORD_READERS } from './agents.roles';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireUser } from '../../common/auth';
import { Connection, ConnectionArgs, selectsPageInfo } from '../../common/pagination';
import { ReadsColumns, selectedColumns } from '../../runtime/sql/projection';
import { Role } from '../../common/roles';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { Region } from '../regions/region.entity';
import { regionOf } from '../regions/region.service';
import { Agent, AgentStatus } from './agent.entity';
import { AgentFilter, CreateAgentInput, UpdateAgentInput } from './agent.inputs';
import { createAgent, getAgentByIdOrCode, listAgents, setAgentStatus, updateAgent } from './agent.service';
import { AgentStatusChange } from './agent-status-change.entity';
import { Registration } from './registration.entity';
import { RegistrationConnection } from './registration.resolver';
import { agentRegistrationsPage } from './registration.service';

const AgentConnection = Connection(Agent);

@Resolver(() => Agent)
export class AgentResolver {
  @Authorized(...AGENT_READERS)
  @Query(() => AgentConnection, { description: 'Agents by code' })
  agents(
    @Ctx() ctx: Context,
    @Args() args: ConnectionArgs,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => AgentFilter, { nullable: true }) filter?: AgentFilter,
  ) {
    return listAgents(ctx.ds.manager, requireUser(ctx), filter, args, selectedColumns(ctx.ds, Agent, info, ['edges', 'node'], { as: 'property' }));
  }

  @Authorized(...AGENT_READERS)
  @Query(() => Agent, { nullable: true, description: 'By id or by code (exactly one); null with NOT_FOUND when there is none' })
  agent(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { nullable: true }) id?: string,
    @Arg('code', () => String, { nullable: true }) code?: string,
  ): Promise<Agent> {
    return getAgentByIdOrCode(ctx.ds.manager, requireUser(ctx), id, code);
  }

  @Authorized(Role.AGENCY_STAFF)
  @Mutation(() => Agent)
  createAgent(@Ctx() ctx: Context, @Arg('input', () => CreateAgentInput) input: CreateAgentInput): Promise<Agent> {
    return inTransaction(ctx.ds, (em) => createAgent(em, requireUser(ctx), input));
  }

  @Authorized(Role.AGENCY_STAFF)
  @Mutation(() => Agent)
  updateAgent(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('input', () => UpdateAgentInput) input: UpdateAgentInput): Promise<Agent> {
    return inTransaction(ctx.ds, (em) => updateAgent(em, requireUser(ctx), id, input));
  }

  @Authorized(Role.AGENCY_STAFF)
  @Mutation(() => Agent, { description: 'Suspend, terminate (final) or reinstate an agent; the reason is required and kept in statusHistory' })
  setAgentStatus(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('status', () => AgentStatus) status: AgentStatus,
    @Arg('reason') reason: string,
  ): Promise<Agent> {
    return inTransaction(ctx.ds, (em) => setAgentStatus(em, requireUser(ctx), id, status, reason));
  }

  @FieldResolver(() => Region)
  @ReadsColumns('regionId')
  region(@Root() agent: Agent, @Ctx() ctx: Context): Region | Promise<Region> {
    return regionOf(ctx, agent.regionId);
  }

  @Authorized(...RECORD_READERS)
  // Runs once per agent of a page: ConnectionArgs carries no class-validator rules (pageSize and
  // the cursor decoding check them), so skip the validator's per-call walk.
  @FieldResolver(() => RegistrationConnection, { description: "The agent's customer records, newest first" })
  @ReadsColumns('id')
  registrations(@Root() agent: Agent, @Ctx() ctx: Context, @Args({ validate: false }) args: ConnectionArgs, @Info() info: GraphQLResolveInfo) {
    return agentRegistrationsPage(
      ctx.loaders.agents,
      requireUser(ctx),
      agent.id,
      args,
      selectsPageInfo(info),
      selectedColumns(ctx.ds, Registration, info, ['edges', 'node'], { always: ['agentId'] }),
    );
  }

  @FieldResolver(() => [AgentStatusChange], { description: 'Status changes with their reasons, newest first' })
  @ReadsColumns('id')
  statusHistory(@Root() agent: Agent, @Ctx() ctx: Context): Promise<AgentStatusChange[]> {
    return ctx.loaders.agents.statusHistory.load(agent.id);
  }
}
