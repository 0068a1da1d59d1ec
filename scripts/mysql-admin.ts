import type { ConnectionOptions } from 'mysql2/promise';

/** Connection to the server named by a mysql:// URL, without selecting its database unless `extra` names one. */
export async function serverConnection(url: string, extra: ConnectionOptions = {}) {
  const u = new URL(url);
  // Loaded on first use: the test helper imports this file, and SQLite test runs never need the driver.
  const mysql = await import('mysql2/promise');
  return mysql.createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    multipleStatements: false,
    charset: 'utf8mb4_unicode_ci',
    ...extra,
  });
}

export async function recreateDatabase(url: string, name: string): Promise<void> {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
  const c = await serverConnection(url);
  try {
    await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await c.end();
  }
}

export async function dropDatabase(url: string, name: string): Promise<void> {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
  const c = await serverConnection(url);
  try {
    await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await c.end();
  }
}
