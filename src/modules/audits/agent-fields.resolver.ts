import { Arg, Args, Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { requireUser } from '../../common/auth';
import { NotFoundError } from '../../common/errors';
import { Connection, ConnectionArgs, pageSize } from '../../common/pagination';
import { Role } from '../../common/roles';
import type { Context } from '../../common/context';
import { ReadsColumns } from '../../runtime/sql/projection';
import { Agent } from '../agents/agent.entity';
import { PenaltyStatus } from './audit.enums';
import { AgentRisk } from './agent-risk.entity';
import { CommissionStatement } from './commission-statement.entity';
import { Penalty } from './penalty.entity';
import { PENALTY_READERS, STATEMENT_READERS, AUDIT_READERS } from './audits.roles';

const PenaltyConnection = Connection(Penalty);
const CommissionStatementConnection = Connection(CommissionStatement);

/** An AGENT user reaches only its own Agent; this guards the nested lists should any path lead elsewhere. */
function assertOwnAgent(ctx: Context, agent: Agent): void {
  const user = requireUser(ctx);
  if (user.role === Role.AGENT && user.agentId !== agent.id) throw new NotFoundError('Agent', agent.id);
}

/** The audits module's fields on the agents module's Agent type (type-graphql merges them). */
@Resolver(() => Agent)
export class AgentAuditFieldsResolver {
  @Authorized(...PENALTY_READERS)
  @ReadsColumns('id')
  @FieldResolver(() => PenaltyConnection, { description: 'Newest first' })
  penalties(
    @Ctx() ctx: Context,
    @Root() agent: Agent,
    @Args() args: ConnectionArgs,
    @Arg('status', () => PenaltyStatus, { nullable: true }) status?: PenaltyStatus,
  ) {
    assertOwnAgent(ctx, agent);
    return ctx.loaders.audits.agentPenalties.load({ agentId: agent.id, status: status ?? null, first: pageSize(args.first), after: args.after ?? null });
  }

  @Authorized(...STATEMENT_READERS)
  @ReadsColumns('id')
  @FieldResolver(() => CommissionStatementConnection, { description: 'Newest period first' })
  commissionStatements(@Ctx() ctx: Context, @Root() agent: Agent, @Args({ validate: false }) args: ConnectionArgs) {
    assertOwnAgent(ctx, agent);
    return ctx.loaders.audits.agentStatements.load({ agentId: agent.id, first: pageSize(args.first), after: args.after ?? null });
  }

  @Authorized(...AUDIT_READERS)
  @ReadsColumns('id')
  @FieldResolver(() => AgentRisk, { nullable: true, description: 'The inputs of riskScore at its last recomputation; null before the first' })
  riskFactors(@Ctx() ctx: Context, @Root() agent: Agent) {
    return ctx.loaders.audits.riskByAgentId.load(agent.id);
  }
}
