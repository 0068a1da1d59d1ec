import { randomInt } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth';
import { execute, toDbDate, placeholders } from '../../common/db';
import { BadInputError, ConflictError, NotFoundError } from '../../common/errors';
import { parseId, parseIds } from '../../common/ids';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { parsePeriod } from '../../common/period';
import { recordChange } from '../changelog/change-log.service';
import { AuditBatchStatus, AuditOutcome } from './audit.enums';
import { AuditBatchFilter, AuditItemFilter, CreateAuditBatchInput, FindingInput } from './audit.inputs';
import { AuditBatch } from './audit-batch.entity';
import { Finding } from './audit-finding.entity';
import { AuditItem } from './audit-item.entity';
import { drawHashSql, drawKeySql, HASH_MODULUS, keyBound } from './audits.sql';
import { proposeAuditPenalties } from './penalty.service';
import { recomputeRiskScores } from './risk.service';
import { AuditsConflict } from './audits.errors';

/** Rejected records were refused at activation already; everything else an agent submitted can be audited. */
const SAMPLED_STATUSES_SQL = "r.status <> 'REJECTED'";

async function resolveAgentIds(em: EntityManager, raw: string[] | null | undefined): Promise<number[] | null> {
  if (raw === null || raw === undefined) return null;
  if (raw.length === 0) throw new BadInputError('input.agentIds', 'must not be empty: leave it out to sample every agent');
  const ids = parseIds(raw, 'input.agentIds');
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  const found: { id: number | string }[] = await em.query(`SELECT id FROM agent WHERE id IN (${placeholders(unique.length)})`, unique);
  const have = new Set(found.map((r) => Number(r.id)));
  const missing = ids.findIndex((id) => !have.has(id));
  if (missing >= 0) throw new BadInputError(`input.agentIds.${missing}`, `no agent ${ids[missing]}`);
  return unique;
}

/** Larger than any population: a LIMIT that limits nothing, there to keep a derived table apart. */
const MAX_CANDIDATES = 1_000_000_000;

export const SAMPLING = {
  /** Candidates per record needed, at first: enough for the heaviest weight against the lightest (11:1) and then some. */
  oversample: 16,
};

/**
 * Draw a batch. The population is every non-rejected record whose openedAt falls in the period (of
 * the given agents; without records earlier batches drew when asked). The sample is the first
 * sampleSize of the population ordered flagged first, then by a seeded key (audits.sql.ts), then
 * by id: same seed, same data, same sample.
 *
 * Computing the key (and, risk-weighted, looking up the agent's score) for every one of a million
 * records is what makes a draw slow, so the INSERT ... SELECT only considers flagged records and
 * those whose hash is in the top fraction q of its range: the key grows with the hash, so a record
 * below that line can only be drawn if fewer than sampleSize candidates beat it. The draw then
 * checks exactly that (enough unflagged candidates were drawn, and the smallest key drawn is above
 * any key a record below the line could have); if not, it widens q and draws again. The result is
 * the same as ordering the whole population.
 */
