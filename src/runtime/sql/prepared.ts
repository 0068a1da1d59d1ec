import { performance } from 'node:perf_hooks';
import { DataSource, QueryFailedError } from 'typeorm';
import { isMysql } from '../../common/db';
import { runtimeOn } from '../switches';

const timers = new WeakMap<DataSource, (ms: number, ok: boolean) => void>();

/** Who times the prepared reads of a DataSource (the metrics: common/metrics.ts), since TypeORM's query events never see them. */
export function timePreparedReads(ds: DataSource, fn: (ms: number, ok: boolean) => void): void {
  timers.set(ds, fn);
}

interface PreparingPool {
  execute(options: { sql: string; timeout?: number }, values: unknown[], cb: (err: Error | null, rows: unknown) => void): void;
}

/**
 * A read as a prepared statement on MySQL/MariaDB (mysql2's `execute`, kept per connection), or
 * `ds.query` on SQLite (whose driver keeps prepared statements already). For a long statement run
 * many times with other values, the agents page's fifty-member UNION ALL above all: the server
 * parses it once per connection instead of on every request, which took a fifth off MariaDB's
 * time for it (bench/README.md). Outside a transaction only; logged like every other statement,
 * so the statement counts see it, and under the same statement timeout.
 */
export async function readPrepared(ds: DataSource, sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  const pool = isMysql(ds) && runtimeOn('prepared') ? (ds.driver as unknown as { pool?: PreparingPool }).pool : undefined;
  if (!pool) return ds.query(sql, params);
  ds.logger.logQuery(sql, params);
  const timeout = (ds.options as { maxQueryExecutionTime?: number }).maxQueryExecutionTime;
  // Outside TypeORM, so its afterQuery event (the statement histogram's source) never sees this one.
  const timed = timers.get(ds);
  const started = timed ? performance.now() : 0;
  return new Promise((resolve, reject) =>
    pool.execute({ sql, timeout }, params, (err, rows) => {
      timed?.(performance.now() - started, !err);
      if (err) {
        ds.logger.logQueryError(err, sql, params);
        reject(new QueryFailedError(sql, params, err));
      } else resolve(rows as Record<string, unknown>[]);
    }),
  );
}
