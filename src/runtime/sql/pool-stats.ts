import { DataSource } from 'typeorm';
import { isMysql } from '../../common/db';

/** The database pool as an operator reads it: how many connections are busy, idle, waited for. */
export interface PoolFigures {
  /** Connections the pool may open (1 for SQLite: one connection, statements run one at a time). */
  limit: number;
  /** Open connections. */
  open: number;
  /** Open connections lent to a statement or transaction. */
  inUse: number;
  /** Open connections waiting in the pool. */
  idle: number;
  /** Callers waiting for a connection. */
  waiting: number;
}

interface Mysql2Pool {
  config?: { connectionLimit?: number };
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
}

/**
 * The pool's figures now. mysql2's pool keeps them in fields it does not document
 * (`_allConnections`, `_freeConnections`, `_connectionQueue`; mysql2 is pinned, and
 * test/unit/pool-stats.test.ts fails if an upgrade renames them). SQLite runs on one connection
 * that better-sqlite3 uses synchronously, so it is never seen busy from here.
 */
export function poolFigures(ds: DataSource): PoolFigures {
  if (!isMysql(ds)) return { limit: 1, open: ds.isInitialized ? 1 : 0, inUse: 0, idle: ds.isInitialized ? 1 : 0, waiting: 0 };
  const pool = (ds.driver as unknown as { pool?: Mysql2Pool }).pool;
  const limit = pool?.config?.connectionLimit ?? 0;
  const open = pool?._allConnections?.length ?? 0;
  const idle = pool?._freeConnections?.length ?? 0;
  return { limit, open, inUse: Math.max(0, open - idle), idle, waiting: pool?._connectionQueue?.length ?? 0 };
}

/** Whether a caller asking now would get a connection without waiting. */
export function hasFreeConnection(f: PoolFigures): boolean {
  return f.waiting === 0 && (f.idle > 0 || f.open < f.limit || f.limit === 0);
}

/**
 * Watches the pool for starvation: samples it every `everyMs` and remembers when a connection was
 * last free. `/ready` fails when that is longer ago than its threshold, so a load balancer takes a
 * replica whose pool is wedged or exhausted out of rotation instead of queuing more requests on it.
 */
export class PoolWatch {
  private lastFreeAt = Date.now();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly ds: DataSource,
    everyMs = 250,
  ) {
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  sample(now = Date.now()): PoolFigures {
    const f = poolFigures(this.ds);
    if (hasFreeConnection(f)) this.lastFreeAt = now;
    return f;
  }

  /** Milliseconds since the pool last had a free connection (0 when it has one now). */
  starvedForMs(now = Date.now()): number {
    this.sample(now);
    return now - this.lastFreeAt;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
