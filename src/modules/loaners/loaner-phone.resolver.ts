import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { LOANER_READERS } from './loaners.roles';
import { requireUser } from '../../common/auth';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { Role } from '../../common/roles';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { RepairPartner } from '../repair/repair-partner.entity';
import { LoanerEvent } from './loaner-event.entity';
import { LoanerLoan } from './loaner-loan.entity';
import { LoanerPhone } from './loaner-phone.entity';
import {
  allocateLoaners,
  completeLoanerService,
  getLoaner,
  listLoaners,
  loanerHistory,
  loanerSummary,
  registerLoanerPhones,
  retireLoaners,
  takeBackLoaners,
  MAX_REGISTER,
} from './loaner-phone.service';
import { LoanerPhoneFilter, LoanerPhoneInput } from './loaners.inputs';
import { mayFollow, MAX_LOANERS_PER_CALL } from './loaners.common';
import { LoanerPartnerSummary, LoanerSummary, RegisterLoanerPhonesPayload } from './loaners.types';

export const LoanerPhoneConnection = Connection(LoanerPhone);
export const LoanerEventConnection = Connection(LoanerEvent);

@Resolver(() => LoanerPhone)
export class LoanerPhoneResolver {
  @Authorized(...LOANER_READERS)
  @Query(() => LoanerPhoneConnection, { description: 'Loaner phones; a repair partner sees only those it holds' })
  loanerPhones(@Ctx() ctx: Context, @Args() args: ConnectionArgs, @Arg('filter', () => LoanerPhoneFilter, { nullable: true }) filter?: LoanerPhoneFilter) {
    return listLoaners(ctx.ds.manager, requireUser(ctx), filter, args);
  }

