import { DataSource, DataSourceOptions } from 'typeorm';
import type { AppConfig } from './config';
import { entities } from './modules/registry';
import { migrations } from './migrations';
import type { Logger } from 'pino';
import { SqlCounter } from './common/sql-counter';
import { PinoTypeormLogger, slowQueryLog } from './common/typeorm-log';
import { statementMetrics } from './common/metrics';
import { createLogger } from './logger';

export interface DataSourceExtras {
  /** Name a database other than the URL's (tests: one database per test file). */
  databaseName?: string;
  logger?: SqlCounter;
  /** Where TypeORM's own lines go (slow statements, migrations); a new pino logger when left out. */
  log?: Logger;
}

/**
 * TypeORM's output through pino, never with SQL parameters (its default console logger printed
 * slow statements with theirs); slow statements (DB_SLOW_QUERY_MS) by a subscriber on both drivers.
 */
function logging(config: AppConfig, extras: DataSourceExtras) {
  const log = extras.log ?? createLogger(config.logLevel);
  return {
    logger: new PinoTypeormLogger(log, extras.logger),
    logging: extras.logger ? ['query' as const] : false,
    subscribers: [slowQueryLog(log, config.dbSlowQueryMs), ...(config.metrics?.enabled ? [statementMetrics()] : [])],
  };
}

export function dataSourceOptions(config: AppConfig, extras: DataSourceExtras = {}): DataSourceOptions {
  if (config.database.type === 'sqlite') {
    return {
      type: 'better-sqlite3',
      database: config.database.path,
      entities,
      // The embedded default builds its schema from the entities; MySQL's schema belongs to migrations.
      synchronize: true,
      prepareDatabase: (db: { pragma: (s: string) => unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 5000');
      },
      ...logging(config, extras),
    };
  }
  const url = new URL(config.database.url);
  if (extras.databaseName) url.pathname = `/${extras.databaseName}`;
  return {
    type: config.database.flavor ?? 'mysql',
    url: url.toString(),
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    entities,
    migrations,
    migrationsRun: config.runMigrations,
    synchronize: false,
    supportBigNumbers: true,
    bigNumberStrings: true,
    connectTimeout: config.dbTimeoutMs,
    // A statement on a dead or hung server fails after this long instead of holding the request.
    enableQueryTimeout: true,
    maxQueryExecutionTime: config.dbQueryTimeoutMs,
    poolSize: Number(process.env.DB_POOL_SIZE || 20),
    extra: {
      waitForConnections: true,
      queueLimit: 500,
      // TCP keep-alive probes after 10 s idle: a connection to a peer that went away silently is
      // found dead by the kernel instead of on the next request (common/db.ts guardMysqlPool
      // drops one whose statement gets no answer).
      enableKeepAlive: true,
      keepAliveInitialDelay: 10_000,
      // mysql2 captures a stack trace for every statement (to point its errors at the caller);
      // the profile of the paging queries showed it at 3 % of the server's time. Kept outside
      // production, where the detail helps more than it costs.
      trace: config.nodeEnv !== 'production',
      // Prepared statements kept per connection (readPrepared: the hot lists' shapes), the oldest
      // closed first: 20 connections × 64 stay well under the server's max_prepared_stmt_count
      // (16,382 by default) for a dozen replicas (docs/scaling.md).
      maxPreparedStatements: 64,
    },
    ...logging(config, extras),
  } as DataSourceOptions;
}

/** Ask the server whether it is MariaDB or MySQL (TypeORM reads their schemas differently). */
export async function resolveFlavor(config: AppConfig): Promise<AppConfig> {
  if (config.database.type !== 'mysql' || config.database.flavor) return config;
  const u = new URL(config.database.url);
  // Loaded here, not at the top: the embedded SQLite default (and each SQLite test file) never needs the driver.
  const mysql = await import('mysql2/promise');
  const conn = await mysql.createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    connectTimeout: config.dbTimeoutMs,
  });
  try {
    const [rows] = await conn.query('SELECT VERSION() AS v');
    const version = String((rows as { v: string }[])[0].v);
    return { ...config, database: { ...config.database, flavor: /mariadb/i.test(version) ? 'mariadb' : 'mysql' } };
  } finally {
    await conn.end();
  }
}

export function createDataSource(config: AppConfig, extras: DataSourceExtras = {}): DataSource {
  return new DataSource(dataSourceOptions(config, extras));
}
