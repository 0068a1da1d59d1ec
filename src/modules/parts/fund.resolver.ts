import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { FUND_MANAGERS, FUND_READERS } from './parts.roles';
import type { EntityManager } from 'typeorm';
import { AuthUser, requireUser, tenantPartnerOf } from '../../common/auth';
import { NotFoundError } from '../../common/errors';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { SafeInt } from '../../common/scalars';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { RepairPartner } from '../repair/repair-partner.entity';
import { FundLedgerEntry } from './fund.entity';
import { revolvingFund } from './fund.view';
import { fundState, listFundLedger, partnerCaps, readFundPolicy, recordFundRepayment, setFundPolicy, setPartnerFundCap } from './fund.service';
import { PartsIssue } from './parts-issue.entity';
import { FundLedgerFilter, FundPolicyInput } from './parts.inputs';
import { FundPartnerBalance, FundPartnerCap, FundPolicy, RevolvingFund } from './parts.types';

const FundLedgerEntryConnection = Connection(FundLedgerEntry);

@Resolver(() => RevolvingFund)
export class RevolvingFundResolver {
  @Authorized(...FUND_READERS)
  @Query(() => RevolvingFund, { description: "Limit, outstanding, available, and each partner's outstanding with its age" })
  async revolvingFund(@Ctx() ctx: Context, @Arg('partnerId', () => ID, { nullable: true }) partnerId?: string): Promise<RevolvingFund> {
    return revolvingFund(await fundState(ctx.ds.manager, requireUser(ctx), partnerId));
  }

  @Authorized(...FUND_MANAGERS)
  @Mutation(() => FundLedgerEntry, { description: 'Money a partner paid back to the fund (more than it owes is CONFLICT)' })
  recordFundRepayment(
    @Ctx() ctx: Context,
    @Arg('partnerId', () => ID) partnerId: string,
    @Arg('amountFen', () => SafeInt) amountFen: number,
    @Arg('reference', () => String, { nullable: true, description: 'Bank or receipt reference; the same one is recorded once per partner' }) reference?: string,
    @Arg('note', () => String, { nullable: true }) note?: string,
  ): Promise<FundLedgerEntry> {
    return inTransaction(ctx.ds, (em) => recordFundRepayment(em, requireUser(ctx), { partnerId, amountFen, reference, note }));
  }

  @Authorized(...FUND_MANAGERS)
  @Mutation(() => FundPartnerBalance, { description: "A partner's own cap under the fund limit; null removes it" })
  async setPartnerFundCap(
    @Ctx() ctx: Context,
    @Arg('partnerId', () => ID) partnerId: string,
    @Arg('capFen', () => SafeInt, { nullable: true }) capFen: number | null,
  ): Promise<FundPartnerBalance> {
    const user = requireUser(ctx);
    await inTransaction(ctx.ds, (em) => setPartnerFundCap(em, user, partnerId, capFen ?? null));
    const fund = revolvingFund(await fundState(ctx.ds.manager, user, partnerId));
    return fund.partners[0];
  }
}

@Resolver(() => FundPolicy)
export class FundPolicyResolver {
  @Authorized(...FUND_READERS)
  @Query(() => FundPolicy, { description: "The fund's limit, the default per-partner cap and the partners' own caps, as stored in the database" })
  fundPolicy(@Ctx() ctx: Context): Promise<FundPolicy> {
    return fundPolicyView(ctx.ds.manager, requireUser(ctx));
  }

  @Authorized(...FUND_MANAGERS)
  @Mutation(() => FundPolicy, {
    description: 'Change the fund limit and/or the default per-partner cap; every process uses it from the next draw (change-log entry FundPolicy)',
  })
  async setFundPolicy(@Ctx() ctx: Context, @Arg('input', () => FundPolicyInput) input: FundPolicyInput): Promise<FundPolicy> {
    const user = requireUser(ctx);
    await inTransaction(ctx.ds, (em) => setFundPolicy(em, user, { limitFen: input.limitFen, defaultPartnerCapFen: input.defaultPartnerCapFen }));
    return fundPolicyView(ctx.ds.manager, user);
  }
}

/** A REPAIR_PARTNER sees the limit, the default and its own cap only. */
async function fundPolicyView(em: EntityManager, user: AuthUser): Promise<FundPolicy> {
  const policy = await readFundPolicy(em);
  const own = tenantPartnerOf(user);
  const caps = (await partnerCaps(em)).filter((c) => own == null || c.partnerId === own);
  return {
    limitFen: policy.limitFen,
    defaultPartnerCapFen: policy.defaultPartnerCapFen,
    changedAt: policy.changedAt,
    changedBy: policy.changedBy,
    partnerCaps: caps.map((c) => ({ partnerId: String(c.partnerId), capFen: c.capFen })),
  };
}

@Resolver(() => FundPartnerCap)
export class FundPartnerCapResolver {
  @FieldResolver(() => RepairPartner)
  async partner(@Root() c: FundPartnerCap, @Ctx() ctx: Context): Promise<RepairPartner> {
    const p = await ctx.loaders.repair.partnerById.load(Number(c.partnerId));
    if (!p) throw new NotFoundError('RepairPartner', c.partnerId);
    return p;
  }
}

@Resolver(() => FundPartnerBalance)
export class FundPartnerBalanceResolver {
  @FieldResolver(() => RepairPartner)
  async partner(@Root() b: FundPartnerBalance, @Ctx() ctx: Context): Promise<RepairPartner> {
    const p = await ctx.loaders.repair.partnerById.load(Number(b.partnerId));
    if (!p) throw new NotFoundError('RepairPartner', b.partnerId);
    return p;
  }
}

@Resolver(() => FundLedgerEntry)
export class FundLedgerEntryResolver {
  @Authorized(...FUND_READERS)
  @Query(() => FundLedgerEntryConnection, {
    description: "The fund's own ledger of draws, repayments and return credits, oldest first (a REPAIR_PARTNER: its own)",
  })
  fundLedger(@Ctx() ctx: Context, @Args() args: ConnectionArgs, @Arg('filter', () => FundLedgerFilter, { nullable: true }) filter?: FundLedgerFilter) {
    return listFundLedger(ctx.ds.manager, requireUser(ctx), filter ?? {}, args);
  }

  @FieldResolver(() => RepairPartner)
  async partner(@Root() e: FundLedgerEntry, @Ctx() ctx: Context): Promise<RepairPartner> {
    const p = await ctx.loaders.repair.partnerById.load(e.partnerId);
    if (!p) throw new NotFoundError('RepairPartner', e.partnerId);
    return p;
  }

  @FieldResolver(() => PartsIssue, { nullable: true })
  issue(@Root() e: FundLedgerEntry, @Ctx() ctx: Context): Promise<PartsIssue | null> {
    return e.issueId == null ? Promise.resolve(null) : ctx.loaders.parts.issueById.load(e.issueId);
  }
}
