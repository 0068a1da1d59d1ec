import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { REPAIR_READ_ROLES } from './repair.roles';
import { requireUser } from '../../common/auth';
import { parseId } from '../../common/ids';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { Role } from '../../common/roles';
import { SafeInt } from '../../common/scalars';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { RepairOrder, RepairOrderStatus, RepairOrderStatusSpan } from './repair-order.entity';
import {
  getRepairOrder,
  listRepairOrders,
  openRepairOrder,
  repairTurnaround,
  setRepairOrderStatus,
  setRepairOrderWarranty,
  spanSeconds,
  timeInStatus,
} from './repair-order.service';
import { RepairPartner } from './repair-partner.entity';
import { OpenRepairOrderInput, RepairOrderFilter, TurnaroundFilter } from './repair.inputs';
import { PartnerTurnaround, StatusTime, TurnaroundReport } from './repair.types';

const RepairOrderConnection = Connection(RepairOrder);

@Resolver(() => RepairOrder)
export class RepairOrderResolver {
  @Authorized(...REPAIR_READ_ROLES)
  @Query(() => RepairOrderConnection, { description: 'Newest first; a REPAIR_PARTNER sees only its own' })
  repairOrders(@Ctx() ctx: Context, @Args() args: ConnectionArgs, @Arg('filter', () => RepairOrderFilter, { nullable: true }) filter?: RepairOrderFilter) {
    return listRepairOrders(ctx.ds.manager, requireUser(ctx), filter ?? {}, args);
  }

  @Authorized(...REPAIR_READ_ROLES)
  @Query(() => RepairOrder, { nullable: true })
  repairOrder(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<RepairOrder> {
    return getRepairOrder(ctx.ds.manager, requireUser(ctx), parseId(id, 'id'));
  }

  @Authorized(Role.AFTERSALES_STAFF, Role.REPAIR_PARTNER)
  @Mutation(() => RepairOrder, {
    description: 'CONFLICT when the partner holds no authorization valid today for the brand (unless staff open it out of authorization)',
  })
  openRepairOrder(@Ctx() ctx: Context, @Arg('input') input: OpenRepairOrderInput): Promise<RepairOrder> {
    return inTransaction(ctx.ds, (em) => openRepairOrder(em, requireUser(ctx), input));
  }

  @Authorized(Role.AFTERSALES_STAFF, Role.REPAIR_PARTNER)
  @Mutation(() => RepairOrder, { description: 'RECEIVED → DIAGNOSED → IN_REPAIR → READY → RETURNED, or CANCELLED before READY; other moves are CONFLICT' })
  setRepairOrderStatus(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('status', () => RepairOrderStatus) status: RepairOrderStatus,
    @Arg('priceChargedFen', () => SafeInt, {
      nullable: true,
      description: 'What the customer pays; required to return a non-warranty handset; 0 (or omitted) for a warranty repair',
    })
    priceChargedFen?: number,
    @Arg('serviceType', () => String, { nullable: true }) serviceType?: string,
    @Arg('note', () => String, { nullable: true }) note?: string,
  ): Promise<RepairOrder> {
    return inTransaction(ctx.ds, (em) => setRepairOrderStatus(em, requireUser(ctx), parseId(id, 'id'), status, { priceChargedFen, serviceType, note }));
  }

  @Authorized(Role.AFTERSALES_STAFF, Role.REPAIR_PARTNER)
  @Mutation(() => RepairOrder, {
    description:
      'Make an open order a warranty repair or not, with a reason (change-logged). A warranty repair charges the customer 0: ' +
      'this is how a warranty order that turns out not to be covered comes to charge; becoming a warranty repair clears a charge recorded before.',
  })
  setRepairOrderWarranty(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('underWarranty') underWarranty: boolean,
    @Arg('reason') reason: string,
  ): Promise<RepairOrder> {
    return inTransaction(ctx.ds, (em) => setRepairOrderWarranty(em, requireUser(ctx), parseId(id, 'id'), underWarranty, reason));
  }

  @Authorized(...REPAIR_READ_ROLES)
  @Query(() => TurnaroundReport, { description: 'Median time from RECEIVED to READY per partner (a REPAIR_PARTNER: its own)' })
  repairTurnaround(@Ctx() ctx: Context, @Arg('filter', () => TurnaroundFilter, { nullable: true }) filter?: TurnaroundFilter): Promise<TurnaroundReport> {
    return repairTurnaround(ctx.ds.manager, requireUser(ctx), filter ?? {});
  }

  @FieldResolver(() => RepairPartner)
  async partner(@Root() order: RepairOrder, @Ctx() ctx: Context): Promise<RepairPartner> {
    return (await ctx.loaders.repair.partnerById.load(order.partnerId))!;
  }

  @FieldResolver(() => [RepairOrderStatusSpan], { description: 'Every status it has been in, oldest first' })
  statusHistory(@Root() order: RepairOrder, @Ctx() ctx: Context): Promise<RepairOrderStatusSpan[]> {
    return ctx.loaders.repair.spansByOrderId.load(order.id);
  }

  @FieldResolver(() => [StatusTime], { description: 'Total time spent in each status so far' })
  async timeInStatus(@Root() order: RepairOrder, @Ctx() ctx: Context): Promise<StatusTime[]> {
    return timeInStatus(await ctx.loaders.repair.spansByOrderId.load(order.id));
  }
}

@Resolver(() => RepairOrderStatusSpan)
export class RepairOrderStatusSpanResolver {
  @FieldResolver(() => Int, { nullable: true, description: 'How long it stayed; counting up while current; null for RETURNED and CANCELLED' })
  seconds(@Root() span: RepairOrderStatusSpan): number | null {
    return spanSeconds(span);
  }
}

@Resolver(() => PartnerTurnaround)
export class PartnerTurnaroundResolver {
  @FieldResolver(() => RepairPartner)
  async partner(@Root() row: PartnerTurnaround, @Ctx() ctx: Context): Promise<RepairPartner> {
    return (await ctx.loaders.repair.partnerById.load(row.partnerId))!;
  }
}
