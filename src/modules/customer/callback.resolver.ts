import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireUser } from '../../common/auth';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { Role } from '../../common/roles';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { Agent } from '../agents/agent.entity';
import { Finding } from '../audits/audit-finding.entity';
import { User } from '../identity/user.entity';
import { Region } from '../regions/region.entity';
import { regionOf } from '../regions/region.service';
import { CustomerCallback } from './callback.entity';
import { callbackQueue, shanghaiDayStart, callbackStats, getCallback, listCallbacks, recordCallbackOutcome } from './callback.service';
import { CallbackOutcome } from './customer.enums';
import { CallbackFilter } from './customer.inputs';
import { CALLBACK_READERS, DESK } from './customer.roles';
import { CallbackStat } from './customer.types';

const CallbackConnection = Connection(CustomerCallback, 'CustomerCallback');

/** Staff see the caller's notes; agents and partners do not. */
export function seesNotes(role: Role): boolean {
  return role !== Role.AGENT && role !== Role.REPAIR_PARTNER;
}

@Resolver(() => CustomerCallback)
export class CallbackResolver {
  @Authorized(...CALLBACK_READERS)
  @Query(() => CallbackConnection, { description: 'Callbacks not yet made that are due by the end of the Shanghai day (oldest first). An AGENT sees its own.' })
  callbackQueue(@Ctx() ctx: Context, @Args() args: ConnectionArgs, @Arg('filter', () => CallbackFilter, { nullable: true }) filter?: CallbackFilter) {
    return callbackQueue(ctx.ds.manager, requireUser(ctx), filter, args);
  }

  @Authorized(...CALLBACK_READERS)
  @Query(() => CallbackConnection, { description: 'Callbacks, made or not, by due time. An AGENT sees its own (without the notes).' })
  callbacks(@Ctx() ctx: Context, @Args() args: ConnectionArgs, @Arg('filter', () => CallbackFilter, { nullable: true }) filter?: CallbackFilter) {
    return listCallbacks(ctx.ds.manager, requireUser(ctx), filter, args);
  }

  @Authorized(...CALLBACK_READERS)
  @Query(() => CustomerCallback, { nullable: true })
  callback(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return getCallback(ctx.ds.manager, requireUser(ctx), id);
  }

  @Authorized(...CALLBACK_READERS)
  @Query(() => [CallbackStat], { description: 'Per agent, callbacks due in a Shanghai month: made, reached and the denial rate. An AGENT sees its own row.' })
  callbackStats(@Ctx() ctx: Context, @Arg('period') period: string, @Arg('agentId', () => ID, { nullable: true }) agentId?: string) {
    return callbackStats(ctx.ds.manager, requireUser(ctx), period, agentId);
  }

  @Authorized(...DESK)
  @Mutation(() => CustomerCallback, { description: 'Record a call once. DENIES_OWNERSHIP and DATA_MISMATCH create an audit finding against the agent.' })
  recordCallbackOutcome(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('outcome', () => CallbackOutcome) outcome: CallbackOutcome,
    @Arg('note', () => String, { nullable: true }) note?: string,
  ) {
    return inTransaction(ctx.ds, (em) => recordCallbackOutcome(em, requireUser(ctx), id, outcome, note));
  }

  @FieldResolver(() => String, { nullable: true, description: "The caller's note; null for agents" })
  note(@Ctx() ctx: Context, @Root() c: CustomerCallback): string | null {
    return seesNotes(requireUser(ctx).role) ? c.note : null;
  }

  @FieldResolver(() => Agent)
  async agent(@Ctx() ctx: Context, @Root() c: CustomerCallback) {
    return (await ctx.loaders.agents.agentById.load(c.agentId))!;
  }

  @FieldResolver(() => Region)
  region(@Ctx() ctx: Context, @Root() c: CustomerCallback) {
    return regionOf(ctx, c.regionId);
  }

  @FieldResolver(() => Finding, { nullable: true, description: 'The audit finding this call created' })
  finding(@Ctx() ctx: Context, @Root() c: CustomerCallback) {
    return c.findingId ? ctx.loaders.audits.findingById.load(c.findingId) : null;
  }

  @FieldResolver(() => User, { nullable: true })
  doneBy(@Ctx() ctx: Context, @Root() c: CustomerCallback) {
    return c.doneById && seesNotes(requireUser(ctx).role) ? ctx.loaders.identity.userById.load(c.doneById) : null;
  }

  @FieldResolver(() => Boolean, { description: 'Not made, and due on an earlier Shanghai day than now' })
  overdue(@Root() c: CustomerCallback): boolean {
    return c.outcome == null && c.dueAt < shanghaiDayStart(new Date());
  }
}

@Resolver(() => CallbackStat)
export class CallbackStatResolver {
  @FieldResolver(() => Agent)
  async agent(@Ctx() ctx: Context, @Root() s: CallbackStat) {
    return (await ctx.loaders.agents.agentById.load(s.agentId))!;
  }
}
