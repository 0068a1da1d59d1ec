import DataLoader from 'dataloader';
import { readPrepared } from '../../runtime/sql/prepared';
import { LRUCache } from 'lru-cache';
import { DataSource, In } from 'typeorm';
import { byKey, groupByKey } from '../../common/loaders';
import { hydrator } from '../../runtime/sql/hydrate';
import { isMysql, placeholders } from '../../common/db';
import { Agent } from './agent.entity';
import { AgentStatusChange } from './agent-status-change.entity';
import { Registration } from './registration.entity';
import { TariffPlan } from './tariff-plan.entity';

/** One agent's page of registrations, newest first: `limit` rows with an id below `beforeId`. */
export interface RegistrationPageKey {
  agentId: number;
  limit: number;
  beforeId: number | null;
  /** The columns the selection reads (selectedColumns), null for all. */
  columns: string[] | null;
}

/** The select list a batch of page keys needs: every column one of them needs. */
function selectList(ds: DataSource, keys: readonly RegistrationPageKey[]): string {
  const columns = new Set<string>();
  for (const k of keys) {
    if (!k.columns) return '*';
    for (const c of k.columns) columns.add(c);
  }
  return [...columns].map((c) => ds.driver.escape(c)).join(', ');
}

/**
 * The UNION ALL statement for a batch of page keys: one member per key, the same text for every
 * batch of the same shape (the columns, and each key's limit and whether it starts after an id).
 * Kept per data source, at most a few hundred shapes: a page of fifty agents built this ten-kB
 * text anew on every request (a tenth of the agents page's allocation).
 */
const unionTexts = new WeakMap<DataSource, LRUCache<string, string>>();
const MAX_UNION_SHAPES = 256;
function unionText(ds: DataSource, keys: readonly RegistrationPageKey[]): string {
  // The columns the selection reads (a page of agents with their latest records reads six of
  // twenty-one), or `*` for all of them.
  const select = selectList(ds, keys);
  let texts = unionTexts.get(ds);
  if (!texts) unionTexts.set(ds, (texts = new LRUCache({ max: MAX_UNION_SHAPES })));
  let shape = select;
  for (const k of keys) shape += `|${Number(k.limit)}${k.beforeId ? 'b' : ''}`;
  let text = texts.get(shape);
  if (text === undefined) {
    const mysql = isMysql(ds);
    text = keys
      .map((k, i) => {
        const page = `SELECT ${select} FROM registration WHERE agentId = ?${k.beforeId ? ' AND id < ?' : ''} ORDER BY id DESC LIMIT ${Number(k.limit)}`;
        // MySQL/MariaDB take parenthesised members as they are; a derived table per member would
        // be materialised first (twice the server time here). SQLite only takes derived tables.
        return mysql ? `(${page})` : `SELECT * FROM (${page}) p${i}`;
      })
      .join(' UNION ALL ');
    texts.set(shape, text);
  }
  return text;
}

export function createAgentsLoaders(ds: DataSource) {
  return {
    agentById: new DataLoader<number, Agent | null>(async (ids) => byKey(ids, await ds.getRepository(Agent).findBy({ id: In([...ids]) }), (a) => a.id)),

    agentByCode: new DataLoader<string, Agent | null>(async (codes) =>
      byKey(codes, await ds.getRepository(Agent).findBy({ code: In([...codes]) }), (a) => a.code),
    ),

    statusHistory: new DataLoader<number, AgentStatusChange[]>(async (agentIds) =>
      groupByKey(agentIds, await ds.getRepository(AgentStatusChange).find({ where: { agentId: In([...agentIds]) }, order: { id: 'DESC' } }), (c) => c.agentId),
    ),

    tariffPlanByCode: new DataLoader<string, TariffPlan | null>(async (codes) =>
      byKey(codes, await ds.getRepository(TariffPlan).findBy({ code: In([...codes]) }), (p) => p.code),
    ),

    /**
     * The first page of each agent's registrations in one statement whatever the number of
     * agents: a UNION ALL of an index-ordered LIMIT per agent, each reading only its page off
     * idx_registration_agent (agentId, id).
     */
    registrationsPage: new DataLoader<RegistrationPageKey, Registration[], string>(
      async (keys) => {
        const params: unknown[] = [];
        for (const k of keys) {
          params.push(k.agentId);
          if (k.beforeId) params.push(k.beforeId);
        }
        const hydrate = hydrator(ds, Registration);
        // Two pages of one agent in a batch can share rows: keep each row once, newest first.
        const byId = new Map<number, Registration>();
        for (const raw of await readPrepared(ds, unionText(ds, keys), params)) {
          const r = hydrate(raw);
          byId.set(r.id, r);
        }
        const newestFirst = [...byId.values()].sort((a, b) => b.id - a.id);
        return groupByKey(
          keys.map((k) => k.agentId),
          newestFirst,
          (r) => r.agentId,
        ).map((list, i) => list.filter((r) => !keys[i].beforeId || r.id < keys[i].beforeId!).slice(0, keys[i].limit));
      },
      { cacheKeyFn: (k) => `${k.agentId}:${k.limit}:${k.beforeId ?? ''}:${k.columns?.join(',') ?? '*'}` },
    ),

    registrationCount: new DataLoader<number, number>(async (agentIds) => {
      const rows: { agentId: number | string; n: number | string }[] = await ds.query(
        `SELECT agentId, COUNT(*) AS n FROM registration WHERE agentId IN (${placeholders(agentIds.length)}) GROUP BY agentId`,
        [...agentIds],
      );
      const map = new Map(rows.map((r) => [Number(r.agentId), Number(r.n)]));
      return agentIds.map((id) => map.get(id) ?? 0);
    }),
  };
}

export type AgentsLoaders = ReturnType<typeof createAgentsLoaders>;

declare module '../../common/context' {
  interface Loaders {
    agents: ReturnType<typeof createAgentsLoaders>;
  }
}