export async function createAuditBatch(em: EntityManager, actor: AuthUser, input: CreateAuditBatchInput): Promise<AuditBatch> {
  const period = parsePeriod(input.period, 'input.period');
  const agentIds = await resolveAgentIds(em, input.agentIds);
  const seed = input.seed ?? randomInt(0, HASH_MODULUS - 1);
  const repo = em.getRepository(AuditBatch);
  const batch = await repo.save(
    repo.create({
      period: period.key,
      strategy: input.strategy,
      status: AuditBatchStatus.OPEN,
      seed,
      sampleSize: input.sampleSize,
      agentIdList: agentIds ? agentIds.join(',') : '',
      excludeAudited: !!input.excludeAudited,
      createdAt: new Date(),
      createdById: actor.id,
      closedAt: null,
      closedById: null,
    }),
  );

  const where = ['r.openedAt >= ?', 'r.openedAt < ?', SAMPLED_STATUSES_SQL];
  const params: unknown[] = [toDbDate(period.start), toDbDate(period.end)];
  if (agentIds) {
    where.push(`r.agentId IN (${placeholders(agentIds.length)})`);
    params.push(...agentIds);
  }
  if (batch.excludeAudited) {
    // Earlier batches only: re-deriving this draw later gives the same answer whatever came after.
    where.push('NOT EXISTS (SELECT 1 FROM audit_item p WHERE p.registrationId = r.id AND p.batchId < ?)');
    params.push(batch.id);
  }
  const [population]: { n: number | string; f: number | string | null }[] = await em.query(
    `SELECT COUNT(*) AS n, SUM(CASE WHEN r.flagged THEN 1 ELSE 0 END) AS f FROM registration r WHERE ${where.join(' AND ')}`,
    params,
  );
  const populationSize = Number(population.n);
  const flaggedInPopulation = Number(population.f ?? 0);
  if (populationSize === 0) {
    throw new ConflictError(
      AuditsConflict.NOTHING_TO_SAMPLE,
      `No records to sample: none opened in ${period.key}${agentIds ? ' by these agents' : ''}${batch.excludeAudited ? ' that an earlier batch has not drawn' : ''}`,
      {
        period: period.key,
      },
    );
  }

  const hash = drawHashSql('r.id', seed);
  // A scalar subquery rather than a join: ordering by a column of a joined table makes MariaDB
  // write every candidate to a temporary table before sorting.
  const key = drawKeySql(input.strategy, hash, '(SELECT a.riskScore FROM agent a WHERE a.id = r.agentId)');
  const unflaggedWanted = Math.min(Math.max(0, input.sampleSize - flaggedInPopulation), populationSize - flaggedInPopulation);
  let q = unflaggedWanted === 0 ? 0 : Math.min(1, (SAMPLING.oversample * unflaggedWanted) / (populationSize - flaggedInPopulation));
  for (;;) {
    const floor = q >= 1 ? 0 : Math.floor(HASH_MODULUS * (1 - q));
    // The candidates are read in a derived table of their own (its LIMIT keeps it from being merged
    // into the outer query): planned without the ORDER BY, the scan is a plain pass over the period,
    // where with it MariaDB walks the openedAt index and fetches every row by its key.
    await execute(
      em,
      `INSERT INTO audit_item (batchId, registrationId, agentId, drawRank, flagged, drawKey, riskScoreAtDraw)
       SELECT ?, s.id, s.agentId, ROW_NUMBER() OVER (ORDER BY s.flagged DESC, s.k DESC, s.id), s.flagged, s.k,
              (SELECT a.riskScore FROM agent a WHERE a.id = s.agentId)
         FROM (
           SELECT c.id, c.agentId, c.flagged, c.k
             FROM (
               SELECT r.id, r.agentId, r.flagged, ${key} AS k
                 FROM registration r
                WHERE ${where.join(' AND ')}${floor > 0 ? ` AND (r.flagged OR ${hash} >= ${floor})` : ''}
                LIMIT ${MAX_CANDIDATES}
             ) c
            ORDER BY c.flagged DESC, c.k DESC, c.id
            LIMIT ?
         ) s`,
      [batch.id, ...params, input.sampleSize],
    );
    if (floor === 0) break;
    const [drawn]: { n: number | string; low: unknown }[] = await em.query(
      'SELECT COUNT(*) AS n, MIN(drawKey) AS low FROM audit_item WHERE batchId = ? AND flagged = 0',
      [batch.id],
    );
    if (Number(drawn.n) >= unflaggedWanted && (unflaggedWanted === 0 || Number(drawn.low) > keyBound(input.strategy, floor))) break;
    await execute(em, 'DELETE FROM audit_item WHERE batchId = ?', [batch.id]);
    q = Math.min(1, q * 4);
  }

  const [drawn]: { n: number | string; f: number | string | null }[] = await em.query(
    'SELECT COUNT(*) AS n, SUM(CASE WHEN flagged THEN 1 ELSE 0 END) AS f FROM audit_item WHERE batchId = ?',
    [batch.id],
  );
  batch.itemCount = Number(drawn.n);
  batch.flaggedCount = Number(drawn.f ?? 0);
  batch.populationSize = populationSize;
  await repo.update({ id: batch.id }, { itemCount: batch.itemCount, flaggedCount: batch.flaggedCount, populationSize });
  await recordChange(em, actor, {
    action: 'createAuditBatch',
    entityType: 'AuditBatch',
    entityId: batch.id,
    data: {
      period: batch.period,
      strategy: batch.strategy,
      seed,
      sampleSize: batch.sampleSize,
      agentIds,
      excludeAudited: batch.excludeAudited,
      itemCount: batch.itemCount,
      populationSize,
    },
  });
  return batch;
}

