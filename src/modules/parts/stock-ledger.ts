/**
 * The ledger's primitives. Every change of stock goes through takeStock/putStock/setStock (the
 * level) and addMovements (the ledger row), called in the same transaction, so the sum of a
 * (part, location)'s movements is always its level.
 */
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth';
import { execute, forUpdate, insertRows, isMysql, placeholders, toDbDate } from '../../common/db';
import { toFen } from '../../common/money';
import { actorColumns, roundDiv } from './parts.common';
import { MovementKind, StockDocumentType } from './stock-movement.entity';

/**
 * Take `quantity` off a level, only if that much is there. Returns false when not (or when the
 * level does not exist): the caller turns that into CONFLICT and its transaction rolls back.
 */
export async function takeStock(
  em: EntityManager,
  locationId: number,
  partId: number,
  quantity: number,
  now: Date,
  /** Only at this unit cost: the caller priced its documents before taking the lock. */
  atCostFen?: number,
): Promise<boolean> {
  const res = await exec(
    em,
    `UPDATE stock_level SET onHand = onHand - ?, updatedAt = ? WHERE partId = ? AND locationId = ? AND onHand >= ?${atCostFen === undefined ? '' : ' AND unitCostFen = ?'}`,
    [quantity, toDbDate(now), partId, locationId, quantity, ...(atCostFen === undefined ? [] : [atCostFen])],
  );
  return res > 0;
}

/**
 * Add `quantity` units costing `unitCostFen` each to a level (created when missing). The level's
 * cost becomes the moving average of what was there and what came in, rounded to whole fen. The
 * new cost is assigned before onHand: MySQL evaluates SET left to right, SQLite from the old row,
 * and both then read the old onHand.
 */
export async function putStock(em: EntityManager, locationId: number, partId: number, quantity: number, unitCostFen: number, now: Date): Promise<void> {
  const params = [partId, locationId, quantity, unitCostFen, toDbDate(now)];
  if (isMysql(em)) {
    const avg = roundDiv(em, 'onHand * unitCostFen + VALUES(onHand) * VALUES(unitCostFen)', 'onHand + VALUES(onHand)');
    await em.query(
      `INSERT INTO stock_level (partId, locationId, onHand, unitCostFen, updatedAt) VALUES (?, ?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE
         unitCostFen = CASE WHEN onHand + VALUES(onHand) <= 0 THEN VALUES(unitCostFen) ELSE ${avg} END,
         onHand = onHand + VALUES(onHand),
         updatedAt = VALUES(updatedAt)`,
      params,
    );
  } else {
    const avg = roundDiv(em, 'onHand * unitCostFen + excluded.onHand * excluded.unitCostFen', 'onHand + excluded.onHand');
    await em.query(
      `INSERT INTO stock_level (partId, locationId, onHand, unitCostFen, updatedAt) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (partId, locationId) DO UPDATE SET
         unitCostFen = CASE WHEN onHand + excluded.onHand <= 0 THEN excluded.unitCostFen ELSE ${avg} END,
         onHand = onHand + excluded.onHand,
         updatedAt = excluded.updatedAt`,
      params,
    );
  }
}

/** Compare-and-set a level to a counted figure; false when it moved since `expected` was read. */
export async function setStock(em: EntityManager, locationId: number, partId: number, expected: number, counted: number, now: Date): Promise<boolean> {
  const res = await exec(em, `UPDATE stock_level SET onHand = ?, updatedAt = ? WHERE partId = ? AND locationId = ? AND onHand = ?`, [
    counted,
    toDbDate(now),
    partId,
    locationId,
    expected,
  ]);
  return res > 0;
}

export interface LevelRow {
  partId: number;
  onHand: number;
  unitCostFen: number;
}

/**
 * Levels of some parts at one location. After the caller's own conditional write on a row, MySQL
 * shows it the row as it left it (its own change on the latest version), so the cost read here is
 * the one the stock moved at. `lock` takes the rows for a count (stocktake).
 */
export async function readLevels(em: EntityManager, locationId: number, partIds: number[], lock = false): Promise<Map<number, LevelRow>> {
  if (!partIds.length) return new Map();
  const rows: { partId: number; onHand: number; unitCostFen: unknown }[] = await em.query(
    `SELECT partId, onHand, unitCostFen FROM stock_level WHERE locationId = ? AND partId IN (${placeholders(partIds.length)}) ORDER BY partId${lock ? forUpdate(em) : ''}`,
    [locationId, ...partIds],
  );
  return new Map(rows.map((r) => [Number(r.partId), { partId: Number(r.partId), onHand: Number(r.onHand), unitCostFen: toFen(r.unitCostFen) }]));
}

export interface NewMovement {
  partId: number;
  locationId: number;
  kind: MovementKind;
  quantity: number;
  unitCostFen: number;
  reason?: string | null;
}

/** Both legs of moving lines between two locations: out of `from`, into `to`, at each line's unit cost. */
export function transferMovements(
  lines: { partId: number; quantity: number; unitCostFen: number }[],
  from: number,
  to: number,
  kind: MovementKind,
  reason?: string | null,
): NewMovement[] {
  return lines.flatMap((m) => [
    { partId: m.partId, locationId: from, kind, quantity: -m.quantity, unitCostFen: m.unitCostFen, reason },
    { partId: m.partId, locationId: to, kind, quantity: m.quantity, unitCostFen: m.unitCostFen, reason },
  ]);
}

export async function addMovements(
  em: EntityManager,
  actor: AuthUser | null,
  document: { type: StockDocumentType; id: number },
  movements: NewMovement[],
  now: Date,
): Promise<void> {
  const who = actorColumns(actor);
  const at = toDbDate(now);
  await insertRows(
    em,
    'stock_movement',
    MOVEMENT_COLUMNS,
    movements.map((m) => [
      m.partId,
      m.locationId,
      m.kind,
      m.quantity,
      m.unitCostFen,
      document.type,
      document.id,
      m.reason ?? null,
      who.actorId,
      who.actorName,
      at,
    ]),
  );
}

const MOVEMENT_COLUMNS = [
  'partId',
  'locationId',
  'kind',
  'quantity',
  'unitCostFen',
  'documentType',
  'documentId',
  'reason',
  'actorId',
  'actorName',
  'at',
] as const;

export interface NewLine {
  partId: number;
  quantity: number;
  unitCostFen: number;
}

export async function addDocumentLines(em: EntityManager, document: { type: StockDocumentType; id: number }, lines: NewLine[]): Promise<void> {
  await insertRows(
    em,
    'parts_document_line',
    LINE_COLUMNS,
    lines.map((l) => [document.type, document.id, l.partId, l.quantity, l.unitCostFen, l.quantity * l.unitCostFen]),
  );
}

const LINE_COLUMNS = ['documentType', 'documentId', 'partId', 'quantity', 'unitCostFen', 'amountFen'] as const;

async function exec(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  return (await execute(em, sql, params)).affected;
}
