import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '../../common/tx';
import type { AuthUser } from '../../common/auth';
import { scopePartner } from '../../common/auth';
import { execute, forUpdate, fromDbDate, insertRows, toDbDate } from '../../common/db';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../common/errors';
import { parseId, parseOptionalId } from '../../common/ids';
import { assertFen, nullableFen, toFen } from '../../common/money';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { recordChange } from '../changelog/change-log.service';
import { RepairPartner } from '../repair/repair-partner.entity';
import { FundAccount, FundEntryKind, FundLedgerEntry } from './fund.entity';
import { ensureFundAccount } from './location.service';
import { actorColumns, insertIgnore } from './parts.common';
import { optionalText } from '../../common/text';
import { FundExhaustedError, PartsConflict } from './parts.errors';

export const FUND_ID = 1;

/** The policy's first values (PARTS_FUND_LIMIT_FEN, PARTS_FUND_DEFAULT_CAP_FEN). */
export interface FundPolicySeed {
  limitFen: number;
  defaultPartnerCapFen: number | null;
}

/**
 * The fund row, created when missing; with a seed, its policy is written when it has none yet
 * (a new database, or one from before the policy was stored). A policy already there is never
 * overwritten from a process's environment: the database's policy is the one every process uses.
 */
export async function ensureFund(em: EntityManager, now = new Date(), seed?: FundPolicySeed): Promise<void> {
  const rows = await em.query(`SELECT id FROM parts_fund WHERE id = ?`, [FUND_ID]);
  if (!rows.length) {
    await em.query(`${insertIgnore(em)} INTO parts_fund (id, outstandingFen, limitFen, defaultPartnerCapFen, updatedAt) VALUES (?, 0, ?, ?, ?)`, [
      FUND_ID,
      seed?.limitFen ?? null,
      seed?.defaultPartnerCapFen ?? null,
      toDbDate(now),
    ]);
  }
  if (seed) {
    await execute(em, `UPDATE parts_fund SET limitFen = ?, defaultPartnerCapFen = ? WHERE id = ? AND limitFen IS NULL`, [
      seed.limitFen,
      seed.defaultPartnerCapFen,
      FUND_ID,
    ]);
  }
}

/**
 * At every start: the fund row and its policy when the database has none yet, from
 * PARTS_FUND_LIMIT_FEN and PARTS_FUND_DEFAULT_CAP_FEN (a database migrated from before the policy
 * was stored keeps the limit it ran with if the variable still says it). Never overwrites a policy.
 */
export async function seedFundPolicy(ds: DataSource, config: { partsFundLimitFen: number; partsFundDefaultCapFen: number }): Promise<void> {
  await inTransaction(ds, (em) => ensureFund(em, new Date(), { limitFen: config.partsFundLimitFen, defaultPartnerCapFen: config.partsFundDefaultCapFen }));
}

export interface StoredFundPolicy {
  limitFen: number;
  defaultPartnerCapFen: number | null;
  outstandingFen: number;
  changedAt: Date | null;
  changedBy: string | null;
}

/** The policy as stored (a plain read: draws check the limit again in their conditional write). */
export async function readFundPolicy(em: EntityManager): Promise<StoredFundPolicy> {
  const rows: Record<string, unknown>[] = await em.query(
    `SELECT outstandingFen, limitFen, defaultPartnerCapFen, policyChangedAt, policyChangedBy FROM parts_fund WHERE id = ?`,
    [FUND_ID],
  );
  const r = rows[0];
  return {
    limitFen: toFen(r?.limitFen ?? 0),
    defaultPartnerCapFen: nullableFen(r?.defaultPartnerCapFen),
    outstandingFen: toFen(r?.outstandingFen ?? 0),
    changedAt: fromDbDate(r?.policyChangedAt),
    changedBy: (r?.policyChangedBy as string | null) ?? null,
  };
}

export interface FundPolicyChange {
  limitFen?: number | null;
  defaultPartnerCapFen?: number | null;
}

/**
 * Change the limit and/or the default per-partner cap (FINANCE, ADMIN). One UPDATE of the fund
 * row, the row every draw writes last, so a draw commits entirely before or after the change. A
 * limit below what is outstanding (or a cap below what a partner owes) only stops further draws.
 */
