import { EntityManager, In, IsNull, Not } from 'typeorm';
import { lineActivated } from '../../common/activation-hooks';
import { AuthUser, scopeAgent } from '../../common/auth';
import { execute, toDbDate, placeholders } from '../../common/db';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../common/errors';
import { parseId, parseOptionalId } from '../../common/ids';
import { ConnectionArgs, ConnectionShape, decodeCursor, KeyedEdge, PageInfo, pageSize, paginate, SortKey } from '../../common/pagination';
import { parsePeriod, periodKeyOf } from '../../common/period';
import { Role } from '../../common/roles';
import { canonicalResidentId, normalizeIdNumber } from '../../common/validators/id-card';
import { isValidMsisdn, normalizeMsisdn } from '../../common/validators/msisdn';
import type { AppConfig } from '../../config';
import { recordChange, recordChanges } from '../changelog/change-log.service';
import { regionByCode } from '../regions/region.service';
import { Agent, AgentKind, AgentStatus } from './agent.entity';
import { periodsTakingActivations } from './agent-events';
import type { AgentsLoaders } from './agents.loaders';
import { identityCipher } from './identity-crypto';
import { PlanInfo, prepareRecord, RecordFields, storeRecords } from './registration-ingest';
import { Registration, RegistrationStatus } from './registration.entity';
import { ActivationStatsFilter, RegistrationFilter } from './registration.inputs';
import { TariffPlan } from './tariff-plan.entity';
import { AgentsConflict } from './agents.errors';
import { ActivationStats, IdentityKeyRotationResult, SubmitRegistrationsPayload } from './agents.types';

export const MAX_RECORDS_PER_CALL = 1000;
const REASON_MAX = 500;

export async function loadPlans(em: EntityManager): Promise<Map<string, PlanInfo>> {
  const plans = await em.getRepository(TariffPlan).find();
  return new Map(plans.map((p) => [p.code, { code: p.code, network: p.network }]));
}

export function listTariffPlans(em: EntityManager): Promise<TariffPlan[]> {
  return em.getRepository(TariffPlan).find({ order: { network: 'ASC', code: 'ASC' } });
}

/** The live records of these numbers (through uq_registration_msisdn_live). */
async function findLive(em: EntityManager, msisdns: string[]): Promise<Registration[]> {
  const out: Registration[] = [];
  for (let i = 0; i < msisdns.length; i += 500) {
    out.push(...(await em.getRepository(Registration).find({ where: { msisdn: In(msisdns.slice(i, i + 500)), activeMsisdn: Not(IsNull()) } })));
  }
  return out;
}

/**
 * Up to 1,000 records for one agent. Malformed records are rejected one by one with their fields;
 * well-formed ones go in (PENDING_ACTIVATION) with their flags. Only an ACTIVE agent may submit.
 */
