import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Network } from '../../common/network';
import { REPAIR_READ_ROLES, REPAIR_REPORT_ROLES } from './repair.roles';
import { requireUser } from '../../common/auth';
import { parseId } from '../../common/ids';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { Role } from '../../common/roles';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import {
  brandCoverage,
  expiringAuthorizations,
  getBrandAuthorization,
  grantBrandAuthorization,
  listBrandAuthorizations,
  MAX_EXPIRING_DAYS,
  revokeBrandAuthorization,
} from './authorization.service';
import { AuthorizationStatus, BrandAuthorization, authorizationStatus } from './brand-authorization.entity';
import { RepairPartner } from './repair-partner.entity';
import { BrandAuthorizationFilter, GrantBrandAuthorizationInput } from './repair.inputs';
import { BrandCoverage, BrandCoverageEntry } from './repair.types';

const BrandAuthorizationConnection = Connection(BrandAuthorization);

@Resolver(() => BrandAuthorization)
export class BrandAuthorizationResolver {
  @Authorized(...REPAIR_READ_ROLES)
  @Query(() => BrandAuthorizationConnection, { description: 'A REPAIR_PARTNER sees only its own' })
  brandAuthorizations(
    @Ctx() ctx: Context,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => BrandAuthorizationFilter, { nullable: true }) filter?: BrandAuthorizationFilter,
  ) {
    return listBrandAuthorizations(ctx.ds.manager, requireUser(ctx), filter ?? {}, args);
  }

  @Authorized(...REPAIR_READ_ROLES)
  @Query(() => BrandAuthorization, { nullable: true })
  brandAuthorization(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<BrandAuthorization> {
    return getBrandAuthorization(ctx.ds.manager, requireUser(ctx), parseId(id, 'id'));
  }

  @Authorized(Role.AFTERSALES_STAFF)
  @Mutation(() => BrandAuthorization)
  grantBrandAuthorization(
    @Ctx() ctx: Context,
    @Arg('partnerId', () => ID) partnerId: string,
    @Arg('input') input: GrantBrandAuthorizationInput,
  ): Promise<BrandAuthorization> {
    return inTransaction(ctx.ds, (em) => grantBrandAuthorization(em, requireUser(ctx), parseId(partnerId, 'partnerId'), input));
  }

  @Authorized(Role.AFTERSALES_STAFF)
  @Mutation(() => BrandAuthorization)
  revokeBrandAuthorization(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('reason') reason: string): Promise<BrandAuthorization> {
    return inTransaction(ctx.ds, (em) => revokeBrandAuthorization(em, requireUser(ctx), parseId(id, 'id'), reason));
  }

  @Authorized(...REPAIR_REPORT_ROLES)
  @Query(() => BrandCoverage, { description: 'Per brand, the active partners authorized today (in a region when given); the brands nobody covers' })
  brandCoverage(
    @Ctx() ctx: Context,
    @Arg('regionCode', () => String, { nullable: true }) regionCode?: string,
    @Arg('network', () => Network, { nullable: true, defaultValue: Network.CDMA, description: 'Default CDMA, the network the after-sales network serves' })
    network?: Network | null,
  ): Promise<BrandCoverage> {
    return brandCoverage(ctx.ds.manager, regionCode, network);
  }

  @Authorized(...REPAIR_READ_ROLES)
  @Query(() => BrandAuthorizationConnection, { description: 'Authorizations ending within the days given and not yet renewed, soonest first' })
  expiringAuthorizations(
    @Ctx() ctx: Context,
    @Arg('withinDays', () => Int, { description: `1 to ${MAX_EXPIRING_DAYS}` }) withinDays: number,
    @Args() args: ConnectionArgs,
  ) {
    return expiringAuthorizations(ctx.ds.manager, requireUser(ctx), withinDays, args);
  }

  @FieldResolver(() => RepairPartner)
  async partner(@Root() auth: BrandAuthorization, @Ctx() ctx: Context): Promise<RepairPartner> {
    return (await ctx.loaders.repair.partnerById.load(auth.partnerId))!;
  }

  @FieldResolver(() => String, { description: 'Brand name' })
  async brand(@Root() auth: BrandAuthorization, @Ctx() ctx: Context): Promise<string> {
    return (await ctx.loaders.repair.brandById.load(auth.brandId))!.name;
  }

  @FieldResolver(() => String)
  async brandCode(@Root() auth: BrandAuthorization, @Ctx() ctx: Context): Promise<string> {
    return (await ctx.loaders.repair.brandById.load(auth.brandId))!.code;
  }

  @FieldResolver(() => AuthorizationStatus, { description: 'As of now' })
  status(@Root() auth: BrandAuthorization): AuthorizationStatus {
    return authorizationStatus(auth);
  }
}

@Resolver(() => BrandCoverageEntry)
export class BrandCoverageEntryResolver {
  @FieldResolver(() => [RepairPartner])
  async partners(@Root() entry: BrandCoverageEntry, @Ctx() ctx: Context): Promise<RepairPartner[]> {
    const list = await ctx.loaders.repair.partnerById.loadMany(entry.partnerIds);
    return list.filter((p): p is RepairPartner => !!p && !(p instanceof Error));
  }
}
