import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireUser } from '../../common/auth';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { User } from '../identity/user.entity';
import { Complaint } from './complaint.entity';
import { CreateServiceProviderInput, DepositMovementInput } from './customer.inputs';
import { DESK, MONEY_READERS } from './customer.roles';
import { ServiceProvider, SpDepositEntry } from './service-provider.entity';
import { createServiceProvider, getServiceProvider, listDepositEntries, listServiceProviders, recordDepositMovement, spDepositCheck } from './sp.service';
import { SpDepositCheck } from './customer.types';

const DepositEntryConnection = Connection(SpDepositEntry);

@Resolver(() => ServiceProvider)
export class ServiceProviderResolver {
  @Authorized(...MONEY_READERS)
  @Query(() => [ServiceProvider], { description: 'The SP register with deposit balances and debts' })
  serviceProviders(@Ctx() ctx: Context) {
    return listServiceProviders(ctx.ds.manager);
  }

  @Authorized(...MONEY_READERS)
  @Query(() => ServiceProvider, { nullable: true })
  serviceProvider(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return getServiceProvider(ctx.ds.manager, id);
  }

  @Authorized(...MONEY_READERS)
  @Query(() => DepositEntryConnection, { description: "One SP's deposit ledger, newest first" })
  async spDepositEntries(@Ctx() ctx: Context, @Arg('spId', () => ID) spId: string, @Args() args: ConnectionArgs) {
    const sp = await getServiceProvider(ctx.ds.manager, spId);
    return listDepositEntries(ctx.ds.manager, sp.id, args);
  }

  @Authorized(...MONEY_READERS)
  @Query(() => [SpDepositCheck], { description: "Each SP's balances against the sums of its ledger" })
  spDepositCheck(@Ctx() ctx: Context) {
    return spDepositCheck(ctx.ds.manager);
  }

  @Authorized(...DESK)
  @Mutation(() => ServiceProvider, { description: 'Register an SP, with the deposit it lodges' })
  createServiceProvider(@Ctx() ctx: Context, @Arg('input') input: CreateServiceProviderInput) {
    return inTransaction(ctx.ds, (em) => createServiceProvider(em, requireUser(ctx), input));
  }

  @Authorized(...DESK)
  @Mutation(() => SpDepositEntry, { description: 'Lodge, top up (pays debt off first) or fine (taken from the deposit; what it cannot cover becomes debt)' })
  recordSpDepositMovement(@Ctx() ctx: Context, @Arg('input') input: DepositMovementInput) {
    return inTransaction(ctx.ds, (em) => recordDepositMovement(em, requireUser(ctx), input));
  }
}

@Resolver(() => SpDepositEntry)
export class SpDepositEntryResolver {
  @FieldResolver(() => ServiceProvider)
  async sp(@Ctx() ctx: Context, @Root() e: SpDepositEntry) {
    return (await ctx.loaders.customer.spById.load(e.spId))!;
  }

  @FieldResolver(() => Complaint, { nullable: true, description: 'REFUND_DRAW: the complaint refunded' })
  complaint(@Ctx() ctx: Context, @Root() e: SpDepositEntry) {
    return e.complaintId ? ctx.loaders.customer.complaintById.load(e.complaintId) : null;
  }

  @FieldResolver(() => User, { nullable: true })
  actor(@Ctx() ctx: Context, @Root() e: SpDepositEntry) {
    return e.actorId ? ctx.loaders.identity.userById.load(e.actorId) : null;
  }
}
