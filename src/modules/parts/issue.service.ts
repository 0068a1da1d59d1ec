import { DataSource, EntityManager } from 'typeorm';
import { AuthUser, scopePartner, tenantPartnerOf } from '../../common/auth';
import { Role } from '../../common/roles';
import { execute, forUpdate, fromDbDate, insertRows, isMysql, placeholders, toDbDate } from '../../common/db';
import { nullableFen, toFen } from '../../common/money';
import { BadInputError, ConflictError, isUniqueViolation, NotFoundError } from '../../common/errors';
import { inTransaction } from '../../common/tx';
import { parseId, parseOptionalId } from '../../common/ids';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { recordChange } from '../changelog/change-log.service';
import { PartnerStatus } from '../repair/repair-partner.entity';
import { getOpenRepairOrderForPartner } from '../repair/repair-order.service';
import { byPartId, loadPartner, loadParts, parseIdempotencyKey, PartRef, resolvePartnerId } from './documents.common';
import { creditAccount, creditFundRow, drawOnAccount, drawOnFundRow, FUND_ID, lockAccount, recordDraw, recordReturnCredit } from './fund.service';
import { centreLocationId, shelfOf } from './location.service';
import { PartsConsumption } from './parts-consumption.entity';
import { PartsIssue } from './parts-issue.entity';
import { PartsReturn } from './parts-return.entity';
import { actorColumns, LineInput, matchKey, ParsedLine, parseLines } from './parts.common';
import { optionalText } from '../../common/text';
import { NotEnoughStockError, PartsConflict } from './parts.errors';
import { addDocumentLines, addMovements, LevelRow, putStock, readLevels, takeStock, transferMovements } from './stock-ledger';
import { MovementKind, StockDocumentType } from './stock-movement.entity';

export interface IssuePartsInput {
  partnerId?: string | null;
  lines: LineInput[];
  idempotencyKey?: string | null;
}

export interface IssueOptions {
  now?: Date;
  /** Lock the centre's levels before pricing and take them statement by statement (the rerun after IssueRerun). */
  lockLevelsFirst?: boolean;
}

interface PriorIssue {
  issue: PartsIssue;
  lines: { partId: number; quantity: number }[];
}

/**
 * The issue a key already made, with its lines. After losing the race on the unique key, MySQL's
 * snapshot may predate the winner's commit, so `latest` reads with a lock (the latest committed rows).
 */
async function issueByKey(em: EntityManager, partnerId: number, key: string, latest: boolean): Promise<PriorIssue | null> {
  const lock = latest ? forUpdate(em) : '';
  const rows: Record<string, unknown>[] = await em.query(
    `SELECT id, partnerId, locationId, idempotencyKey, totalFen, issuedAt, actorId, actorName FROM parts_issue WHERE partnerId = ? AND idempotencyKey = ?${lock}`,
    [partnerId, key],
  );
  if (!rows.length) return null;
  const r = rows[0];
  const lines: { partId: unknown; quantity: unknown }[] = await em.query(
    `SELECT partId, quantity FROM parts_document_line WHERE documentType = ? AND documentId = ?${lock}`,
    [StockDocumentType.PARTS_ISSUE, Number(r.id)],
  );
  const issue = em.getRepository(PartsIssue).create({
    id: Number(r.id),
    partnerId: Number(r.partnerId),
    locationId: Number(r.locationId),
    idempotencyKey: String(r.idempotencyKey),
    totalFen: toFen(r.totalFen),
    issuedAt: fromDbDate(r.issuedAt)!,
    actorId: r.actorId == null ? null : Number(r.actorId),
    actorName: (r.actorName as string | null) ?? null,
  });
  return { issue, lines: lines.map((l) => ({ partId: Number(l.partId), quantity: Number(l.quantity) })) };
}

