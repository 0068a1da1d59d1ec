import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireUser } from '../../common/auth';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { SafeInt } from '../../common/scalars';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { Agent } from '../agents/agent.entity';
import { User } from '../identity/user.entity';
import { FindingType } from './audit.enums';
import { AuditBatch } from './audit-batch.entity';
import { Finding } from './audit-finding.entity';
import { CommissionStatement } from './commission-statement.entity';
import { Penalty } from './penalty.entity';
import { CreatePenaltyInput, PenaltyFilter } from './penalty.inputs';
import {
  confirmPenalty,
  createPenalty,
  ESCALATION,
  getPenalty,
  listPenalties,
  listPenaltyRules,
  setPenaltyRule,
  waivePenalty,
  approvePenaltyWaiver,
} from './penalty.service';
import { PenaltyRule } from './penalty-rule.entity';
import { AUDIT_READERS, PENALTY_DECIDERS, PENALTY_READERS } from './audits.roles';
import { Role } from '../../common/roles';

const PenaltyConnection = Connection(Penalty);

@Resolver(() => PenaltyRule)
export class PenaltyRuleResolver {
  @Authorized()
  @Query(() => [PenaltyRule], { description: 'The amount proposed per finding type' })
  penaltyRules(@Ctx() ctx: Context) {
    return listPenaltyRules(ctx.ds.manager);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => PenaltyRule, { description: 'Change the amount for a finding type; penalties already proposed keep theirs' })
  setPenaltyRule(
    @Ctx() ctx: Context,
    @Arg('type', () => FindingType) type: FindingType,
    @Arg('amountFen', () => SafeInt) amountFen: number,
    @Arg('description', () => String, { nullable: true }) description?: string,
  ) {
    return inTransaction(ctx.ds, (em) => setPenaltyRule(em, requireUser(ctx), type, amountFen, description));
  }

  @FieldResolver(() => SafeInt, {
    description: `What the ${ESCALATION.fromOccurrence}rd and later finding of this type within ${ESCALATION.windowDays} days costs`,
  })
  escalatedAmountFen(@Root() rule: PenaltyRule): number {
    return rule.amountFen * ESCALATION.factor;
  }

  @FieldResolver(() => Int, { description: 'Findings of one type within this many days (by when the records were opened) escalate' })
  escalationWindowDays(): number {
    return ESCALATION.windowDays;
  }

  @FieldResolver(() => User, { nullable: true })
  updatedBy(@Ctx() ctx: Context, @Root() rule: PenaltyRule) {
    return rule.updatedById ? ctx.loaders.identity.userById.load(rule.updatedById) : null;
  }
}

@Resolver(() => Penalty)
export class PenaltyResolver {
  @Authorized(...PENALTY_READERS)
  @Query(() => PenaltyConnection, { description: 'Penalties, newest first. An AGENT sees only its own.' })
  penalties(@Ctx() ctx: Context, @Args() args: ConnectionArgs, @Arg('filter', () => PenaltyFilter, { nullable: true }) filter?: PenaltyFilter) {
    return listPenalties(ctx.ds.manager, requireUser(ctx), filter, args);
  }

  @Authorized(...PENALTY_READERS)
  @Query(() => Penalty, { nullable: true })
  penalty(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return getPenalty(ctx.ds.manager, requireUser(ctx), id);
  }

  @Authorized(...PENALTY_DECIDERS)
  @Mutation(() => Penalty, { description: 'A manual penalty, PROPOSED; someone other than its creator must confirm it' })
  createPenalty(@Ctx() ctx: Context, @Arg('input') input: CreatePenaltyInput) {
    return inTransaction(ctx.ds, (em) => createPenalty(em, requireUser(ctx), input));
  }

  @Authorized(...PENALTY_DECIDERS)
  @Mutation(() => Penalty, { description: 'PROPOSED -> CONFIRMED. The creator of a manual penalty may not confirm it (FORBIDDEN).' })
  confirmPenalty(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return inTransaction(ctx.ds, (em) => confirmPenalty(em, requireUser(ctx), id));
  }

  @Authorized(...PENALTY_DECIDERS)
  @Mutation(() => Penalty, {
    description:
      'PROPOSED -> WAIVED at once. A CONFIRMED penalty needs four eyes: this records the waiver request (reason required; the penalty stays CONFIRMED) and someone else approves it with approvePenaltyWaiver. APPLIED penalties are final.',
  })
  waivePenalty(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('reason') reason: string) {
    return inTransaction(ctx.ds, (em) => waivePenalty(em, requireUser(ctx), id, reason));
  }

  @Authorized(...PENALTY_DECIDERS)
  @Mutation(() => Penalty, { description: 'CONFIRMED with a waiver requested -> WAIVED. The person who requested the waiver may not approve it (FORBIDDEN).' })
  approvePenaltyWaiver(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return inTransaction(ctx.ds, (em) => approvePenaltyWaiver(em, requireUser(ctx), id));
  }

  @FieldResolver(() => Agent)
  async agent(@Ctx() ctx: Context, @Root() p: Penalty) {
    return (await ctx.loaders.agents.agentById.load(p.agentId))!;
  }

  @FieldResolver(() => Finding, { nullable: true, description: 'The audit finding behind an AUDIT penalty' })
  finding(@Ctx() ctx: Context, @Root() p: Penalty) {
    return p.findingId ? ctx.loaders.audits.findingById.load(p.findingId) : null;
  }

  @Authorized(...AUDIT_READERS)
  @FieldResolver(() => AuditBatch, { nullable: true, description: 'Readable by audit staff only' })
  batch(@Ctx() ctx: Context, @Root() p: Penalty) {
    return p.batchId ? ctx.loaders.audits.batchById.load(p.batchId) : null;
  }

  @FieldResolver(() => CommissionStatement, { nullable: true, description: 'The statement that deducts (or deducted) it' })
  statement(@Ctx() ctx: Context, @Root() p: Penalty) {
    return p.settledPeriod ? ctx.loaders.audits.statementByKey.load(`${p.settledPeriod}:${p.agentId}`) : null;
  }

  @FieldResolver(() => User, { nullable: true })
  createdBy(@Ctx() ctx: Context, @Root() p: Penalty) {
    return p.createdById ? ctx.loaders.identity.userById.load(p.createdById) : null;
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who asked for the waiver of this CONFIRMED penalty (pending until someone else approves it)' })
  waiverRequestedBy(@Ctx() ctx: Context, @Root() p: Penalty) {
    return p.waiverRequestedById ? ctx.loaders.identity.userById.load(p.waiverRequestedById) : null;
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who confirmed or waived it (for a waived CONFIRMED penalty: who approved the waiver)' })
  decidedBy(@Ctx() ctx: Context, @Root() p: Penalty) {
    return p.decidedById ? ctx.loaders.identity.userById.load(p.decidedById) : null;
  }
}