export async function setFundPolicy(em: EntityManager, actor: AuthUser, input: FundPolicyChange, now = new Date()): Promise<StoredFundPolicy> {
  if (input.limitFen === null) throw new BadInputError('input.limitFen', 'must be a number of fen (the fund always has a limit)');
  if (input.limitFen !== undefined) assertFen('input.limitFen', input.limitFen);
  if (input.defaultPartnerCapFen != null) assertFen('input.defaultPartnerCapFen', input.defaultPartnerCapFen);
  if (input.limitFen === undefined && input.defaultPartnerCapFen === undefined) {
    throw new BadInputError('input', 'name limitFen, defaultPartnerCapFen or both');
  }
  await ensureFund(em, now);
  const lock = forUpdate(em);
  const [before] = await em.query(`SELECT limitFen, defaultPartnerCapFen FROM parts_fund WHERE id = ?${lock}`, [FUND_ID]);
  const sets: string[] = ['policyChangedAt = ?', 'policyChangedBy = ?'];
  const params: unknown[] = [toDbDate(now), actor.username];
  if (input.limitFen !== undefined) {
    sets.push('limitFen = ?');
    params.push(input.limitFen);
  }
  if (input.defaultPartnerCapFen !== undefined) {
    sets.push('defaultPartnerCapFen = ?');
    params.push(input.defaultPartnerCapFen);
  }
  await execute(em, `UPDATE parts_fund SET ${sets.join(', ')} WHERE id = ?`, [...params, FUND_ID]);
  const after = await readFundPolicy(em);
  await recordChange(em, actor, {
    action: 'setFundPolicy',
    entityType: 'FundPolicy',
    entityId: FUND_ID,
    data: {
      before: { limitFen: nullableFen(before?.limitFen), defaultPartnerCapFen: nullableFen(before?.defaultPartnerCapFen) },
      after: { limitFen: after.limitFen, defaultPartnerCapFen: after.defaultPartnerCapFen },
    },
  });
  return after;
}

/** Partners with a cap of their own. */
export async function partnerCaps(em: EntityManager): Promise<{ partnerId: number; capFen: number }[]> {
  const rows: { partnerId: unknown; capFen: unknown }[] = await em.query(
    `SELECT partnerId, capFen FROM fund_account WHERE capFen IS NOT NULL ORDER BY partnerId`,
  );
  return rows.map((r) => ({ partnerId: Number(r.partnerId), capFen: toFen(r.capFen) }));
}

async function insertEntry(
  em: EntityManager,
  actor: AuthUser | null,
  entry: Pick<FundLedgerEntry, 'partnerId' | 'kind' | 'amountFen'> & Partial<Pick<FundLedgerEntry, 'issueId' | 'returnId' | 'reference' | 'note'>>,
  now: Date,
): Promise<FundLedgerEntry> {
  const row = em
    .getRepository(FundLedgerEntry)
    .create({ issueId: null, returnId: null, reference: null, note: null, ...entry, at: now, ...actorColumns(actor) });
  const { insertId } = await insertRows(em, 'fund_ledger_entry', ENTRY_COLUMNS, [
    [row.partnerId, row.kind, row.amountFen, row.issueId, row.returnId, row.reference, row.note, toDbDate(now), row.actorId, row.actorName],
  ]);
  row.id = insertId;
  return row;
}

const ENTRY_COLUMNS = ['partnerId', 'kind', 'amountFen', 'issueId', 'returnId', 'reference', 'note', 'at', 'actorId', 'actorName'] as const;

/**
 * A draw is three writes, which issueParts places apart: the ledger entry (early, it locks
 * nothing anyone shares), the partner's account (conditional on its cap), and the fund row
 * (conditional on the limit; last, as every issue in the network waits on that one row). Either
 * refusal throws CONFLICT and the caller's transaction rolls back everything it wrote.
 */
export async function recordDraw(
  em: EntityManager,
  actor: AuthUser | null,
  partnerId: number,
  amountFen: number,
  issueId: number,
  now: Date,
): Promise<FundLedgerEntry | null> {
  if (amountFen === 0) return null;
  return insertEntry(em, actor, { partnerId, kind: FundEntryKind.DRAW, amountFen, issueId }, now);
}

export interface AccountDrawRule {
  /** The policy's default cap, for an account without a cap of its own (read when the issue began). */
  defaultCapFen: number | null;
  /** A partner issuing to itself: only under a cap (its own or the default), never on the limit alone. */
  requireCap: boolean;
  partnerCode: string;
}

/**
 * The draw on a partner's account, conditional on the cap that applies to it: its own, else the
 * policy's default. The cap is in the UPDATE's condition, so concurrent issues to one partner
 * queue on its account row and never take it over the cap together.
 */
