import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { LOAN_ROLES } from './loaners.roles';
import { requireUser } from '../../common/auth';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { SafeInt } from '../../common/scalars';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { RepairOrder } from '../repair/repair-order.entity';
import { RepairPartner } from '../repair/repair-partner.entity';
import { LoanerCondition, LoanerLoan } from './loaner-loan.entity';
import { LoanerPhone } from './loaner-phone.entity';
import { extendLoan, getLoan, lendLoaner, listLoans, listOverdue, returnLoaner } from './loaner-loan.service';
import { LendLoanerInput, LoanerLoanFilter } from './loaners.inputs';

export const LoanerLoanConnection = Connection(LoanerLoan);

const DAY_MS = 24 * 3600 * 1000;

@Resolver(() => LoanerLoan)
export class LoanerLoanResolver {
  @Authorized(...LOAN_ROLES)
  @Query(() => LoanerLoanConnection, { description: 'Loans of loaners, newest first; a repair partner sees only its own' })
  loanerLoans(@Ctx() ctx: Context, @Args() args: ConnectionArgs, @Arg('filter', () => LoanerLoanFilter, { nullable: true }) filter?: LoanerLoanFilter) {
    return listLoans(ctx.ds.manager, requireUser(ctx), filter, args);
  }

  @Authorized(...LOAN_ROLES)
  @Query(() => LoanerLoan, { nullable: true })
  loanerLoan(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<LoanerLoan> {
    return getLoan(ctx.ds.manager, requireUser(ctx), id);
  }

  @Authorized(...LOAN_ROLES)
  @Query(() => LoanerLoanConnection, {
    description: 'Open loans past their due time, longest overdue first: for the branch, or for one partner (a partner: its own)',
  })
  overdueLoans(@Ctx() ctx: Context, @Args() args: ConnectionArgs, @Arg('partnerId', () => ID, { nullable: true }) partnerId?: string) {
    return listOverdue(ctx.ds.manager, requireUser(ctx), partnerId, args);
  }

  @Authorized(...LOAN_ROLES)
  @Mutation(() => LoanerLoan, {
    description: 'Lend an allocated loaner to the customer of an open repair order; a loaner already out is CONFLICT',
  })
  lendLoaner(@Ctx() ctx: Context, @Arg('input') input: LendLoanerInput): Promise<LoanerLoan> {
    return inTransaction(ctx.ds, (em) => lendLoaner(em, requireUser(ctx), input));
  }

  @Authorized(...LOAN_ROLES)
  @Mutation(() => LoanerLoan, {
    description:
      'The loaner comes back: GOOD to the shelf with the deposit refunded, DAMAGED to service (depositKeptFen: part kept for the damage, default none), LOST with the deposit kept',
  })
  returnLoaner(
    @Ctx() ctx: Context,
    @Arg('loanId', () => ID) loanId: string,
    @Arg('condition', () => LoanerCondition) condition: LoanerCondition,
    @Arg('depositKeptFen', () => SafeInt, { nullable: true }) depositKeptFen?: number,
    @Arg('note', () => String, { nullable: true }) note?: string,
  ): Promise<LoanerLoan> {
    return inTransaction(ctx.ds, (em) => returnLoaner(em, requireUser(ctx), loanId, condition, { depositKeptFen, note }));
  }

  @Authorized(...LOAN_ROLES)
  @Mutation(() => LoanerLoan, { description: 'Move the due time of an open loan (the repair takes longer)' })
  extendLoanerLoan(@Ctx() ctx: Context, @Arg('loanId', () => ID) loanId: string, @Arg('dueAt') dueAt: Date): Promise<LoanerLoan> {
    return inTransaction(ctx.ds, (em) => extendLoan(em, requireUser(ctx), loanId, dueAt));
  }

  @FieldResolver(() => LoanerPhone)
  async loaner(@Root() loan: LoanerLoan, @Ctx() ctx: Context): Promise<LoanerPhone | null> {
    return ctx.loaders.loaners.loanerById.load(loan.loanerId);
  }

  @FieldResolver(() => RepairPartner)
  async partner(@Root() loan: LoanerLoan, @Ctx() ctx: Context): Promise<RepairPartner | null> {
    return ctx.loaders.repair.partnerById.load(loan.partnerId);
  }

  @FieldResolver(() => RepairOrder)
  async repairOrder(@Root() loan: LoanerLoan, @Ctx() ctx: Context): Promise<RepairOrder | null> {
    return ctx.loaders.repair.repairOrderById.load(loan.repairOrderId);
  }

  @FieldResolver(() => Boolean, { description: 'Not returned and past its due time' })
  overdue(@Root() loan: LoanerLoan): boolean {
    return loan.returnedAt === null && loan.dueAt.getTime() < Date.now();
  }

  @FieldResolver(() => Int, { description: 'Whole days past due (0 when not overdue); for a returned loan, how late it came back' })
  daysOverdue(@Root() loan: LoanerLoan): number {
    const end = loan.returnedAt ?? new Date();
    return Math.max(0, Math.floor((end.getTime() - loan.dueAt.getTime()) / DAY_MS));
  }
}

/** Loaner fields on the repair module's RepairOrder, so an order shows the loaner its customer holds. */
@Resolver(() => RepairOrder)
export class RepairOrderLoanerResolver {
  @FieldResolver(() => LoanerLoan, { nullable: true, description: 'The open loan of a loaner against this order, if any' })
  async loanerLoan(@Root() order: RepairOrder, @Ctx() ctx: Context): Promise<LoanerLoan | null> {
    return ctx.loaders.loaners.openLoanByRepairOrderId.load(order.id);
  }

  @FieldResolver(() => Boolean, {
    description: 'The customer still holds a loaner lent against this order. On a RETURNED or CANCELLED order it is a loaner to chase.',
  })
  async loanerOutstanding(@Root() order: RepairOrder, @Ctx() ctx: Context): Promise<boolean> {
    return (await ctx.loaders.loaners.openLoanByRepairOrderId.load(order.id)) !== null;
  }

  @FieldResolver(() => [LoanerLoan], { description: 'Every loan against this order, oldest first' })
  loanerLoans(@Root() order: RepairOrder, @Ctx() ctx: Context): Promise<LoanerLoan[]> {
    return ctx.loaders.loaners.loansByRepairOrderId.load(order.id);
  }
}
