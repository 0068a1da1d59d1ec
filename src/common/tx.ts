import { DataSource, EntityManager } from 'typeorm';
import { isMysql } from './db';
import { retryPolicy, withRetry } from './retry';

/**
 * SQLite (better-sqlite3) has one connection and TypeORM one query runner for it, so two
 * transactions must never interleave: they queue here. One process owns the embedded file,
 * so an in-process queue is the whole story for SQLite; MySQL needs none of this.
 */
const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * The one way to write: the callback runs in a transaction and everything it writes commits or
 * rolls back together. A deadlock victim or a Galera certification loser on MySQL is re-run (the
 * whole callback, from scratch: it must do nothing outside `em`), see retry.ts.
 * Pass the EntityManager down; never write through the DataSource directly.
 */
export async function inTransaction<T>(ds: DataSource, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  if (!isMysql(ds)) {
    const prev = sqliteQueues.get(ds) ?? Promise.resolve();
    const run = prev.catch(() => undefined).then(() => ds.transaction((em) => fn(em)));
    sqliteQueues.set(ds, run.catch(() => undefined));
    return run;
  }
  return withRetry(() => ds.transaction((em) => fn(em)), retryPolicy(ds));
}