export async function submitRegistrations(
  em: EntityManager,
  actor: AuthUser,
  config: AppConfig,
  agentIdRaw: string,
  records: RecordFields[],
): Promise<SubmitRegistrationsPayload> {
  const agentId = parseId(agentIdRaw, 'agentId');
  scopeAgent(actor, agentId);
  if (!records.length) throw new BadInputError('records', 'must hold at least one record');
  if (records.length > MAX_RECORDS_PER_CALL) {
    throw new BadInputError('records', `at most ${MAX_RECORDS_PER_CALL} records per call, got ${records.length}`);
  }
  const agent = await em.getRepository(Agent).findOne({ where: { id: agentId } });
  if (!agent) throw new NotFoundError('Agent', agentId);
  if (agent.status !== AgentStatus.ACTIVE) {
    throw new ConflictError(AgentsConflict.AGENT_NOT_ACTIVE, `agent ${agent.code} is ${agent.status}: only active agents may submit records`, {
      status: agent.status,
    });
  }
  const env = { cipher: identityCipher(config), plans: await loadPlans(em), now: new Date(), history: false };
  // Only the fields of the contract: submittedAt/activatedAt are for the back-office import.
  const prepared = records.map((r) =>
    prepareRecord(
      agentId,
      {
        msisdn: r.msisdn,
        network: r.network,
        customerName: r.customerName,
        idType: r.idType,
        idNumber: r.idNumber,
        tariffPlanCode: r.tariffPlanCode,
        openedAt: r.openedAt,
      },
      env,
    ),
  );
  const outcomes = await storeRecords(em, prepared, (i) => `records.${i}`);
  const insertedMsisdns = prepared.filter((_, i) => outcomes[i].kind === 'inserted').map((p) => p.values!.msisdn);
  const stored = new Map((await findLive(em, insertedMsisdns)).map((r) => [r.msisdn, r]));

  const results = outcomes.map((o, index) => {
    if (o.kind === 'inserted') {
      const registration = stored.get(prepared[index].values!.msisdn)!;
      return { index, registration, errors: [] };
    }
    const errors =
      o.kind === 'rejected'
        ? o.errors.map((e) => ({ field: `records.${index}.${e.field}`, message: e.message }))
        : [{ field: `records.${index}`, message: o.reason }];
    return { index, registration: null, errors };
  });
  const accepted = results.filter((r) => r.registration);
  await recordChanges(
    em,
    actor,
    accepted.map(({ registration: r }) => ({
      action: 'submitRegistrations',
      entityType: 'Registration',
      entityId: r!.id,
      data: { agentId, msisdn: r!.msisdn, network: r!.network, tariffPlanCode: r!.tariffPlanCode, openedAt: r!.openedAt, flags: r!.flags },
    })),
  );
  return { accepted: accepted.length, rejected: results.length - accepted.length, results };
}

/** A record the actor may see: another agent's record answers NOT_FOUND to an AGENT user. */
export async function getRegistration(em: EntityManager, actor: AuthUser, idRaw: string | number): Promise<Registration> {
  const id = parseId(idRaw, 'id');
  const reg = await em.getRepository(Registration).findOne({ where: { id } });
  if (!reg || (actor.role === Role.AGENT && reg.agentId !== actor.agentId)) throw new NotFoundError('Registration', id);
  return reg;
}

/** Newest first. Every filter has an index (agent, status, opened, msisdn, identity hash). */
export async function listRegistrations(em: EntityManager, actor: AuthUser, config: AppConfig, filter: RegistrationFilter | undefined, args: ConnectionArgs) {
  const qb = em.getRepository(Registration).createQueryBuilder('r');
  const agentId = scopeAgent(actor, parseOptionalId(filter?.agentId, 'filter.agentId'));
  if (agentId) qb.andWhere('r.agentId = :agentId', { agentId });
  if (filter?.status) qb.andWhere('r.status = :status', { status: filter.status });
  // No flag name is a substring of another, so a plain LIKE finds exactly the records carrying it.
  if (filter?.flag) qb.andWhere('r.flags LIKE :flag', { flag: `%${filter.flag}%` });
  if (filter?.flagged !== undefined && filter?.flagged !== null) qb.andWhere('r.flagged = :flagged', { flagged: filter.flagged ? 1 : 0 });
  if (filter?.period) {
    const p = parsePeriod(filter.period, 'filter.period');
    qb.andWhere('r.openedAt >= :start AND r.openedAt < :end', { start: toDbDate(p.start), end: toDbDate(p.end) });
  }
  if (filter?.msisdn) {
    const msisdn = normalizeMsisdn(filter.msisdn);
    if (!isValidMsisdn(msisdn)) throw new BadInputError('filter.msisdn', 'must be 11 digits starting with 1');
    qb.andWhere('r.msisdn = :msisdn', { msisdn });
  }
  if (filter?.idNumber) {
    const idNumber = normalizeIdNumber(filter.idNumber);
    if (!idNumber) throw new BadInputError('filter.idNumber', 'must not be blank');
    // A 15-digit resident number is stored under its 18-character form's hash; another document's
    // 15 characters under their own.
    const cipher = identityCipher(config);
    const hashes = [...new Set([cipher.hash(canonicalResidentId(idNumber)), cipher.hash(idNumber)])];
    qb.andWhere('r.idHash IN (:...idHashes)', { idHashes: hashes });
  }
  return paginate(qb, args, [{ column: 'r.id', value: (r) => r.id, direction: 'DESC' }]);
}

