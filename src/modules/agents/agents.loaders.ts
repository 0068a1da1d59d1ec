import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { byKey, groupByKey } from '../../common/loaders';
import { Agent } from './agent.entity';
import { AgentStatusChange } from './agent-status-change.entity';
import { Registration } from './registration.entity';
import { TariffPlan } from './tariff-plan.entity';

/** One agent's page of registrations, newest first: `limit` rows with an id below `beforeId`. */
export interface RegistrationPageKey {
  agentId: number;
  limit: number;
  beforeId: number | null;
}

export function createAgentsLoaders(ds: DataSource) {
  return {
    agentById: new DataLoader<number, Agent | null>(async (ids) =>
      byKey(ids, await ds.getRepository(Agent).findBy({ id: In([...ids]) }), (a) => a.id)),

    agentByCode: new DataLoader<string, Agent | null>(async (codes) =>
      byKey(codes, await ds.getRepository(Agent).findBy({ code: In([...codes]) }), (a) => a.code)),

    statusHistory: new DataLoader<number, AgentStatusChange[]>(async (agentIds) =>
      groupByKey(
        agentIds,
        await ds.getRepository(AgentStatusChange).find({ where: { agentId: In([...agentIds]) }, order: { id: 'DESC' } }),
        (c) => c.agentId,
      )),

    tariffPlanByCode: new DataLoader<string, TariffPlan | null>(async (codes) =>
      byKey(codes, await ds.getRepository(TariffPlan).findBy({ code: In([...codes]) }), (p) => p.code)),

    /**
     * The first page of each agent's registrations in two statements whatever the number of
     * agents: one UNION ALL of an index-ordered LIMIT per agent (each reads only its page off
     * idx_registration_agent), then the rows by id.
     */
    registrationsPage: new DataLoader<RegistrationPageKey, Registration[], string>(
      async (keys) => {
        const parts: string[] = [];
        const params: unknown[] = [];
        keys.forEach((k, i) => {
          parts.push(
            `SELECT * FROM (SELECT id FROM registration WHERE agentId = ?${k.beforeId ? ' AND id < ?' : ''} ORDER BY id DESC LIMIT ${Number(k.limit)}) p${i}`,
          );
          params.push(k.agentId);
          if (k.beforeId) params.push(k.beforeId);
        });
        const idRows: { id: number | string }[] = await ds.query(parts.join(' UNION ALL '), params);
        const ids = idRows.map((r) => Number(r.id));
        const rows = ids.length ? await ds.getRepository(Registration).find({ where: { id: In(ids) }, order: { id: 'DESC' } }) : [];
        const byAgent = groupByKey([...new Set(keys.map((k) => k.agentId))], rows, (r) => r.agentId);
        const lists = new Map(byAgent.map((list) => [list[0]?.agentId, list]));
        return keys.map((k) => (lists.get(k.agentId) ?? []).filter((r) => !k.beforeId || r.id < k.beforeId).slice(0, k.limit));
      },
      { cacheKeyFn: (k) => `${k.agentId}:${k.limit}:${k.beforeId ?? ''}` },
    ),

    registrationCount: new DataLoader<number, number>(async (agentIds) => {
      const rows: { agentId: number | string; n: number | string }[] = await ds.query(
        `SELECT agentId, COUNT(*) AS n FROM registration WHERE agentId IN (${agentIds.map(() => '?').join(',')}) GROUP BY agentId`,
        [...agentIds],
      );
      const map = new Map(rows.map((r) => [Number(r.agentId), Number(r.n)]));
      return agentIds.map((id) => map.get(id) ?? 0);
    }),
  };
}

export type AgentsLoaders = ReturnType<typeof createAgentsLoaders>;
