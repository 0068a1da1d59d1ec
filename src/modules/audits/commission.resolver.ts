import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireUser } from '../../common/auth';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { Agent } from '../agents/agent.entity';
import { User } from '../identity/user.entity';
import { AgentActivationReport, AgentActivationStat, activationStats } from './activation-stats.service';
import { closeCommissionPeriod, getCommissionPeriod, listCommissionPeriods, listStatements, settleCommissions, statementId } from './commission.service';
import { CommissionPeriod } from './commission-period.entity';
import { CommissionStatement } from './commission-statement.entity';
import { Penalty } from './penalty.entity';
import { PERIOD_READERS, SETTLERS, STATEMENT_READERS, STATS_READERS } from './audits.roles';

const CommissionStatementConnection = Connection(CommissionStatement);
const SettlementResultConnection = Connection(CommissionPeriod, 'SettlementResult');

@Resolver(() => CommissionPeriod)
export class CommissionPeriodResolver {
  @Authorized(...SETTLERS)
  @Mutation(() => CommissionPeriod, {
    description:
      "Compute every agent's statement for an open period: activations (by activatedAt, Asia/Shanghai month) × commission per activation, " +
      'minus confirmed penalties of this period or earlier not yet deducted, minus shortfalls carried from earlier closed periods. ' +
      'Running it again recomputes the open period and never double-counts; a closed period, or a month that has not begun (Asia/Shanghai), is CONFLICT. ' +
      'Activations that arrive for a period already closed are paid by the next open period settled (lateActivations).',
  })
  settleCommissions(@Ctx() ctx: Context, @Arg('period') period: string) {
    return inTransaction(ctx.ds, (em) => settleCommissions(em, requireUser(ctx), period, ctx.config.now()));
  }

  @Authorized(...SETTLERS)
  @Mutation(() => CommissionPeriod, {
    description:
      'Settle the period once more and freeze it: statements CLOSED, their penalties APPLIED. Afterwards the period never changes. ' +
      'CONFLICT until the month has ended (Asia/Shanghai).',
  })
  closeCommissionPeriod(@Ctx() ctx: Context, @Arg('period') period: string) {
    return inTransaction(ctx.ds, (em) => closeCommissionPeriod(em, requireUser(ctx), period, ctx.config.now()));
  }

  @Authorized(...PERIOD_READERS)
  @Query(() => CommissionPeriod, { nullable: true, description: 'A settled period and its totals' })
  commissionPeriod(@Ctx() ctx: Context, @Arg('period') period: string) {
    return getCommissionPeriod(ctx.ds.manager, period);
  }

  @Authorized(...PERIOD_READERS)
  @Query(() => SettlementResultConnection, { description: 'Settled periods, newest first' })
  commissionPeriods(@Ctx() ctx: Context, @Args() args: ConnectionArgs) {
    return listCommissionPeriods(ctx.ds.manager, args);
  }

  @FieldResolver(() => User, { nullable: true })
  settledBy(@Ctx() ctx: Context, @Root() p: CommissionPeriod) {
    return p.settledById ? ctx.loaders.identity.userById.load(p.settledById) : null;
  }

  @FieldResolver(() => User, { nullable: true })
  closedBy(@Ctx() ctx: Context, @Root() p: CommissionPeriod) {
    return p.closedById ? ctx.loaders.identity.userById.load(p.closedById) : null;
  }
}

@Resolver(() => CommissionStatement)
export class CommissionStatementResolver {
  @Authorized(...STATEMENT_READERS)
  @Query(() => CommissionStatementConnection, { description: 'Statements, newest period first. An AGENT sees only its own.' })
  commissionStatements(
    @Ctx() ctx: Context,
    @Args() args: ConnectionArgs,
    @Arg('period', () => String, { nullable: true }) period?: string,
    @Arg('agentId', () => ID, { nullable: true }) agentId?: string,
  ) {
    return listStatements(ctx.ds.manager, requireUser(ctx), { period, agentId }, args);
  }

  @FieldResolver(() => ID, { description: '"period:agentId"' })
  id(@Root() s: CommissionStatement): string {
    return statementId(s);
  }

  @FieldResolver(() => Agent)
  async agent(@Ctx() ctx: Context, @Root() s: CommissionStatement) {
    return (await ctx.loaders.agents.agentById.load(s.agentId))!;
  }

  @FieldResolver(() => [Penalty], { description: 'Exactly the penalties penaltiesFen adds up' })
  penalties(@Ctx() ctx: Context, @Root() s: CommissionStatement) {
    return ctx.loaders.audits.penaltiesByStatementKey.load(statementId(s));
  }
}

@Resolver(() => AgentActivationReport)
export class ActivationStatsResolver {
  @Authorized(...STATS_READERS)
  @Query(() => AgentActivationReport, {
    description:
      'Per agent: activations in the period (Asia/Shanghai month of activatedAt) and the median and 90th percentile of the time from ' +
      "submission to activation; all agents, or one region's. An AGENT sees its own row only.",
  })
  activationStats(@Ctx() ctx: Context, @Arg('period') period: string, @Arg('regionCode', () => String, { nullable: true }) regionCode?: string) {
    return activationStats(ctx.ds.manager, requireUser(ctx), period, regionCode);
  }
}

@Resolver(() => AgentActivationStat)
export class AgentActivationStatResolver {
  @FieldResolver(() => Agent)
  async agent(@Ctx() ctx: Context, @Root() s: AgentActivationStat) {
    return (await ctx.loaders.agents.agentById.load(s.agentId))!;
  }
}
