import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { REPAIR_READ_ROLES } from './repair.roles';
import { requireUser } from '../../common/auth';
import { parseId } from '../../common/ids';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { Role } from '../../common/roles';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { Region } from '../regions/region.entity';
import { regionOf } from '../regions/region.service';
import { AuthorizationStatus, BrandAuthorization, authorizationStatus } from './brand-authorization.entity';
import { Equipment } from './equipment.entity';
import { PartnerContact } from './partner-contact.entity';
import { createRepairPartner, getRepairPartnerByIdOrCode, listRepairPartners, setRepairPartnerStatus, updateRepairPartner } from './partner.service';
import { PartnerStatus, RepairPartner } from './repair-partner.entity';
import { RepairPrice } from './repair-price.entity';
import { CreateRepairPartnerInput, RepairPartnerFilter, UpdateRepairPartnerInput } from './repair.inputs';

const RepairPartnerConnection = Connection(RepairPartner);

@Resolver(() => RepairPartner)
export class RepairPartnerResolver {
  @Authorized(...REPAIR_READ_ROLES)
  @Query(() => RepairPartnerConnection, { description: 'Repair partners by id; a REPAIR_PARTNER sees only its own' })
  repairPartners(
    @Ctx() ctx: Context,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => RepairPartnerFilter, { nullable: true }) filter?: RepairPartnerFilter,
  ) {
    return listRepairPartners(ctx.ds.manager, requireUser(ctx), filter ?? {}, args);
  }

  @Authorized(...REPAIR_READ_ROLES)
  @Query(() => RepairPartner, { nullable: true, description: 'By id or by code (exactly one); null with NOT_FOUND when there is none' })
  repairPartner(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { nullable: true }) id?: string,
    @Arg('code', () => String, { nullable: true }) code?: string,
  ): Promise<RepairPartner> {
    return getRepairPartnerByIdOrCode(ctx.ds.manager, requireUser(ctx), id, code);
  }

  @Authorized(Role.AFTERSALES_STAFF)
  @Mutation(() => RepairPartner, { description: 'Also gives the partner its parts shelf' })
  createRepairPartner(@Ctx() ctx: Context, @Arg('input') input: CreateRepairPartnerInput): Promise<RepairPartner> {
    return inTransaction(ctx.ds, (em) => createRepairPartner(em, requireUser(ctx), input));
  }

  @Authorized(Role.AFTERSALES_STAFF)
  @Mutation(() => RepairPartner)
  updateRepairPartner(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('input') input: UpdateRepairPartnerInput): Promise<RepairPartner> {
    return inTransaction(ctx.ds, (em) => updateRepairPartner(em, requireUser(ctx), parseId(id, 'id'), input));
  }

  @Authorized(Role.AFTERSALES_STAFF)
  @Mutation(() => RepairPartner, { description: 'ACTIVE ⇄ SUSPENDED, or TERMINATED for good (reason required except to reactivate)' })
  setRepairPartnerStatus(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('status', () => PartnerStatus) status: PartnerStatus,
    @Arg('reason', () => String, { nullable: true }) reason?: string,
  ): Promise<RepairPartner> {
    return inTransaction(ctx.ds, (em) => setRepairPartnerStatus(em, requireUser(ctx), parseId(id, 'id'), status, reason));
  }

  @FieldResolver(() => Region)
  region(@Root() partner: RepairPartner, @Ctx() ctx: Context): Region | Promise<Region> {
    return regionOf(ctx, partner.regionId);
  }

  @FieldResolver(() => [PartnerContact], { description: 'The primary contact first' })
  async contacts(@Root() partner: RepairPartner, @Ctx() ctx: Context): Promise<PartnerContact[]> {
    const list = await ctx.loaders.repair.contactsByPartnerId.load(partner.id);
    return [...list].sort((a, b) => Number(b.primary) - Number(a.primary) || a.id - b.id);
  }

  @FieldResolver(() => [BrandAuthorization], { description: 'Latest-ending first' })
  async authorizations(
    @Root() partner: RepairPartner,
    @Ctx() ctx: Context,
    @Arg('status', () => AuthorizationStatus, { nullable: true }) status?: AuthorizationStatus,
  ): Promise<BrandAuthorization[]> {
    const list = await ctx.loaders.repair.authorizationsByPartnerId.load(partner.id);
    const now = new Date();
    return status ? list.filter((a) => authorizationStatus(a, now) === status) : list;
  }

  @FieldResolver(() => [RepairPrice], { description: 'Its prices now, by service type' })
  prices(@Root() partner: RepairPartner, @Ctx() ctx: Context): Promise<RepairPrice[]> {
    return ctx.loaders.repair.pricesByPartnerId.load(partner.id);
  }

  @FieldResolver(() => [Equipment], { description: 'Lent equipment it holds now' })
  equipment(@Root() partner: RepairPartner, @Ctx() ctx: Context): Promise<Equipment[]> {
    return ctx.loaders.repair.equipmentByCustodianId.load(partner.id);
  }
}