function requireReason(raw: string): string {
  const reason = (raw ?? '').trim();
  if (!reason) throw new BadInputError('reason', 'is required');
  if (reason.length > REASON_MAX) throw new BadInputError('reason', `must be at most ${REASON_MAX} characters`);
  return reason;
}

function notIn(reg: Registration, action: string, allowed: RegistrationStatus[]): ConflictError {
  return new ConflictError(
    AgentsConflict.TRANSITION_NOT_ALLOWED,
    `registration ${reg.id} is ${reg.status}: only ${allowed.join(' or ')} records can be ${action}`,
    { status: reg.status },
  );
}

/**
 * PENDING_ACTIVATION → ACTIVE, keeping the seconds from submission to activation. Agency staff
 * activate any record; a partner hall (FRANCHISE_HALL agent) activates its own, the branch's
 * "service extension" that replaced activation by phone call.
 */
export async function activateRegistration(em: EntityManager, actor: AuthUser, idRaw: string, now = new Date()): Promise<Registration> {
  const reg = await getRegistration(em, actor, idRaw);
  if (actor.role === Role.AGENT) {
    const agent = await em.getRepository(Agent).findOne({ where: { id: reg.agentId } });
    if (agent?.kind !== AgentKind.FRANCHISE_HALL)
      throw new ForbiddenError('Only partner halls (FRANCHISE_HALL) activate their own lines; ask the agency staff');
    if (agent.status !== AgentStatus.ACTIVE) throw new ForbiddenError(`agent ${agent.code} is ${agent.status}`);
  }
  if (reg.status !== RegistrationStatus.PENDING_ACTIVATION) throw notIn(reg, 'activated', [RegistrationStatus.PENDING_ACTIVATION]);
  const at = now;
  const seconds = Math.max(0, Math.round((at.getTime() - reg.submittedAt.getTime()) / 1000));
  // The month's commission period pays it, claimed now when it is open (agent-events.ts).
  const month = periodKeyOf(at);
  const commissionPeriod = (await periodsTakingActivations(em, [month])).has(month) ? month : null;
  const { affected } = await execute(
    em,
    `UPDATE registration SET status = ?, activatedAt = ?, activationSeconds = ?, statusChangedAt = ?, commissionPeriod = ? WHERE id = ? AND status = ?`,
    [RegistrationStatus.ACTIVE, toDbDate(at), seconds, toDbDate(at), commissionPeriod, reg.id, RegistrationStatus.PENDING_ACTIVATION],
  );
  if (affected !== 1) throw new ConflictError(AgentsConflict.CHANGED_MEANWHILE, `registration ${reg.id} changed meanwhile; read it again`);
  await recordChange(em, actor, { action: 'activateRegistration', entityType: 'Registration', entityId: reg.id, data: { activationSeconds: seconds } });
  await lineActivated(em, actor, { registrationId: reg.id, agentId: reg.agentId, msisdn: reg.msisdn, activatedAt: at });
  return Object.assign(reg, { status: RegistrationStatus.ACTIVE, activatedAt: at, activationSeconds: seconds, statusChangedAt: at, commissionPeriod });
}

