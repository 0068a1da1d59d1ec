import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireUser } from '../../common/auth';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { SafeInt } from '../../common/scalars';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { RepairPartner } from '../repair/repair-partner.entity';
import { partnerStatement, subsidyTotals } from './finance.service';
import { lentValues } from './lent-value.service';
import { Subsidy, SubsidyType } from './subsidy.entity';
import { RecordSubsidyInput, SubsidyFilter, SubsidyGroupBy } from './subsidy.inputs';
import { SUBSIDY_CONTROLLERS, SUBSIDY_READERS, SUBSIDY_RECORDERS } from './subsidies.roles';
import { generateWageSubsidies, getSubsidy, listSubsidies, recordSubsidy, reverseSubsidy } from './subsidy.service';
import { PartnerLentValue, PartnerStatement, SubsidyReversal, SubsidyTotal, WageSubsidyRun } from './subsidies.types';

const SubsidyConnection = Connection(Subsidy);

/** The subsidy register and the finance views over it; who may do what is in subsidy.roles.ts. */
@Resolver(() => Subsidy)
export class SubsidyResolver {
  @Authorized(...SUBSIDY_READERS)
  @Query(() => SubsidyConnection, { description: 'The subsidy register, newest month first' })
  subsidies(@Ctx() ctx: Context, @Args() args: ConnectionArgs, @Arg('filter', () => SubsidyFilter, { nullable: true }) filter?: SubsidyFilter) {
    return listSubsidies(ctx.ds.manager, requireUser(ctx), filter, args);
  }

  @Authorized(...SUBSIDY_READERS)
  @Query(() => Subsidy, { nullable: true })
  subsidy(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Subsidy> {
    return getSubsidy(ctx.ds.manager, requireUser(ctx), id);
  }

  @Authorized(...SUBSIDY_READERS)
  @Query(() => [SubsidyTotal], { description: 'Register totals over the months from..to (inclusive), grouped in SQL' })
  subsidyTotals(
    @Ctx() ctx: Context,
    @Arg('from') from: string,
    @Arg('to') to: string,
    @Arg('groupBy', () => SubsidyGroupBy) groupBy: SubsidyGroupBy,
    @Arg('partnerId', () => ID, { nullable: true }) partnerId?: string,
    @Arg('type', () => SubsidyType, { nullable: true }) type?: SubsidyType,
    @Arg('regionCode', () => String, { nullable: true }) regionCode?: string,
  ): Promise<SubsidyTotal[]> {
    return subsidyTotals(ctx.ds.manager, requireUser(ctx), { from, to, groupBy, partnerId, type, regionCode });
  }

  @Authorized(...SUBSIDY_READERS)
  @Query(() => PartnerStatement, { description: 'Everything the branch gave one partner in one month; a REPAIR_PARTNER may leave partnerId out' })
  partnerStatement(
    @Ctx() ctx: Context,
    @Arg('period') period: string,
    @Arg('partnerId', () => ID, { nullable: true }) partnerId?: string,
  ): Promise<PartnerStatement> {
    return partnerStatement(ctx.ds.manager, requireUser(ctx), ctx.config, partnerId, period);
  }

  @Authorized(...SUBSIDY_READERS)
  @Query(() => [PartnerLentValue], { description: 'What the branch lends each partner (equipment, loaners, parts fund), valued at the end of the month' })
  lentValues(
    @Ctx() ctx: Context,
    @Arg('period') period: string,
    @Arg('partnerId', () => ID, { nullable: true }) partnerId?: string,
  ): Promise<PartnerLentValue[]> {
    return lentValues(ctx.ds.manager, requireUser(ctx), ctx.config, period, partnerId);
  }

  @Authorized(...SUBSIDY_RECORDERS)
  @Mutation(() => Subsidy)
  recordSubsidy(@Ctx() ctx: Context, @Arg('input') input: RecordSubsidyInput): Promise<Subsidy> {
    return inTransaction(ctx.ds, (em) => recordSubsidy(em, requireUser(ctx), input));
  }

  @Authorized(...SUBSIDY_CONTROLLERS)
  @Mutation(() => WageSubsidyRun, { description: 'One WAGE entry per partner active in the month from its monthlyWageSubsidyFen; a second run adds nothing' })
  generateWageSubsidies(@Ctx() ctx: Context, @Arg('period') period: string): Promise<WageSubsidyRun> {
    return inTransaction(ctx.ds, (em) => generateWageSubsidies(em, requireUser(ctx), period));
  }

  @Authorized(...SUBSIDY_CONTROLLERS)
  @Mutation(() => SubsidyReversal, { description: 'Cancel an entry with a negative twin; with replacementAmountFen, record the corrected amount too' })
  reverseSubsidy(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('reason') reason: string,
    @Arg('replacementAmountFen', () => SafeInt, { nullable: true }) replacementAmountFen?: number,
  ): Promise<SubsidyReversal> {
    return inTransaction(ctx.ds, (em) => reverseSubsidy(em, requireUser(ctx), id, reason, replacementAmountFen));
  }

  @FieldResolver(() => RepairPartner)
  async partner(@Root() s: Subsidy, @Ctx() ctx: Context): Promise<RepairPartner> {
    return (await ctx.loaders.repair.partnerById.load(s.partnerId))!;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Username of who recorded it' })
  async recordedBy(@Root() s: Subsidy, @Ctx() ctx: Context): Promise<string | null> {
    if (s.recordedById == null) return null;
    return (await ctx.loaders.identity.userById.load(s.recordedById))?.username ?? null;
  }

  @FieldResolver(() => Subsidy, { nullable: true, description: 'The entry that reversed this one, if any' })
  reversedBy(@Root() s: Subsidy, @Ctx() ctx: Context): Promise<Subsidy | null> {
    return ctx.loaders.subsidies.reversalByOriginalId.load(s.id);
  }
}
