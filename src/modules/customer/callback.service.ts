import { DataSource, EntityManager } from 'typeorm';
import type { ActivatedLine } from '../../common/activation-hooks';
import type { AuthUser } from '../../common/auth';
import { scopeAgent } from '../../common/auth';
import { execute, toDbDate, placeholders } from '../../common/db';
import { ConflictError, NotFoundError } from '../../common/errors';
import { parseId, parseOptionalId } from '../../common/ids';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { parsePeriod, SHANGHAI_OFFSET_MS } from '../../common/period';
import { Role } from '../../common/roles';
import { optionalText } from '../../common/text';
import { recordChange } from '../changelog/change-log.service';
import { regionByCode } from '../regions/region.service';
import { FindingType } from '../audits/audit.enums';
import { recordCustomerFinding } from './audit-bridge';
import { CustomerCallback } from './callback.entity';
import { CallbackOutcome, REACHED_OUTCOMES } from './customer.enums';
import { CallbackFilter } from './customer.inputs';
import { CustomerConflict } from './customer.errors';
import { CallbackStat } from './customer.types';

const DAY_MS = 86_400_000;

/** The finding type each KYC-failing outcome stands for. */
export const CALLBACK_FINDINGS: Partial<Record<CallbackOutcome, FindingType>> = {
  [CallbackOutcome.DENIES_OWNERSHIP]: FindingType.FAKE_IDENTITY,
  [CallbackOutcome.DATA_MISMATCH]: FindingType.DATA_MISMATCH,
};

/** Each app's callback days (config.callbackDays), by its DataSource: the hook is process-wide. */
const daysByDataSource = new WeakMap<DataSource, number[]>();
export function setCallbackDays(ds: DataSource, days: number[]): void {
  daysByDataSource.set(ds, days);
}

/** The activation hook: the line's callbacks, in the activation's transaction (one INSERT). */
export async function scheduleCallbacks(em: EntityManager, line: ActivatedLine): Promise<void> {
  const days = daysByDataSource.get(em.connection) ?? [3, 10, 25];
  const [agent]: { regionId: number }[] = await em.query('SELECT regionId FROM agent WHERE id = ?', [line.agentId]);
  const now = new Date();
  await em.getRepository(CustomerCallback).insert(
    days.map((d, i) => ({
      registrationId: line.registrationId,
      agentId: line.agentId,
      regionId: Number(agent.regionId),
      msisdn: line.msisdn,
      seq: i + 1,
      dayOffset: d,
      dueAt: new Date(line.activatedAt.getTime() + d * DAY_MS),
      outcome: null,
      note: null,
      doneAt: null,
      doneById: null,
      findingId: null,
      createdAt: now,
    })),
  );
}

/** First instant of the Shanghai day `at` falls in. */
export function shanghaiDayStart(at: Date): Date {
  const local = at.getTime() + SHANGHAI_OFFSET_MS;
  return new Date(local - (((local % DAY_MS) + DAY_MS) % DAY_MS) - SHANGHAI_OFFSET_MS);
}

/**
 * The queue: callbacks not yet made that are due by the end of today (Asia/Shanghai), oldest
 * first. Overdue ones (due on an earlier Shanghai day) only with overdueOnly. An AGENT sees its own.
 */
export async function callbackQueue(em: EntityManager, user: AuthUser, filter: CallbackFilter | undefined, args: ConnectionArgs) {
  const agentId = scopeAgent(user, parseOptionalId(filter?.agentId, 'filter.agentId'));
  const asOf = filter?.asOf ?? new Date();
  const today = shanghaiDayStart(asOf);
  const qb = em.getRepository(CustomerCallback).createQueryBuilder('c').where('c.outcome IS NULL');
  qb.andWhere('c.dueAt < :until', { until: toDbDate(new Date(today.getTime() + DAY_MS)) });
  if (filter?.overdueOnly) qb.andWhere('c.dueAt < :today', { today: toDbDate(today) });
  if (agentId) qb.andWhere('c.agentId = :agentId', { agentId });
  if (filter?.regionCode) qb.andWhere('c.regionId = :regionId', { regionId: (await regionByCode(em, filter.regionCode, 'filter.regionCode')).id });
  return paginate(qb, args, [
    { column: 'c.dueAt', value: (c) => toDbDate(c.dueAt) },
    { column: 'c.id', value: (c) => c.id },
  ]);
}

/** Callbacks of one line (or agent), made or not; an AGENT sees its own. */
export async function listCallbacks(em: EntityManager, user: AuthUser, filter: CallbackFilter | undefined, args: ConnectionArgs) {
  const agentId = scopeAgent(user, parseOptionalId(filter?.agentId, 'filter.agentId'));
  const qb = em.getRepository(CustomerCallback).createQueryBuilder('c');
  if (agentId) qb.andWhere('c.agentId = :agentId', { agentId });
  if (filter?.msisdn) qb.andWhere('c.msisdn = :msisdn', { msisdn: filter.msisdn });
  if (filter?.registrationId) qb.andWhere('c.registrationId = :rid', { rid: parseId(filter.registrationId, 'filter.registrationId') });
  if (filter?.regionCode) qb.andWhere('c.regionId = :regionId', { regionId: (await regionByCode(em, filter.regionCode, 'filter.regionCode')).id });
  return paginate(qb, args, [
    { column: 'c.dueAt', value: (c) => toDbDate(c.dueAt) },
    { column: 'c.id', value: (c) => c.id },
  ]);
}

