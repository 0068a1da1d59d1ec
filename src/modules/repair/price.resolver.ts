import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { REPAIR_READ_ROLES, REPAIR_REPORT_ROLES } from './repair.roles';
import { requireUser } from '../../common/auth';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { Role } from '../../common/roles';
import { SafeInt } from '../../common/scalars';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { priceKey } from './repair.loaders';
import { listRepairPrices, listServiceTypes, repairPriceIndex, setRepairPrice } from './price.service';
import { RepairPartner } from './repair-partner.entity';
import { RepairPrice, RepairPriceChange, RepairServiceType } from './repair-price.entity';
import { RepairPriceFilter } from './repair.inputs';
import { PriceIndex, PriceIndexPartner } from './repair.types';

const RepairPriceConnection = Connection(RepairPrice);

@Resolver(() => RepairPrice)
export class RepairPriceResolver {
  @Authorized()
  @Query(() => [RepairServiceType], { description: 'The service types partners price' })
  repairServiceTypes(@Ctx() ctx: Context): Promise<RepairServiceType[]> {
    return listServiceTypes(ctx.ds.manager);
  }

  @Authorized(...REPAIR_READ_ROLES)
  @Query(() => RepairPriceConnection, { description: 'Prices now; a REPAIR_PARTNER sees only those it set' })
  repairPrices(@Ctx() ctx: Context, @Args() args: ConnectionArgs, @Arg('filter', () => RepairPriceFilter, { nullable: true }) filter?: RepairPriceFilter) {
    return listRepairPrices(ctx.ds.manager, requireUser(ctx), filter ?? {}, args);
  }

  @Authorized(Role.AFTERSALES_STAFF, Role.REPAIR_PARTNER)
  @Mutation(() => RepairPrice, { description: 'partnerId may be left out by a REPAIR_PARTNER: its own' })
  setRepairPrice(
    @Ctx() ctx: Context,
    @Arg('serviceType') serviceType: string,
    @Arg('priceFen', () => SafeInt) priceFen: number,
    @Arg('partnerId', () => ID, { nullable: true }) partnerId?: string,
  ): Promise<RepairPrice> {
    return inTransaction(ctx.ds, (em) => setRepairPrice(em, requireUser(ctx), partnerId, serviceType, priceFen));
  }

  @Authorized(...REPAIR_REPORT_ROLES)
  @Query(() => PriceIndex, { description: "Min, median and max of the partners' prices now, each partner's price, and the median month by month" })
  repairPriceIndex(
    @Ctx() ctx: Context,
    @Arg('serviceType') serviceType: string,
    @Arg('regionCode', () => String, { nullable: true }) regionCode?: string,
    @Arg('from', () => String, { nullable: true, description: 'First month of the series, "YYYY-MM" (default: the first price set)' }) from?: string,
    @Arg('to', () => String, { nullable: true, description: 'Last month, "YYYY-MM" (default: this month)' }) to?: string,
  ): Promise<PriceIndex> {
    return repairPriceIndex(ctx.ds.manager, serviceType, { regionCode, from, to });
  }

  @FieldResolver(() => RepairPartner)
  async partner(@Root() price: RepairPrice, @Ctx() ctx: Context): Promise<RepairPartner> {
    return (await ctx.loaders.repair.partnerById.load(price.partnerId))!;
  }

  @FieldResolver(() => String)
  async serviceName(@Root() price: RepairPrice, @Ctx() ctx: Context): Promise<string> {
    return (await ctx.loaders.repair.serviceTypeByCode.load(price.serviceType))?.name ?? price.serviceType;
  }

  @FieldResolver(() => [RepairPriceChange], { description: 'Every price set for this service, newest first' })
  history(@Root() price: RepairPrice, @Ctx() ctx: Context): Promise<RepairPriceChange[]> {
    return ctx.loaders.repair.priceHistory.load(priceKey(price.partnerId, price.serviceType));
  }
}

@Resolver(() => PriceIndexPartner)
export class PriceIndexPartnerResolver {
  @FieldResolver(() => RepairPartner)
  async partner(@Root() row: PriceIndexPartner, @Ctx() ctx: Context): Promise<RepairPartner> {
    return (await ctx.loaders.repair.partnerById.load(row.partnerId))!;
  }
}