/** A retry must ask for what the first call asked for; the same key on another request is a client bug. */
function replay(prior: PriorIssue, lines: { partId: number; quantity: number }[]): PartsIssue {
  const a = prior.lines
    .map((l) => `${l.partId}x${l.quantity}`)
    .sort()
    .join(',');
  const b = lines
    .map((l) => `${l.partId}x${l.quantity}`)
    .sort()
    .join(',');
  if (a !== b) {
    throw new ConflictError(
      PartsConflict.IDEMPOTENCY_KEY_REUSED,
      `idempotencyKey "${prior.issue.idempotencyKey}" was already used for issue ${prior.issue.id} with other lines`,
      {
        field: 'input.idempotencyKey',
        issueId: String(prior.issue.id),
      },
    );
  }
  return prior.issue;
}

/**
 * The issue could not take its lines at the prices it was given: the centre's cost moved between
 * pricing and taking, or (on MySQL, where one statement takes the lines and draws on the fund) a
 * line was short or the fund's limit was reached, and that statement does not say which.
 * issuePartsInTransaction runs the issue again in a new transaction, with the levels locked before
 * pricing and taken statement by statement, which either issues or says what refused it.
 */
export class IssueRerun extends Error {}

/**
 * The centre's levels of every line and the fund row in one multi-table UPDATE (MySQL): each level
 * only if it holds the quantity at the cost the line was priced at, the fund only within its
 * limit, as takeStock and drawOnFundRow do one by one. Every issue of a part waits on its centre
 * level and every issue on the fund row, so both are taken in one round trip and held one more,
 * to the commit. False when fewer rows than the lines and the fund row matched: a part of it may
 * have been written, and the caller's rollback takes that back.
 */
async function takeAndDraw(
  em: EntityManager,
  centre: number,
  moved: { partId: number; quantity: number; unitCostFen: number }[],
  totalFen: number,
  now: Date,
): Promise<boolean> {
  const at = toDbDate(now);
  const ids = moved.map((m) => m.partId);
  const byPart = (pick: (m: (typeof moved)[number]) => number) =>
    moved.length === 1
      ? { sql: '?', params: [pick(moved[0])] }
      : { sql: `CASE c.partId ${moved.map(() => 'WHEN ? THEN ?').join(' ')} END`, params: moved.flatMap((m) => [m.partId, pick(m)]) };
  const quantity = byPart((m) => m.quantity);
  const cost = byPart((m) => m.unitCostFen);
  const res = await execute(
    em,
    `UPDATE stock_level c JOIN parts_fund f ON f.id = ?
        SET c.onHand = c.onHand - ${quantity.sql}, c.updatedAt = ?, f.outstandingFen = f.outstandingFen + ?, f.updatedAt = ?
      WHERE c.locationId = ? AND c.partId IN (${placeholders(ids.length)}) AND c.onHand >= ${quantity.sql} AND c.unitCostFen = ${cost.sql}
        AND f.limitFen IS NOT NULL AND f.outstandingFen + ? <= f.limitFen`,
    [FUND_ID, ...quantity.params, at, totalFen, at, centre, ...ids, ...quantity.params, ...cost.params, totalFen],
  );
  return res.affected === moved.length + 1;
}

/** What an issue reads before it writes: the partner, the fund's default cap and the partner's shelf. */
interface IssueTarget {
  code: string;
  status: PartnerStatus;
  defaultCapFen: number | null;
  shelfId: number | null;
}

interface IssueReads {
  target: IssueTarget;
  /** The lines' parts, when asked for with their centre levels (an unknown one is BAD_USER_INPUT on its line). */
  parts: Map<number, PartRef>;
  costs: Map<number, LevelRow>;
}

/**
 * One statement for everything an issue reads before it writes: the partner, the policy's default
 * cap (a plain read, see issueParts), its shelf and, with `centre`, the lines' parts and their
 * levels at the centre (plain reads: they price the lines). A missing partner is BAD_USER_INPUT.
 */
