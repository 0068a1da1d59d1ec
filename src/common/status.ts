import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config';
import { projectRoot } from '../workbench/workbench';
import { isMysql } from './db';
import { isGalera } from './galera';
import { PoolFigures, poolFigures, PoolWatch } from '../runtime/sql/pool-stats';
import { MinuteFigures, RequestStats } from './request-stats';

/** What GET /status answers an administrator (README "Health and status"). */
export interface ServiceStatus {
  status: 'ok' | 'stopping';
  version: string;
  startedAt: string;
  uptimeSeconds: number;
  node: string;
  database: {
    /** sqlite, mariadb, mysql, or galera (a Galera node; `server` says which). */
    flavor: 'sqlite' | 'mariadb' | 'mysql' | 'galera';
    server?: 'mariadb' | 'mysql';
    serverVersion?: string;
    /** Nodes in the Galera cluster this node is part of (wsrep_cluster_size). */
    clusterSize?: number;
    /** Why a figure above is missing (the database did not answer in time). */
    error?: string;
  };
  migrations:
    { schema: 'synchronize' } | { schema: 'migrations'; applied: number; last: string | null; pending: number } | { schema: 'migrations'; error: string };
  pool: PoolFigures & { starvedForMs: number };
  lastMinute: MinuteFigures;
}

let version: string | undefined;
function appVersion(): string {
  if (version === undefined) {
    try {
      version = String(JSON.parse(readFileSync(join(projectRoot(__dirname), 'package.json'), 'utf8')).version ?? 'unknown');
    } catch {
      version = 'unknown';
    }
  }
  return version;
}

interface MigrationRow {
  name: string;
  timestamp: number | string;
}

export interface StatusDeps {
  ds: DataSource;
  config: AppConfig;
  startedAt: Date;
  stats: RequestStats;
  poolWatch: PoolWatch;
  stopping: () => boolean;
  /** Runs a database read with a time limit (app.ts withTimeout). */
  timed: <T>(p: Promise<T>) => Promise<T>;
}

const reason = (err: unknown) => ((err as { code?: string }).code === 'DB_TIMEOUT' ? 'database timeout' : 'database error');

/**
 * The service as an administrator checks it. Every database read has a time limit and a failed one
 * leaves its figure out with the reason: /status must answer most when the database does not.
 */
export async function serviceStatus(d: StatusDeps, now = new Date()): Promise<ServiceStatus> {
  const { ds, config } = d;
  const mysql = isMysql(ds);
  const server = mysql ? (config.database.type === 'mysql' && config.database.flavor === 'mariadb' ? 'mariadb' : 'mysql') : undefined;

  const database = async (): Promise<ServiceStatus['database']> => {
    if (!mysql) {
      try {
        const v: { v: string }[] = await d.timed(ds.query('SELECT sqlite_version() AS v'));
        return { flavor: 'sqlite', serverVersion: String(v[0]?.v) };
      } catch (err) {
        return { flavor: 'sqlite', error: reason(err) };
      }
    }
    const galera = isGalera(ds);
    const base: ServiceStatus['database'] = galera ? { flavor: 'galera', server } : { flavor: server! };
    try {
      const [v, size] = await Promise.all([
        d.timed(ds.query('SELECT VERSION() AS v') as Promise<{ v: string }[]>),
        galera ? d.timed(ds.query("SHOW STATUS LIKE 'wsrep_cluster_size'") as Promise<{ Value?: string; value?: string }[]>) : Promise.resolve(null),
      ]);
      return { ...base, serverVersion: String(v[0]?.v), ...(size ? { clusterSize: Number(size[0]?.Value ?? size[0]?.value ?? 0) } : {}) };
    } catch (err) {
      return { ...base, error: reason(err) };
    }
  };

  const migrations = async (): Promise<ServiceStatus['migrations']> => {
    // The embedded SQLite default builds its schema from the entities (data-source.ts): no migrations run there.
    if (!mysql) return { schema: 'synchronize' };
    try {
      const table = ds.options.migrationsTableName ?? 'migrations';
      const rows: MigrationRow[] = await d.timed(ds.query(`SELECT name, timestamp FROM \`${table}\` ORDER BY timestamp, id`));
      const applied = new Set(rows.map((r) => r.name));
      return {
        schema: 'migrations',
        applied: rows.length,
        last: rows.length ? rows[rows.length - 1].name : null,
        pending: ds.migrations.filter((m) => m.name && !applied.has(m.name)).length,
      };
    } catch (err) {
      return { schema: 'migrations', error: reason(err) };
    }
  };

  const [db, mig] = await Promise.all([database(), migrations()]);
  return {
    status: d.stopping() ? 'stopping' : 'ok',
    version: appVersion(),
    startedAt: d.startedAt.toISOString(),
    uptimeSeconds: Math.floor((now.getTime() - d.startedAt.getTime()) / 1000),
    node: process.version,
    database: db,
    migrations: mig,
    pool: { ...poolFigures(ds), starvedForMs: d.poolWatch.starvedForMs(now.getTime()) },
    lastMinute: d.stats.lastMinute(now.getTime()),
  };
}
