import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireUser } from '../../common/auth';
import { NotFoundError } from '../../common/errors';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { SafeInt } from '../../common/scalars';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../context';
import { RepairPartner } from '../repair/repair-partner.entity';
import { FundLedgerEntry } from './fund.entity';
import { revolvingFund } from './fund.view';
import { fundState, listFundLedger, recordFundRepayment, setPartnerFundCap } from './fund.service';
import { PartsIssue } from './parts-issue.entity';
import { FUND_MANAGERS, FUND_READERS } from './parts.common';
import { FundLedgerFilter, FundPartnerBalance, RevolvingFund } from './parts.inputs';

const FundLedgerEntryConnection = Connection(FundLedgerEntry);

@Resolver(() => RevolvingFund)
export class RevolvingFundResolver {
  @Authorized(...FUND_READERS)
  @Query(() => RevolvingFund, { description: "Limit, outstanding, available, and each partner's outstanding with its age" })
  async revolvingFund(@Ctx() ctx: Context, @Arg('partnerId', () => ID, { nullable: true }) partnerId?: string): Promise<RevolvingFund> {
    return revolvingFund(await fundState(ctx.ds.manager, requireUser(ctx), ctx.config.partsFundLimitFen, partnerId));
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
    const fund = revolvingFund(await fundState(ctx.ds.manager, user, ctx.config.partsFundLimitFen, partnerId));
    return fund.partners[0];
  }
}

@Resolver(() => FundPartnerBalance)
export class FundPartnerBalanceResolver {
  @FieldResolver(() => RepairPartner)
  async partner(@Root() b: FundPartnerBalance, @Ctx() ctx: Context): Promise<RepairPartner> {
    const p = await ctx.loaders.parts.partnerById.load(Number(b.partnerId));
    if (!p) throw new NotFoundError('RepairPartner', b.partnerId);
    return p;
  }
}

@Resolver(() => FundLedgerEntry)
export class FundLedgerEntryResolver {
  @Authorized(...FUND_READERS)
  @Query(() => FundLedgerEntryConnection, { description: "The fund's own ledger of draws, repayments and return credits, oldest first (a REPAIR_PARTNER: its own)" })
  fundLedger(@Ctx() ctx: Context, @Args() args: ConnectionArgs, @Arg('filter', () => FundLedgerFilter, { nullable: true }) filter?: FundLedgerFilter) {
    return listFundLedger(ctx.ds.manager, requireUser(ctx), filter ?? {}, args);
  }

  @FieldResolver(() => RepairPartner)
  async partner(@Root() e: FundLedgerEntry, @Ctx() ctx: Context): Promise<RepairPartner> {
    const p = await ctx.loaders.parts.partnerById.load(e.partnerId);
    if (!p) throw new NotFoundError('RepairPartner', e.partnerId);
    return p;
  }

  @FieldResolver(() => PartsIssue, { nullable: true })
  issue(@Root() e: FundLedgerEntry, @Ctx() ctx: Context): Promise<PartsIssue | null> {
    return e.issueId == null ? Promise.resolve(null) : ctx.loaders.parts.issueById.load(e.issueId);
  }
}