async function readIssue(em: EntityManager, partnerId: number, lines: ParsedLine[], centre: number | null): Promise<IssueReads> {
  const ids = lines.map((l) => l.partId);
  const withParts = centre !== null;
  const rows: Record<string, unknown>[] = await em.query(
    `SELECT rp.code, rp.status, f.defaultPartnerCapFen, (SELECT l.id FROM stock_location l WHERE l.partnerId = rp.id) AS shelfId${
      withParts ? ', p.id AS partId, p.sku, p.name, sl.onHand, sl.unitCostFen' : ''
    }
       FROM repair_partner rp LEFT JOIN parts_fund f ON f.id = ?${
         withParts ? ` LEFT JOIN part p ON p.id IN (${placeholders(ids.length)}) LEFT JOIN stock_level sl ON sl.partId = p.id AND sl.locationId = ?` : ''
       }
      WHERE rp.id = ?`,
    withParts ? [FUND_ID, ...ids, centre, partnerId] : [FUND_ID, partnerId],
  );
  if (!rows.length) throw new BadInputError('input.partnerId', `no repair partner ${partnerId}`);
  const r = rows[0];
  const target = {
    code: String(r.code),
    status: r.status as PartnerStatus,
    defaultCapFen: nullableFen(r.defaultPartnerCapFen),
    shelfId: r.shelfId == null ? null : Number(r.shelfId),
  };
  const parts = new Map<number, PartRef>();
  const costs = new Map<number, LevelRow>();
  if (!withParts) return { target, parts, costs };
  for (const row of rows) {
    if (row.partId == null) continue;
    const id = Number(row.partId);
    parts.set(id, { id, sku: String(row.sku), name: String(row.name) });
    if (row.onHand != null) costs.set(id, { partId: id, onHand: Number(row.onHand), unitCostFen: toFen(row.unitCostFen) });
  }
  return { target, parts, costs };
}

/**
 * issueParts in a transaction of its own, the way the API runs it: when the centre's cost moved
 * under the issue, or its one-statement take refused (IssueRerun), it is rolled back and run again
 * with the levels locked first.
 */
export async function issuePartsInTransaction(ds: DataSource, actor: AuthUser | null, input: IssuePartsInput, opts: IssueOptions = {}): Promise<PartsIssue> {
  try {
    return await inTransaction(ds, (em) => issueParts(em, actor, input, opts));
  } catch (err) {
    if (!(err instanceof IssueRerun)) throw err;
  }
  return inTransaction(ds, (em) => issueParts(em, actor, input, { ...opts, lockLevelsFirst: true }));
}

/**
 * Move parts from the centre to a partner's shelf and draw their cost on the revolving fund.
 *
 * Concurrency. Every issue of a part waits on that part's centre level, and every issue in the
 * network on the one fund row, so those locks are taken last and held only to the commit:
 *   1. read the partner, its shelf, the policy's default cap and the parts with their centre
 *      costs, in one plain read, which prices the lines;
 *   2. write what locks nothing shared: the issue row (its unique idempotency key makes a
 *      concurrent retry wait here, then return this issue), lines, movements, the change-log
 *      row and the fund entry;
 *   3. the partner's fund account (conditional on its cap);
 *   4. each centre level by a conditional UPDATE (`onHand >= ?`, never below zero, and only at
 *      the cost the lines were priced at), the partner's shelf, then the fund row
 *      (`outstandingFen + ? <= limit`).
 * Every writer takes these locks in this order (account, centre, shelf, fund row), so they queue
 * rather than deadlock. An issue is twelve statements with its transaction's two (issue 25),
 * eleven on MySQL.
 *
 * On MySQL, step 4 is the shelf first, then the centre's levels and the fund row in one
 * statement (takeAndDraw), so the two locks every issue of a part waits on are held for two
 * round trips (that statement and the commit) rather than four (issue 25). Taking the shelf
 * before the centre cannot deadlock: the account's lock (step 3) already orders this partner's
 * issues and returns. That statement may lock the fund row before the levels; a return of the
 * same part (centre, then fund) meeting it there is a deadlock, which inTransaction re-runs. When
 * it cannot take everything (a line short, the cost moved, the fund's limit) it does not say
 * which: IssueRerun rolls back and the issue runs again statement by statement, which says.
 *
 * Idempotency. A key seen before is found by the issue row's unique key (step 2), so a first call
 * pays no lookup; a retry of a call that was refused before writing (an unknown part, a partner
 * no longer active) looks the key up then, and gets the issue it made if it made one.
 *
 * The fund policy is in the database (parts_fund: limitFen, defaultPartnerCapFen; fund_account:
 * capFen), so every process applies the same one. The limit is checked in the fund row's own
 * conditional UPDATE (step 4). The cap that applies to the partner (its own, else the default) is
 * in the account's conditional UPDATE (step 3); the default is read with a plain read at step 1,
 * taking no lock (a setFundPolicy committing in between orders as if after this issue, like a cap
 * lowered below what a partner owes: it stops the next draw).
 *
 * Self-issue: a REPAIR_PARTNER may issue parts to its own shelf (it is among PARTS_MOVERS: a shop
 * restocks its shelf from the centre), but only under a cap (its own or the default), never on the
 * fund's limit alone: with no cap at all the draw is FORBIDDEN, and staff issue to it instead. The
 * condition is part of the account's conditional UPDATE, so a cap removed concurrently cannot
 * slip through.
 * A refusal throws CONFLICT and the transaction rolls back all of it. When a receipt moved the
 * cost between 1 and 4 (rare), IssueRerun rolls it back too, and issuePartsInTransaction
 * runs it again with `lockLevelsFirst`.
 */