/** Ends a record's claim on its number, and its place in its identity's line count (reject or cancel). */
async function close(
  em: EntityManager,
  actor: AuthUser,
  idRaw: string,
  reasonRaw: string,
  to: RegistrationStatus,
  from: RegistrationStatus[],
  action: string,
): Promise<Registration> {
  const reason = requireReason(reasonRaw);
  const reg = await getRegistration(em, actor, idRaw);
  if (!from.includes(reg.status)) throw notIn(reg, action === 'rejectRegistration' ? 'rejected' : 'cancelled', from);
  const at = new Date();
  const { affected } = await execute(
    em,
    `UPDATE registration SET status = ?, statusReason = ?, statusChangedAt = ?, activeMsisdn = NULL WHERE id = ? AND status IN (${placeholders(from.length)})`,
    [to, reason, toDbDate(at), reg.id, ...from],
  );
  if (affected !== 1) throw new ConflictError(AgentsConflict.CHANGED_MEANWHILE, `registration ${reg.id} changed meanwhile; read it again`);
  await recordChange(em, actor, { action, entityType: 'Registration', entityId: reg.id, data: { from: reg.status, to, reason } });
  return Object.assign(reg, { status: to, statusReason: reason, statusChangedAt: at, activeMsisdn: null });
}

export function rejectRegistration(em: EntityManager, actor: AuthUser, idRaw: string, reason: string): Promise<Registration> {
  return close(em, actor, idRaw, reason, RegistrationStatus.REJECTED, [RegistrationStatus.PENDING_ACTIVATION], 'rejectRegistration');
}

export function cancelRegistration(em: EntityManager, actor: AuthUser, idRaw: string, reason: string): Promise<Registration> {
  return close(
    em,
    actor,
    idRaw,
    reason,
    RegistrationStatus.CANCELLED,
    [RegistrationStatus.PENDING_ACTIVATION, RegistrationStatus.ACTIVE],
    'cancelRegistration',
  );
}

export async function activationStats(em: EntityManager, actor: AuthUser, filter: ActivationStatsFilter): Promise<ActivationStats> {
  const p = parsePeriod(filter.period, 'filter.period');
  const agentId = scopeAgent(actor, parseOptionalId(filter.agentId, 'filter.agentId'));
  const where = ['r.status IN (?, ?)', 'r.activatedAt >= ?', 'r.activatedAt < ?', 'r.activationSeconds IS NOT NULL'];
  const params: unknown[] = [RegistrationStatus.ACTIVE, RegistrationStatus.CANCELLED, toDbDate(p.start), toDbDate(p.end)];
  if (agentId) {
    where.push('r.agentId = ?');
    params.push(agentId);
  }
  if (filter.regionCode) {
    const region = await regionByCode(em, filter.regionCode, 'filter.regionCode');
    where.push('r.agentId IN (SELECT a.id FROM agent a WHERE a.regionId = ?)');
    params.push(region.id);
  }
  const rows: Record<string, unknown>[] = await em.query(
    `SELECT COUNT(*) AS n, AVG(r.activationSeconds) AS avgS, MAX(r.activationSeconds) AS maxS,
            SUM(CASE WHEN r.activationSeconds <= 3600 THEN 1 ELSE 0 END) AS h1,
            SUM(CASE WHEN r.activationSeconds <= 86400 THEN 1 ELSE 0 END) AS d1
       FROM registration r WHERE ${where.join(' AND ')}`,
    params,
  );
  const r = rows[0];
  const n = Number(r.n ?? 0);
  return {
    period: p.key,
    activated: n,
    averageSeconds: n ? Math.round(Number(r.avgS)) : null,
    maxSeconds: n ? Number(r.maxS) : null,
    withinOneHour: Number(r.h1 ?? 0),
    withinOneDay: Number(r.d1 ?? 0),
  };
}

/**
 * Re-encrypt up to `limit` identity numbers that are under an older key with the active key
 * (after ID_ENCRYPTION_KEYS gained a new active key). Call until `remaining` is 0; then the old
 * key can be removed from the configuration.
 */
