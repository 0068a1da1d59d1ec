import { performance } from 'node:perf_hooks';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { metricsOf } from './metrics';

/**
 * Dates as both databases store them: TypeORM writes "YYYY-MM-DD HH:MM:SS.mmm" in UTC to SQLite text
 * columns and MySQL DATETIME(3) alike, so raw SQL must bind the same string (better-sqlite3 cannot
 * bind a Date object).
 */
export function toDbDate(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** Read a date that a raw query returned (string from SQLite, Date or string from mysql2). */
export function fromDbDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  const s = String(v);
  return new Date(s.includes('T') ? (s.endsWith('Z') ? s : `${s}Z`) : `${s.replace(' ', 'T')}Z`);
}

export function isMysql(x: DataSource | EntityManager): boolean {
  const ds = x instanceof DataSource ? x : x.connection;
  return ds.options.type === 'mysql' || ds.options.type === 'mariadb';
}

export interface ExecResult {
  /** Rows changed by an UPDATE/DELETE/INSERT. */
  affected: number;
  /** The auto-increment id of a single-row INSERT. */
  insertId: number;
}

/**
 * Run a raw write and learn how many rows it changed, on either driver. Conditional writes
 * (`UPDATE ... WHERE on_hand >= ?`) check this to decide who won a race. Placeholders are `?`.
 */
export async function execute(em: EntityManager, sql: string, params: unknown[] = []): Promise<ExecResult> {
  const own = !em.queryRunner;
  const qr = em.queryRunner ?? em.connection.createQueryRunner();
  try {
    const r = await qr.query(sql, params, true);
    const raw = r.raw as { insertId?: number } | number | bigint | undefined;
    const insertId = typeof raw === 'object' && raw !== null ? Number(raw.insertId ?? 0) : Number(raw ?? 0);
    return { affected: r.affected ?? 0, insertId };
  } finally {
    if (own) await qr.release();
  }
}

/** "?, ?, ?" for an IN list or a VALUES row of n parameters. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** A locking read on MySQL (the latest committed row, held to the end of the transaction); SQLite transactions are serial already. */
export function forUpdate(em: EntityManager): string {
  return isMysql(em) ? ' FOR UPDATE' : '';
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
  const pool = isMysql(ds) ? (ds.driver as unknown as { pool?: PreparingPool }).pool : undefined;
  if (!pool) return ds.query(sql, params);
  ds.logger.logQuery(sql, params);
  const timeout = (ds.options as { maxQueryExecutionTime?: number }).maxQueryExecutionTime;
  // Outside TypeORM, so its afterQuery event (the statement histogram's source) never sees this one.
  const metrics = metricsOf(ds);
  const started = metrics ? performance.now() : 0;
  return new Promise((resolve, reject) =>
    pool.execute({ sql, timeout }, params, (err, rows) => {
      metrics?.statement(performance.now() - started, !err);
      if (err) {
        ds.logger.logQueryError(err, sql, params);
        reject(new QueryFailedError(sql, params, err));
      } else resolve(rows as Record<string, unknown>[]);
    }),
  );
}

interface GuardedCommand {
  onResult?: (err: Error | null, ...rest: unknown[]) => unknown;
  once(event: 'end', fn: () => void): unknown;
}
interface GuardedConnection {
  addCommand(cmd: GuardedCommand): unknown;
  destroy(): void;
  stream?: { destroy(err?: Error): void };
  __guarded?: boolean;
}
interface GuardedPool {
  on(event: 'connection', fn: (conn: GuardedConnection) => void): unknown;
  _allConnections?: { toArray(): GuardedConnection[] };
  _freeConnections?: { toArray(): GuardedConnection[] };
}

/**
 * A statement that does not finish within `timeoutMs` of being sent destroys its connection, and
 * with it every statement queued behind it on that connection, instead of leaving it in the pool.
 * mysql2's own statement timeout only fails the caller: the connection keeps waiting for the lost
 * answer, so the ROLLBACK that follows a timed-out START TRANSACTION queues behind it and never
 * returns, and the connection goes back to the pool wedged. After about twenty 2-second black
 * holes on the link every pooled connection was in that state (issue 17). Commands with no timeout
 * of their own (prepare, transaction control queued behind a lost answer) are covered too, since
 * the clock starts when a command is added, not when it starts. The pool then opens new
 * connections as they are needed: it heals without a restart. A dropped connection says the link
 * may have failed, so the idle ones (opened before, and likely as dead when a firewall lost their
 * state) are closed with it rather than each costing a request its timeout.
 */
export function guardMysqlPool(ds: DataSource, timeoutMs: number, onDrop: (err: Error) => void): void {
  const pool = (ds.driver as unknown as { pool?: GuardedPool }).pool;
  if (!pool) return;
  const drop = (conn: GuardedConnection, why: string) => {
    const err = Object.assign(new Error(`Database connection dropped: ${why}`), { code: 'PROTOCOL_SEQUENCE_TIMEOUT', fatal: true });
    onDrop(err);
    const idle = pool._freeConnections?.toArray() ?? [];
    conn.destroy(); // out of the pool (and a FIN that a black hole will not answer)
    conn.stream?.destroy(err); // fails the statement in flight and all queued behind it, now
    for (const other of idle) {
      if (other === conn) continue;
      other.destroy();
      other.stream?.destroy();
    }
  };
  const guard = (conn: GuardedConnection) => {
    if (conn.__guarded) return;
    conn.__guarded = true;
    const add = conn.addCommand;
    conn.addCommand = function (cmd: GuardedCommand) {
      const timer = setTimeout(() => drop(conn, `no answer within ${timeoutMs} ms`), timeoutMs);
      timer.unref();
      cmd.once('end', () => clearTimeout(timer));
      const onResult = cmd.onResult;
      if (onResult) {
        cmd.onResult = function (this: unknown, err: Error | null, ...rest: unknown[]) {
          clearTimeout(timer);
          // mysql2's own timeout: the answer may still come, so the connection cannot be reused.
          if ((err as { code?: string } | null)?.code === 'PROTOCOL_SEQUENCE_TIMEOUT') drop(conn, 'statement timed out');
          return onResult.call(this, err, ...rest);
        };
      }
      return add.call(this, cmd);
    };
  };
  pool.on('connection', guard);
  for (const conn of pool._allConnections?.toArray() ?? []) guard(conn);
}