export async function issueParts(em: EntityManager, actor: AuthUser | null, input: IssuePartsInput, opts: IssueOptions): Promise<PartsIssue> {
  const now = opts.now ?? new Date();
  const lines = parseLines('input.lines', input.lines);
  const key = parseIdempotencyKey('input.idempotencyKey', input.idempotencyKey);
  const partnerId = actor ? resolvePartnerId(actor, input.partnerId, 'input.partnerId') : parseId(input.partnerId, 'input.partnerId');
  const sorted = byPartId(lines);
  const lockFirst = opts.lockLevelsFirst === true;

  let target: IssueTarget;
  let parts: Map<number, PartRef>;
  let costs: Map<number, LevelRow>;
  const centre = await centreLocationId(em);
  try {
    ({ target, parts, costs } = await readIssue(em, partnerId, lines, lockFirst ? null : centre));
    if (target.status !== PartnerStatus.ACTIVE) {
      throw new ConflictError(PartsConflict.PARTNER_NOT_ACTIVE, `Partner ${target.code} is ${target.status}: parts are issued to active partners only`, {
        partnerId: String(partnerId),
      });
    }
    if (lockFirst) {
      parts = await loadParts(em, 'input.lines', lines);
      costs = await readLevels(
        em,
        centre,
        sorted.map((l) => l.partId),
        true,
      );
    } else {
      for (const l of lines) {
        if (!parts.has(l.partId)) throw new BadInputError(`input.lines.${l.index}.partId`, `no part ${l.partId}`);
      }
    }
  } catch (err) {
    // A retry of a call that issued, refused now (the partner suspended since): the issue it made.
    if (key && (err instanceof ConflictError || err instanceof BadInputError)) {
      const prior = await issueByKey(em, partnerId, key, false);
      if (prior) return replay(prior, lines);
    }
    throw err;
  }
  const selfIssue = actor?.role === Role.REPAIR_PARTNER;
  const shelf = target.shelfId ?? (await shelfOf(em, partnerId));

  const moved = sorted.map((l) => ({ partId: l.partId, quantity: l.quantity, unitCostFen: costs.get(l.partId)?.unitCostFen ?? 0 }));
  const totalFen = moved.reduce((s, m) => s + m.quantity * m.unitCostFen, 0);
  const issue = em.getRepository(PartsIssue).create({ partnerId, locationId: shelf, idempotencyKey: key, totalFen, issuedAt: now, ...actorColumns(actor) });
  try {
    const { insertId } = await insertRows(em, 'parts_issue', ISSUE_COLUMNS, [[partnerId, shelf, key, totalFen, toDbDate(now), issue.actorId, issue.actorName]]);
    issue.id = insertId;
  } catch (err) {
    if (key && isUniqueViolation(err)) {
      const prior = await issueByKey(em, partnerId, key, true);
      if (prior) return replay(prior, lines);
    }
    throw err;
  }
  const doc = { type: StockDocumentType.PARTS_ISSUE, id: issue.id };
  await addDocumentLines(em, doc, moved);
  await addMovements(em, actor, doc, transferMovements(moved, centre, shelf, MovementKind.ISSUE), now);
  await recordChange(em, actor, {
    action: 'issueParts',
    entityType: 'PartsIssue',
    entityId: issue.id,
    data: { partnerId, totalFen, idempotencyKey: key, lines: moved },
  });
  await recordDraw(em, actor, partnerId, totalFen, issue.id, now);

  await drawOnAccount(em, partnerId, totalFen, now, { defaultCapFen: target.defaultCapFen, requireCap: selfIssue, partnerCode: target.code });
  // On MySQL the account's row lock (drawOnAccount) already orders this partner's issues and
  // returns, so its shelf goes first and the two network-wide locks are taken last, by one
  // statement (takeAndDraw). Otherwise the centre's levels come first, so two issues of a part to
  // one shelf never insert its row at once (two inserts of one new key, one rolled back, deadlock
  // the others on their shared locks), and the fund row last.
  const oneStatement = !lockFirst && totalFen > 0 && isMysql(em);
  if (!oneStatement) {
    for (const m of moved) {
      if (await takeStock(em, centre, m.partId, m.quantity, now, lockFirst ? undefined : m.unitCostFen)) continue;
      const level = (await readLevels(em, centre, [m.partId], true)).get(m.partId);
      if (!level || level.onHand < m.quantity) throw new NotEnoughStockError('the parts centre', parts.get(m.partId)!, m.quantity, level?.onHand ?? 0);
      throw new IssueRerun(`the centre's cost of part ${m.partId} moved while issue ${issue.id} was priced`);
    }
  }
  for (const m of moved) await putStock(em, shelf, m.partId, m.quantity, m.unitCostFen, now);
  if (!oneStatement) await drawOnFundRow(em, totalFen, now);
  else if (!(await takeAndDraw(em, centre, moved, totalFen, now))) {
    throw new IssueRerun(`issue ${issue.id} could not take its lines from the centre or draw on the fund at its prices`);
  }
  return issue;
}