export async function drawOnAccount(em: EntityManager, partnerId: number, amountFen: number, now: Date, rule: AccountDrawRule): Promise<void> {
  if (amountFen === 0) return;
  const capCondition = rule.requireCap
    ? 'COALESCE(capFen, ?) IS NOT NULL AND outstandingFen + ? <= COALESCE(capFen, ?)'
    : '(COALESCE(capFen, ?) IS NULL OR outstandingFen + ? <= COALESCE(capFen, ?))';
  const draw = () =>
    execute(
      em,
      `UPDATE fund_account SET drawnFen = drawnFen + ?, outstandingFen = outstandingFen + ?, updatedAt = ?
        WHERE partnerId = ? AND ${capCondition}`,
      [amountFen, amountFen, toDbDate(now), partnerId, rule.defaultCapFen, amountFen, rule.defaultCapFen],
    );
  if ((await draw()).affected > 0) return;
  // A locking read: the latest committed balance, not this transaction's snapshot.
  let acct: { capFen: unknown; outstandingFen: unknown }[] = await em.query(
    `SELECT capFen, outstandingFen FROM fund_account WHERE partnerId = ?${forUpdate(em)}`,
    [partnerId],
  );
  if (!acct.length) {
    await ensureFundAccount(em, partnerId, now);
    if ((await draw()).affected > 0) return;
    acct = await em.query(`SELECT capFen, outstandingFen FROM fund_account WHERE partnerId = ?${forUpdate(em)}`, [partnerId]);
  }
  const cap = nullableFen(acct[0]?.capFen) ?? rule.defaultCapFen;
  if (cap === null && rule.requireCap) {
    throw new ForbiddenError(
      `A repair partner may issue parts to itself only under a fund cap, and ${rule.partnerCode} has none (nor is there a default cap): AFTERSALES_STAFF or ADMIN may issue to it; FINANCE or ADMIN set caps`,
    );
  }
  throw new FundExhaustedError('partnerCap', amountFen, (cap ?? 0) - toFen(acct[0]?.outstandingFen ?? 0));
}

/** The draw on the fund row, conditional on the limit stored in that same row. Taken last (see issueParts). */
export async function drawOnFundRow(em: EntityManager, amountFen: number, now: Date): Promise<void> {
  if (amountFen === 0) return;
  const draw = () =>
    execute(
      em,
      `UPDATE parts_fund SET outstandingFen = outstandingFen + ?, updatedAt = ? WHERE id = ? AND limitFen IS NOT NULL AND outstandingFen + ? <= limitFen`,
      [amountFen, toDbDate(now), FUND_ID, amountFen],
    );
  if ((await draw()).affected > 0) return;
  const fund: { outstandingFen: unknown; limitFen: unknown }[] = await em.query(
    `SELECT outstandingFen, limitFen FROM parts_fund WHERE id = ?${forUpdate(em)}`,
    [FUND_ID],
  );
  if (!fund.length || fund[0].limitFen === null || fund[0].limitFen === undefined) {
    throw new ConflictError(
      PartsConflict.FUND_EXHAUSTED,
      'The revolving fund has no policy yet (limit): it is seeded from PARTS_FUND_LIMIT_FEN when the app starts',
    );
  }
  throw new FundExhaustedError('fund', amountFen, toFen(fund[0].limitFen) - toFen(fund[0].outstandingFen));
}

/**
 * A return's credit, in the issue's lock order (the partner's account before the centre's levels,
 * the fund row last): the entry, then `creditAccount`, then the caller's centre writes, then
 * `creditFundRow`. The account may go below zero: a credit the partner holds for parts it returned
 * after repaying them.
 */
export async function recordReturnCredit(
  em: EntityManager,
  actor: AuthUser | null,
  partnerId: number,
  creditFen: number,
  returnId: number,
  now: Date,
): Promise<void> {
  if (creditFen === 0) return;
  await insertEntry(em, actor, { partnerId, kind: FundEntryKind.RETURN_CREDIT, amountFen: -creditFen, returnId }, now);
}

/** Hold a partner's account row (created when missing) before writes whose amount is not known yet. */
export async function lockAccount(em: EntityManager, partnerId: number, now: Date): Promise<void> {
  const rows = await em.query(`SELECT partnerId FROM fund_account WHERE partnerId = ?${forUpdate(em)}`, [partnerId]);
  if (!rows.length) await ensureFundAccount(em, partnerId, now);
}

