import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth';
import { scopePartner } from '../../common/auth';
import { execute, isMysql, toDbDate } from '../../common/db';
import { optionalText, requiredText } from '../../common/text';
import { BadInputError, ConflictError, NotFoundError, isUniqueViolation } from '../../common/errors';
import { parseId, parseOptionalId } from '../../common/ids';
import { assertFen } from '../../common/money';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { Period, parsePeriod, periodOf } from '../../common/period';
import { Role } from '../../common/roles';
import { recordChange, recordChanges } from '../changelog/change-log.service';
import { regionByCode } from '../regions/region.service';
import { PartnerStatus, RepairPartner } from '../repair/repair-partner.entity';
import { Subsidy, SubsidyType } from './subsidy.entity';
import { RecordSubsidyInput, SubsidyFilter } from './subsidy.inputs';
import { SubsidiesConflict } from './subsidies.errors';
import { SubsidyReversal, WageSubsidyRun } from './subsidies.types';
import { bumpRegisterVersion } from './register-sums';

/** Subsidies are booked for months that have begun; a month still to come is a plan, not a payment. */
export function assertNotFuture(period: Period, field: string, now = new Date()): void {
  if (period.start.getTime() > periodOf(now).start.getTime()) {
    throw new BadInputError(field, `${period.key} has not begun yet`);
  }
}

/** Ten million yuan: far beyond any one subsidy, and keeps every sum of entries a safe integer. */
export const MAX_ENTRY_FEN = 1_000_000_000;

function assertAmount(field: string, fen: number): number {
  assertFen(field, fen, { allowZero: false });
  if (fen > MAX_ENTRY_FEN) throw new BadInputError(field, `must be at most ${MAX_ENTRY_FEN} fen (10,000,000 yuan)`);
  return fen;
}

async function loadPartner(em: EntityManager, partnerId: number, field: string): Promise<RepairPartner> {
  const partner = await em.getRepository(RepairPartner).findOne({ where: { id: partnerId } });
  if (!partner) throw new BadInputError(field, `no repair partner ${partnerId}`);
  return partner;
}

async function insertEntry(em: EntityManager, row: Partial<Subsidy>): Promise<Subsidy> {
  const repo = em.getRepository(Subsidy);
  const entity = repo.create(row);
  const result = await repo.insert(entity);
  await bumpRegisterVersion(em); // the totals' kept sums (register-sums.ts) are stale from here
  // insert() merges what the driver hands back (MySQL: BIGINT as a string, untransformed); keep our values.
  return Object.assign(entity, row, { id: Number(result.identifiers[0].id) });
}

function wageConflict(partner: { id: number; code?: string }, period: string): ConflictError {
  return new ConflictError(
    SubsidiesConflict.WAGE_ALREADY_RECORDED,
    `Partner ${partner.code ?? partner.id} already has a WAGE entry for ${period}; correct it with reverseSubsidy`,
    { field: 'input.period' },
  );
}