const ISSUE_COLUMNS = ['partnerId', 'locationId', 'idempotencyKey', 'totalFen', 'issuedAt', 'actorId', 'actorName'] as const;

export interface ConsumePartsInput {
  repairOrderId: string;
  lines: LineInput[];
}

/** Parts a partner used in one of its open repair orders, taken off its shelf. */
export async function consumeParts(em: EntityManager, actor: AuthUser | null, input: ConsumePartsInput, now = new Date()): Promise<PartsConsumption> {
  const orderId = parseId(input.repairOrderId, 'input.repairOrderId');
  const lines = parseLines('input.lines', input.lines);
  const tenant = actor ? tenantPartnerOf(actor) : null;
  const order = await getOpenRepairOrderForPartner(em, orderId, tenant, { lock: true });
  const parts = await loadParts(em, 'input.lines', lines);
  await assertCompatible(em, lines, parts, order);
  const shelf = await shelfOf(em, order.partnerId);

  const repo = em.getRepository(PartsConsumption);
  const doc = repo.create({ repairOrderId: orderId, partnerId: order.partnerId, locationId: shelf, totalFen: 0, consumedAt: now, ...actorColumns(actor) });
  await repo.insert(doc);
  const sorted = byPartId(lines);
  for (const l of sorted) {
    if (!(await takeStock(em, shelf, l.partId, l.quantity, now))) {
      const level = (await readLevels(em, shelf, [l.partId], true)).get(l.partId);
      throw new NotEnoughStockError("the partner's shelf", parts.get(l.partId)!, l.quantity, level?.onHand ?? 0);
    }
  }
  const costs = await readLevels(
    em,
    shelf,
    sorted.map((l) => l.partId),
  );
  const moved = sorted.map((l) => ({ partId: l.partId, quantity: l.quantity, unitCostFen: costs.get(l.partId)!.unitCostFen }));
  const ref = { type: StockDocumentType.PARTS_CONSUMPTION, id: doc.id };
  await addDocumentLines(em, ref, moved);
  await addMovements(
    em,
    actor,
    ref,
    moved.map((m) => ({
      partId: m.partId,
      locationId: shelf,
      kind: MovementKind.CONSUMPTION,
      quantity: -m.quantity,
      unitCostFen: m.unitCostFen,
      reason: `repair order ${orderId}`,
    })),
    now,
  );
  doc.totalFen = moved.reduce((s, m) => s + m.quantity * m.unitCostFen, 0);
  await em.query(`UPDATE parts_consumption SET totalFen = ? WHERE id = ?`, [doc.totalFen, doc.id]);
  await recordChange(em, actor, {
    action: 'consumeParts',
    entityType: 'PartsConsumption',
    entityId: doc.id,
    data: { repairOrderId: orderId, partnerId: order.partnerId, lines: moved },
  });
  return doc;
}

