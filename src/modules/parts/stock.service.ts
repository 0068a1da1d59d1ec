import { EntityManager } from 'typeorm';
import { tenantPartnerOf } from '../../common/auth';
import type { AuthUser } from '../../common/auth';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../common/errors';
import { parseId, parseOptionalId } from '../../common/ids';
import { assertFen, toFen } from '../../common/money';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { recordChange } from '../changelog/change-log.service';
import { byPartId, loadParts } from './documents.common';
import { assertLocationAllowed, centreLocationId, listLocations, tenantLocations, visibleLocationIds } from './location.service';
import { Part } from './part.entity';
import { actorColumns, parseLines, parseQuantity } from './parts.common';
import { optionalText } from '../../common/text';
import { placeholders } from '../../common/db';
import { PurchaseReceipt } from './purchase-receipt.entity';
import { addDocumentLines, addMovements, putStock, readLevels, setStock } from './stock-ledger';
import { StockLevel } from './stock-level.entity';
import { LocationKind, StockLocation } from './stock-location.entity';
import { MovementKind, StockDocumentType, StockMovement } from './stock-movement.entity';
import { Stocktake, StocktakeLine } from './stocktake.entity';
import { Supplier } from './supplier.entity';
import { PartsConflict } from './parts.errors';

export interface PurchaseLineInput {
  partId: string;
  quantity: number;
  unitCostFen: number;
}

export interface ReceivePurchaseInput {
  supplierId: string;
  reference?: string | null;
  lines: PurchaseLineInput[];
}

/** Parts bought from a supplier into the centre; each part's cost becomes the moving average. */
export async function receivePurchase(em: EntityManager, actor: AuthUser | null, input: ReceivePurchaseInput, now = new Date()): Promise<PurchaseReceipt> {
  const supplierId = parseId(input.supplierId, 'input.supplierId');
  const reference = optionalText('input.reference', input.reference, 64);
  const lines = parseLines('input.lines', input.lines, (l, p) => ({
    quantity: parseQuantity(`${p}.quantity`, l.quantity),
    unitCostFen: assertFen(`${p}.unitCostFen`, l.unitCostFen),
  })) as unknown as { index: number; partId: number; quantity: number; unitCostFen: number }[];
  const supplier = await em.getRepository(Supplier).findOne({ where: { id: supplierId } });
  if (!supplier) throw new BadInputError('input.supplierId', `no supplier ${supplierId}`);
  await loadParts(em, 'input.lines', lines);
  if (reference && (await em.getRepository(PurchaseReceipt).findOne({ where: { supplierId, reference } }))) {
    throw new ConflictError(PartsConflict.ALREADY_EXISTS, `Delivery ${reference} from ${supplier.name} is already booked`, { field: 'input.reference' });
  }
  const centre = await centreLocationId(em);
  const repo = em.getRepository(PurchaseReceipt);
  const receipt = repo.create({ supplierId, locationId: centre, reference, totalFen: 0, receivedAt: now, ...actorColumns(actor) });
  await repo.insert(receipt);
  const sorted = byPartId(lines);
  for (const l of sorted) await putStock(em, centre, l.partId, l.quantity, l.unitCostFen, now);
  const doc = { type: StockDocumentType.PURCHASE_RECEIPT, id: receipt.id };
  await addDocumentLines(em, doc, sorted);
  await addMovements(
    em,
    actor,
    doc,
    sorted.map((l) => ({ partId: l.partId, locationId: centre, kind: MovementKind.RECEIPT, quantity: l.quantity, unitCostFen: l.unitCostFen })),
    now,
  );
  receipt.totalFen = sorted.reduce((s, l) => s + l.quantity * l.unitCostFen, 0);
  await em.query(`UPDATE purchase_receipt SET totalFen = ? WHERE id = ?`, [receipt.totalFen, receipt.id]);
  await recordChange(em, actor, {
    action: 'receivePurchase',
    entityType: 'PurchaseReceipt',
    entityId: receipt.id,
    data: { supplierId, reference, totalFen: receipt.totalFen, lines: sorted.map(({ partId, quantity, unitCostFen }) => ({ partId, quantity, unitCostFen })) },
  });
  return receipt;
}

export interface StocktakeLineInput {
  partId: string;
  countedQuantity: number;
  reason?: string | null;
}

export interface StocktakeInput {
  locationId: string;
  note?: string | null;
  lines: StocktakeLineInput[];
}