  @Authorized(...LOANER_READERS)
  @Query(() => LoanerPhone, { nullable: true })
  loanerPhone(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<LoanerPhone> {
    return getLoaner(ctx.ds.manager, requireUser(ctx), id);
  }

  @Authorized(Role.AFTERSALES_STAFF, Role.REPAIR_PARTNER)
  @Query(() => LoanerEventConnection, { description: "A loaner's moves, oldest first; a partner sees the moves that concern it" })
  loanerHistory(@Ctx() ctx: Context, @Arg('loanerId', () => ID) loanerId: string, @Args() args: ConnectionArgs) {
    return loanerHistory(ctx.ds.manager, requireUser(ctx), loanerId, args);
  }

  @Authorized(...LOANER_READERS)
  @Query(() => LoanerSummary, { description: 'The pool by status, and per partner what it holds, overdue loans and deposits held' })
  loanerSummary(@Ctx() ctx: Context): Promise<LoanerSummary> {
    return loanerSummary(ctx.ds.manager, requireUser(ctx));
  }

  @Authorized(Role.AFTERSALES_STAFF)
  @Mutation(() => RegisterLoanerPhonesPayload, {
    description: 'Register handsets into the pool (up to 1000 a call); each bad or duplicate serial is rejected on its own with the reason',
  })
  registerLoanerPhones(
    @Ctx() ctx: Context,
    @Arg('input', () => [LoanerPhoneInput], { description: `At most ${MAX_REGISTER}` }) input: LoanerPhoneInput[],
  ): Promise<RegisterLoanerPhonesPayload> {
    return inTransaction(ctx.ds, (em) => registerLoanerPhones(em, requireUser(ctx), input));
  }

  @Authorized(Role.AFTERSALES_STAFF)
  @Mutation(() => [LoanerPhone], { description: 'Give loaners from the pool to a partner; all or nothing' })
  allocateLoaners(
    @Ctx() ctx: Context,
    @Arg('partnerId', () => ID) partnerId: string,
    @Arg('loanerIds', () => [ID], { description: `At most ${MAX_LOANERS_PER_CALL}` }) loanerIds: string[],
  ): Promise<LoanerPhone[]> {
    return inTransaction(ctx.ds, (em) => allocateLoaners(em, requireUser(ctx), partnerId, loanerIds));
  }

  @Authorized(Role.AFTERSALES_STAFF)
  @Mutation(() => [LoanerPhone], { description: "Take loaners from partners' shelves back to the pool; all or nothing" })
  takeBackLoaners(
    @Ctx() ctx: Context,
    @Arg('loanerIds', () => [ID], { description: `At most ${MAX_LOANERS_PER_CALL}` }) loanerIds: string[],
    @Arg('reason', () => String, { nullable: true }) reason?: string,
  ): Promise<LoanerPhone[]> {
    return inTransaction(ctx.ds, (em) => takeBackLoaners(em, requireUser(ctx), loanerIds, reason));
  }

  @Authorized(Role.AFTERSALES_STAFF)
  @Mutation(() => [LoanerPhone], { description: 'Damaged loaners repaired: back to the pool' })
  completeLoanerService(
    @Ctx() ctx: Context,
    @Arg('loanerIds', () => [ID], { description: `At most ${MAX_LOANERS_PER_CALL}` }) loanerIds: string[],
    @Arg('note', () => String, { nullable: true }) note?: string,
  ): Promise<LoanerPhone[]> {
    return inTransaction(ctx.ds, (em) => completeLoanerService(em, requireUser(ctx), loanerIds, note));
  }

  @Authorized(Role.AFTERSALES_STAFF)
  @Mutation(() => [LoanerPhone], { description: 'Write loaners off (from the pool, service or lost)' })
  retireLoaners(
    @Ctx() ctx: Context,
    @Arg('loanerIds', () => [ID], { description: `At most ${MAX_LOANERS_PER_CALL}` }) loanerIds: string[],
    @Arg('reason') reason: string,
  ): Promise<LoanerPhone[]> {
    return inTransaction(ctx.ds, (em) => retireLoaners(em, requireUser(ctx), loanerIds, reason));
  }

  @FieldResolver(() => RepairPartner, { nullable: true, description: 'The partner holding it; null at the centre' })
  async partner(@Root() loaner: LoanerPhone, @Ctx() ctx: Context): Promise<RepairPartner | null> {
    if (loaner.partnerId === null || !mayFollow(ctx.user, loaner.partnerId)) return null;
    return ctx.loaders.repair.partnerById.load(loaner.partnerId);
  }

  @FieldResolver(() => LoanerLoan, { nullable: true, description: 'The open loan while ON_LOAN' })
  async currentLoan(@Root() loaner: LoanerPhone, @Ctx() ctx: Context): Promise<LoanerLoan | null> {
    if (loaner.status !== 'ON_LOAN' || !mayFollow(ctx.user, loaner.partnerId)) return null;
    return ctx.loaders.loaners.openLoanByLoanerId.load(loaner.id);
  }
}

@Resolver(() => LoanerEvent)
export class LoanerEventResolver {
  @FieldResolver(() => RepairPartner, { nullable: true, description: 'The partner concerned: allocated to, taken back from, lent by' })
  async partner(@Root() e: LoanerEvent, @Ctx() ctx: Context): Promise<RepairPartner | null> {
    return e.partnerId === null ? null : ctx.loaders.repair.partnerById.load(e.partnerId);
  }

  @FieldResolver(() => LoanerLoan, { nullable: true })
  async loan(@Root() e: LoanerEvent, @Ctx() ctx: Context): Promise<LoanerLoan | null> {
    return e.loanId === null ? null : ctx.loaders.loaners.loanById.load(e.loanId);
  }
}

@Resolver(() => LoanerPartnerSummary)
export class LoanerPartnerSummaryResolver {
  @FieldResolver(() => RepairPartner)
  async partner(@Root() row: LoanerPartnerSummary, @Ctx() ctx: Context): Promise<RepairPartner | null> {
    return ctx.loaders.repair.partnerById.load(row.partnerId);
  }
}
