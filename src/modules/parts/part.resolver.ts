import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PARTS_MANAGERS, PARTS_READERS } from './parts.roles';
import { requireUser } from '../../common/auth';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { Role } from '../../common/roles';
import { SafeInt } from '../../common/scalars';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { createPart, getPartByIdOrSku, listParts, updatePart } from './catalog.service';
import { Part, PartCompatibleModel } from './part.entity';
import { CreatePartInput, PartFilter, UpdatePartInput } from './parts.inputs';
import { StockLevel } from './stock-level.entity';
import { LocationKind } from './stock-location.entity';

const PartConnection = Connection(Part);

@Resolver(() => Part)
export class PartResolver {
  @Authorized(...PARTS_READERS)
  @Query(() => PartConnection, { description: 'The parts catalog' })
  parts(@Ctx() ctx: Context, @Args() args: ConnectionArgs, @Arg('filter', () => PartFilter, { nullable: true }) filter?: PartFilter) {
    return listParts(ctx.ds.manager, filter ?? {}, args);
  }

  @Authorized(...PARTS_READERS)
  @Query(() => Part, { nullable: true, description: 'By id or by SKU (exactly one); null with NOT_FOUND when there is none' })
  part(@Ctx() ctx: Context, @Arg('id', () => ID, { nullable: true }) id?: string, @Arg('sku', () => String, { nullable: true }) sku?: string): Promise<Part> {
    return getPartByIdOrSku(ctx.ds.manager, id, sku);
  }

  @Authorized(...PARTS_MANAGERS)
  @Mutation(() => Part)
  createPart(@Ctx() ctx: Context, @Arg('input') input: CreatePartInput): Promise<Part> {
    return inTransaction(ctx.ds, (em) => createPart(em, requireUser(ctx), input));
  }

  @Authorized(...PARTS_MANAGERS)
  @Mutation(() => Part, { description: 'Name, category, reorder point, compatible models; the cost moves with receipts only' })
  updatePart(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('input') input: UpdatePartInput): Promise<Part> {
    return inTransaction(ctx.ds, (em) => updatePart(em, requireUser(ctx), id, input));
  }

  @FieldResolver(() => SafeInt, { description: "Moving-average cost of the centre's stock (fen)" })
  async unitCostFen(@Root() part: Part, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.parts.centreLevelByPartId.load(part.id))?.unitCostFen ?? 0;
  }

  @FieldResolver(() => Int, { description: 'Available at the parts centre' })
  async centreOnHand(@Root() part: Part, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.parts.centreLevelByPartId.load(part.id))?.onHand ?? 0;
  }

  @FieldResolver(() => [StockLevel], { description: "The part's stock by location; a REPAIR_PARTNER sees the centre and its own shelf" })
  async stock(@Root() part: Part, @Ctx() ctx: Context): Promise<StockLevel[]> {
    const user = requireUser(ctx);
    const levels = await ctx.loaders.parts.levelsByPartId.load(part.id);
    if (user.role !== Role.REPAIR_PARTNER) return levels;
    return levels.filter((l) => l.locationKind === LocationKind.CENTRE || (l.locationPartnerId != null && l.locationPartnerId === user.repairPartnerId));
  }

  @FieldResolver(() => [PartCompatibleModel], { description: 'Handset models it fits; empty: universal' })
  compatibleModels(@Root() part: Part, @Ctx() ctx: Context): Promise<PartCompatibleModel[]> {
    return ctx.loaders.parts.compatibleModelsByPartId.load(part.id);
  }
}