export async function getCallback(em: EntityManager, user: AuthUser, idRaw: string): Promise<CustomerCallback> {
  const id = parseId(idRaw, 'id');
  const c = await em.getRepository(CustomerCallback).findOne({ where: { id } });
  if (!c || (user.role === Role.AGENT && c.agentId !== user.agentId)) throw new NotFoundError('Callback', id);
  return c;
}

/**
 * Record a call's outcome, once (conditional UPDATE ... WHERE outcome IS NULL). DENIES_OWNERSHIP
 * and DATA_MISMATCH put a finding through the audits module (see audit-bridge.ts), linked back here.
 */
export async function recordCallbackOutcome(
  em: EntityManager,
  actor: AuthUser,
  idRaw: string,
  outcome: CallbackOutcome,
  noteRaw: string | null | undefined,
): Promise<CustomerCallback> {
  const id = parseId(idRaw, 'id');
  const note = optionalText('note', noteRaw, 1000);
  const now = new Date();
  const res = await execute(em, 'UPDATE customer_callback SET outcome = ?, note = ?, doneAt = ?, doneById = ? WHERE id = ? AND outcome IS NULL', [
    outcome,
    note,
    toDbDate(now),
    actor.id,
    id,
  ]);
  const repo = em.getRepository(CustomerCallback);
  if (res.affected !== 1) {
    const c = await repo.findOne({ where: { id } });
    if (!c) throw new NotFoundError('Callback', id);
    throw new ConflictError(CustomerConflict.CALLBACK_ALREADY_MADE, `Callback ${id} was already made (${c.outcome})`, { outcome: c.outcome });
  }
  const cb = (await repo.findOne({ where: { id } }))!;
  const findingType = CALLBACK_FINDINGS[outcome];
  if (findingType) {
    const finding = await recordCustomerFinding(em, actor, {
      registrationId: cb.registrationId,
      type: findingType,
      // Not the caller's note: the finding's note reaches the agent through its penalty's reason.
      note: `Callback ${cb.id} (call ${cb.seq} to ${cb.msisdn}, day ${cb.dayOffset} after activation): ${outcome}`,
    });
    await repo.update({ id }, { findingId: finding.findingId });
    cb.findingId = finding.findingId;
  }
  await recordChange(em, actor, {
    action: 'recordCallbackOutcome',
    entityType: 'CustomerCallback',
    entityId: id,
    data: { outcome, registrationId: cb.registrationId, findingId: cb.findingId },
  });
  return cb;
}

/**
 * Per agent for one month (by the Shanghai month of dueAt): callbacks due, made, reached (the
 * person on the record answered) and the denial rate (DENIES_OWNERSHIP ÷ reached). One GROUP BY.
 */
export async function callbackStats(em: EntityManager, user: AuthUser, periodRaw: string, agentIdRaw?: string | null): Promise<CallbackStat[]> {
  const p = parsePeriod(periodRaw, 'period');
  const agentId = scopeAgent(user, parseOptionalId(agentIdRaw, 'agentId'));
  const reached = placeholders(REACHED_OUTCOMES.length);
  const rows: { agentId: number; due: unknown; done: unknown; reached: unknown; denied: unknown; mismatched: unknown }[] = await em.query(
    `SELECT c.agentId AS agentId, COUNT(*) AS due,
            SUM(CASE WHEN c.outcome IS NOT NULL THEN 1 ELSE 0 END) AS done,
            SUM(CASE WHEN c.outcome IN (${reached}) THEN 1 ELSE 0 END) AS reached,
            SUM(CASE WHEN c.outcome = 'DENIES_OWNERSHIP' THEN 1 ELSE 0 END) AS denied,
            SUM(CASE WHEN c.outcome = 'DATA_MISMATCH' THEN 1 ELSE 0 END) AS mismatched
       FROM customer_callback c
      WHERE c.dueAt >= ? AND c.dueAt < ?${agentId ? ' AND c.agentId = ?' : ''}
      GROUP BY c.agentId
      ORDER BY c.agentId`,
    [...REACHED_OUTCOMES, toDbDate(p.start), toDbDate(p.end), ...(agentId ? [agentId] : [])],
  );
  return rows.map((r) => {
    const reachedN = Number(r.reached ?? 0);
    const denied = Number(r.denied ?? 0);
    return {
      period: p.key,
      agentId: Number(r.agentId),
      due: Number(r.due),
      done: Number(r.done ?? 0),
      reached: reachedN,
      denied,
      mismatched: Number(r.mismatched ?? 0),
      denialRate: reachedN ? Math.round((denied / reachedN) * 10000) / 10000 : 0,
    };
  });
}
