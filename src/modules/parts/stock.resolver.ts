import { GraphQLResolveInfo } from 'graphql';
import { CENTRE_READERS, PARTS_MANAGERS, PARTS_READERS } from './parts.roles';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireUser } from '../../common/auth';
import { NotFoundError } from '../../common/errors';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { ReadsColumns, selectedColumns } from '../../runtime/sql/projection';
import { SafeInt } from '../../common/scalars';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { PartsDocumentLine } from './document-line.entity';
import { Part } from './part.entity';
import { documentKey } from './parts.loaders';
import { PurchaseReceiptFilter, ReceivePurchaseInput, StockLevelFilter, StockMovementFilter, StocktakeFilter, StocktakeInput } from './parts.inputs';
import { PurchaseReceipt } from './purchase-receipt.entity';
import { getReceipt, listMovements, listReceipts, listStockLevels, listStocktakes, receivePurchase, recordStocktake, stockValuation } from './stock.service';
import { StockLevel } from './stock-level.entity';
import { LocationKind, StockLocation } from './stock-location.entity';
import { StockDocumentType, StockMovement } from './stock-movement.entity';
import { Stocktake, StocktakeLine } from './stocktake.entity';
import { Supplier } from './supplier.entity';
import { LocationValuation, StockValuation } from './parts.types';

const StockLevelConnection = Connection(StockLevel);
const StockMovementConnection = Connection(StockMovement);
const PurchaseReceiptConnection = Connection(PurchaseReceipt);
const StocktakeConnection = Connection(Stocktake);

async function mustLoad<T>(p: Promise<T | null>, entity: string, id: number): Promise<T> {
  const v = await p;
  if (!v) throw new NotFoundError(entity, id);
  return v;
}

@Resolver(() => StockLevel)
export class StockLevelResolver {
  @Authorized(...PARTS_READERS)
  @Query(() => StockLevelConnection, { description: 'Stock by part and location; a REPAIR_PARTNER sees the centre and its own shelf only' })
  stockLevels(
    @Ctx() ctx: Context,
    @Args() args: ConnectionArgs,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => StockLevelFilter, { nullable: true }) filter?: StockLevelFilter,
  ) {
    return listStockLevels(ctx.ds.manager, requireUser(ctx), filter ?? {}, args, {
      level: selectedColumns(ctx.ds, StockLevel, info, ['edges', 'node'], { as: 'property' }),
      part: selectedColumns(ctx.ds, Part, info, ['edges', 'node', 'part'], { as: 'property' }),
      location: selectedColumns(ctx.ds, StockLocation, info, ['edges', 'node', 'location'], { as: 'property' }),
    });
  }

  @Authorized(...PARTS_READERS)
  @Query(() => StockValuation, { description: 'Stock at cost per location (a REPAIR_PARTNER: the centre and its own shelf)' })
  stockValuation(@Ctx() ctx: Context, @Arg('locationId', () => ID, { nullable: true }) locationId?: string) {
    return stockValuation(ctx.ds.manager, requireUser(ctx), locationId);
  }

  @FieldResolver(() => Part)
  @ReadsColumns('partId')
  // The joined entity itself, not a promise of it: graphql-jit then completes the field without
  // its asynchronous path (a promise and its callbacks per row showed in the allocation profile).
  part(@Root() level: StockLevel, @Ctx() ctx: Context): Part | Promise<Part> {
    return level.joinedPart ?? mustLoad(ctx.loaders.parts.partById.load(level.partId), 'Part', level.partId);
  }

  @FieldResolver(() => StockLocation)
  @ReadsColumns('locationId')
  location(@Root() level: StockLevel, @Ctx() ctx: Context): StockLocation | Promise<StockLocation> {
    return level.joinedLocation ?? mustLoad(ctx.loaders.parts.locationById.load(level.locationId), 'Location', level.locationId);
  }

  @FieldResolver(() => SafeInt, { description: 'onHand × unitCostFen' })
  @ReadsColumns('onHand', 'unitCostFen')
  valueFen(@Root() level: StockLevel): number {
    return level.onHand * level.unitCostFen;
  }

  @FieldResolver(() => Boolean, { description: "At the centre and under the part's reorder point" })
  @ReadsColumns('onHand', 'partId', 'locationId')
  async belowReorderPoint(@Root() level: StockLevel, @Ctx() ctx: Context): Promise<boolean> {
    const [location, part] = await Promise.all([ctx.loaders.parts.locationById.load(level.locationId), ctx.loaders.parts.partById.load(level.partId)]);
    return location?.kind === LocationKind.CENTRE && !!part && level.onHand < part.reorderPoint;
  }
}

