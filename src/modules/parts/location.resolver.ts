import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { PARTS_READERS } from './parts.roles';
import { requireUser } from '../../common/auth';
import { Connection, ConnectionArgs } from '../../common/pagination';
import type { Context } from '../../common/context';
import { RepairPartner } from '../repair/repair-partner.entity';
import { LocationFilter } from './parts.inputs';
import { getLocation, locationsFor } from './stock.service';
import { StockLocation } from './stock-location.entity';

const LocationConnection = Connection(StockLocation, 'Location');

@Resolver(() => StockLocation)
export class LocationResolver {
  @Authorized(...PARTS_READERS)
  @Query(() => LocationConnection, { description: "The parts centre and each partner's shelf (a REPAIR_PARTNER: the centre and its own)" })
  async locations(@Ctx() ctx: Context, @Args() args: ConnectionArgs, @Arg('filter', () => LocationFilter, { nullable: true }) filter?: LocationFilter) {
    return locationsFor(ctx.ds.manager, requireUser(ctx), filter ?? {}, args);
  }

  @Authorized(...PARTS_READERS)
  @Query(() => StockLocation, { nullable: true })
  location(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<StockLocation> {
    return getLocation(ctx.ds.manager, requireUser(ctx), id);
  }

  @FieldResolver(() => RepairPartner, { nullable: true, description: 'The partner whose shelf it is; null for the centre' })
  async partner(@Root() location: StockLocation, @Ctx() ctx: Context): Promise<RepairPartner | null> {
    return location.partnerId == null ? null : ctx.loaders.repair.partnerById.load(location.partnerId);
  }
}