/**
 * A count of parts at a location. Each counted level is read with a lock and set to the count by
 * compare-and-set; the difference is posted as an ADJUSTMENT movement with its reason. Parts not
 * listed are not touched.
 */
export async function recordStocktake(em: EntityManager, actor: AuthUser | null, input: StocktakeInput, now = new Date()): Promise<Stocktake> {
  const locationId = parseId(input.locationId, 'input.locationId');
  const note = optionalText('input.note', input.note, 255);
  const lines = parseLines('input.lines', input.lines, (l, p) => ({
    quantity: parseQuantity(`${p}.countedQuantity`, l.countedQuantity, { allowZero: true }),
    reason: optionalText(`${p}.reason`, l.reason, 255),
  })) as unknown as { index: number; partId: number; quantity: number; reason: string | null }[];
  const location = await em.getRepository(StockLocation).findOne({ where: { id: locationId } });
  if (!location) throw new BadInputError('input.locationId', `no location ${locationId}`);
  const parts = await loadParts(em, 'input.lines', lines);

  const repo = em.getRepository(Stocktake);
  const stocktake = repo.create({ locationId, note, differenceFen: 0, countedAt: now, ...actorColumns(actor) });
  await repo.insert(stocktake);
  const sorted = byPartId(lines);
  const levels = await readLevels(
    em,
    locationId,
    sorted.map((l) => l.partId),
    true,
  );
  const missing = sorted.filter((l) => !levels.has(l.partId)).map((l) => l.partId);
  const centreCosts = missing.length ? await readLevels(em, await centreLocationId(em), missing) : new Map();

  const rows: Omit<StocktakeLine, 'id'>[] = [];
  for (const l of sorted) {
    const level = levels.get(l.partId);
    const book = level?.onHand ?? 0;
    const unitCostFen = level?.unitCostFen ?? centreCosts.get(l.partId)?.unitCostFen ?? 0;
    const difference = l.quantity - book;
    if (difference !== 0) {
      if (level) {
        if (!(await setStock(em, locationId, l.partId, book, l.quantity, now))) {
          throw new ConflictError(PartsConflict.CHANGED_MEANWHILE, `Stock of ${parts.get(l.partId)!.sku} moved while the count was posted; post it again`, {
            field: `input.lines.${l.index}.countedQuantity`,
          });
        }
      } else {
        await putStock(em, locationId, l.partId, l.quantity, unitCostFen, now);
      }
    }
    rows.push({
      stocktakeId: stocktake.id,
      partId: l.partId,
      bookQuantity: book,
      countedQuantity: l.quantity,
      difference,
      unitCostFen,
      reason: l.reason ?? note,
    });
  }
  await em.getRepository(StocktakeLine).insert(rows);
  const adjusted = rows.filter((r) => r.difference !== 0);
  await addMovements(
    em,
    actor,
    { type: StockDocumentType.STOCKTAKE, id: stocktake.id },
    adjusted.map((r) => ({
      partId: r.partId,
      locationId,
      kind: MovementKind.ADJUSTMENT,
      quantity: r.difference,
      unitCostFen: r.unitCostFen,
      reason: r.reason ?? 'stocktake',
    })),
    now,
  );
  stocktake.differenceFen = adjusted.reduce((s, r) => s + r.difference * r.unitCostFen, 0);
  await em.query(`UPDATE stocktake SET differenceFen = ? WHERE id = ?`, [stocktake.differenceFen, stocktake.id]);
  await recordChange(em, actor, {
    action: 'recordStocktake',
    entityType: 'Stocktake',
    entityId: stocktake.id,
    data: {
      locationId,
      note,
      differenceFen: stocktake.differenceFen,
      adjusted: adjusted.map(({ partId, bookQuantity, countedQuantity, reason }) => ({ partId, bookQuantity, countedQuantity, reason })),
    },
  });
  return stocktake;
}

// ---- queries ------------------------------------------------------------------------------------

export interface StockLevelFilter {
  locationId?: string | null;
  partId?: string | null;
  partnerId?: string | null;
  belowReorderPoint?: boolean | null;
  /** Leave out levels at zero. */
  inStock?: boolean | null;
}