/** Findings one audit item may carry (recordAuditResult's `findings`). */
export const MAX_FINDINGS = 20;

function validateFindings(outcome: AuditOutcome, findings: FindingInput[] | null | undefined): FindingInput[] {
  const list = findings ?? [];
  if (list.length > MAX_FINDINGS) throw new BadInputError('findings', `at most ${MAX_FINDINGS} findings`);
  if (outcome === AuditOutcome.FAIL && list.length === 0) throw new BadInputError('findings', 'a FAIL needs at least one finding');
  if (outcome === AuditOutcome.PASS && list.length > 0) throw new BadInputError('findings', 'a PASS has no findings');
  const seen = new Set<string>();
  return list.map((f, i) => {
    if (seen.has(f.type)) throw new BadInputError(`findings.${i}.type`, `${f.type} is listed twice`);
    seen.add(f.type);
    const note = f.note?.trim() || null;
    if (note && note.length > 1000) throw new BadInputError(`findings.${i}.note`, 'must be at most 1000 characters');
    return { type: f.type, note };
  });
}

/**
 * Record (or re-record) an item's result. The batch row is bumped first with a conditional UPDATE
 * (WHERE status = 'OPEN'): it fails once the batch is closed, and it holds the row lock that makes a
 * concurrent close wait until this result is in.
 */
export async function recordAuditResult(
  em: EntityManager,
  actor: AuthUser,
  itemIdRaw: string,
  outcome: AuditOutcome,
  findingsInput: FindingInput[] | null | undefined,
): Promise<AuditItem> {
  const itemId = parseId(itemIdRaw, 'itemId');
  const findings = validateFindings(outcome, findingsInput);
  const items = em.getRepository(AuditItem);
  const item = await items.findOne({ where: { id: itemId } });
  if (!item) throw new NotFoundError('AuditItem', itemId);
  const bumped = await execute(em, `UPDATE audit_batch SET revision = revision + 1 WHERE id = ? AND status = 'OPEN'`, [item.batchId]);
  if (bumped.affected !== 1)
    throw new ConflictError(AuditsConflict.BATCH_CLOSED, `Audit batch ${item.batchId} is closed: its results can no longer change`, { batchId: item.batchId });

  const now = new Date();
  await items.update({ id: item.id }, { outcome, auditedAt: now, auditorId: actor.id });
  await execute(em, 'DELETE FROM audit_finding WHERE itemId = ?', [item.id]);
  if (findings.length) {
    await em.getRepository(Finding).insert(
      findings.map((f) => ({
        itemId: item.id,
        batchId: item.batchId,
        agentId: item.agentId,
        registrationId: item.registrationId,
        type: f.type,
        note: f.note,
        recordedAt: now,
      })),
    );
  }
  await recordChange(em, actor, {
    action: 'recordAuditResult',
    entityType: 'AuditItem',
    entityId: item.id,
    data: { batchId: item.batchId, registrationId: item.registrationId, outcome, findings },
  });
  return { ...item, outcome, auditedAt: now, auditorId: actor.id };
}

/**
 * Close a batch: every item must have a result. Proposes one penalty per failed finding and
 * recomputes the risk scores, all in the caller's transaction.
 */
