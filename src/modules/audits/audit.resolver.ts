import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireUser } from '../../common/auth';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { Agent } from '../agents/agent.entity';
import { Registration } from '../agents/registration.entity';
import { User } from '../identity/user.entity';
import { AuditOutcome } from './audit.enums';
import { AuditBatchFilter, AuditItemFilter, CreateAuditBatchInput, FindingInput } from './audit.inputs';
import {
  closeAuditBatch,
  createAuditBatch,
  getAuditBatch,
  getAuditItem,
  listAuditBatches,
  listAuditItems,
  recordAuditResult,
  MAX_FINDINGS,
} from './audit.service';
import { AuditBatch } from './audit-batch.entity';
import { Finding } from './audit-finding.entity';
import { AuditItem } from './audit-item.entity';
import { Penalty } from './penalty.entity';
import { recomputeRiskScoresFor } from './risk.service';
import { AUDIT_READERS, AUDITORS, PENALTY_READERS, RISK_RECOMPUTERS } from './audits.roles';
import { AuditProgress, RiskRecomputation } from './audits.types';

const AuditBatchConnection = Connection(AuditBatch);
const AuditItemConnection = Connection(AuditItem);

@Resolver(() => AuditBatch)
export class AuditBatchResolver {
  @Authorized(...AUDIT_READERS)
  @Query(() => AuditBatch, { nullable: true })
  auditBatch(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return getAuditBatch(ctx.ds.manager, id);
  }

  @Authorized(...AUDIT_READERS)
  @Query(() => AuditBatchConnection, { description: 'Audit batches, newest first' })
  auditBatches(@Ctx() ctx: Context, @Args() args: ConnectionArgs, @Arg('filter', () => AuditBatchFilter, { nullable: true }) filter?: AuditBatchFilter) {
    return listAuditBatches(ctx.ds.manager, filter, args);
  }

  @Authorized(...AUDITORS)
  @Mutation(() => AuditBatch, {
    description:
      'Draw a sample of the records opened in a period (Asia/Shanghai month of openedAt; rejected records are left out). ' +
      'Flagged records are drawn first; the same seed over the same data draws the same records.',
  })
  createAuditBatch(@Ctx() ctx: Context, @Arg('input') input: CreateAuditBatchInput) {
    return inTransaction(ctx.ds, (em) => createAuditBatch(em, requireUser(ctx), input));
  }

  @Authorized(...AUDITORS)
  @Mutation(() => AuditItem, { description: "Record or re-record an item's result while its batch is open: PASS, or FAIL with one or more findings" })
  recordAuditResult(
    @Ctx() ctx: Context,
    @Arg('itemId', () => ID) itemId: string,
    @Arg('outcome', () => AuditOutcome) outcome: AuditOutcome,
    @Arg('findings', () => [FindingInput], { nullable: true, description: `At most ${MAX_FINDINGS}` }) findings?: FindingInput[],
  ) {
    return inTransaction(ctx.ds, (em) => recordAuditResult(em, requireUser(ctx), itemId, outcome, findings));
  }

  @Authorized(...AUDITORS)
  @Mutation(() => AuditBatch, {
    description:
      'Close a batch whose every item has a result: proposes one penalty per failed finding (doubled from the third of a type ' +
      'within 90 days), suspends agents with three FAKE_IDENTITY findings within 90 days, recomputes risk scores',
  })
  closeAuditBatch(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return inTransaction(ctx.ds, (em) => closeAuditBatch(em, requireUser(ctx), id));
  }

  @Authorized(...RISK_RECOMPUTERS)
  @Mutation(() => RiskRecomputation, { description: "Recompute every agent's riskScore now (closing an audit batch does it too)" })
  recomputeRiskScores(@Ctx() ctx: Context) {
    return inTransaction(ctx.ds, (em) => recomputeRiskScoresFor(em, requireUser(ctx)));
  }

  @FieldResolver(() => AuditItemConnection)
  items(
    @Ctx() ctx: Context,
    @Root() batch: AuditBatch,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => AuditItemFilter, { nullable: true }) filter?: AuditItemFilter,
  ) {
    return listAuditItems(ctx.ds.manager, batch.id, filter, args);
  }

  @FieldResolver(() => AuditProgress)
  progress(@Ctx() ctx: Context, @Root() batch: AuditBatch) {
    return ctx.loaders.audits.progressByBatchId.load(batch.id);
  }

  @FieldResolver(() => [ID], { nullable: true, description: 'The agents the sample was limited to; null for all agents' })
  agentIds(@Root() batch: AuditBatch): string[] | null {
    return batch.agentIdList ? batch.agentIdList.split(',') : null;
  }

  @FieldResolver(() => User, { nullable: true })
  createdBy(@Ctx() ctx: Context, @Root() batch: AuditBatch) {
    return batch.createdById ? ctx.loaders.identity.userById.load(batch.createdById) : null;
  }

  @FieldResolver(() => User, { nullable: true })
  closedBy(@Ctx() ctx: Context, @Root() batch: AuditBatch) {
    return batch.closedById ? ctx.loaders.identity.userById.load(batch.closedById) : null;
  }
}

@Resolver(() => AuditItem)
export class AuditItemResolver {
  @Authorized(...AUDIT_READERS)
  @Query(() => AuditItem, { nullable: true })
  auditItem(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return getAuditItem(ctx.ds.manager, id);
  }

  @Authorized(...AUDIT_READERS)
  @FieldResolver(() => AuditBatch, { description: "Readable by audit staff only (the batch lists other agents' records)" })
  async batch(@Ctx() ctx: Context, @Root() item: AuditItem) {
    return (await ctx.loaders.audits.batchById.load(item.batchId))!;
  }

  @FieldResolver(() => Registration)
  async registration(@Ctx() ctx: Context, @Root() item: AuditItem) {
    return (await ctx.loaders.audits.registrationById.load(item.registrationId))!;
  }

  @FieldResolver(() => Agent)
  async agent(@Ctx() ctx: Context, @Root() item: AuditItem) {
    return (await ctx.loaders.agents.agentById.load(item.agentId))!;
  }

  @FieldResolver(() => [Finding], { description: 'Empty unless the outcome is FAIL' })
  findings(@Ctx() ctx: Context, @Root() item: AuditItem) {
    return ctx.loaders.audits.findingsByItemId.load(item.id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who recorded the current result' })
  auditor(@Ctx() ctx: Context, @Root() item: AuditItem) {
    return item.auditorId ? ctx.loaders.identity.userById.load(item.auditorId) : null;
  }
}

@Resolver(() => Finding)
export class FindingResolver {
  @Authorized(...AUDIT_READERS)
  @FieldResolver(() => AuditItem, { description: 'Readable by audit staff only' })
  async auditItem(@Ctx() ctx: Context, @Root() finding: Finding) {
    return (await ctx.loaders.audits.itemById.load(finding.itemId))!;
  }

  @Authorized(...PENALTY_READERS)
  @FieldResolver(() => Penalty, { nullable: true, description: 'The penalty proposed for this finding once its batch closed' })
  penalty(@Ctx() ctx: Context, @Root() finding: Finding) {
    return ctx.loaders.audits.penaltyByFindingId.load(finding.id);
  }
}
