import { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth';
import { scopeAgent } from '../../common/auth';
import { execute, fromDbDate, toDbDate } from '../../common/db';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../common/errors';
import { parseId, parseOptionalId } from '../../common/ids';
import { assertFen } from '../../common/money';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { parsePeriod, periodOf } from '../../common/period';
import { Role } from '../../common/roles';
import { AgentStatus } from '../agents/agent.entity';
import { transitionAgentStatus } from '../agents/agent.service';
import { recordChange } from '../changelog/change-log.service';
import { FindingType, PenaltyKind, PenaltyStatus } from './audit.enums';
import { AuditBatch } from './audit-batch.entity';
import { Penalty } from './penalty.entity';
import { CreatePenaltyInput, PenaltyFilter } from './penalty.inputs';
import { PenaltyRule } from './penalty-rule.entity';
import { AuditsConflict } from './audits.errors';

const DAY_MS = 24 * 3600 * 1000;

export const ESCALATION = {
  /** Findings of one type for one agent are counted over this many days of offences (openedAt). */
  windowDays: 90,
  /** The n-th finding within the window and later ones are multiplied. */
  fromOccurrence: 3,
  factor: 2,
  /** This many FAKE_IDENTITY findings within the window suspend the agent. */
  suspendAfterFakeIdentity: 3,
};

export const DEFAULT_PENALTY_RULES: { findingType: FindingType; amountFen: number; description: string }[] = [
  { findingType: FindingType.INCOMPLETE_DATA, amountFen: 2_000, description: 'Customer record entered incompletely' },
  { findingType: FindingType.LATE_ENTRY, amountFen: 1_000, description: 'Customer record entered late' },
  { findingType: FindingType.DATA_MISMATCH, amountFen: 3_000, description: "Record does not match the customer's documents" },
  { findingType: FindingType.TARIFF_MISMATCH, amountFen: 5_000, description: 'Tariff plan entered differs from the one the customer chose' },
  { findingType: FindingType.FAKE_IDENTITY, amountFen: 50_000, description: 'Line opened with a fake or borrowed identity document' },
];

function cleanReason(raw: string | null | undefined, field: string): string {
  const reason = (raw ?? '').trim();
  if (!reason) throw new BadInputError(field, 'is required');
  if (reason.length > 500) throw new BadInputError(field, 'must be at most 500 characters');
  return reason;
}

/**
 * For instants sorted ascending: how many of them (itself included) fall within `windowMs` before
 * each one. The n-th finding of a type "within 90 days" is the one whose count is n.
 */
export function countsWithinWindow(sortedAt: number[], windowMs: number): number[] {
  let lo = 0;
  return sortedAt.map((at, i) => {
    while (sortedAt[lo] < at - windowMs) lo++;
    return i - lo + 1;
  });
}

interface FindingRow {
  id: number;
  type: FindingType;
  agentId: number;
  registrationId: number;
  note: string | null;
  openedAt: Date;
}

interface Event {
  at: number;
  /** Existing penalties sort before new findings at the same instant. */
  order: number;
  id: number;
  finding?: FindingRow;
}

/**
 * One penalty per failed finding of a closed batch, at the rule's current amount; doubled from the
 * third finding of one type for one agent whose records were opened within 90 days of each other.
 * A record already penalised for the same finding type (by an earlier batch, not waived) is not
 * penalised again. Three FAKE_IDENTITY findings within 90 days suspend the agent.
 *
 * A handful of statements whatever the batch size: the findings, the history they escalate on,
 * bulk inserts of the penalties, and one conditional UPDATE per agent that crosses the suspension line.
 */
export async function proposeAuditPenalties(
  em: EntityManager,
  actor: AuthUser,
  batch: AuditBatch,
): Promise<{ proposed: number; duplicates: number; escalated: number; suspendedAgentIds: number[] }> {
  const raw: { id: number; type: FindingType; agentId: number; registrationId: number; note: string | null; openedAt: unknown }[] = await em.query(
    `SELECT f.id, f.type, f.agentId, f.registrationId, f.note, r.openedAt
       FROM audit_finding f JOIN registration r ON r.id = f.registrationId
      WHERE f.batchId = ?
      ORDER BY r.openedAt, f.id`,
    [batch.id],
  );
  const result = { proposed: 0, duplicates: 0, escalated: 0, suspendedAgentIds: [] as number[] };
  if (!raw.length) return result;
  const findings: FindingRow[] = raw.map((f) => ({
    id: Number(f.id),
    type: f.type,
    agentId: Number(f.agentId),
    registrationId: Number(f.registrationId),
    note: f.note,
    openedAt: fromDbDate(f.openedAt)!,
  }));

  const dupRows: { registrationId: number; findingType: string }[] = await em.query(
    `SELECT DISTINCT p.registrationId, p.findingType
       FROM penalty p JOIN audit_finding f ON f.registrationId = p.registrationId AND f.type = p.findingType
      WHERE f.batchId = ? AND p.status <> 'WAIVED'`,
    [batch.id],
  );
  const already = new Set(dupRows.map((d) => `${Number(d.registrationId)}:${d.findingType}`));
  const fresh = findings.filter((f) => !already.has(`${f.registrationId}:${f.type}`));
  result.duplicates = findings.length - fresh.length;
  if (!fresh.length) return result;

  const windowMs = ESCALATION.windowDays * DAY_MS;
  const earliest = Math.min(...fresh.map((f) => f.openedAt.getTime()));
  const historyRows: { id: number; agentId: number; findingType: string; offenceAt: unknown }[] = await em.query(
    `SELECT p.id, p.agentId, p.findingType, p.offenceAt
       FROM penalty p
      WHERE p.kind = 'AUDIT' AND p.status <> 'WAIVED' AND p.offenceAt >= ?
        AND p.agentId IN (SELECT DISTINCT f.agentId FROM audit_finding f WHERE f.batchId = ?)`,
    [toDbDate(new Date(earliest - windowMs)), batch.id],
  );

  const streams = new Map<string, Event[]>();
  const push = (key: string, e: Event) => {
    const list = streams.get(key);
    if (list) list.push(e);
    else streams.set(key, [e]);
  };
  for (const h of historyRows) push(`${Number(h.agentId)}:${h.findingType}`, { at: fromDbDate(h.offenceAt)!.getTime(), order: 0, id: Number(h.id) });
  for (const f of fresh) push(`${f.agentId}:${f.type}`, { at: f.openedAt.getTime(), order: 1, id: f.id, finding: f });

  const rules = new Map((await em.getRepository(PenaltyRule).find()).map((r) => [r.findingType, r]));
  const now = new Date();
  const rows: Partial<Penalty>[] = [];
  const suspend = new Set<number>();
  for (const events of streams.values()) {
    events.sort((a, b) => a.at - b.at || a.order - b.order || a.id - b.id);
    const counts = countsWithinWindow(
      events.map((e) => e.at),
      windowMs,
    );
    events.forEach((e, i) => {
      if (!e.finding) return;
      const f = e.finding;
      const occurrence = counts[i];
      const rule = rules.get(f.type);
      if (!rule) throw new ConflictError(AuditsConflict.NO_PENALTY_RULE, `No penalty rule for ${f.type}: set one with setPenaltyRule`, { findingType: f.type });
      const escalated = occurrence >= ESCALATION.fromOccurrence;
      const amountFen = escalated ? rule.amountFen * ESCALATION.factor : rule.amountFen;
      if (escalated) result.escalated++;
      const reason = `Audit batch ${batch.id} (${batch.period}): ${f.type} on record ${f.registrationId}${
        escalated ? ` (finding ${occurrence} of this type within ${ESCALATION.windowDays} days: ×${ESCALATION.factor})` : ''
      }${f.note ? ` — ${f.note}` : ''}`;
      rows.push({
        agentId: f.agentId,
        kind: PenaltyKind.AUDIT,
        findingId: f.id,
        batchId: batch.id,
        registrationId: f.registrationId,
        findingType: f.type,
        offenceAt: f.openedAt,
        occurrence,
        baseAmountFen: rule.amountFen,
        amountFen,
        escalated,
        reason: reason.length > 500 ? `${reason.slice(0, 499)}…` : reason,
        status: PenaltyStatus.PROPOSED,
        period: batch.period,
        createdAt: now,
        createdById: actor.id,
        decidedAt: null,
        decidedById: null,
        waiveReason: null,
        settledPeriod: null,
        appliedAt: null,
      });
      if (f.type === FindingType.FAKE_IDENTITY && occurrence >= ESCALATION.suspendAfterFakeIdentity) suspend.add(f.agentId);
    });
  }
  for (let i = 0; i < rows.length; i += 500) {
    await em
      .createQueryBuilder()
      .insert()
      .into(Penalty)
      .values(rows.slice(i, i + 500))
      .execute();
  }
  result.proposed = rows.length;

  for (const agentId of [...suspend].sort((a, b) => a - b)) {
    const fakeIdentity = rows.filter((r) => r.agentId === agentId && r.findingType === FindingType.FAKE_IDENTITY);
    const reason = `Automatic suspension: ${ESCALATION.suspendAfterFakeIdentity} or more FAKE_IDENTITY findings on records opened within ${ESCALATION.windowDays} days (audit batch ${batch.id}, ${batch.period}, closed by ${actor.username})`;
    // Conditional on ACTIVE: an agent already suspended or terminated is left as it is. By the
    // system (no actor), through the agents module, so statusHistory shows it like any other change.
    const changed = await transitionAgentStatus(em, { agentId, from: AgentStatus.ACTIVE, to: AgentStatus.SUSPENDED, reason, at: now, actor: null });
    if (!changed) continue;
    result.suspendedAgentIds.push(agentId);
    await recordChange(em, null, {
      action: 'autoSuspendAgent',
      entityType: 'Agent',
      entityId: agentId,
      data: { from: AgentStatus.ACTIVE, to: AgentStatus.SUSPENDED, reason, batchId: batch.id, findingIds: fakeIdentity.map((r) => r.findingId) },
    });
  }
  return result;
}

export async function listPenaltyRules(em: EntityManager): Promise<PenaltyRule[]> {
  const order = Object.values(FindingType);
  const rules = await em.getRepository(PenaltyRule).find();
  return rules.sort((a, b) => order.indexOf(a.findingType) - order.indexOf(b.findingType));
}

export async function setPenaltyRule(
  em: EntityManager,
  actor: AuthUser,
  type: FindingType,
  amountFen: number,
  description: string | null | undefined,
): Promise<PenaltyRule> {
  assertFen('amountFen', amountFen);
  if (description != null && description.trim().length > 255) throw new BadInputError('description', 'must be at most 255 characters');
  const repo = em.getRepository(PenaltyRule);
  const before = await repo.findOne({ where: { findingType: type } });
  const now = new Date();
  const patch = { amountFen, updatedAt: now, updatedById: actor.id, ...(description != null ? { description: description.trim() } : {}) };
  if (before) await repo.update({ findingType: type }, patch);
  else await repo.insert({ findingType: type, description: '', ...patch });
  await recordChange(em, actor, {
    action: 'setPenaltyRule',
    entityType: 'PenaltyRule',
    entityId: type,
    data: { previousAmountFen: before?.amountFen ?? null, amountFen, description: patch.description },
  });
  return (await repo.findOne({ where: { findingType: type } }))!;
}

export function listPenalties(em: EntityManager, user: AuthUser, filter: PenaltyFilter | undefined, args: ConnectionArgs) {
  const agentId = scopeAgent(user, parseOptionalId(filter?.agentId, 'filter.agentId'));
  const qb = em.getRepository(Penalty).createQueryBuilder('p');
  if (agentId) qb.andWhere('p.agentId = :agentId', { agentId });
  if (filter?.status) qb.andWhere('p.status = :status', { status: filter.status });
  if (filter?.period) qb.andWhere('p.period = :period', { period: parsePeriod(filter.period, 'filter.period').key });
  if (filter?.settledPeriod) qb.andWhere('p.settledPeriod = :sp', { sp: parsePeriod(filter.settledPeriod, 'filter.settledPeriod').key });
  if (filter?.batchId) qb.andWhere('p.batchId = :batchId', { batchId: parseId(filter.batchId, 'filter.batchId') });
  if (filter?.kind) qb.andWhere('p.kind = :kind', { kind: filter.kind });
  return paginate(qb, args, [{ column: 'p.id', value: (p) => p.id, direction: 'DESC' }]);
}

/** A penalty by id; another agent's penalty is NOT_FOUND for an AGENT user. */
export async function getPenalty(em: EntityManager, user: AuthUser, idRaw: string): Promise<Penalty> {
  const id = parseId(idRaw, 'id');
  const penalty = await em.getRepository(Penalty).findOne({ where: { id } });
  if (!penalty || (user.role === Role.AGENT && penalty.agentId !== user.agentId)) throw new NotFoundError('Penalty', id);
  return penalty;
}

export async function createPenalty(em: EntityManager, actor: AuthUser, input: CreatePenaltyInput): Promise<Penalty> {
  const agentId = parseId(input.agentId, 'input.agentId');
  assertFen('input.amountFen', input.amountFen, { allowZero: false });
  const reason = cleanReason(input.reason, 'input.reason');
  const found: unknown[] = await em.query('SELECT id FROM agent WHERE id = ?', [agentId]);
  if (!found.length) throw new BadInputError('input.agentId', `no agent ${agentId}`);
  const now = new Date();
  const repo = em.getRepository(Penalty);
  const penalty = await repo.save(
    repo.create({
      agentId,
      kind: PenaltyKind.MANUAL,
      findingId: null,
      batchId: null,
      registrationId: null,
      findingType: null,
      offenceAt: null,
      occurrence: null,
      baseAmountFen: input.amountFen,
      amountFen: input.amountFen,
      escalated: false,
      reason,
      status: PenaltyStatus.PROPOSED,
      period: periodOf(now).key,
      createdAt: now,
      createdById: actor.id,
      decidedAt: null,
      decidedById: null,
      waiveReason: null,
      settledPeriod: null,
      appliedAt: null,
    }),
  );
  await recordChange(em, actor, {
    action: 'createPenalty',
    entityType: 'Penalty',
    entityId: penalty.id,
    data: { agentId, amountFen: input.amountFen, reason },
  });
  return penalty;
}

/** Why a conditional penalty update changed nothing. */
async function explainNoChange(em: EntityManager, id: number, action: string): Promise<never> {
  const p = await em.getRepository(Penalty).findOne({ where: { id } });
  if (!p) throw new NotFoundError('Penalty', id);
  throw new ConflictError(AuditsConflict.TRANSITION_NOT_ALLOWED, `Penalty ${id} is ${p.status}: it cannot be ${action}`, { status: p.status });
}

/**
 * PROPOSED -> CONFIRMED by a conditional write. Four eyes: a MANUAL penalty's creator may not
 * confirm it (the same condition is in the UPDATE, so there is no window between check and write).
 */
export async function confirmPenalty(em: EntityManager, actor: AuthUser, idRaw: string): Promise<Penalty> {
  const id = parseId(idRaw, 'id');
  const now = new Date();
  const res = await execute(
    em,
    `UPDATE penalty SET status = 'CONFIRMED', decidedAt = ?, decidedById = ?
      WHERE id = ? AND status = 'PROPOSED' AND NOT (kind = 'MANUAL' AND createdById = ?)`,
    [toDbDate(now), actor.id, id, actor.id],
  );
  if (res.affected !== 1) {
    const p = await em.getRepository(Penalty).findOne({ where: { id } });
    if (p && p.status === PenaltyStatus.PROPOSED && p.kind === PenaltyKind.MANUAL && p.createdById === actor.id) {
      throw new ForbiddenError('Four eyes: a manual penalty must be confirmed by someone other than the person who created it');
    }
    await explainNoChange(em, id, 'confirmed');
  }
  await recordChange(em, actor, { action: 'confirmPenalty', entityType: 'Penalty', entityId: id, data: { status: PenaltyStatus.CONFIRMED } });
  return (await em.getRepository(Penalty).findOne({ where: { id } }))!;
}

/**
 * Waive a penalty, with a reason. A PROPOSED one is WAIVED at once: nothing was decided yet, and
 * rejecting a proposal is the decision its confirmation would have been. A CONFIRMED one needs
 * four eyes, as a manual penalty does: this records the request (who, when, the reason) and the
 * penalty stays CONFIRMED, deductible, until someone other than the requester approves it
 * (approvePenaltyWaiver). Both are conditional writes, so no second call slips between a check and
 * its write.
 */
export async function waivePenalty(em: EntityManager, actor: AuthUser, idRaw: string, reasonRaw: string): Promise<Penalty> {
  const id = parseId(idRaw, 'id');
  const reason = cleanReason(reasonRaw, 'reason');
  const now = new Date();
  const waived = await execute(
    em,
    `UPDATE penalty SET status = 'WAIVED', waiveReason = ?, decidedAt = ?, decidedById = ?, settledPeriod = NULL
      WHERE id = ? AND status = 'PROPOSED'`,
    [reason, toDbDate(now), actor.id, id],
  );
  if (waived.affected === 1) {
    await recordChange(em, actor, { action: 'waivePenalty', entityType: 'Penalty', entityId: id, data: { status: PenaltyStatus.WAIVED, reason } });
    return (await em.getRepository(Penalty).findOne({ where: { id } }))!;
  }
  const requested = await execute(
    em,
    `UPDATE penalty SET waiveReason = ?, waiverRequestedAt = ?, waiverRequestedById = ?
      WHERE id = ? AND status = 'CONFIRMED' AND waiverRequestedById IS NULL`,
    [reason, toDbDate(now), actor.id, id],
  );
  if (requested.affected !== 1) {
    const p = await em.getRepository(Penalty).findOne({ where: { id } });
    if (p && p.status === PenaltyStatus.CONFIRMED && p.waiverRequestedById != null) {
      throw new ConflictError(
        AuditsConflict.WAIVER_ALREADY_REQUESTED,
        `Penalty ${id}: a waiver is already requested and waits for approval by someone other than its requester (approvePenaltyWaiver)`,
        {
          status: p.status,
        },
      );
    }
    await explainNoChange(em, id, 'waived');
  }
  await recordChange(em, actor, { action: 'requestPenaltyWaiver', entityType: 'Penalty', entityId: id, data: { status: PenaltyStatus.CONFIRMED, reason } });
  return (await em.getRepository(Penalty).findOne({ where: { id } }))!;
}

/**
 * CONFIRMED with a waiver requested -> WAIVED, by someone other than the requester (the condition
 * is in the UPDATE). The waived penalty leaves any open statement that had claimed it (settledPeriod
 * cleared); the next settlement or the close recomputes that statement. Once its period is closed
 * the penalty is APPLIED and the request can no longer be approved.
 */
export async function approvePenaltyWaiver(em: EntityManager, actor: AuthUser, idRaw: string): Promise<Penalty> {
  const id = parseId(idRaw, 'id');
  const now = new Date();
  const res = await execute(
    em,
    `UPDATE penalty SET status = 'WAIVED', decidedAt = ?, decidedById = ?, settledPeriod = NULL
      WHERE id = ? AND status = 'CONFIRMED' AND waiverRequestedById IS NOT NULL AND waiverRequestedById <> ?`,
    [toDbDate(now), actor.id, id, actor.id],
  );
  if (res.affected !== 1) {
    const p = await em.getRepository(Penalty).findOne({ where: { id } });
    if (p && p.status === PenaltyStatus.CONFIRMED && p.waiverRequestedById === actor.id) {
      throw new ForbiddenError('Four eyes: a waiver of a confirmed penalty must be approved by someone other than the person who requested it');
    }
    if (p && p.status === PenaltyStatus.CONFIRMED) {
      throw new ConflictError(AuditsConflict.NO_WAIVER_REQUESTED, `Penalty ${id}: no waiver was requested (waivePenalty first)`, { status: p.status });
    }
    await explainNoChange(em, id, 'waived');
  }
  const p = (await em.getRepository(Penalty).findOne({ where: { id } }))!;
  await recordChange(em, actor, {
    action: 'approvePenaltyWaiver',
    entityType: 'Penalty',
    entityId: id,
    data: { status: PenaltyStatus.WAIVED, reason: p.waiveReason, requestedById: p.waiverRequestedById },
  });
  return p;
}
