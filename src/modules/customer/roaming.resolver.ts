import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireUser } from '../../common/auth';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { Region } from '../regions/region.entity';
import { regionOf } from '../regions/region.service';
import { BorderCellInput, ManualWaiverInput, RoamingChargeInput, RoamingWaiverFilter } from './customer.inputs';
import { DESK, MONEY_READERS } from './customer.roles';
import { BorderCell, RoamingWaiver } from './roaming-waiver.entity';
import { applyAutoWaivers, listBorderCells, listWaivers, setBorderCell, waiveRoamingManually } from './roaming.service';
import { AutoWaiverResult } from './customer.types';

const WaiverConnection = Connection(RoamingWaiver);

@Resolver(() => RoamingWaiver)
export class RoamingWaiverResolver {
  @Authorized(...MONEY_READERS)
  @Query(() => WaiverConnection, { description: 'Waived border roaming charges, newest first' })
  roamingWaivers(
    @Ctx() ctx: Context,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => RoamingWaiverFilter, { nullable: true }) filter?: RoamingWaiverFilter,
  ) {
    return listWaivers(ctx.ds.manager, filter, args);
  }

  @Authorized(...MONEY_READERS)
  @Query(() => [BorderCell], { description: 'The border cells whose roaming charges are waived automatically' })
  borderCells(@Ctx() ctx: Context) {
    return listBorderCells(ctx.ds.manager);
  }

  @Authorized(...DESK)
  @Mutation(() => BorderCell, { description: 'Add or change a border cell' })
  setBorderCell(@Ctx() ctx: Context, @Arg('input') input: BorderCellInput) {
    return inTransaction(ctx.ds, (em) => setBorderCell(em, requireUser(ctx), input));
  }

  @Authorized(...DESK)
  @Mutation(() => AutoWaiverResult, { description: "A month's roaming charges from billing: those on border cells are waived (AUTO), once each" })
  applyAutoRoamingWaivers(@Ctx() ctx: Context, @Arg('period') period: string, @Arg('charges', () => [RoamingChargeInput]) charges: RoamingChargeInput[]) {
    return inTransaction(ctx.ds, (em) => applyAutoWaivers(em, requireUser(ctx), period, charges));
  }

  @Authorized(...DESK)
  @Mutation(() => RoamingWaiver, { description: "Waive one line's roaming charges of a month by hand (MANUAL)" })
  waiveRoamingManually(@Ctx() ctx: Context, @Arg('input') input: ManualWaiverInput) {
    return inTransaction(ctx.ds, (em) => waiveRoamingManually(em, requireUser(ctx), input));
  }

  @FieldResolver(() => Region)
  region(@Ctx() ctx: Context, @Root() w: RoamingWaiver) {
    return regionOf(ctx, w.regionId);
  }
}

@Resolver(() => BorderCell)
export class BorderCellResolver {
  @FieldResolver(() => Region)
  region(@Ctx() ctx: Context, @Root() c: BorderCell) {
    return regionOf(ctx, c.regionId);
  }
}