/**
 * Stock levels a user may see: staff every location; a REPAIR_PARTNER the centre and its own
 * shelf. `belowReorderPoint` lists the centre's levels under their part's reorder point: the
 * reorder point is the centre's trigger to buy, it means nothing on a shop's shelf. Each level
 * comes with its part and location from the same statement (the shelf a repair shop checks is one
 * of the most frequent queries: one statement, not three).
 */
export async function listStockLevels(
  em: EntityManager,
  actor: AuthUser,
  filter: StockLevelFilter,
  args: ConnectionArgs,
  /** The properties the selection reads of each entity (selectedColumns, as properties); absent: all. */
  select: { level?: string[] | null; part?: string[] | null; location?: string[] | null } = {},
) {
  const qb = em.getRepository(StockLevel).createQueryBuilder('sl');
  const tenant = tenantPartnerOf(actor);
  const locationId = parseOptionalId(filter.locationId, 'filter.locationId');
  const partnerId = parseOptionalId(filter.partnerId, 'filter.partnerId');
  if (tenant != null && partnerId != null && tenant !== partnerId) throw new NotFoundError('RepairPartner', partnerId);
  if (locationId != null) {
    assertLocationAllowed(await visibleLocationIds(em, actor), locationId);
    qb.andWhere('sl.locationId = :locationId', { locationId });
  } else if (tenant != null && partnerId == null) {
    // In the page's own statement rather than as visibleLocationIds' list (one statement fewer).
    const visible = tenantLocations(tenant);
    qb.andWhere(`sl.locationId IN (SELECT v.id FROM stock_location v WHERE ${visible.where})`, visible.params);
  }
  if (partnerId != null) {
    // On the location joined below for the page (a level has one location): MariaDB spent a
    // tenth more on the same page through an IN subquery.
    qb.andWhere('jl.partnerId = :partnerId', { partnerId });
  }
  const partId = parseOptionalId(filter.partId, 'filter.partId');
  if (partId != null) qb.andWhere('sl.partId = :partId', { partId });
  if (filter.inStock) qb.andWhere('sl.onHand > 0');
  if (filter.belowReorderPoint) {
    qb.innerJoin(Part, 'p', 'p.id = sl.partId')
      .andWhere('sl.locationId = :centre', { centre: await centreLocationId(em) })
      .andWhere('sl.onHand < p.reorderPoint');
  } else if (filter.belowReorderPoint === false) {
    qb.innerJoin(Part, 'p', 'p.id = sl.partId').andWhere('NOT (sl.locationId = :centre AND sl.onHand < p.reorderPoint)', {
      centre: await centreLocationId(em),
    });
  }
  qb.leftJoin(Part, 'jp', 'jp.id = sl.partId').leftJoin(StockLocation, 'jl', 'jl.id = sl.locationId');
  return paginate(qb, args, undefined, {
    select: select.level,
    joins: [
      { alias: 'jp', target: Part, property: 'joinedPart', select: select.part },
      { alias: 'jl', target: StockLocation, property: 'joinedLocation', select: select.location },
    ],
  });
}

export interface MovementFilter {
  partId?: string | null;
  locationId?: string | null;
  kind?: MovementKind | null;
  documentType?: StockDocumentType | null;
  documentId?: string | null;
}

/**
 * The ledger, oldest first. A REPAIR_PARTNER reads its own shelf's movements only: the centre's
 * ledger shows what other shops were issued.
 */
export async function listMovements(em: EntityManager, actor: AuthUser, filter: MovementFilter, args: ConnectionArgs) {
  const qb = em.getRepository(StockMovement).createQueryBuilder('m');
  const locationId = parseOptionalId(filter.locationId, 'filter.locationId');
  const tenant = tenantPartnerOf(actor);
  if (tenant != null) {
    const own: { id: number }[] = await em.query(`SELECT id FROM stock_location WHERE partnerId = ?`, [tenant]);
    const shelf = own.length ? Number(own[0].id) : -1;
    if (locationId != null && locationId !== shelf) {
      // The centre is no other tenant's: FORBIDDEN there; another shop's shelf does not exist for it.
      if (locationId === (await centreLocationId(em))) throw new ForbiddenError("A repair partner reads its own shelf's movements only, not the centre's");
      throw new NotFoundError('StockLocation', locationId);
    }
    qb.andWhere('m.locationId = :shelf', { shelf });
  }
  if (locationId != null) qb.andWhere('m.locationId = :locationId', { locationId });
  const partId = parseOptionalId(filter.partId, 'filter.partId');
  if (partId != null) qb.andWhere('m.partId = :partId', { partId });
  if (filter.kind) qb.andWhere('m.kind = :kind', { kind: filter.kind });
  if (filter.documentType) qb.andWhere('m.documentType = :documentType', { documentType: filter.documentType });
  const documentId = parseOptionalId(filter.documentId, 'filter.documentId');
  if (documentId != null) {
    if (!filter.documentType) throw new BadInputError('filter.documentId', 'needs filter.documentType');
    qb.andWhere('m.documentId = :documentId', { documentId });
  }
  return paginate(qb, args);
}