/** A part that lists compatible models fits only those; one that lists none is universal. */
async function assertCompatible(
  em: EntityManager,
  lines: { index: number; partId: number }[],
  parts: Map<number, { id: number; sku: string }>,
  order: { id: number; brand: string; model: string },
): Promise<void> {
  const ids = lines.map((l) => l.partId);
  const rows: { partId: number; brandKey: string; modelKey: string }[] = await em.query(
    `SELECT partId, brandKey, modelKey FROM part_compatible_model WHERE partId IN (${placeholders(ids.length)})`,
    ids,
  );
  const brandKey = matchKey(order.brand);
  const modelKey = matchKey(order.model);
  for (const l of lines) {
    const models = rows.filter((r) => Number(r.partId) === l.partId);
    if (models.length && !models.some((m) => m.brandKey === brandKey && m.modelKey === modelKey)) {
      const part = parts.get(l.partId)!;
      throw new ConflictError(PartsConflict.PART_DOES_NOT_FIT, `Part ${part.sku} does not fit a ${order.brand} ${order.model} (repair order ${order.id})`, {
        field: `input.lines.${l.index}.partId`,
        partId: String(part.id),
        sku: part.sku,
      });
    }
  }
}

export interface ReturnPartsInput {
  partnerId?: string | null;
  lines: LineInput[];
  reason?: string | null;
}

/**
 * Unused parts from a partner's shelf back to the centre. The partner is credited what it was
 * charged for them (its shelf's average cost), and the centre takes them in at that cost.
 */
export async function returnParts(em: EntityManager, actor: AuthUser | null, input: ReturnPartsInput, now = new Date()): Promise<PartsReturn> {
  const lines = parseLines('input.lines', input.lines);
  const reason = optionalText('input.reason', input.reason, 255);
  const partnerId = actor ? resolvePartnerId(actor, input.partnerId, 'input.partnerId') : parseId(input.partnerId, 'input.partnerId');
  await loadPartner(em, partnerId, 'input.partnerId');
  const parts = await loadParts(em, 'input.lines', lines);
  const centre = await centreLocationId(em);
  const shelf = await shelfOf(em, partnerId);

  // The issue's lock order: the partner's account first (its credit is known only once the shelf is
  // taken), then the shelf, the centre and the fund row.
  await lockAccount(em, partnerId, now);
  const sorted = byPartId(lines);
  for (const l of sorted) {
    if (!(await takeStock(em, shelf, l.partId, l.quantity, now))) {
      const level = (await readLevels(em, shelf, [l.partId], true)).get(l.partId);
      throw new NotEnoughStockError("the partner's shelf", parts.get(l.partId)!, l.quantity, level?.onHand ?? 0);
    }
  }
  const costs = await readLevels(
    em,
    shelf,
    sorted.map((l) => l.partId),
  );
  const moved = sorted.map((l) => ({ partId: l.partId, quantity: l.quantity, unitCostFen: costs.get(l.partId)!.unitCostFen }));
  const creditFen = moved.reduce((s, m) => s + m.quantity * m.unitCostFen, 0);
  const repo = em.getRepository(PartsReturn);
  const doc = repo.create({ partnerId, locationId: shelf, creditFen, reason, returnedAt: now, ...actorColumns(actor) });
  await repo.insert(doc);
  const ref = { type: StockDocumentType.PARTS_RETURN, id: doc.id };
  await addDocumentLines(em, ref, moved);
  await addMovements(em, actor, ref, transferMovements(moved, shelf, centre, MovementKind.RETURN, reason), now);
  await recordChange(em, actor, { action: 'returnParts', entityType: 'PartsReturn', entityId: doc.id, data: { partnerId, reason, creditFen, lines: moved } });
  await recordReturnCredit(em, actor, partnerId, creditFen, doc.id, now);
  await creditAccount(em, partnerId, creditFen, now);
  for (const m of moved) await putStock(em, centre, m.partId, m.quantity, m.unitCostFen, now);
  await creditFundRow(em, creditFen, now);
  return doc;
}

