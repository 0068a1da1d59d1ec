import { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth';
import { execute, toDbDate } from '../../common/db';
import { recordChange } from '../changelog/change-log.service';
import { dialect } from './audits.sql';

const DAY_MS = 24 * 3600 * 1000;

/** The risk score's recipe; README.md in this folder explains it for people. */
export const RISK = {
  windowDays: 90,
  findingMax: 50,
  findingScale: 125,
  flagMax: 30,
  flagScale: 60,
  /** Points by age: [younger than N days, points]. */
  newness: [
    [30, 20],
    [60, 13],
    [90, 7],
  ] as const,
};

export interface RiskInputs {
  auditedItems: number;
  failedItems: number;
  recentRecords: number;
  flaggedRecords: number;
  ageDays: number;
}

/** The score in JavaScript: mirrors the SQL below exactly (integer division), for tests and docs. */
export function riskPoints(x: RiskInputs) {
  const findingPoints = Math.min(RISK.findingMax, Math.floor((RISK.findingScale * x.failedItems) / (x.auditedItems + 2)));
  const flagPoints = Math.min(RISK.flagMax, Math.floor((RISK.flagScale * x.flaggedRecords) / (x.recentRecords + 2)));
  const newnessPoints = RISK.newness.find(([days]) => x.ageDays < days)?.[1] ?? 0;
  return { findingPoints, flagPoints, newnessPoints, score: findingPoints + flagPoints + newnessPoints };
}

/**
 * Recompute every agent's riskScore (or one agent's, `onlyAgentId`: a new agent's at its creation) in three statements: the inputs per agent into agent_risk
 * (one INSERT ... SELECT over grouped audit items and registrations), then one UPDATE of the agents
 * whose score changed. Runs inside the caller's transaction.
 */
export async function recomputeRiskScores(em: EntityManager, now = new Date(), onlyAgentId?: number): Promise<{ agents: number; changed: number }> {
  const d = dialect(em);
  const since = toDbDate(new Date(now.getTime() - RISK.windowDays * DAY_MS));
  const ageCut = RISK.newness.map(([days]) => toDbDate(new Date(now.getTime() - days * DAY_MS)));
  const fp = d.least(String(RISK.findingMax), d.idiv(`${RISK.findingScale} * x.failedItems`, 'x.auditedItems + 2'));
  const gp = d.least(String(RISK.flagMax), d.idiv(`${RISK.flagScale} * x.flaggedRecords`, 'x.recentRecords + 2'));
  const np = `CASE ${RISK.newness.map(([, pts]) => `WHEN x.createdAt >= ? THEN ${pts}`).join(' ')} ELSE 0 END`;

  const one = onlyAgentId !== undefined;
  await execute(em, `DELETE FROM agent_risk${one ? ' WHERE agentId = ?' : ''}`, one ? [onlyAgentId] : []);
  const inserted = await execute(
    em,
    `INSERT INTO agent_risk (agentId, auditedItems, failedItems, recentRecords, flaggedRecords, findingPoints, flagPoints, newnessPoints, score, computedAt)
     SELECT x.id, x.auditedItems, x.failedItems, x.recentRecords, x.flaggedRecords, ${fp}, ${gp}, ${np}, ${fp} + ${gp} + ${np}, ?
       FROM (
         SELECT a.id, a.createdAt,
                COALESCE(ia.n, 0) AS auditedItems, COALESCE(ia.f, 0) AS failedItems,
                COALESCE(ra.n, 0) AS recentRecords, COALESCE(ra.f, 0) AS flaggedRecords
           FROM agent a
           LEFT JOIN (
             SELECT i.agentId, COUNT(*) AS n, SUM(CASE WHEN i.outcome = 'FAIL' THEN 1 ELSE 0 END) AS f
               FROM audit_item i JOIN audit_batch b ON b.id = i.batchId
              WHERE b.status = 'CLOSED' AND i.auditedAt >= ?${one ? ' AND i.agentId = ?' : ''}
              GROUP BY i.agentId
           ) ia ON ia.agentId = a.id
           LEFT JOIN (
             SELECT r.agentId, COUNT(*) AS n, SUM(CASE WHEN r.flagged THEN 1 ELSE 0 END) AS f
               FROM registration r
              WHERE r.submittedAt >= ?${one ? ' AND r.agentId = ?' : ''}
              GROUP BY r.agentId
           ) ra ON ra.agentId = a.id
          ${one ? 'WHERE a.id = ?' : ''}
       ) x`,
    one ? [...ageCut, ...ageCut, toDbDate(now), since, onlyAgentId, since, onlyAgentId, onlyAgentId] : [...ageCut, ...ageCut, toDbDate(now), since, since],
  );
  const updated = await execute(
    em,
    `UPDATE agent SET riskScore = (SELECT k.score FROM agent_risk k WHERE k.agentId = agent.id)
      WHERE EXISTS (SELECT 1 FROM agent_risk k WHERE k.agentId = agent.id AND k.score <> agent.riskScore)${one ? ' AND agent.id = ?' : ''}`,
    one ? [onlyAgentId] : [],
  );
  return { agents: inserted.affected, changed: updated.affected };
}

/** A brand-new agent's score and factors, computed like everyone's (registered in index.ts on agent creation). */
export async function scoreNewAgent(em: EntityManager, agent: { id: number; createdAt: Date; riskScore: number }): Promise<void> {
  await recomputeRiskScores(em, agent.createdAt, agent.id);
  const [row]: { score: unknown }[] = await em.query('SELECT score FROM agent_risk WHERE agentId = ?', [agent.id]);
  agent.riskScore = Number(row.score);
}

/** The recomputeRiskScores mutation: recompute and log who asked. */
export async function recomputeRiskScoresFor(em: EntityManager, actor: AuthUser): Promise<{ agents: number; changed: number }> {
  const result = await recomputeRiskScores(em);
  await recordChange(em, actor, { action: 'recomputeRiskScores', entityType: 'Agent', entityId: '*', data: result });
  return result;
}
