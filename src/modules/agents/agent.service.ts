import { EntityManager } from 'typeorm';
import { AuthUser, scopeAgent } from '../../common/auth';
import { execute, toDbDate } from '../../common/db';
import { BadInputError, ConflictError, NotFoundError } from '../../common/errors';
import { parseId } from '../../common/ids';
import { idOrKey } from '../../common/lookup';
import { assertFen } from '../../common/money';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { Role } from '../../common/roles';
import { recordChange } from '../changelog/change-log.service';
import { regionByCode } from '../regions/region.service';
import { Agent, AgentStatus } from './agent.entity';
import { AgentFilter, CreateAgentInput, UpdateAgentInput } from './agent.inputs';
import { AgentStatusChange } from './agent-status-change.entity';
import { agentCreated } from './agent-events';
import { AgentsConflict } from './agents.errors';

/** Which status may follow which. TERMINATED is final: a terminated agent's contract has ended. */
const TRANSITIONS: Record<AgentStatus, AgentStatus[]> = {
  [AgentStatus.ACTIVE]: [AgentStatus.SUSPENDED, AgentStatus.TERMINATED],
  [AgentStatus.SUSPENDED]: [AgentStatus.ACTIVE, AgentStatus.TERMINATED],
  [AgentStatus.TERMINATED]: [],
};

export const MAX_COMMISSION_FEN = 100_000_00; // 100,000 yuan a line would be a typo, not a deal

/** LIKE pattern with the user's % and _ taken literally (escape character "!", portable to both databases). */
export function likeEscape(s: string): string {
  return s.replace(/[!%_]/g, (c) => `!${c}`);
}

function cleanOptional(v: string | null | undefined): string | null {
  if (v === undefined || v === null) return null;
  const t = v.trim();
  return t ? t : null;
}

function assertCommission(field: string, v: number): number {
  assertFen(field, v);
  if (v > MAX_COMMISSION_FEN) throw new BadInputError(field, `must be at most ${MAX_COMMISSION_FEN} fen`);
  return v;
}

/** Load an agent the actor may see; another agent's id answers NOT_FOUND to an AGENT user (existence does not leak). */
export async function getAgent(em: EntityManager, actor: AuthUser, idRaw: string | number, field = 'id'): Promise<Agent> {
  const id = parseId(idRaw, field);
  if (actor.role === Role.AGENT && actor.agentId !== id) throw new NotFoundError('Agent', id);
  const agent = await em.getRepository(Agent).findOne({ where: { id } });
  if (!agent) throw new NotFoundError('Agent', id);
  return agent;
}

/** The agent query: by id or by code (codes are stored upper-case). An AGENT finds only itself. */
export async function getAgentByIdOrCode(em: EntityManager, actor: AuthUser, id: string | null | undefined, code: string | null | undefined): Promise<Agent> {
  const key = idOrKey(id, 'code', code);
  if (key.by === 'id') return getAgent(em, actor, key.value);
  const wanted = key.value.toUpperCase();
  const agent = await em.getRepository(Agent).findOne({ where: { code: wanted } });
  if (!agent || (actor.role === Role.AGENT && actor.agentId !== agent.id)) throw new NotFoundError('Agent', wanted);
  return agent;
}

export async function listAgents(
  em: EntityManager,
  actor: AuthUser,
  filter: AgentFilter | undefined,
  args: ConnectionArgs,
  /** The properties the selection reads (selectedColumns, as properties); absent: all. */
  select?: string[] | null,
) {
  const qb = em.getRepository(Agent).createQueryBuilder('a');
  const own = scopeAgent(actor, null);
  if (own) qb.andWhere('a.id = :own', { own });
  if (filter?.regionCode) {
    const region = await regionByCode(em, filter.regionCode, 'filter.regionCode');
    qb.andWhere('a.regionId = :regionId', { regionId: region.id });
  }
  if (filter?.status) qb.andWhere('a.status = :status', { status: filter.status });
  if (filter?.kind) qb.andWhere('a.kind = :kind', { kind: filter.kind });
  const search = filter?.search?.trim();
  if (search) {
    if (search.length > 64) throw new BadInputError('filter.search', 'must be at most 64 characters');
    const s = likeEscape(search);
    qb.andWhere("(a.code LIKE :prefix ESCAPE '!' OR a.name LIKE :part ESCAPE '!')", { prefix: `${s.toUpperCase()}%`, part: `%${s}%` });
  }
  return paginate(
    qb,
    args,
    [
      { column: 'a.code', value: (a) => a.code },
      { column: 'a.id', value: (a) => a.id },
    ],
    { select },
  );
}

export async function createAgent(em: EntityManager, actor: AuthUser, input: CreateAgentInput): Promise<Agent> {
  const code = input.code.trim().toUpperCase();
  const name = input.name.trim();
  if (!name) throw new BadInputError('input.name', 'must not be blank');
  const region = await regionByCode(em, input.regionCode, 'input.regionCode');
  const commission = assertCommission('input.commissionPerActivationFen', input.commissionPerActivationFen);
  const repo = em.getRepository(Agent);
  if (await repo.findOne({ where: { code } })) throw new ConflictError(AgentsConflict.ALREADY_EXISTS, `agent code ${code} is taken`, { field: 'input.code' });
  const agent = repo.create({
    code,
    name,
    kind: input.kind,
    status: AgentStatus.ACTIVE,
    statusReason: null,
    statusChangedAt: null,
    regionId: region.id,
    contactName: cleanOptional(input.contactName),
    contactPhone: cleanOptional(input.contactPhone),
    commissionPerActivationFen: commission,
    riskScore: 0,
    createdAt: new Date(),
    updatedAt: null,
  });
  // A concurrent create of the same code loses on the unique key (CONFLICT from the formatter).
  await repo.insert(agent);
  await agentCreated(em, agent);
  await recordChange(em, actor, {
    action: 'createAgent',
    entityType: 'Agent',
    entityId: agent.id,
    data: { code, name, kind: agent.kind, regionCode: region.code, commissionPerActivationFen: commission },
  });
  return agent;
}