export async function rotateIdentityKeys(em: EntityManager, actor: AuthUser, config: AppConfig, limit: number): Promise<IdentityKeyRotationResult> {
  if (!Number.isInteger(limit) || limit < 1 || limit > 5000) throw new BadInputError('limit', 'must be 1 to 5000');
  const cipher = identityCipher(config);
  const active = cipher.activeKeyId;
  const rows: { id: number | string; idCipher: string; idKeyId: string }[] = await em.query(
    `SELECT id, idCipher, idKeyId FROM registration WHERE idKeyId <> ? ORDER BY idKeyId, id LIMIT ${limit}`,
    [active],
  );
  const missing = [...new Set(rows.map((r) => r.idKeyId))].filter((k) => !cipher.hasKey(k));
  if (missing.length)
    throw new ConflictError(
      AgentsConflict.ENCRYPTION_KEY_MISSING,
      `records are encrypted under key(s) ${missing.join(', ')}, which ID_ENCRYPTION_KEYS no longer holds`,
    );
  for (let i = 0; i < rows.length; i += 500) {
    const part = rows.slice(i, i + 500);
    const sealed = part.map((r) => cipher.encrypt(cipher.decrypt(r.idCipher, r.idKeyId)).idCipher);
    await execute(
      em,
      `UPDATE registration SET idCipher = CASE id ${part.map(() => 'WHEN ? THEN ?').join(' ')} END, idKeyId = ?
        WHERE id IN (${placeholders(part.length)}) AND idKeyId <> ?`,
      [...part.flatMap((r, j) => [Number(r.id), sealed[j]]), active, ...part.map((r) => Number(r.id)), active],
    );
  }
  const left: { n: number | string }[] = await em.query(`SELECT COUNT(*) AS n FROM registration WHERE idKeyId <> ?`, [active]);
  if (rows.length) {
    await recordChange(em, actor, {
      action: 'rotateIdentityKeys',
      entityType: 'Registration',
      entityId: 'identity-keys',
      data: { reencrypted: rows.length, activeKeyId: active },
    });
  }
  return { reencrypted: rows.length, remaining: Number(left[0].n), activeKeyId: active };
}

/** `Agent.registrations`: one agent's records, newest first, through the loaders (batched across agents). */
export async function agentRegistrationsPage(
  loaders: AgentsLoaders,
  actor: AuthUser,
  agentId: number,
  args: ConnectionArgs,
  /** false when the client did not ask for pageInfo (selectsPageInfo): the row after the page is not read. */
  withPageInfo = true,
  /** The columns the selection reads (selectedColumns), null for all. */
  columns: string[] | null = null,
): Promise<ConnectionShape<Registration>> {
  if (actor.role === Role.AGENT && actor.agentId !== agentId) throw new NotFoundError('Agent', agentId);
  const first = pageSize(args.first);
  let beforeId: number | null = null;
  if (args.after) {
    const [v] = decodeCursor(args.after, 1);
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw new BadInputError('after', 'is not a cursor this list handed out');
    beforeId = v;
  }
  const rows = first === 0 ? [] : await loaders.registrationsPage.load({ agentId, limit: withPageInfo ? first + 1 : first, beforeId, columns });
  return new AgentRegistrations(loaders, agentId, rows, first, withPageInfo);
}

/** An agent's records are paged newest first by id; an edge's cursor is its record's id. */
const NEWEST_FIRST: SortKey<Registration>[] = [{ column: 'id', value: (r) => r.id, direction: 'DESC' }];

/** One agent's page of records; totalCount and pageInfo are computed when read. */
class AgentRegistrations implements ConnectionShape<Registration> {
  readonly edges: KeyedEdge<Registration>[];

  constructor(
    private readonly loaders: AgentsLoaders,
    private readonly agentId: number,
    private readonly rows: Registration[],
    private readonly first: number,
    private readonly withPageInfo: boolean,
  ) {
    const n = Math.min(first, rows.length);
    this.edges = new Array<KeyedEdge<Registration>>(n);
    for (let i = 0; i < n; i++) this.edges[i] = new KeyedEdge(rows[i], NEWEST_FIRST);
  }

  get totalCount(): Promise<number> {
    return this.loaders.registrationCount.load(this.agentId);
  }

  get pageInfo(): PageInfo {
    if (!this.withPageInfo) throw new Error('pageInfo was read although the selection did not ask for it');
    const last = this.edges[this.edges.length - 1];
    return { hasNextPage: this.rows.length > this.first, endCursor: last ? last.cursor : null };
  }
}
