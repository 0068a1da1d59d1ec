import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireUser } from '../../common/auth';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { Role } from '../../common/roles';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { User } from '../identity/user.entity';
import { Complaint } from './complaint.entity';
import { Compensation, CompensationRule, CompensationRuleChange } from './compensation.entity';
import {
  compensationRuleHistory,
  confirmCompensation,
  listCompensationRules,
  listCompensations,
  rejectCompensation,
  setCompensationRule,
} from './compensation.service';
import { ComplaintCategory } from './customer.enums';
import { CompensationFilter, CompensationRuleInput } from './customer.inputs';
import { DESK, MONEY_READERS } from './customer.roles';

const CompensationConnection = Connection(Compensation);

@Resolver(() => CompensationRule)
export class CompensationRuleResolver {
  @Authorized()
  @Query(() => [CompensationRule], { description: 'The compensation rule book (服務補償辦法), one rule per complaint category' })
  compensationRules(@Ctx() ctx: Context) {
    return listCompensationRules(ctx.ds.manager);
  }

  @Authorized(...MONEY_READERS)
  @Query(() => [CompensationRuleChange], { description: 'Every version of the rules, newest first' })
  compensationRuleHistory(@Ctx() ctx: Context, @Arg('category', () => ComplaintCategory, { nullable: true }) category?: ComplaintCategory) {
    return compensationRuleHistory(ctx.ds.manager, category);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => CompensationRule, { description: 'Change a rule; compensation already proposed keeps its amount' })
  setCompensationRule(@Ctx() ctx: Context, @Arg('input') input: CompensationRuleInput) {
    return inTransaction(ctx.ds, (em) => setCompensationRule(em, requireUser(ctx), input));
  }

  @FieldResolver(() => User, { nullable: true })
  updatedBy(@Ctx() ctx: Context, @Root() r: CompensationRule) {
    return r.updatedById ? ctx.loaders.identity.userById.load(r.updatedById) : null;
  }
}

@Resolver(() => CompensationRuleChange)
export class CompensationRuleChangeResolver {
  @FieldResolver(() => User, { nullable: true })
  changedBy(@Ctx() ctx: Context, @Root() r: CompensationRuleChange) {
    return r.changedById ? ctx.loaders.identity.userById.load(r.changedById) : null;
  }
}

@Resolver(() => Compensation)
export class CompensationResolver {
  @Authorized(...MONEY_READERS)
  @Query(() => CompensationConnection, { description: 'Compensation of upheld complaints, newest first' })
  compensations(@Ctx() ctx: Context, @Args() args: ConnectionArgs, @Arg('filter', () => CompensationFilter, { nullable: true }) filter?: CompensationFilter) {
    return listCompensations(ctx.ds.manager, filter, args);
  }

  @Authorized(...DESK)
  @Mutation(() => Compensation, { description: 'PROPOSED → CONFIRMED (paid). Four eyes: not by the person who proposed it (FORBIDDEN).' })
  confirmCompensation(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return inTransaction(ctx.ds, (em) => confirmCompensation(em, requireUser(ctx), id));
  }

  @Authorized(...DESK)
  @Mutation(() => Compensation, { description: 'PROPOSED → REJECTED with a reason; four eyes as for confirming' })
  rejectCompensation(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('reason') reason: string) {
    return inTransaction(ctx.ds, (em) => rejectCompensation(em, requireUser(ctx), id, reason));
  }

  @FieldResolver(() => Complaint)
  async complaint(@Ctx() ctx: Context, @Root() c: Compensation) {
    return (await ctx.loaders.customer.complaintById.load(c.complaintId))!;
  }

  @FieldResolver(() => User, { nullable: true })
  proposedBy(@Ctx() ctx: Context, @Root() c: Compensation) {
    return c.proposedById ? ctx.loaders.identity.userById.load(c.proposedById) : null;
  }

  @FieldResolver(() => User, { nullable: true })
  decidedBy(@Ctx() ctx: Context, @Root() c: Compensation) {
    return c.decidedById ? ctx.loaders.identity.userById.load(c.decidedById) : null;
  }
}
