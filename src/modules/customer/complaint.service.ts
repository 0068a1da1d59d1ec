import { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth';
import { execute, toDbDate } from '../../common/db';
import { BadInputError, ConflictError, NotFoundError } from '../../common/errors';
import { parseId, parseOptionalId } from '../../common/ids';
import { assertFen } from '../../common/money';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { parsePeriod, periodOf } from '../../common/period';
import { Role } from '../../common/roles';
import { requiredText } from '../../common/text';
import { recordChange } from '../changelog/change-log.service';
import { regionByCode } from '../regions/region.service';
import { FindingType } from '../audits/audit.enums';
import { recordCustomerFinding } from './audit-bridge';
import { Complaint } from './complaint.entity';
import { proposeCompensation } from './compensation.service';
import { CompensationStatus, ComplaintCategory, ComplaintOutcome, ComplaintState, WaiverSource } from './customer.enums';
import { ComplaintFilter, OpenComplaintInput, ResolveComplaintInput } from './customer.inputs';
import { addWaiver, lineRegions, parseMsisdn } from './roaming.service';
import { CustomerConflict } from './customer.errors';
import { ComplaintStat } from './customer.types';

export const PROMISE_MS = 24 * 3600 * 1000;
const MAX_AGE_MS = 62 * 86_400_000;

/** The finding an upheld complaint about an agent stands for, unless the resolver names another. */
export const COMPLAINT_FINDINGS: Partial<Record<ComplaintCategory, FindingType>> = {
  [ComplaintCategory.AGENT_CONDUCT]: FindingType.TARIFF_MISMATCH,
  [ComplaintCategory.FALSE_RECORD]: FindingType.DATA_MISMATCH,
};

export async function openComplaint(em: EntityManager, actor: AuthUser, input: OpenComplaintInput): Promise<Complaint> {
  const msisdn = parseMsisdn(input.msisdn, 'input.msisdn');
  const description = requiredText('input.description', input.description, 2000);
  const now = new Date();
  const receivedAt = input.receivedAt ?? now;
  if (Number.isNaN(receivedAt.getTime())) throw new BadInputError('input.receivedAt', 'is not an instant');
  if (receivedAt.getTime() > now.getTime() + 60_000) throw new BadInputError('input.receivedAt', 'must not be in the future');
  if (receivedAt.getTime() < now.getTime() - MAX_AGE_MS) throw new BadInputError('input.receivedAt', 'must be within the last 62 days');
  const disputed = input.disputedAmountFen == null ? null : assertFen('input.disputedAmountFen', input.disputedAmountFen, { allowZero: false });
  const line = (await lineRegions(em, [msisdn])).get(msisdn) ?? null;
  let agentId = parseOptionalId(input.agentId, 'input.agentId');
  const repairPartnerId = parseOptionalId(input.repairPartnerId, 'input.repairPartnerId');
  const spId = parseOptionalId(input.spId, 'input.spId');
  let regionId: number | null = line?.regionId ?? null;

  const c = input.category;
  if (c === ComplaintCategory.AGENT_CONDUCT || c === ComplaintCategory.FALSE_RECORD) {
    if (!line) throw new BadInputError('input.msisdn', `no live record of ${msisdn}: a complaint about its agent needs the line's record`);
    if (agentId != null && agentId !== line.agentId) throw new BadInputError('input.agentId', `the line's record is of agent ${line.agentId}`);
    agentId = line.agentId;
  } else if (agentId != null) {
    const found: unknown[] = await em.query('SELECT id FROM agent WHERE id = ?', [agentId]);
    if (!found.length) throw new BadInputError('input.agentId', `no agent ${agentId}`);
  }
  if (c === ComplaintCategory.REPAIR && repairPartnerId == null) throw new BadInputError('input.repairPartnerId', 'is required for a REPAIR complaint');
  if (repairPartnerId != null) {
    const rows: { regionId: number }[] = await em.query('SELECT regionId FROM repair_partner WHERE id = ?', [repairPartnerId]);
    if (!rows.length) throw new BadInputError('input.repairPartnerId', `no repair partner ${repairPartnerId}`);
    regionId ??= Number(rows[0].regionId);
  }
  if (c === ComplaintCategory.SP_CHARGE && spId == null) throw new BadInputError('input.spId', 'is required for an SP_CHARGE complaint');
  if (spId != null) {
    const rows: unknown[] = await em.query('SELECT id FROM service_provider WHERE id = ?', [spId]);
    if (!rows.length) throw new BadInputError('input.spId', `no SP ${spId}`);
  }
  if ((c === ComplaintCategory.SP_CHARGE || c === ComplaintCategory.ROAMING_CHARGE) && disputed == null) {
    throw new BadInputError('input.disputedAmountFen', `is required for ${c}: the amount charged`);
  }
  if (input.regionCode) regionId = (await regionByCode(em, input.regionCode, 'input.regionCode')).id;
  if (regionId == null) throw new BadInputError('input.regionCode', 'is required: neither the line nor the party concerned gives a region');

  const repo = em.getRepository(Complaint);
  const complaint = await repo.save(
    repo.create({
      msisdn,
      registrationId: line?.registrationId ?? null,
      category: c,
      agentId: agentId ?? null,
      repairPartnerId,
      spId,
      regionId,
      description,
      disputedAmountFen: disputed,
      receivedAt,
      dueAt: new Date(receivedAt.getTime() + PROMISE_MS),
      period: periodOf(receivedAt).key,
      state: ComplaintState.OPEN,
      outcome: null,
      resolutionNote: null,
      startedAt: null,
      resolvedAt: null,
      resolutionSeconds: null,
      closedAt: null,
      openedById: actor.id,
      resolvedById: null,
      findingId: null,
      createdAt: now,
    }),
  );
  await recordChange(em, actor, {
    action: 'openComplaint',
    entityType: 'Complaint',
    entityId: complaint.id,
    data: { msisdn, category: c, agentId, repairPartnerId, spId, disputedAmountFen: disputed, dueAt: complaint.dueAt },
  });
  return complaint;
}

/** Why a forward move did not happen: missing, or not in the state it must come from. */
async function refuse(em: EntityManager, id: number, to: ComplaintState, from: ComplaintState): Promise<never> {
  const c = await em.getRepository(Complaint).findOne({ where: { id } });
  if (!c) throw new NotFoundError('Complaint', id);
  throw new ConflictError(CustomerConflict.TRANSITION_NOT_ALLOWED, `Complaint ${id} is ${c.state}: only a ${from} complaint can become ${to}`, {
    state: c.state,
  });
}

export async function startComplaint(em: EntityManager, actor: AuthUser, idRaw: string): Promise<Complaint> {
  const id = parseId(idRaw, 'id');
  const now = new Date();
  const res = await execute(em, `UPDATE complaint SET state = 'IN_PROGRESS', startedAt = ? WHERE id = ? AND state = 'OPEN'`, [toDbDate(now), id]);
  if (res.affected !== 1) await refuse(em, id, ComplaintState.IN_PROGRESS, ComplaintState.OPEN);
  await recordChange(em, actor, { action: 'startComplaint', entityType: 'Complaint', entityId: id, data: { state: ComplaintState.IN_PROGRESS } });
  return (await em.getRepository(Complaint).findOne({ where: { id } }))!;
}

/**
 * IN_PROGRESS → RESOLVED with an outcome and a note, by a conditional write. UPHELD: a finding
 * against the agent (AGENT_CONDUCT, FALSE_RECORD), a roaming waiver (ROAMING_CHARGE), and the
 * compensation the rule book gives (SP_CHARGE paid at once from the SP deposit).
 */
export async function resolveComplaint(em: EntityManager, actor: AuthUser, idRaw: string, input: ResolveComplaintInput): Promise<Complaint> {
  const id = parseId(idRaw, 'id');
  const note = requiredText('input.note', input.note, 1000);
  const now = new Date();
  const repo = em.getRepository(Complaint);
  const before = await repo.findOne({ where: { id } });
  if (!before) throw new NotFoundError('Complaint', id);
  const findingType = input.findingType ?? COMPLAINT_FINDINGS[before.category];
  if (input.findingType && !COMPLAINT_FINDINGS[before.category])
    throw new BadInputError('input.findingType', `only for AGENT_CONDUCT and FALSE_RECORD complaints, not ${before.category}`);
  if (input.findingType && input.outcome !== ComplaintOutcome.UPHELD) throw new BadInputError('input.findingType', 'only for an UPHELD complaint');
  const seconds = Math.max(0, Math.round((now.getTime() - before.receivedAt.getTime()) / 1000));
  const res = await execute(
    em,
    `UPDATE complaint SET state = 'RESOLVED', outcome = ?, resolutionNote = ?, resolvedAt = ?, resolutionSeconds = ?, resolvedById = ? WHERE id = ? AND state = 'IN_PROGRESS'`,
    [input.outcome, note, toDbDate(now), seconds, actor.id, id],
  );
  if (res.affected !== 1) await refuse(em, id, ComplaintState.RESOLVED, ComplaintState.IN_PROGRESS);
  const complaint = (await repo.findOne({ where: { id } }))!;
  let compensationId: number | null = null;
  if (input.outcome === ComplaintOutcome.UPHELD) {
    if (findingType && complaint.registrationId) {
      const finding = await recordCustomerFinding(em, actor, {
        registrationId: complaint.registrationId,
        type: findingType,
        note: `Complaint ${complaint.id} (${complaint.category}) upheld: ${note}`.slice(0, 1000),
      });
      complaint.findingId = finding.findingId;
      await repo.update({ id }, { findingId: finding.findingId });
    }
    if (complaint.category === ComplaintCategory.ROAMING_CHARGE) {
      await addWaiver(
        em,
        actor,
        {
          msisdn: complaint.msisdn,
          period: complaint.period,
          amountFen: complaint.disputedAmountFen!,
          regionId: complaint.regionId!,
          source: WaiverSource.COMPLAINT,
          complaintId: complaint.id,
          note: `Complaint ${complaint.id}`,
        },
        now,
      );
    }
    compensationId = (await proposeCompensation(em, actor, complaint, now))?.id ?? null;
  }
  await recordChange(em, actor, {
    action: 'resolveComplaint',
    entityType: 'Complaint',
    entityId: id,
    data: { outcome: input.outcome, resolutionSeconds: seconds, findingId: complaint.findingId, compensationId },
  });
  return complaint;
}

/** RESOLVED → CLOSED; an upheld complaint's compensation must have been decided first. */
export async function closeComplaint(em: EntityManager, actor: AuthUser, idRaw: string): Promise<Complaint> {
  const id = parseId(idRaw, 'id');
  const pending: unknown[] = await em.query(`SELECT id FROM compensation WHERE complaintId = ? AND status = ?`, [id, CompensationStatus.PROPOSED]);
  if (pending.length)
    throw new ConflictError(CustomerConflict.COMPENSATION_UNDECIDED, `Complaint ${id}'s compensation is still PROPOSED: confirm or reject it first`, {
      complaintId: id,
    });
  const now = new Date();
  const res = await execute(em, `UPDATE complaint SET state = 'CLOSED', closedAt = ? WHERE id = ? AND state = 'RESOLVED'`, [toDbDate(now), id]);
  if (res.affected !== 1) await refuse(em, id, ComplaintState.CLOSED, ComplaintState.RESOLVED);
  await recordChange(em, actor, { action: 'closeComplaint', entityType: 'Complaint', entityId: id, data: { state: ComplaintState.CLOSED } });
  return (await em.getRepository(Complaint).findOne({ where: { id } }))!;
}

/** What a user may see: an AGENT its own complaints, a REPAIR_PARTNER upheld ones about itself. */
function scope(user: AuthUser): { agentId?: number; repairPartnerId?: number; upheldOnly?: boolean } {
  if (user.role === Role.AGENT) return { agentId: user.agentId ?? -1 };
  if (user.role === Role.REPAIR_PARTNER) return { repairPartnerId: user.repairPartnerId ?? -1, upheldOnly: true };
  return {};
}

export async function getComplaint(em: EntityManager, user: AuthUser, idRaw: string): Promise<Complaint> {
  const id = parseId(idRaw, 'id');
  const c = await em.getRepository(Complaint).findOne({ where: { id } });
  const s = scope(user);
  const hidden =
    !c ||
    (s.agentId !== undefined && c.agentId !== s.agentId) ||
    (s.repairPartnerId !== undefined && (c.repairPartnerId !== s.repairPartnerId || c.outcome !== ComplaintOutcome.UPHELD));
  if (hidden) throw new NotFoundError('Complaint', id);
  return c!;
}

export async function listComplaints(em: EntityManager, user: AuthUser, filter: ComplaintFilter | undefined, args: ConnectionArgs) {
  const s = scope(user);
  const qb = em.getRepository(Complaint).createQueryBuilder('c');
  const agentId = s.agentId ?? parseOptionalId(filter?.agentId, 'filter.agentId');
  const partnerId = s.repairPartnerId ?? parseOptionalId(filter?.repairPartnerId, 'filter.repairPartnerId');
  if (agentId != null) qb.andWhere('c.agentId = :agentId', { agentId });
  if (partnerId != null) qb.andWhere('c.repairPartnerId = :partnerId', { partnerId });
  if (s.upheldOnly) qb.andWhere('c.outcome = :upheld', { upheld: ComplaintOutcome.UPHELD });
  if (filter?.state) qb.andWhere('c.state = :state', { state: filter.state });
  if (filter?.category) qb.andWhere('c.category = :category', { category: filter.category });
  if (filter?.outcome) qb.andWhere('c.outcome = :outcome', { outcome: filter.outcome });
  const spId = parseOptionalId(filter?.spId, 'filter.spId');
  if (spId != null) qb.andWhere('c.spId = :spId', { spId });
  if (filter?.msisdn) qb.andWhere('c.msisdn = :msisdn', { msisdn: parseMsisdn(filter.msisdn, 'filter.msisdn') });
  if (filter?.period) qb.andWhere('c.period = :period', { period: parsePeriod(filter.period, 'filter.period').key });
  return paginate(qb, args, [{ column: 'c.id', value: (c) => c.id, direction: 'DESC' }]);
}

/** Complaints not yet resolved whose 24 hours ran out before asOf (default now), most overdue first. */
export function overdueComplaints(em: EntityManager, asOf: Date | null | undefined, args: ConnectionArgs) {
  const at = asOf ?? new Date();
  const qb = em
    .getRepository(Complaint)
    .createQueryBuilder('c')
    .where('c.state IN (:...open)', { open: [ComplaintState.OPEN, ComplaintState.IN_PROGRESS] })
    .andWhere('c.dueAt < :at', { at: toDbDate(at) })
    .andWhere('c.receivedAt <= :at', { at: toDbDate(at) });
  return paginate(qb, args, [
    { column: 'c.dueAt', value: (c) => toDbDate(c.dueAt) },
    { column: 'c.id', value: (c) => c.id },
  ]);
}

/** Nearest-rank percentile of ascending values. */
function nearestRank(sorted: number[], q: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

/**
 * Per category, for complaints received in one Shanghai month: how many, how many resolved, the
 * median and 90th percentile of seconds to resolution, and the share resolved within 24 hours.
 * One statement reads the month's (category, resolutionSeconds) pairs sorted; the rest is counting.
 */
export async function complaintStats(em: EntityManager, periodRaw: string): Promise<ComplaintStat[]> {
  const p = parsePeriod(periodRaw, 'period');
  const rows: { category: ComplaintCategory; s: unknown }[] = await em.query(
    'SELECT category, resolutionSeconds AS s FROM complaint WHERE period = ? ORDER BY category, resolutionSeconds',
    [p.key],
  );
  const by = new Map<ComplaintCategory, { count: number; seconds: number[] }>();
  for (const r of rows) {
    const g = by.get(r.category) ?? { count: 0, seconds: [] };
    g.count++;
    if (r.s != null) g.seconds.push(Number(r.s));
    by.set(r.category, g);
  }
  return Object.values(ComplaintCategory)
    .filter((c) => by.has(c))
    .map((category) => {
      const g = by.get(category)!;
      g.seconds.sort((a, b) => a - b);
      const within = g.seconds.filter((s) => s <= PROMISE_MS / 1000).length;
      return {
        period: p.key,
        category,
        count: g.count,
        resolved: g.seconds.length,
        medianSeconds: nearestRank(g.seconds, 0.5),
        p90Seconds: nearestRank(g.seconds, 0.9),
        within24h: within,
        shareWithin24h: Math.round((within / g.count) * 10000) / 10000,
      };
    });
}

/** Upheld REPAIR complaints about one partner resolved in one month (its statement shows them). */
export async function upheldRepairComplaints(em: EntityManager, partnerId: number, periodRaw: string): Promise<Complaint[]> {
  const p = parsePeriod(periodRaw, 'period');
  return em
    .getRepository(Complaint)
    .createQueryBuilder('c')
    .where('c.repairPartnerId = :partnerId AND c.outcome = :upheld', { partnerId, upheld: ComplaintOutcome.UPHELD })
    .andWhere('c.resolvedAt >= :start AND c.resolvedAt < :end', { start: toDbDate(p.start), end: toDbDate(p.end) })
    .orderBy('c.id')
    .getMany();
}