export async function creditAccount(em: EntityManager, partnerId: number, creditFen: number, now: Date): Promise<void> {
  if (creditFen === 0) return;
  const credit = () =>
    execute(em, `UPDATE fund_account SET creditedFen = creditedFen + ?, outstandingFen = outstandingFen - ?, updatedAt = ? WHERE partnerId = ?`, [
      creditFen,
      creditFen,
      toDbDate(now),
      partnerId,
    ]);
  // UPDATE first: an INSERT IGNORE of an existing row takes a shared lock, and two of those then
  // both waiting to update the row is a deadlock.
  if ((await credit()).affected === 0) {
    await ensureFundAccount(em, partnerId, now);
    await credit();
  }
}

export async function creditFundRow(em: EntityManager, creditFen: number, now: Date): Promise<void> {
  if (creditFen === 0) return;
  const credit = () =>
    execute(em, `UPDATE parts_fund SET outstandingFen = outstandingFen - ?, updatedAt = ? WHERE id = ?`, [creditFen, toDbDate(now), FUND_ID]);
  if ((await credit()).affected === 0) {
    await ensureFund(em, now);
    await credit();
  }
}

export interface RepaymentInput {
  partnerId: string | number;
  amountFen: number;
  reference?: string | null;
  note?: string | null;
}

/**
 * Money a partner paid back. Conditional on what it owes (`outstandingFen >= ?`): an overpayment
 * is CONFLICT rather than a silent credit, since it is almost always a mistyped amount.
 */
export async function recordFundRepayment(em: EntityManager, actor: AuthUser | null, input: RepaymentInput, now = new Date()): Promise<FundLedgerEntry> {
  const partnerId = parseId(input.partnerId, 'partnerId');
  const amountFen = assertFen('amountFen', input.amountFen, { allowZero: false });
  const reference = optionalText('reference', input.reference, 64);
  const note = optionalText('note', input.note, 255);
  const partner = await em.getRepository(RepairPartner).findOne({ where: { id: partnerId } });
  if (!partner) throw new BadInputError('partnerId', `no repair partner ${partnerId}`);
  const at = toDbDate(now);
  const res = await execute(
    em,
    `UPDATE fund_account SET creditedFen = creditedFen + ?, outstandingFen = outstandingFen - ?, updatedAt = ? WHERE partnerId = ? AND outstandingFen >= ?`,
    [amountFen, amountFen, at, partnerId, amountFen],
  );
  if (res.affected === 0) {
    const rows: { outstandingFen: unknown }[] = await em.query(`SELECT outstandingFen FROM fund_account WHERE partnerId = ?${forUpdate(em)}`, [partnerId]);
    const owed = Math.max(0, toFen(rows[0]?.outstandingFen));
    throw new ConflictError(
      PartsConflict.REPAYMENT_EXCEEDS_DEBT,
      `The repayment of ${amountFen} fen is more than partner ${partner.code} owes the fund (${owed} fen)`,
      {
        field: 'amountFen',
        outstandingFen: owed,
        amountFen,
      },
    );
  }
  const entry = await insertEntry(em, actor, { partnerId, kind: FundEntryKind.REPAYMENT, amountFen: -amountFen, reference, note }, now);
  await recordChange(em, actor, {
    action: 'recordFundRepayment',
    entityType: 'FundLedgerEntry',
    entityId: entry.id,
    data: { partnerId, amountFen, reference, note },
  });
  await creditFundRow(em, amountFen, now);
  return entry;
}

/** A partner's own cap under the fund's limit; null removes it. A cap below what it owes just stops further draws. */
export async function setPartnerFundCap(em: EntityManager, actor: AuthUser, partnerIdRaw: string, capFen: number | null, now = new Date()): Promise<void> {
  const partnerId = parseId(partnerIdRaw, 'partnerId');
  if (capFen !== null) assertFen('capFen', capFen);
  const partner = await em.getRepository(RepairPartner).findOne({ where: { id: partnerId } });
  if (!partner) throw new NotFoundError('RepairPartner', partnerId);
  await ensureFundAccount(em, partnerId, now);
  const [before] = await em.query(`SELECT capFen FROM fund_account WHERE partnerId = ?${forUpdate(em)}`, [partnerId]);
  await execute(em, `UPDATE fund_account SET capFen = ?, updatedAt = ? WHERE partnerId = ?`, [capFen, toDbDate(now), partnerId]);
  const data = { partnerId, previousCapFen: nullableFen(before?.capFen), capFen };
  await recordChange(em, actor, { action: 'setPartnerFundCap', entityType: 'RepairPartner', entityId: partnerId, data });
  await recordChange(em, actor, { action: 'setPartnerFundCap', entityType: 'FundPolicy', entityId: FUND_ID, data });
}