// ---- reading the documents -------------------------------------------------------------------

export function listIssues(
  em: EntityManager,
  actor: AuthUser,
  filter: { partnerId?: string | null; from?: Date | null; to?: Date | null },
  args: ConnectionArgs,
) {
  const partnerId = scopedFilter(actor, filter.partnerId);
  const qb = em.getRepository(PartsIssue).createQueryBuilder('d');
  if (partnerId != null) qb.andWhere('d.partnerId = :partnerId', { partnerId });
  if (filter.from) qb.andWhere('d.issuedAt >= :from', { from: toDbDate(filter.from) });
  if (filter.to) qb.andWhere('d.issuedAt < :to', { to: toDbDate(filter.to) });
  return paginate(qb, args, [{ column: 'd.id', value: (n) => n.id, direction: 'DESC' }]);
}

export async function getIssue(em: EntityManager, actor: AuthUser, idRaw: string): Promise<PartsIssue> {
  const id = parseId(idRaw, 'id');
  const issue = await em.getRepository(PartsIssue).findOne({ where: { id } });
  const tenant = tenantPartnerOf(actor);
  if (!issue || (tenant != null && issue.partnerId !== tenant)) throw new NotFoundError('PartsIssue', id);
  return issue;
}

export function listConsumptions(
  em: EntityManager,
  actor: AuthUser,
  filter: { partnerId?: string | null; repairOrderId?: string | null },
  args: ConnectionArgs,
) {
  const partnerId = scopedFilter(actor, filter.partnerId);
  const orderId = parseOptionalId(filter.repairOrderId, 'filter.repairOrderId');
  const qb = em.getRepository(PartsConsumption).createQueryBuilder('d');
  if (partnerId != null) qb.andWhere('d.partnerId = :partnerId', { partnerId });
  if (orderId != null) qb.andWhere('d.repairOrderId = :orderId', { orderId });
  return paginate(qb, args, [{ column: 'd.id', value: (n) => n.id, direction: 'DESC' }]);
}

export function listReturns(em: EntityManager, actor: AuthUser, filter: { partnerId?: string | null }, args: ConnectionArgs) {
  const partnerId = scopedFilter(actor, filter.partnerId);
  const qb = em.getRepository(PartsReturn).createQueryBuilder('d');
  if (partnerId != null) qb.andWhere('d.partnerId = :partnerId', { partnerId });
  return paginate(qb, args, [{ column: 'd.id', value: (n) => n.id, direction: 'DESC' }]);
}

/** A REPAIR_PARTNER sees its own documents; naming another partner is FORBIDDEN (scopePartner). */
function scopedFilter(actor: AuthUser, raw: string | null | undefined): number | null {
  return scopePartner(actor, parseOptionalId(raw, 'filter.partnerId'));
}
