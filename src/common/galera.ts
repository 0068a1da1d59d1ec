import { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { isMysql } from './db';

interface PoolConnectionLike {
  query(sql: string, values: unknown[], cb: (err: Error | null) => void): void;
}
interface PoolLike {
  on(event: 'connection', listener: (conn: PoolConnectionLike) => void): void;
  _allConnections?: { toArray?: () => PoolConnectionLike[] } | PoolConnectionLike[];
}

const galeraSources = new WeakSet<object>();

/** Is this DataSource (or an EntityManager's) on a Galera node? Known once configureGalera ran. */
export function isGalera(x: DataSource | EntityManager): boolean {
  return galeraSources.has(x instanceof DataSource ? x : x.connection);
}

export interface GaleraSettings {
  /** The server is a Galera node (`wsrep_on` = ON). */
  galera: boolean;
  /** The wsrep_sync_wait each connection sets (0 when not Galera or turned off). */
  syncWait: number;
}

/**
 * On a Galera cluster, make reads causal: a node applies other nodes' commits asynchronously, so a
 * client that wrote through one replica (node A) and reads through another (node B) could miss its
 * own write. `wsrep_sync_wait` bit 1 makes every SELECT, SHOW and START TRANSACTION on the
 * connection first wait until node B has applied everything the cluster had committed when the
 * statement arrived. It is set on each connection of the pool as it opens (and on the one TypeORM
 * opened at start), never globally, so the server needs no configuration for it.
 *
 * The cost (docs/scaling.md): one group-communication round before each read, and the read also
 * waits for whatever the node has still to apply, so reads slow down when the node lags; after
 * repl.causal_read_timeout (30 s) the statement fails with a lock wait timeout.
 */
export async function configureGalera(ds: DataSource, syncWait: number, log?: Logger): Promise<GaleraSettings> {
  if (!isMysql(ds)) return { galera: false, syncWait: 0 };
  const rows: { Value?: string; value?: string }[] = await ds.query("SHOW VARIABLES LIKE 'wsrep_on'");
  const galera = String(rows[0]?.Value ?? rows[0]?.value ?? 'OFF').toUpperCase() === 'ON';
  if (galera) galeraSources.add(ds);
  if (!galera || syncWait === 0) return { galera, syncWait: 0 };

  const pool = (ds.driver as unknown as { pool?: PoolLike }).pool;
  if (!pool) throw new Error('Galera: no connection pool to configure');
  const apply = (conn: PoolConnectionLike) =>
    new Promise<void>((resolve) =>
      conn.query('SET SESSION wsrep_sync_wait = ?', [syncWait], (err) => {
        if (err) log?.error({ err }, 'could not set wsrep_sync_wait on a new connection');
        resolve();
      }),
    );
  // Commands on a connection run in order, so the SET runs before the statement it was opened for.
  pool.on('connection', (conn) => void apply(conn));
  const all = pool._allConnections;
  const open = Array.isArray(all) ? all : (all?.toArray?.() ?? []);
  await Promise.all(open.map(apply));
  log?.info({ wsrepSyncWait: syncWait, connections: open.length }, 'Galera cluster detected: causal reads on every connection');
  return { galera, syncWait };
}
