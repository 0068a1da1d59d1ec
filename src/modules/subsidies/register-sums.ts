import { DataSource, EntityManager } from 'typeorm';
import { isMysql } from '../../common/db';
import { toFen } from '../../common/money';

/**
 * The subsidy register summed per partner (and type or month), kept per process by the register's
 * version (register-version.entity.ts). Every write to the register bumps the version in its own
 * transaction, so sums read at version v are exact for as long as the row reads v: a request reads
 * the version (one small statement it needs anyway, with the partners) and sums the register again
 * only when it moved. Finance's totals were MariaDB summing 7,200 rows on every request, 5 ms of
 * its CPU each (issue 25).
 */
export interface PartnerSum {
  partnerId: number;
  /** The type or month the sums are split by, when they are. */
  sub: string | null;
  amountFen: number;
  entries: number;
}

export interface SumsQuery {
  fromKey: string;
  toKey: string;
  partnerId: number | null;
  type: string | null;
  /** The register column to split each partner's sums by. */
  split: 'type' | 'period' | null;
}

/** The version as the register's writers left it; null before the first write where no migration seeded the row (SQLite). */
export const REGISTER_VERSION_SQL = '(SELECT version FROM subsidy_register_version WHERE id = 1)';

/** Called by every insert into the register, in its transaction. */
export async function bumpRegisterVersion(em: EntityManager): Promise<void> {
  await em.query(
    isMysql(em)
      ? 'INSERT INTO subsidy_register_version (id, version) VALUES (1, 1) ON DUPLICATE KEY UPDATE version = version + 1'
      : 'INSERT INTO subsidy_register_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = version + 1',
  );
}

const KEPT = 64;
const kept = new WeakMap<DataSource, Map<string, { version: number; sums: PartnerSum[] }>>();

/**
 * The sums for a range, from this process's memory when the register is still at `version` (read
 * by the caller, before this), else from the register. Sums read after the version was read are
 * at least that new, so keeping them under it is safe: a write between the two bumped the version,
 * and the next request sums again.
 */
export async function registerSums(em: EntityManager, version: number | null, q: SumsQuery): Promise<PartnerSum[]> {
  const key = `${q.fromKey}|${q.toKey}|${q.partnerId ?? ''}|${q.type ?? ''}|${q.split ?? ''}`;
  let mine = kept.get(em.connection);
  if (!mine) kept.set(em.connection, (mine = new Map()));
  const hit = version === null ? undefined : mine.get(key);
  if (hit && hit.version === version) return hit.sums;

  const { where, params } = registerWhere(q.fromKey, q.toKey, q.partnerId, q.type);
  const keys = q.split ? `s.partnerId, s.${q.split}` : 's.partnerId';
  const rows: { partnerId: unknown; sub?: unknown; amountFen: unknown; entries: unknown }[] = await em.query(
    `SELECT ${keys}${q.split ? ` AS sub` : ''}, SUM(s.amountFen) AS amountFen, COUNT(*) AS entries FROM subsidy s WHERE ${where.join(' AND ')} GROUP BY ${keys}`,
    params,
  );
  const sums = rows.map((r) => ({
    partnerId: Number(r.partnerId),
    sub: q.split ? String(r.sub) : null,
    amountFen: toFen(r.amountFen),
    entries: Number(r.entries),
  }));
  if (version !== null) {
    mine.delete(key);
    if (mine.size >= KEPT) mine.delete(mine.keys().next().value!);
    mine.set(key, { version, sums });
  }
  return sums;
}

/** The register rows (`subsidy s`) of a range of months, of one partner and one type when given: conditions and their values. */
export function registerWhere(
  fromKey: string,
  toKey: string,
  partnerId: number | null | undefined,
  type: string | null | undefined,
): { where: string[]; params: unknown[] } {
  const where = ['s.period >= ?', 's.period <= ?'];
  const params: unknown[] = [fromKey, toKey];
  if (partnerId != null) {
    where.push('s.partnerId = ?');
    params.push(partnerId);
  }
  if (type) {
    where.push('s.type = ?');
    params.push(type);
  }
  return { where, params };
}
