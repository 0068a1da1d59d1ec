import { Field, Float, Int, ObjectType } from 'type-graphql';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth';
import { scopeAgent } from '../../common/auth';
import { toDbDate, placeholders } from '../../common/db';
import { parsePeriod } from '../../common/period';
import { regionByCode } from '../regions/region.service';
import { COMMISSIONED_STATUSES } from './commission.service';

@ObjectType({ description: "One agent's activations in a period and the time each took from submission to activation" })
export class AgentActivationStat {
  agentId: number;

  @Field(() => Int)
  activations: number;

  @Field(() => Float, { description: 'Median seconds from submittedAt to activatedAt' })
  medianSeconds: number;

  @Field(() => Float, { description: '90th percentile (nearest rank) of the same' })
  p90Seconds: number;
}

@ObjectType({ description: 'The "service extension" measure per agent: how quickly submitted records get activated' })
export class AgentActivationReport {
  @Field()
  period: string;

  @Field(() => String, { nullable: true })
  regionCode: string | null;

  @Field(() => Int, { description: 'Activations of all agents listed' })
  activations: number;

  @Field(() => Float, { nullable: true, description: 'Over all activations listed; null when there are none' })
  medianSeconds: number | null;

  @Field(() => Float, { nullable: true })
  p90Seconds: number | null;

  @Field(() => [AgentActivationStat], { description: 'Agents with at least one activation, by agent id' })
  agents: AgentActivationStat[];
}

/**
 * Per agent and overall: activations in the period (by activatedAt, Asia/Shanghai month) with the
 * median and 90th percentile of submission-to-activation time (the agents module's
 * activationSeconds), computed in SQL with window
 * functions (median: mean of the middle one or two; p90: nearest rank), so no row leaves the database.
 */
export async function activationStats(
  em: EntityManager,
  user: AuthUser,
  periodRaw: string,
  regionCode: string | null | undefined,
): Promise<AgentActivationReport> {
  const p = parsePeriod(periodRaw, 'period');
  const region = regionCode ? await regionByCode(em, regionCode, 'regionCode') : null;
  const agentId = scopeAgent(user, null);
  // activationSeconds is null for lines activated before their record was entered (history imports).
  const where = [`r.status IN (${placeholders(COMMISSIONED_STATUSES.length)})`, 'r.activatedAt >= ?', 'r.activatedAt < ?', 'r.activationSeconds IS NOT NULL'];
  const params: unknown[] = [...COMMISSIONED_STATUSES, toDbDate(p.start), toDbDate(p.end)];
  if (region) {
    where.push('a.regionId = ?');
    params.push(region.id);
  }
  if (agentId) {
    where.push('r.agentId = ?');
    params.push(agentId);
  }
  const secs = 'r.activationSeconds';
  const base = `FROM registration r JOIN agent a ON a.id = r.agentId WHERE ${where.join(' AND ')}`;
  const pick = `COUNT(*) AS n,
       AVG(CASE WHEN 2 * x.rn BETWEEN x.cnt AND x.cnt + 2 THEN x.s END) AS median,
       MIN(CASE WHEN 10 * x.rn >= 9 * x.cnt THEN x.s END) AS p90`;
  const perAgent: { agentId: number; n: unknown; median: unknown; p90: unknown }[] = await em.query(
    `SELECT x.agentId, ${pick}
       FROM (SELECT r.agentId, ${secs} AS s,
                    ROW_NUMBER() OVER (PARTITION BY r.agentId ORDER BY ${secs}, r.id) AS rn,
                    COUNT(*) OVER (PARTITION BY r.agentId) AS cnt
               ${base}) x
      GROUP BY x.agentId
      ORDER BY x.agentId`,
    params,
  );
  const [overall]: { n: unknown; median: unknown; p90: unknown }[] = await em.query(
    `SELECT ${pick}
       FROM (SELECT ${secs} AS s, ROW_NUMBER() OVER (ORDER BY ${secs}, r.id) AS rn, COUNT(*) OVER () AS cnt ${base}) x`,
    params,
  );
  const seconds = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    period: p.key,
    regionCode: region?.code ?? null,
    activations: Number(overall?.n ?? 0),
    medianSeconds: seconds(overall?.median),
    p90Seconds: seconds(overall?.p90),
    agents: perAgent.map((r) => ({
      agentId: Number(r.agentId),
      activations: Number(r.n),
      medianSeconds: seconds(r.median)!,
      p90Seconds: seconds(r.p90)!,
    })),
  };
}