@Resolver(() => StockMovement)
export class StockMovementResolver {
  @Authorized(...PARTS_READERS)
  @Query(() => StockMovementConnection, { description: "The append-only stock ledger, oldest first (a REPAIR_PARTNER: its own shelf's)" })
  stockMovements(
    @Ctx() ctx: Context,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => StockMovementFilter, { nullable: true }) filter?: StockMovementFilter,
  ) {
    return listMovements(ctx.ds.manager, requireUser(ctx), filter ?? {}, args);
  }

  @FieldResolver(() => Part)
  part(@Root() m: StockMovement, @Ctx() ctx: Context): Promise<Part> {
    return mustLoad(ctx.loaders.parts.partById.load(m.partId), 'Part', m.partId);
  }

  @FieldResolver(() => StockLocation)
  location(@Root() m: StockMovement, @Ctx() ctx: Context): Promise<StockLocation> {
    return mustLoad(ctx.loaders.parts.locationById.load(m.locationId), 'Location', m.locationId);
  }
}

@Resolver(() => LocationValuation)
export class LocationValuationResolver {
  @FieldResolver(() => StockLocation)
  location(@Root() v: LocationValuation, @Ctx() ctx: Context): Promise<StockLocation> {
    return mustLoad(ctx.loaders.parts.locationById.load(v.locationId), 'Location', v.locationId);
  }
}

@Resolver(() => PurchaseReceipt)
export class PurchaseReceiptResolver {
  @Authorized(...CENTRE_READERS)
  @Query(() => PurchaseReceiptConnection, { description: 'Purchases received into the centre, newest first' })
  purchaseReceipts(
    @Ctx() ctx: Context,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => PurchaseReceiptFilter, { nullable: true }) filter?: PurchaseReceiptFilter,
  ) {
    return listReceipts(ctx.ds.manager, filter ?? {}, args);
  }

  @Authorized(...CENTRE_READERS)
  @Query(() => PurchaseReceipt, { nullable: true })
  purchaseReceipt(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<PurchaseReceipt> {
    return getReceipt(ctx.ds.manager, id);
  }

  @Authorized(...PARTS_MANAGERS)
  @Mutation(() => PurchaseReceipt, { description: "Parts bought from a supplier into the centre; each part's unit cost becomes the moving average" })
  receivePurchase(@Ctx() ctx: Context, @Arg('input') input: ReceivePurchaseInput): Promise<PurchaseReceipt> {
    return inTransaction(ctx.ds, (em) => receivePurchase(em, requireUser(ctx), input));
  }

  @FieldResolver(() => Supplier)
  supplier(@Root() r: PurchaseReceipt, @Ctx() ctx: Context): Promise<Supplier> {
    return mustLoad(ctx.loaders.parts.supplierById.load(r.supplierId), 'Supplier', r.supplierId);
  }

  @FieldResolver(() => [PartsDocumentLine])
  lines(@Root() r: PurchaseReceipt, @Ctx() ctx: Context): Promise<PartsDocumentLine[]> {
    return ctx.loaders.parts.linesByDocument.load(documentKey(StockDocumentType.PURCHASE_RECEIPT, r.id));
  }
}

@Resolver(() => PartsDocumentLine)
export class PartsDocumentLineResolver {
  @FieldResolver(() => Part)
  part(@Root() l: PartsDocumentLine, @Ctx() ctx: Context): Promise<Part> {
    return mustLoad(ctx.loaders.parts.partById.load(l.partId), 'Part', l.partId);
  }
}

@Resolver(() => Stocktake)
export class StocktakeResolver {
  @Authorized(...CENTRE_READERS)
  @Query(() => StocktakeConnection, { description: 'Stock counts, newest first' })
  stocktakes(@Ctx() ctx: Context, @Args() args: ConnectionArgs, @Arg('filter', () => StocktakeFilter, { nullable: true }) filter?: StocktakeFilter) {
    return listStocktakes(ctx.ds.manager, filter ?? {}, args);
  }

  @Authorized(...PARTS_MANAGERS)
  @Mutation(() => Stocktake, { description: 'Record counted quantities at a location and post each difference as an adjustment' })
  recordStocktake(@Ctx() ctx: Context, @Arg('input') input: StocktakeInput): Promise<Stocktake> {
    return inTransaction(ctx.ds, (em) => recordStocktake(em, requireUser(ctx), input));
  }

  @FieldResolver(() => StockLocation)
  location(@Root() s: Stocktake, @Ctx() ctx: Context): Promise<StockLocation> {
    return mustLoad(ctx.loaders.parts.locationById.load(s.locationId), 'Location', s.locationId);
  }

  @FieldResolver(() => [StocktakeLine])
  lines(@Root() s: Stocktake, @Ctx() ctx: Context): Promise<StocktakeLine[]> {
    return ctx.loaders.parts.stocktakeLinesById.load(s.id);
  }
}

@Resolver(() => StocktakeLine)
export class StocktakeLineResolver {
  @FieldResolver(() => Part)
  part(@Root() l: StocktakeLine, @Ctx() ctx: Context): Promise<Part> {
    return mustLoad(ctx.loaders.parts.partById.load(l.partId), 'Part', l.partId);
  }
}