export async function closeAuditBatch(em: EntityManager, actor: AuthUser, idRaw: string): Promise<AuditBatch> {
  const id = parseId(idRaw, 'id');
  const now = new Date();
  // First statement of the transaction: on MariaDB it waits for any result being recorded, and the
  // count below then reads after that result committed.
  const closed = await execute(em, `UPDATE audit_batch SET status = 'CLOSED', closedAt = ?, closedById = ? WHERE id = ? AND status = 'OPEN'`, [
    toDbDate(now),
    actor.id,
    id,
  ]);
  const repo = em.getRepository(AuditBatch);
  if (closed.affected !== 1) {
    const existing = await repo.findOne({ where: { id } });
    if (!existing) throw new NotFoundError('AuditBatch', id);
    throw new ConflictError(AuditsConflict.BATCH_CLOSED, `Audit batch ${id} is already closed`, { batchId: id });
  }
  const [pending]: { n: number | string }[] = await em.query('SELECT COUNT(*) AS n FROM audit_item WHERE batchId = ? AND outcome IS NULL', [id]);
  if (Number(pending.n) > 0) {
    throw new ConflictError(
      AuditsConflict.BATCH_INCOMPLETE,
      `Audit batch ${id} has ${Number(pending.n)} item(s) without a result: record every item before closing`,
      {
        batchId: id,
        pending: Number(pending.n),
      },
    );
  }
  const batch = (await repo.findOne({ where: { id } }))!;
  const proposal = await proposeAuditPenalties(em, actor, batch);
  const risk = await recomputeRiskScores(em, now);
  await recordChange(em, actor, {
    action: 'closeAuditBatch',
    entityType: 'AuditBatch',
    entityId: id,
    data: {
      penaltiesProposed: proposal.proposed,
      duplicatesSkipped: proposal.duplicates,
      escalated: proposal.escalated,
      suspendedAgentIds: proposal.suspendedAgentIds,
      riskScoresChanged: risk.changed,
    },
  });
  return batch;
}

export async function getAuditBatch(em: EntityManager, idRaw: string): Promise<AuditBatch> {
  const id = parseId(idRaw, 'id');
  const batch = await em.getRepository(AuditBatch).findOne({ where: { id } });
  if (!batch) throw new NotFoundError('AuditBatch', id);
  return batch;
}

export function listAuditBatches(em: EntityManager, filter: AuditBatchFilter | undefined, args: ConnectionArgs) {
  const qb = em.getRepository(AuditBatch).createQueryBuilder('b');
  if (filter?.period) qb.andWhere('b.period = :period', { period: parsePeriod(filter.period, 'filter.period').key });
  if (filter?.status) qb.andWhere('b.status = :status', { status: filter.status });
  if (filter?.strategy) qb.andWhere('b.strategy = :strategy', { strategy: filter.strategy });
  return paginate(qb, args, [{ column: 'b.id', value: (b) => b.id, direction: 'DESC' }]);
}

export function listAuditItems(em: EntityManager, batchId: number, filter: AuditItemFilter | undefined, args: ConnectionArgs) {
  const qb = em.getRepository(AuditItem).createQueryBuilder('i').where('i.batchId = :batchId', { batchId });
  if (filter?.outcome) qb.andWhere('i.outcome = :outcome', { outcome: filter.outcome });
  if (filter?.pending === true) qb.andWhere('i.outcome IS NULL');
  if (filter?.pending === false) qb.andWhere('i.outcome IS NOT NULL');
  if (filter?.agentId) qb.andWhere('i.agentId = :agentId', { agentId: parseId(filter.agentId, 'filter.agentId') });
  return paginate(qb, args, [
    { column: 'i.drawRank', value: (i) => i.drawRank },
    { column: 'i.id', value: (i) => i.id },
  ]);
}

export async function getAuditItem(em: EntityManager, idRaw: string): Promise<AuditItem> {
  const id = parseId(idRaw, 'id');
  const item = await em.getRepository(AuditItem).findOne({ where: { id } });
  if (!item) throw new NotFoundError('AuditItem', id);
  return item;
}
