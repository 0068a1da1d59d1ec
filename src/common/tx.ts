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
    const run = prev.catch(() => undefined).then(() => committed(ds, fn));
    sqliteQueues.set(
      ds,
      run.catch(() => undefined),
    );
    return run;
  }
  return withRetry(() => committed(ds, fn), retryPolicy(ds));
}

const commitHooks = new WeakMap<EntityManager, (() => void)[]>();

/** One attempt: the callback in a transaction, then what it asked to run once that committed. */
async function committed<T>(ds: DataSource, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  const hooks: (() => void)[] = [];
  const result = await ds.transaction((em) => {
    commitHooks.set(em, hooks);
    return fn(em);
  });
  for (const hook of hooks) {
    try {
      hook();
    } catch {
      /* the transaction committed: a hook's fault must not turn it into a failed request */
    }
  }
  return result;
}

/**
 * Runs `hook` once the transaction of `em` has committed, never for an attempt that rolled back
 * or was retried (a retry runs the callback again, which asks again): what a change says to the
 * world (a security event) is said once, and only when it happened. Outside inTransaction (a
 * script's plain EntityManager) it runs at once.
 */
export function afterCommit(em: EntityManager, hook: () => void): void {
  const hooks = commitHooks.get(em);
  if (hooks) hooks.push(hook);
  else hook();
}
