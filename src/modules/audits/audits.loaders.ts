import DataLoader from 'dataloader';
import { placeholders } from '../../common/db';
import { DataSource, In } from 'typeorm';
import { byKey, groupByKey } from '../../common/loaders';
import { ConnectionShape, CountedPage, decodeCursor, encodeCursor } from '../../common/pagination';
import { Registration } from '../agents/registration.entity';
import { PenaltyStatus } from './audit.enums';
import { AuditBatch } from './audit-batch.entity';
import { Finding } from './audit-finding.entity';
import { AuditItem } from './audit-item.entity';
import { AgentRisk } from './agent-risk.entity';
import { CommissionStatement } from './commission-statement.entity';
import { Penalty } from './penalty.entity';

export interface AgentPenaltiesKey {
  agentId: number;
  status: PenaltyStatus | null;
  first: number;
  after: string | null;
}

export interface AgentStatementsKey {
  agentId: number;
  first: number;
  after: string | null;
}

const statementKey = (period: string, agentId: number) => `${period}:${agentId}`;

/** Group loader keys that share everything but the parent, so each group is one statement. */
function groupsOf<K extends { agentId: number }>(keys: readonly K[]): Map<string, { sample: K; agentIds: number[] }> {
  const groups = new Map<string, { sample: K; agentIds: number[] }>();
  for (const k of keys) {
    const { agentId, ...rest } = k;
    const g = JSON.stringify(rest);
    const entry = groups.get(g);
    if (entry) entry.agentIds.push(agentId);
    else groups.set(g, { sample: k, agentIds: [agentId] });
  }
  return groups;
}

function connection<T>(nodes: T[], first: number, cursor: (n: T) => unknown[], total: () => Promise<number>): ConnectionShape<T> {
  const page = nodes.slice(0, first);
  const edges = page.map((node) => ({ node, cursor: encodeCursor(cursor(node)) }));
  return new CountedPage({ hasNextPage: nodes.length > first, endCursor: edges.length ? edges[edges.length - 1].cursor : null }, edges, total);
}

