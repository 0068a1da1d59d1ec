import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Network } from '../../common/network';
import { requireUser } from '../../common/auth';
import { Role } from '../../common/roles';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { HandsetBrand, HandsetModel } from './handset.entity';
import { createHandsetBrand, createHandsetModel, listBrands } from './handset.service';
import { CreateHandsetBrandInput, CreateHandsetModelInput } from './repair.inputs';

@Resolver(() => HandsetBrand)
export class HandsetBrandResolver {
  @Authorized()
  @Query(() => [HandsetBrand], { description: 'Handset brands by name; with a network, those that have a model on it' })
  handsetBrands(@Ctx() ctx: Context, @Arg('network', () => Network, { nullable: true }) network?: Network): Promise<HandsetBrand[]> {
    return listBrands(ctx.ds.manager, network);
  }

  @Authorized(Role.AFTERSALES_STAFF)
  @Mutation(() => HandsetBrand)
  createHandsetBrand(@Ctx() ctx: Context, @Arg('input') input: CreateHandsetBrandInput): Promise<HandsetBrand> {
    return inTransaction(ctx.ds, (em) => createHandsetBrand(em, requireUser(ctx), input));
  }

  @Authorized(Role.AFTERSALES_STAFF)
  @Mutation(() => HandsetModel)
  createHandsetModel(@Ctx() ctx: Context, @Arg('input') input: CreateHandsetModelInput): Promise<HandsetModel> {
    return inTransaction(ctx.ds, (em) => createHandsetModel(em, requireUser(ctx), input));
  }

  @FieldResolver(() => [HandsetModel])
  async models(
    @Root() brand: HandsetBrand,
    @Ctx() ctx: Context,
    @Arg('network', () => Network, { nullable: true }) network?: Network,
  ): Promise<HandsetModel[]> {
    const list = await ctx.loaders.repair.modelsByBrandId.load(brand.id);
    return network ? list.filter((m) => m.network === network) : list;
  }

  @FieldResolver(() => [Network], { description: 'Networks its models run on' })
  async networks(@Root() brand: HandsetBrand, @Ctx() ctx: Context): Promise<Network[]> {
    const list = await ctx.loaders.repair.modelsByBrandId.load(brand.id);
    return Object.values(Network).filter((n) => list.some((m) => m.network === n));
  }
}

@Resolver(() => HandsetModel)
export class HandsetModelResolver {
  @FieldResolver(() => HandsetBrand)
  async brand(@Root() model: HandsetModel, @Ctx() ctx: Context): Promise<HandsetBrand> {
    return (await ctx.loaders.repair.brandById.load(model.brandId))!;
  }
}