export interface PartnerBalance {
  partnerId: number;
  capFen: number | null;
  drawnFen: number;
  creditedFen: number;
  outstandingFen: number;
  oldestUnpaidDrawAt: Date | null;
}

export interface FundState {
  limitFen: number;
  defaultPartnerCapFen: number | null;
  outstandingFen: number;
  partners: PartnerBalance[];
}

/**
 * The fund and each partner's balance with the age of its debt. Repayments and credits pay the
 * oldest draws first, so the oldest unpaid draw is the first whose running total of draws exceeds
 * everything credited: one window-function query for all partners.
 */
export async function fundState(em: EntityManager, actor: AuthUser, partnerIdRaw?: string | null): Promise<FundState> {
  const only = scopePartner(actor, parseOptionalId(partnerIdRaw, 'partnerId'));
  const policy = await readFundPolicy(em);
  const where = only != null ? 'WHERE a.partnerId = ?' : '';
  const params = only != null ? [only] : [];
  const accounts: { partnerId: number; capFen: unknown; drawnFen: unknown; creditedFen: unknown; outstandingFen: unknown }[] = await em.query(
    `SELECT a.partnerId, a.capFen, a.drawnFen, a.creditedFen, a.outstandingFen
       FROM fund_account a ${where} ORDER BY a.partnerId`,
    params,
  );
  const ages: { partnerId: number; oldest: unknown }[] = await em.query(
    `SELECT x.partnerId AS partnerId, MIN(x.at) AS oldest
       FROM (SELECT e.partnerId, e.at,
                    SUM(e.amountFen) OVER (PARTITION BY e.partnerId ORDER BY e.id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS drawnToHere
               FROM fund_ledger_entry e
              WHERE e.kind = ?${only != null ? ' AND e.partnerId = ?' : ''}) x
       JOIN fund_account a ON a.partnerId = x.partnerId
      WHERE x.drawnToHere > a.creditedFen AND a.outstandingFen > 0
      GROUP BY x.partnerId`,
    [FundEntryKind.DRAW, ...params],
  );
  const oldest = new Map(ages.map((r) => [Number(r.partnerId), fromDbDate(r.oldest)]));
  return {
    limitFen: policy.limitFen,
    defaultPartnerCapFen: policy.defaultPartnerCapFen,
    outstandingFen: policy.outstandingFen,
    partners: accounts.map((a) => ({
      partnerId: Number(a.partnerId),
      capFen: nullableFen(a.capFen),
      drawnFen: toFen(a.drawnFen),
      creditedFen: toFen(a.creditedFen),
      outstandingFen: toFen(a.outstandingFen),
      oldestUnpaidDrawAt: oldest.get(Number(a.partnerId)) ?? null,
    })),
  };
}

export async function getFundAccount(em: EntityManager, partnerId: number): Promise<FundAccount | null> {
  return em.getRepository(FundAccount).findOne({ where: { partnerId } });
}

export function listFundLedger(em: EntityManager, actor: AuthUser, filter: { partnerId?: string | null; kind?: FundEntryKind | null }, args: ConnectionArgs) {
  const partnerId = scopePartner(actor, parseOptionalId(filter.partnerId, 'filter.partnerId'));
  const qb = em.getRepository(FundLedgerEntry).createQueryBuilder('e');
  if (partnerId != null) qb.andWhere('e.partnerId = :partnerId', { partnerId });
  if (filter.kind) qb.andWhere('e.kind = :kind', { kind: filter.kind });
  return paginate(qb, args);
}

/**
 * What each partner owed the fund at an instant (the sum of its ledger entries before it). For
 * finance reports of other modules (what the branch lends a partner at the end of a month).
 */
export async function fundOutstandingAt(em: EntityManager, at: Date | string, partnerId: number | null = null): Promise<Map<number, number>> {
  const rows: { partnerId: number; fen: unknown }[] = await em.query(
    `SELECT partnerId, SUM(amountFen) AS fen FROM fund_ledger_entry WHERE at < ?${partnerId != null ? ' AND partnerId = ?' : ''} GROUP BY partnerId`,
    [typeof at === 'string' ? at : toDbDate(at), ...(partnerId != null ? [partnerId] : [])],
  );
  return new Map(rows.map((r) => [Number(r.partnerId), toFen(r.fen)]));
}