export function createAuditsLoaders(ds: DataSource) {
  /** Totals of the nested connections below, by agent (and status): one GROUP BY per batch. */
  const penaltyCount = new DataLoader<string, number>(async (keys) => {
    // key: JSON [agentId, status|null]
    const parsed = keys.map((k) => JSON.parse(k) as [number, string | null]);
    const out = new Map<string, number>();
    for (const status of new Set(parsed.map((p) => p[1]))) {
      const ids = parsed.filter((p) => p[1] === status).map((p) => p[0]);
      const rows: { agentId: number; n: unknown }[] = await ds.query(
        `SELECT agentId, COUNT(*) AS n FROM penalty WHERE agentId IN (${placeholders(ids.length)})${status ? ' AND status = ?' : ''} GROUP BY agentId`,
        status ? [...ids, status] : ids,
      );
      for (const r of rows) out.set(JSON.stringify([Number(r.agentId), status]), Number(r.n));
    }
    return keys.map((k) => out.get(k) ?? 0);
  });
  const statementCount = new DataLoader<number, number>(async (ids) => {
    const rows: { agentId: number; n: unknown }[] = await ds.query(
      `SELECT agentId, COUNT(*) AS n FROM commission_statement WHERE agentId IN (${placeholders(ids.length)}) GROUP BY agentId`,
      [...ids],
    );
    return ids.map((id) => Number(rows.find((r) => Number(r.agentId) === id)?.n ?? 0));
  });
  return {
    penaltyCount,
    statementCount,
    registrationById: new DataLoader<number, Registration | null>(async (ids) =>
      byKey(ids, await ds.getRepository(Registration).findBy({ id: In([...ids]) }), (r) => r.id),
    ),
    batchById: new DataLoader<number, AuditBatch | null>(async (ids) =>
      byKey(ids, await ds.getRepository(AuditBatch).findBy({ id: In([...ids]) }), (b) => b.id),
    ),
    itemById: new DataLoader<number, AuditItem | null>(async (ids) => byKey(ids, await ds.getRepository(AuditItem).findBy({ id: In([...ids]) }), (i) => i.id)),
    findingsByItemId: new DataLoader<number, Finding[]>(async (ids) =>
      groupByKey(ids, await ds.getRepository(Finding).find({ where: { itemId: In([...ids]) }, order: { id: 'ASC' } }), (f) => f.itemId),
    ),
    findingById: new DataLoader<number, Finding | null>(async (ids) => byKey(ids, await ds.getRepository(Finding).findBy({ id: In([...ids]) }), (f) => f.id)),
    penaltyByFindingId: new DataLoader<number, Penalty | null>(async (ids) =>
      byKey(ids, await ds.getRepository(Penalty).findBy({ findingId: In([...ids]) }), (p) => p.findingId!),
    ),
    riskByAgentId: new DataLoader<number, AgentRisk | null>(async (ids) =>
      byKey(ids, await ds.getRepository(AgentRisk).findBy({ agentId: In([...ids]) }), (r) => r.agentId),
    ),
    progressByBatchId: new DataLoader<number, { recorded: number; pending: number; passed: number; failed: number; findings: number }>(async (ids) => {
      const list = [...ids];
      const marks = placeholders(list.length);
      const items: { batchId: number; outcome: string | null; n: unknown }[] = await ds.query(
        `SELECT batchId, outcome, COUNT(*) AS n FROM audit_item WHERE batchId IN (${marks}) GROUP BY batchId, outcome`,
        list,
      );
      const findings: { batchId: number; n: unknown }[] = await ds.query(
        `SELECT batchId, COUNT(*) AS n FROM audit_finding WHERE batchId IN (${marks}) GROUP BY batchId`,
        list,
      );
      return list.map((id) => {
        const mine = items.filter((r) => Number(r.batchId) === id);
        const count = (o: string | null) => mine.filter((r) => r.outcome === o).reduce((s, r) => s + Number(r.n), 0);
        const passed = count('PASS');
        const failed = count('FAIL');
        const pending = count(null);
        const f = findings.find((r) => Number(r.batchId) === id);
        return { recorded: passed + failed, pending, passed, failed, findings: Number(f?.n ?? 0) };
      });
    }),
    /** Keyed "period:agentId". */
    statementByKey: new DataLoader<string, CommissionStatement | null>(async (keys) => {
      const pairs = keys.map((k) => k.split(':'));
      const rows = await ds.getRepository(CommissionStatement).findBy({
        period: In([...new Set(pairs.map((p) => p[0]))]),
        agentId: In([...new Set(pairs.map((p) => Number(p[1])))]),
      });
      return byKey(keys, rows, (s) => statementKey(s.period, s.agentId));
    }),
    /** The penalties a statement deducts, keyed "period:agentId". */
    penaltiesByStatementKey: new DataLoader<string, Penalty[]>(async (keys) => {
      const pairs = keys.map((k) => k.split(':'));
      const rows = await ds.getRepository(Penalty).find({
        where: { settledPeriod: In([...new Set(pairs.map((p) => p[0]))]), agentId: In([...new Set(pairs.map((p) => Number(p[1])))]) },
        order: { id: 'ASC' },
      });
      return groupByKey(keys, rows, (p) => statementKey(p.settledPeriod!, p.agentId));
    }),
    /**
     * Agent.penalties for a whole list of agents: per group of identical arguments one window query
     * (the first+1 newest ids per agent) and one load of those rows.
     */
    agentPenalties: new DataLoader<AgentPenaltiesKey, ConnectionShape<Penalty>, string>(
      async (keys) => {
        const pages = new Map<string, Penalty[]>();
        for (const { sample, agentIds } of groupsOf(keys).values()) {
          const where = [`p.agentId IN (${placeholders(agentIds.length)})`];
          const params: unknown[] = [...agentIds];
          if (sample.status) {
            where.push('p.status = ?');
            params.push(sample.status);
          }
          if (sample.after) {
            where.push('p.id < ?');
            params.push(decodeCursor(sample.after, 1)[0]);
          }
          const ids: { id: number }[] = await ds.query(
            `SELECT x.id FROM (SELECT p.id, ROW_NUMBER() OVER (PARTITION BY p.agentId ORDER BY p.id DESC) AS rn FROM penalty p WHERE ${where.join(' AND ')}) x WHERE x.rn <= ?`,
            [...params, sample.first + 1],
          );
          const rows = ids.length ? await ds.getRepository(Penalty).find({ where: { id: In(ids.map((r) => Number(r.id))) }, order: { id: 'DESC' } }) : [];
          for (const agentId of agentIds)
            pages.set(
              JSON.stringify({ ...sample, agentId }),
              rows.filter((r) => r.agentId === agentId),
            );
        }
        return keys.map((k) =>
          connection(
            pages.get(JSON.stringify(k)) ?? [],
            k.first,
            (p) => [p.id],
            () => penaltyCount.load(JSON.stringify([k.agentId, k.status])),
          ),
        );
      },
      { cacheKeyFn: (k) => JSON.stringify(k) },
    ),
    agentStatements: new DataLoader<AgentStatementsKey, ConnectionShape<CommissionStatement>, string>(
      async (keys) => {
        const pages = new Map<string, CommissionStatement[]>();
        for (const { sample, agentIds } of groupsOf(keys).values()) {
          const where = [`s.agentId IN (${placeholders(agentIds.length)})`];
          const params: unknown[] = [...agentIds];
          if (sample.after) {
            where.push('s.period < ?');
            params.push(String(decodeCursor(sample.after, 1)[0]));
          }
          const picked: { period: string; agentId: number }[] = await ds.query(
            `SELECT x.period, x.agentId FROM (SELECT s.period, s.agentId, ROW_NUMBER() OVER (PARTITION BY s.agentId ORDER BY s.period DESC) AS rn
               FROM commission_statement s WHERE ${where.join(' AND ')}) x WHERE x.rn <= ?`,
            [...params, sample.first + 1],
          );
          const wanted = new Set(picked.map((r) => statementKey(r.period, Number(r.agentId))));
          const rows = picked.length
            ? (
                await ds.getRepository(CommissionStatement).find({
                  where: { agentId: In([...new Set(picked.map((r) => Number(r.agentId)))]), period: In([...new Set(picked.map((r) => r.period))]) },
                  order: { period: 'DESC' },
                })
              ).filter((s) => wanted.has(statementKey(s.period, s.agentId)))
            : [];
          for (const agentId of agentIds)
            pages.set(
              JSON.stringify({ ...sample, agentId }),
              rows.filter((r) => r.agentId === agentId),
            );
        }
        return keys.map((k) =>
          connection(
            pages.get(JSON.stringify(k)) ?? [],
            k.first,
            (s) => [s.period],
            () => statementCount.load(k.agentId),
          ),
        );
      },
      { cacheKeyFn: (k) => JSON.stringify(k) },
    ),
  };
}

declare module '../../common/context' {
  interface Loaders {
    audits: ReturnType<typeof createAuditsLoaders>;
  }
}
