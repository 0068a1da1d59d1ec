import { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth';
import { scopeAgent } from '../../common/auth';
import { execute, isMysql, toDbDate, placeholders } from '../../common/db';
import { ConflictError, NotFoundError } from '../../common/errors';
import { parseOptionalId } from '../../common/ids';
import { toFen } from '../../common/money';
import { isGalera } from '../../common/galera';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { parsePeriod, Period, SHANGHAI_OFFSET_MS } from '../../common/period';
import { recordChange } from '../changelog/change-log.service';
import { dialect } from './audits.sql';
import { CommissionPeriod } from './commission-period.entity';
import { CommissionStatement } from './commission-statement.entity';
import { AuditsConflict } from './audits.errors';

/** Registration statuses whose activation earns commission (a line cancelled later was still activated). */
export const COMMISSIONED_STATUSES = ['ACTIVE', 'CANCELLED'];

/**
 * Take the period's row as a lock: a conditional UPDATE that only an open period passes. Settling
 * and closing one period therefore never interleave, and a closed period is CONFLICT.
 */
async function lockOpenPeriod(em: EntityManager, p: Period): Promise<void> {
  await execute(em, `${dialect(em).insertIgnore} INTO commission_period (period, status) VALUES (?, 'OPEN')`, [p.key]);
  const locked = await execute(em, `UPDATE commission_period SET revision = revision + 1 WHERE period = ? AND status = 'OPEN'`, [p.key]);
  if (locked.affected !== 1)
    throw new ConflictError(AuditsConflict.PERIOD_CLOSED, `Commission period ${p.key} is closed: its statements can no longer change`, { period: p.key });
}

/**
 * The months among `months` whose period still takes activations (it is not CLOSED), for a writer
 * about to store activations with their commissionPeriod set (agent-events.ts). Each period named
 * is read with a shared lock, held until the writer commits: closing (and settling) a period first
 * takes its row for update (lockOpenPeriod), so it waits for every writer that counted on it being
 * open, and then counts their activations; a writer that comes second waits for the close and reads
 * CLOSED, and leaves its activation to the late claim of a later period. A period without a row
 * yet is covered by the gap lock the same read takes (REPEATABLE READ, the default), which holds
 * back the INSERT that creates it. SQLite has one writer at a time and needs no lock.
 *
 * On Galera a read lock does not reach the other nodes, so nothing is claimed when written there:
 * the settlement of each month claims its activations (claimActivations), as it did before.
 */
export async function periodsTakingActivations(em: EntityManager, months: string[]): Promise<Set<string>> {
  if (isGalera(em)) return new Set();
  const keys = [...new Set(months)].sort();
  const rows: { period: string; status: string }[] = await em.query(
    `SELECT period, status FROM commission_period WHERE period IN (${placeholders(keys.length)})${isMysql(em) ? ' LOCK IN SHARE MODE' : ''}`,
    keys,
  );
  const closed = new Set(rows.filter((r) => r.status === 'CLOSED').map((r) => r.period));
  return new Set(keys.filter((k) => !closed.has(k)));
}

/**
 * Claim for period p (open, locked) the activations it pays that are not claimed yet, with two
 * conditional UPDATEs of registration.commissionPeriod, each a range of idx_registration_commission
 * (the unclaimed rows only): those activated in p (written before claims were made when written,
 * or through a Galera node: see periodsTakingActivations), then those activated in an earlier
 * period that was CLOSED before they arrived (an import with an old activatedAt). An activation of
 * an earlier month still open is left to that month's own settlement. A claim is never released
 * (an activation stays activated), so each activation is paid by exactly one statement.
 *
 * An activation written while its month is open is claimed by that month when written: claiming
 * the 946,955 activations of a 1,000,000-record month here instead took 19–24 s of a 23–30 s first
 * settlement (npm run bench:settle, issue 25).
 */
async function claimActivations(em: EntityManager, p: Period): Promise<void> {
  const statuses = placeholders(COMMISSIONED_STATUSES.length);
  await execute(
    em,
    `UPDATE registration SET commissionPeriod = ?
      WHERE commissionPeriod IS NULL AND activatedAt >= ? AND activatedAt < ? AND status IN (${statuses})`,
    [p.key, toDbDate(p.start), toDbDate(p.end), ...COMMISSIONED_STATUSES],
  );
  const closed: { period: string }[] = await em.query(`SELECT period FROM commission_period WHERE status = 'CLOSED' AND period < ? ORDER BY period`, [p.key]);
  if (!closed.length) return;
  // Runs of consecutive closed months become one range each: usually a single one.
  const ranges: [Date, Date][] = [];
  for (const { period } of closed) {
    const q = parsePeriod(period);
    const last = ranges[ranges.length - 1];
    if (last && last[1].getTime() === q.start.getTime()) last[1] = q.end;
    else ranges.push([q.start, q.end]);
  }
  await execute(
    em,
    `UPDATE registration SET commissionPeriod = ?
      WHERE commissionPeriod IS NULL AND (${ranges.map(() => '(activatedAt >= ? AND activatedAt < ?)').join(' OR ')}) AND status IN (${statuses})`,
    [p.key, ...ranges.flatMap(([a, b]) => [toDbDate(a), toDbDate(b)]), ...COMMISSIONED_STATUSES],
  );
}

/** "2027-01-01 00:00 Asia/Shanghai": when a period boundary falls, in the time the business keeps. */
function shanghaiMidnight(at: Date): string {
  const local = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  return `${local.toISOString().slice(0, 10)} 00:00 Asia/Shanghai`;
}

/** A month that has not begun has nothing to settle yet: settling it would claim other periods' penalties. */
function assertBegun(p: Period, now: Date): void {
  if (now.getTime() < p.start.getTime()) {
    throw new ConflictError(AuditsConflict.PERIOD_NOT_BEGUN, `Commission period ${p.key} has not begun: it may be settled from ${shanghaiMidnight(p.start)}`, {
      period: p.key,
      from: p.start.toISOString(),
    });
  }
}

/** A month still running may gain activations: it is closed once it has ended. */
function assertEnded(p: Period, now: Date): void {
  if (now.getTime() < p.end.getTime()) {
    throw new ConflictError(
      AuditsConflict.PERIOD_NOT_ENDED,
      `Commission period ${p.key} has not ended: it may be closed from ${shanghaiMidnight(p.end)} (settle it meanwhile to see its statements)`,
      { period: p.key, from: p.end.toISOString() },
    );
  }
}

/**
 * Compute every agent's statement for an open period, set-based, in at most twelve statements whatever the
 * number of agents or records (thirteen with settleCommissions' change-log entry):
 *  - claim the activations it pays (claimActivations), then, each with a conditional UPDATE ... WHERE ... IS NULL: confirmed penalties of this period
 *    or earlier that no settlement holds yet, and the shortfalls (carriedOutFen) of closed earlier
 *    statements not yet carried anywhere. What an open period claimed stays its own: a claimed
 *    penalty only leaves by being waived (which clears the claim) or applied (when this period
 *    closes), and a closed statement never changes, so re-settling has nothing to release;
 *  - replace the period's statements with one INSERT ... SELECT over all agents;
 *  - store the totals.
 * Each penalty and each shortfall is deducted by exactly one statement (two settlements never both
 * claim one), and re-running an open period over the same data gives the same statements.
 */
async function computeStatements(em: EntityManager, actor: AuthUser, p: Period, now: Date): Promise<CommissionPeriod> {
  await lockOpenPeriod(em, p);
  await claimActivations(em, p);
  await execute(em, `UPDATE penalty SET settledPeriod = ? WHERE status = 'CONFIRMED' AND settledPeriod IS NULL AND period <= ?`, [p.key, p.key]);
  await execute(
    em,
    `UPDATE commission_statement SET carriedIntoPeriod = ?
      WHERE carriedIntoPeriod IS NULL AND carriedOutFen > 0 AND status = 'CLOSED' AND period < ?`,
    [p.key, p.key],
  );
  await execute(em, 'DELETE FROM commission_statement WHERE period = ?', [p.key]);
  // The activations the period pays, counted in two parts: its own month's, from the range of
  // (status, activatedAt, agentId) that claimActivations just claimed (every commissioned activation
  // of an open period's month is its own: a later period claims only closed months' rows, and a
  // commissioned status never changes back), and the late ones of closed months it claimed, a short
  // range of (commissionPeriod, activatedAt, agentId). Counting the own month from the commission
  // index instead read the 946,955 entries the claim had just rewritten, each checked against its
  // row because this transaction changed their pages: 4.3–5.3 s against 0.9–1.4 s (bench:settle --profile, issue 25).
  const statuses = placeholders(COMMISSIONED_STATUSES.length);
  await execute(
    em,
    `INSERT INTO commission_statement
       (period, agentId, activations, lateActivations, commissionPerActivationFen, grossFen, penaltiesFen, penaltyCount, carriedInFen, netFen, carriedOutFen,
        status, settledAt, closedAt, carriedIntoPeriod)
     SELECT ?, x.agentId, x.activations, x.lateActivations, x.rate, x.grossFen, x.penaltiesFen, x.penaltyCount, x.carriedInFen,
            CASE WHEN x.grossFen + x.carriedInFen - x.penaltiesFen > 0 THEN x.grossFen + x.carriedInFen - x.penaltiesFen ELSE 0 END,
            CASE WHEN x.penaltiesFen - x.grossFen - x.carriedInFen > 0 THEN x.penaltiesFen - x.grossFen - x.carriedInFen ELSE 0 END,
            'OPEN', ?, NULL, NULL
       FROM (
         SELECT a.id AS agentId,
                COALESCE(own.n, 0) + COALESCE(late.n, 0) AS activations,
                COALESCE(late.n, 0) AS lateActivations,
                a.commissionPerActivationFen AS rate,
                (COALESCE(own.n, 0) + COALESCE(late.n, 0)) * a.commissionPerActivationFen AS grossFen,
                COALESCE(pen.amount, 0) AS penaltiesFen,
                COALESCE(pen.n, 0) AS penaltyCount,
                0 - COALESCE(carry.amount, 0) AS carriedInFen
           FROM agent a
           LEFT JOIN (
             SELECT r.agentId, COUNT(*) AS n FROM registration r
              WHERE r.status IN (${statuses}) AND r.activatedAt >= ? AND r.activatedAt < ?
              GROUP BY r.agentId
           ) own ON own.agentId = a.id
           LEFT JOIN (
             SELECT r.agentId, COUNT(*) AS n FROM registration r
              WHERE r.commissionPeriod = ? AND r.activatedAt < ?
              GROUP BY r.agentId
           ) late ON late.agentId = a.id
           LEFT JOIN (
             SELECT pp.agentId, SUM(pp.amountFen) AS amount, COUNT(*) AS n FROM penalty pp
              WHERE pp.settledPeriod = ?
              GROUP BY pp.agentId
           ) pen ON pen.agentId = a.id
           LEFT JOIN (
             SELECT c.agentId, SUM(c.carriedOutFen) AS amount FROM commission_statement c
              WHERE c.carriedIntoPeriod = ?
              GROUP BY c.agentId
           ) carry ON carry.agentId = a.id
       ) x`,
    [p.key, toDbDate(now), ...COMMISSIONED_STATUSES, toDbDate(p.start), toDbDate(p.end), p.key, toDbDate(p.start), p.key, p.key],
  );
  const [t]: Record<string, unknown>[] = await em.query(
    `SELECT COUNT(*) AS n, SUM(activations) AS activations, SUM(grossFen) AS grossFen, SUM(penaltiesFen) AS penaltiesFen,
            SUM(penaltyCount) AS penaltyCount, SUM(carriedInFen) AS carriedInFen, SUM(netFen) AS netFen, SUM(carriedOutFen) AS carriedOutFen
       FROM commission_statement WHERE period = ?`,
    [p.key],
  );
  const totals = {
    statementCount: Number(t.n),
    activations: Number(t.activations ?? 0),
    grossFen: toFen(t.grossFen),
    penaltiesFen: toFen(t.penaltiesFen),
    penaltyCount: Number(t.penaltyCount ?? 0),
    carriedInFen: toFen(t.carriedInFen),
    netFen: toFen(t.netFen),
    carriedOutFen: toFen(t.carriedOutFen),
  };
  await em.getRepository(CommissionPeriod).update({ period: p.key }, { ...totals, settledAt: now, settledById: actor.id });
  return (await em.getRepository(CommissionPeriod).findOne({ where: { period: p.key } }))!;
}

export async function settleCommissions(em: EntityManager, actor: AuthUser, periodRaw: string, now = new Date()): Promise<CommissionPeriod> {
  const p = parsePeriod(periodRaw, 'period');
  assertBegun(p, now);
  const result = await computeStatements(em, actor, p, now);
  await recordChange(em, actor, { action: 'settleCommissions', entityType: 'CommissionPeriod', entityId: p.key, data: totalsOf(result) });
  return result;
}

/**
 * Settle once more (so what is frozen reflects every penalty confirmed or waived up to now), then
 * freeze: statements CLOSED, their penalties APPLIED, the period CLOSED. Afterwards settling or
 * closing it again is CONFLICT; penalties confirmed later, and this period's shortfalls, are
 * claimed by the next settlement of a later period.
 */
export async function closeCommissionPeriod(em: EntityManager, actor: AuthUser, periodRaw: string, now = new Date()): Promise<CommissionPeriod> {
  const p = parsePeriod(periodRaw, 'period');
  assertEnded(p, now);
  await computeStatements(em, actor, p, now);
  const at = toDbDate(now);
  await execute(em, `UPDATE commission_statement SET status = 'CLOSED', closedAt = ? WHERE period = ?`, [at, p.key]);
  await execute(em, `UPDATE penalty SET status = 'APPLIED', appliedAt = ? WHERE settledPeriod = ? AND status = 'CONFIRMED'`, [at, p.key]);
  const closed = await execute(em, `UPDATE commission_period SET status = 'CLOSED', closedAt = ?, closedById = ? WHERE period = ? AND status = 'OPEN'`, [
    at,
    actor.id,
    p.key,
  ]);
  if (closed.affected !== 1) throw new ConflictError(AuditsConflict.PERIOD_CLOSED, `Commission period ${p.key} is closed`, { period: p.key });
  const result = (await em.getRepository(CommissionPeriod).findOne({ where: { period: p.key } }))!;
  await recordChange(em, actor, { action: 'closeCommissionPeriod', entityType: 'CommissionPeriod', entityId: p.key, data: totalsOf(result) });
  return result;
}

function totalsOf(r: CommissionPeriod) {
  const { statementCount, activations, grossFen, penaltiesFen, penaltyCount, carriedInFen, netFen, carriedOutFen, status } = r;
  return { status, statementCount, activations, grossFen, penaltiesFen, penaltyCount, carriedInFen, netFen, carriedOutFen };
}

export async function getCommissionPeriod(em: EntityManager, periodRaw: string): Promise<CommissionPeriod> {
  const p = parsePeriod(periodRaw, 'period');
  const row = await em.getRepository(CommissionPeriod).findOne({ where: { period: p.key } });
  if (!row) throw new NotFoundError('CommissionPeriod', p.key);
  return row;
}

export function listCommissionPeriods(em: EntityManager, args: ConnectionArgs) {
  const qb = em.getRepository(CommissionPeriod).createQueryBuilder('c');
  return paginate(qb, args, [{ column: 'c.period', value: (c) => c.period, direction: 'DESC' }]);
}

export function listStatements(em: EntityManager, user: AuthUser, filter: { period?: string | null; agentId?: string | null }, args: ConnectionArgs) {
  const agentId = scopeAgent(user, parseOptionalId(filter.agentId, 'agentId'));
  const qb = em.getRepository(CommissionStatement).createQueryBuilder('s');
  if (filter.period) qb.andWhere('s.period = :period', { period: parsePeriod(filter.period, 'period').key });
  if (agentId) qb.andWhere('s.agentId = :agentId', { agentId });
  return paginate(qb, args, [
    { column: 's.period', value: (s) => s.period, direction: 'DESC' },
    { column: 's.agentId', value: (s) => s.agentId },
  ]);
}

export function statementId(s: { period: string; agentId: number }): string {
  return `${s.period}:${s.agentId}`;
}