export async function recordSubsidy(em: EntityManager, actor: AuthUser, input: RecordSubsidyInput): Promise<Subsidy> {
  const partnerId = parseId(input.partnerId, 'input.partnerId');
  const period = parsePeriod(input.period, 'input.period');
  assertNotFuture(period, 'input.period');
  assertAmount('input.amountFen', input.amountFen);
  const note = optionalText('input.note', input.note, 500);
  const partner = await loadPartner(em, partnerId, 'input.partnerId');
  let entry: Subsidy;
  try {
    entry = await insertEntry(em, {
      partnerId,
      type: input.type,
      period: period.key,
      amountFen: input.amountFen,
      note,
      wagePeriod: input.type === SubsidyType.WAGE ? period.key : null,
      reversesId: null,
      batchId: null,
      recordedById: actor.id,
      recordedAt: new Date(),
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw wageConflict(partner, period.key);
    throw err;
  }
  await recordChange(em, actor, {
    action: 'recordSubsidy',
    entityType: 'Subsidy',
    entityId: entry.id,
    data: { partnerId, partnerCode: partner.code, type: entry.type, period: entry.period, amountFen: entry.amountFen, note },
  });
  return entry;
}

/**
 * Partners owed a wage subsidy for a month: on the books before the month ended, with a monthly
 * amount, and active at some time in the month. The repair module keeps a partner's current status
 * and when it last changed, so: ACTIVE since before the month ended; or suspended or terminated
 * during the month or after it (active until then). A partner reactivated only after the month
 * ended was suspended at its end, and since when is not recorded: it is left out (finance can
 * still record a WAGE entry for it by hand). One condition feeds the INSERT ... SELECT and the count.
 */
const ELIGIBLE = `p.createdAt < ? AND p.monthlyWageSubsidyFen > 0
  AND ((p.status = ? AND (p.statusChangedAt IS NULL OR p.statusChangedAt < ?)) OR (p.status <> ? AND p.statusChangedAt >= ?))`;

function eligibleParams(period: Period): unknown[] {
  const end = toDbDate(period.end);
  return [end, PartnerStatus.ACTIVE, end, PartnerStatus.ACTIVE, toDbDate(period.start)];
}

/**
 * One WAGE entry per eligible partner for the month, in one INSERT ... SELECT. The unique key
 * (partnerId, wagePeriod) makes a second run, a concurrent run or an earlier manual WAGE entry
 * leave that partner alone: the database skips the row, no check in code can race.
 */
export async function generateWageSubsidies(em: EntityManager, actor: AuthUser | null, periodKey: string, now = new Date()): Promise<WageSubsidyRun> {
  const period = parsePeriod(periodKey, 'period');
  assertNotFuture(period, 'period', now);
  const batchId = randomUUID();
  const whoParams = eligibleParams(period);
  const columns = 'partnerId, type, period, amountFen, note, wagePeriod, reversesId, batchId, recordedById, recordedAt';
  const select = `SELECT p.id, ?, ?, p.monthlyWageSubsidyFen, ?, ?, NULL, ?, ?, ? FROM repair_partner p WHERE ${ELIGIBLE}`;
  const params = [SubsidyType.WAGE, period.key, 'Monthly wage subsidy', period.key, batchId, actor?.id ?? null, toDbDate(now), ...whoParams];
  const sql = isMysql(em) ? `INSERT IGNORE INTO subsidy (${columns}) ${select}` : `INSERT INTO subsidy (${columns}) ${select} ON CONFLICT DO NOTHING`;
  await execute(em, sql, params);

  const created = await em.getRepository(Subsidy).find({ where: { batchId, period: period.key }, order: { partnerId: 'ASC' } });
  const [{ n }] = await em.query(`SELECT COUNT(*) AS n FROM repair_partner p WHERE ${ELIGIBLE}`, whoParams);
  const eligible = Number(n);
  const amountFen = created.reduce((sum, s) => sum + s.amountFen, 0);
  await recordChanges(em, actor, [
    ...created.map((s) => ({
      action: 'generateWageSubsidies',
      entityType: 'Subsidy',
      entityId: s.id,
      data: { partnerId: s.partnerId, type: s.type, period: s.period, amountFen: s.amountFen },
    })),
    { action: 'generateWageSubsidies', entityType: 'WageSubsidyRun', entityId: period.key, data: { eligible, created: created.length, amountFen } },
  ]);
  return { period: period.key, eligible, created: created.length, alreadyRecorded: Math.max(0, eligible - created.length), amountFen, subsidies: created };
}

/**
 * Undo an entry with a negative twin (the register is never edited), optionally recording the
 * corrected amount in the same transaction. An entry is reversed at most once (unique key on
 * reversesId). A corrected WAGE entry takes over the month's unique WAGE slot; without a
 * replacement the reversed entry keeps the slot, so a later generateWageSubsidies does not pay
 * the month again.
 */
export async function reverseSubsidy(
  em: EntityManager,
  actor: AuthUser,
  idRaw: string,
  reasonRaw: string,
  replacementAmountFen: number | null | undefined,
  now = new Date(),
): Promise<SubsidyReversal> {
  const id = parseId(idRaw, 'id');
  const reason = requiredText('reason', reasonRaw, 500);
  if (replacementAmountFen != null) assertAmount('replacementAmountFen', replacementAmountFen);
  const original = await em.getRepository(Subsidy).findOne({ where: { id } });
  if (!original) throw new NotFoundError('Subsidy', id);
  if (original.reversesId != null) throw new ConflictError(SubsidiesConflict.IS_A_REVERSAL, `Subsidy ${id} is itself a reversal and cannot be reversed`);
  let reversal: Subsidy;
  try {
    reversal = await insertEntry(em, {
      partnerId: original.partnerId,
      type: original.type,
      period: original.period,
      amountFen: -original.amountFen,
      note: reason,
      wagePeriod: null,
      reversesId: original.id,
      batchId: null,
      recordedById: actor.id,
      recordedAt: now,
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(SubsidiesConflict.ALREADY_REVERSED, `Subsidy ${id} has already been reversed`);
    throw err;
  }
  let replacement: Subsidy | null = null;
  if (replacementAmountFen != null) {
    if (original.wagePeriod != null) {
      // The reversal row above already holds this entry's one reversal, so nobody else can be moving the slot.
      await execute(em, 'UPDATE subsidy SET wagePeriod = NULL WHERE id = ? AND wagePeriod IS NOT NULL', [original.id]);
    }
    replacement = await insertEntry(em, {
      partnerId: original.partnerId,
      type: original.type,
      period: original.period,
      amountFen: replacementAmountFen,
      note: `Correction of entry ${original.id}: ${reason}`.slice(0, 500),
      wagePeriod: original.wagePeriod,
      reversesId: null,
      batchId: null,
      recordedById: actor.id,
      recordedAt: now,
    });
  }
  await recordChanges(em, actor, [
    {
      action: 'reverseSubsidy',
      entityType: 'Subsidy',
      entityId: original.id,
      data: {
        reversalId: reversal.id,
        amountFen: reversal.amountFen,
        reason,
        replacementId: replacement?.id ?? null,
        replacementAmountFen: replacement?.amountFen ?? null,
      },
    },
    { action: 'reverseSubsidy', entityType: 'Subsidy', entityId: reversal.id, data: { reversesId: original.id, amountFen: reversal.amountFen } },
    ...(replacement
      ? [{ action: 'reverseSubsidy', entityType: 'Subsidy', entityId: replacement.id, data: { replaces: original.id, amountFen: replacement.amountFen } }]
      : []),
  ]);
  return { reversal, replacement };
}

export interface PeriodBounds {
  from: string | null;
  to: string | null;
}

/** Optional from/to periods: each well-formed, and not reversed. */
export function parseBounds(from: string | null | undefined, to: string | null | undefined, prefix = ''): PeriodBounds {
  const f = from ? parsePeriod(from, `${prefix}from`).key : null;
  const t = to ? parsePeriod(to, `${prefix}to`).key : null;
  if (f && t && t < f) throw new BadInputError(`${prefix}to`, 'must not be before from');
  return { from: f, to: t };
}

export async function listSubsidies(em: EntityManager, actor: AuthUser, filter: SubsidyFilter | null | undefined, args: ConnectionArgs) {
  const partnerId = scopePartner(actor, parseOptionalId(filter?.partnerId, 'filter.partnerId'));
  const { from, to } = parseBounds(filter?.from, filter?.to, 'filter.');
  const qb = em.getRepository(Subsidy).createQueryBuilder('s');
  if (partnerId != null) qb.andWhere('s.partnerId = :partnerId', { partnerId });
  if (filter?.type) qb.andWhere('s.type = :type', { type: filter.type });
  if (from) qb.andWhere('s.period >= :from', { from });
  if (to) qb.andWhere('s.period <= :to', { to });
  if (filter?.regionCode) {
    const region = await regionByCode(em, filter.regionCode, 'filter.regionCode');
    qb.andWhere('s.partnerId IN (SELECT p.id FROM repair_partner p WHERE p.regionId = :regionId)', { regionId: region.id });
  }
  // Newest month first; within a month, newest entry first.
  return paginate(qb, args, [
    { column: 's.period', value: (n) => n.period, direction: 'DESC' },
    { column: 's.id', value: (n) => n.id, direction: 'DESC' },
  ]);
}

/** One entry by id; another partner's entry is NOT_FOUND to a REPAIR_PARTNER (its existence is not theirs to know). */
export async function getSubsidy(em: EntityManager, actor: AuthUser, idRaw: string): Promise<Subsidy> {
  const id = parseId(idRaw, 'id');
  const entry = await em.getRepository(Subsidy).findOne({ where: { id } });
  if (!entry || (actor.role === Role.REPAIR_PARTNER && entry.partnerId !== actor.repairPartnerId)) throw new NotFoundError('Subsidy', id);
  return entry;
}
