import { DataSource, QueryFailedError } from 'typeorm';
import { isMysql } from '../../common/db';
import { runtimeOn } from '../switches';

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
  return new Promise((resolve, reject) =>
    pool.execute({ sql, timeout }, params, (err, rows) => {
      if (err) {
        ds.logger.logQueryError(err, sql, params);
        reject(new QueryFailedError(sql, params, err));
      } else resolve(rows as Record<string, unknown>[]);
    }),
  );
}
