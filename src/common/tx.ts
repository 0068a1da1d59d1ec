import { DataSource, EntityManager } from 'typeorm';
import { isMysql } from './db';

/**
 * SQLite (better-sqlite3) has one connection and TypeORM one query runner for it, so two
 * transactions must never interleave: they queue here. One process owns the embedded file,
 * so an in-process queue is the whole story for SQLite; MySQL needs none of this.
 */
const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

function isRetryable(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  return RETRYABLE.has(e?.code ?? '') || RETRYABLE.has(e?.driverError?.code ?? '');
}

/**
 * The one way to write: the callback runs in a transaction and everything it writes commits or
 * rolls back together. A deadlock victim on MySQL is re-run (the whole callback, from scratch).
 * Pass the EntityManager down; never write through the DataSource directly.
 */
export async function inTransaction<T>(ds: DataSource, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  if (!isMysql(ds)) {
    const prev = sqliteQueues.get(ds) ?? Promise.resolve();
    const run = prev.catch(() => undefined).then(() => ds.transaction((em) => fn(em)));
    sqliteQueues.set(ds, run.catch(() => undefined));
    return run;
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await ds.transaction((em) => fn(em));
    } catch (err) {
      if (attempt >= 4 || !isRetryable(err)) throw err;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
    }
  }
}
