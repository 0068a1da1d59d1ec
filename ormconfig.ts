import 'reflect-metadata';
import mysql from 'mysql2/promise';
import { loadConfig } from './src/config';
import { createDataSource, resolveFlavor } from './src/data-source';

/** The DataSource the TypeORM CLI uses: MySQL/MariaDB from DATABASE_URL. */
const config = loadConfig({ ...process.env, RUN_MIGRATIONS: 'false' });
if (config.database.type !== 'mysql') {
  throw new Error('The TypeORM CLI manages the MySQL/MariaDB schema: set DATABASE_URL=mysql://...');
}

/**
 * The CLI's own error for a database that does not exist (or a server it cannot reach) is a mysql2
 * stack trace; say it in one line, with what to do, and stop.
 */
async function requireDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.replace(/^\//, ''));
  const where = `${u.hostname}:${u.port || 3306}`;
  let conn: mysql.Connection | undefined;
  try {
    conn = await mysql.createConnection({
      host: u.hostname,
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      connectTimeout: config.dbTimeoutMs,
    });
    const [rows] = await conn.query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name]);
    if ((rows as unknown[]).length === 0) {
      process.stderr.write(
        `Database "${name}" does not exist on ${where}: create it first, e.g. ` +
          `mysql -h ${u.hostname} -P ${u.port || 3306} -u ${decodeURIComponent(u.username) || 'root'}${u.password ? ' -p' : ''} ` +
          `-e "CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"\n`,
      );
      process.exit(1);
    }
  } catch (err) {
    process.stderr.write(`Cannot reach MySQL/MariaDB at ${where}: ${(err as Error).message}\n`);
    process.exit(1);
  } finally {
    await conn?.end().catch(() => undefined);
  }
}

export const dataSource = requireDatabase(config.database.url)
  .then(() => resolveFlavor(config))
  .then((c) => createDataSource(c));