export async function updateAgent(em: EntityManager, actor: AuthUser, idRaw: string, input: UpdateAgentInput): Promise<Agent> {
  const agent = await getAgent(em, actor, idRaw);
  const changes: Record<string, unknown> = {};
  if (input.name !== undefined && input.name !== null) {
    const name = input.name.trim();
    if (!name) throw new BadInputError('input.name', 'must not be blank');
    changes.name = name;
  }
  if (input.kind) changes.kind = input.kind;
  if (input.regionCode) {
    const region = await regionByCode(em, input.regionCode, 'input.regionCode');
    changes.regionId = region.id;
  }
  if (input.contactName !== undefined) changes.contactName = cleanOptional(input.contactName);
  if (input.contactPhone !== undefined) changes.contactPhone = cleanOptional(input.contactPhone);
  if (input.commissionPerActivationFen !== undefined && input.commissionPerActivationFen !== null) {
    changes.commissionPerActivationFen = assertCommission('input.commissionPerActivationFen', input.commissionPerActivationFen);
  }
  const changed = Object.fromEntries(Object.entries(changes).filter(([k, v]) => (agent as unknown as Record<string, unknown>)[k] !== v));
  if (!Object.keys(changed).length) return agent;
  const updatedAt = new Date();
  await em.getRepository(Agent).update({ id: agent.id }, { ...changed, updatedAt });
  await recordChange(em, actor, {
    action: 'updateAgent',
    entityType: 'Agent',
    entityId: agent.id,
    data: { before: Object.fromEntries(Object.keys(changed).map((k) => [k, (agent as unknown as Record<string, unknown>)[k]])), after: changed },
  });
  return Object.assign(agent, changed, { updatedAt });
}

/**
 * The one way an agent's status changes: the row moves from `from` to `to` only if it is still
 * `from` (of two concurrent changes one wins; the caller learns which from the result), and the
 * change goes into the status history `statusHistory` shows. A null actor is the system (the
 * audits' automatic suspension). Whether the move is allowed (TRANSITIONS) is the caller's check;
 * the change log entry too, since its action names the caller's reason.
 */
export async function transitionAgentStatus(
  em: EntityManager,
  change: { agentId: number; from: AgentStatus; to: AgentStatus; reason: string; at: Date; actor: AuthUser | null },
): Promise<boolean> {
  const { agentId, from, to, reason, at, actor } = change;
  const { affected } = await execute(em, `UPDATE agent SET status = ?, statusReason = ?, statusChangedAt = ?, updatedAt = ? WHERE id = ? AND status = ?`, [
    to,
    reason,
    toDbDate(at),
    toDbDate(at),
    agentId,
    from,
  ]);
  if (affected !== 1) return false;
  await em.getRepository(AgentStatusChange).insert({
    agentId,
    fromStatus: from,
    toStatus: to,
    reason,
    at,
    actorId: actor?.id ?? null,
    actorName: actor?.username ?? null,
  });
  return true;
}

export async function setAgentStatus(em: EntityManager, actor: AuthUser, idRaw: string, status: AgentStatus, reasonRaw: string): Promise<Agent> {
  const reason = (reasonRaw ?? '').trim();
  if (!reason) throw new BadInputError('reason', 'is required: say why the status changes');
  if (reason.length > 500) throw new BadInputError('reason', 'must be at most 500 characters');
  const agent = await getAgent(em, actor, idRaw);
  const from = Object.values(AgentStatus).filter((s) => TRANSITIONS[s].includes(status));
  if (!from.includes(agent.status)) {
    throw new ConflictError(
      agent.status === status ? AgentsConflict.ALREADY_IN_STATUS : AgentsConflict.TRANSITION_NOT_ALLOWED,
      agent.status === status
        ? `agent ${agent.code} is already ${status}`
        : `agent ${agent.code} is ${agent.status} and cannot become ${status}${agent.status === AgentStatus.TERMINATED ? ': termination is final' : ''}`,
      { status: agent.status },
    );
  }
  const at = new Date();
  // Conditional on the status we read: of two concurrent changes, one wins and the other is told.
  if (!(await transitionAgentStatus(em, { agentId: agent.id, from: agent.status, to: status, reason, at, actor }))) {
    throw new ConflictError(AgentsConflict.CHANGED_MEANWHILE, `agent ${agent.code} changed meanwhile; read it again`);
  }
  await recordChange(em, actor, {
    action: 'setAgentStatus',
    entityType: 'Agent',
    entityId: agent.id,
    data: { from: agent.status, to: status, reason },
  });
  return Object.assign(agent, { status, statusReason: reason, statusChangedAt: at, updatedAt: at });
}