export interface LocationValuation {
  locationId: number;
  partCount: number;
  units: number;
  valueFen: number;
}

/** Stock at cost per location (units × the location's moving-average cost), in one grouped query. */
export async function stockValuation(
  em: EntityManager,
  actor: AuthUser,
  locationIdRaw?: string | null,
): Promise<{ totalFen: number; units: number; locations: LocationValuation[] }> {
  const visible = await visibleLocationIds(em, actor);
  const locationId = parseOptionalId(locationIdRaw, 'locationId');
  if (locationId != null) assertLocationAllowed(visible, locationId);
  const where: string[] = [];
  const params: unknown[] = [];
  if (visible) {
    where.push(`l.id IN (${placeholders(visible.length)})`);
    params.push(...visible);
  }
  if (locationId != null) {
    where.push('l.id = ?');
    params.push(locationId);
  }
  const rows: { locationId: number; partCount: unknown; units: unknown; valueFen: unknown }[] = await em.query(
    `SELECT l.id AS locationId,
            COUNT(CASE WHEN sl.onHand > 0 THEN 1 END) AS partCount,
            COALESCE(SUM(sl.onHand), 0) AS units,
            COALESCE(SUM(sl.onHand * sl.unitCostFen), 0) AS valueFen
       FROM stock_location l LEFT JOIN stock_level sl ON sl.locationId = l.id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      GROUP BY l.id
      ORDER BY CASE WHEN l.kind = ? THEN 0 ELSE 1 END, l.id`,
    [...params, LocationKind.CENTRE],
  );
  const locations = rows.map((r) => ({
    locationId: Number(r.locationId),
    partCount: Number(r.partCount),
    units: Number(r.units),
    valueFen: toFen(r.valueFen),
  }));
  return {
    totalFen: locations.reduce((s, l) => s + l.valueFen, 0),
    units: locations.reduce((s, l) => s + l.units, 0),
    locations,
  };
}

export async function locationsFor(em: EntityManager, actor: AuthUser, filter: { kind?: LocationKind | null }, args: ConnectionArgs) {
  return listLocations(em, await visibleLocationIds(em, actor), filter, args);
}

export async function getLocation(em: EntityManager, actor: AuthUser, idRaw: string): Promise<StockLocation> {
  const id = parseId(idRaw, 'id');
  const visible = await visibleLocationIds(em, actor);
  const location = await em.getRepository(StockLocation).findOne({ where: { id } });
  if (!location || (visible && !visible.includes(id))) throw new NotFoundError('Location', id);
  return location;
}

export function listReceipts(em: EntityManager, filter: { supplierId?: string | null }, args: ConnectionArgs) {
  const supplierId = parseOptionalId(filter.supplierId, 'filter.supplierId');
  const qb = em.getRepository(PurchaseReceipt).createQueryBuilder('d');
  if (supplierId != null) qb.andWhere('d.supplierId = :supplierId', { supplierId });
  return paginate(qb, args, [{ column: 'd.id', value: (n) => n.id, direction: 'DESC' }]);
}

export async function getReceipt(em: EntityManager, idRaw: string): Promise<PurchaseReceipt> {
  const id = parseId(idRaw, 'id');
  const receipt = await em.getRepository(PurchaseReceipt).findOne({ where: { id } });
  if (!receipt) throw new NotFoundError('PurchaseReceipt', id);
  return receipt;
}

export function listStocktakes(em: EntityManager, filter: { locationId?: string | null }, args: ConnectionArgs) {
  const locationId = parseOptionalId(filter.locationId, 'filter.locationId');
  const qb = em.getRepository(Stocktake).createQueryBuilder('d');
  if (locationId != null) qb.andWhere('d.locationId = :locationId', { locationId });
  return paginate(qb, args, [{ column: 'd.id', value: (n) => n.id, direction: 'DESC' }]);
}
