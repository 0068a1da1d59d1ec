import 'reflect-metadata';
import { spawn, ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { loadConfig, AppConfig } from '../../src/config';
import { createDataSource } from '../../src/data-source';
import { configureGalera } from '../../src/common/galera';
import { dropDatabase, recreateDatabase } from '../../scripts/mysql-admin';
import type { GqlResult, TestApp } from '../helpers/app';
import { loginHelpers } from '../helpers/app';

/**
 * The cluster under test: the three Galera nodes that scripts/galera-local.sh started, a database
 * of this run's own on them, and one server process (the compiled dist/, as deployed) per node.
 * Each server is wrapped as a TestApp, so the API tests' fixtures work against any of them; its
 * `app.ds` is a DataSource of the test's own on the same node, with causal reads, for checks.
 */
export const ROOT = join(__dirname, '..', '..');
const BASE_PORT = Number(process.env.GALERA_BASE_PORT || 3311);
export const NODE_PORTS = [BASE_PORT, BASE_PORT + 1, BASE_PORT + 2];
export const nodeUrl = (port: number, db = '') => `mysql://root@127.0.0.1:${port}/${db}`;
export const GALERA_DIR = process.env.GALERA_DIR || '/tmp/agentnet-galera';

/** Every answer the tests got, by code, across all servers: INTERNAL_SERVER_ERROR must stay at 0. */
export const answers: Record<string, number> = {};

export function outcome(res: GqlResult): string {
  return res.errors ? res.errors[0].extensions.code : 'OK';
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function nodeStatus(port: number): Promise<Record<string, string>> {
  const c = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 3000 });
  try {
    const [rows] = await c.query(
      "SHOW STATUS WHERE Variable_name IN ('wsrep_cluster_size','wsrep_local_state_comment','wsrep_local_cert_failures','wsrep_local_bf_aborts','wsrep_cluster_status')",
    );
    return Object.fromEntries((rows as { Variable_name: string; Value: string }[]).map((r) => [r.Variable_name, r.Value]));
  } finally {
    await c.end();
  }
}

/** Certification failures and brute-force aborts, summed over the nodes that answer. */
export async function conflictCounters(ports = NODE_PORTS): Promise<{ certFailures: number; bfAborts: number }> {
  let certFailures = 0;
  let bfAborts = 0;
  for (const p of ports) {
    const s = await nodeStatus(p);
    certFailures += Number(s.wsrep_local_cert_failures ?? 0);
    bfAborts += Number(s.wsrep_local_bf_aborts ?? 0);
  }
  return { certFailures, bfAborts };
}

export interface Server {
  index: number;
  url: string;
  proc: ChildProcess;
  logPath: string;
  /** The TestApp view of this server (fixtures, gql, tokens). */
  t: TestApp;
  /** Lines of the server's log with this msg. */
  logCount: (msg: string) => number;
}

export interface Cluster {
  database: string;
  config: AppConfig;
  servers: Server[];
  stop: () => Promise<void>;
}

async function waitReady(url: string, proc: ChildProcess, ms = 90_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`server ${url} exited with ${proc.exitCode}`);
    try {
      if ((await fetch(`${url}/ready`)).status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server ${url} not ready after ${ms} ms`);
}

/** One shared token cache: the cluster's servers share JWT_SECRET, so a token from one works on all. */
const clusterTokens = new Map<string, string>();

export function httpTestApp(url: string, ds: DataSource, config: AppConfig, dsUrl: string, tokens = clusterTokens): TestApp {
  const gql: TestApp['gql'] = async (query, variables = {}, token = null) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { data?: unknown; errors?: GqlResult['errors'] };
    const r: GqlResult = { status: res.status, data: body?.data, errors: body?.errors, body };
    const code = outcome(r);
    answers[code] = (answers[code] ?? 0) + 1;
    return r;
  };
  const { token, userToken } = loginHelpers(gql, '_c', tokens);
  return {
    app: { url, ds } as unknown as TestApp['app'],
    config,
    sql: undefined as unknown as TestApp['sql'],
    isMysql: true,
    gql,
    token,
    userToken,
    http: () => {
      throw new Error(`http() is not available against ${dsUrl}: use gql`);
    },
    stop: async () => undefined,
  };
}

/** Start a server process (dist/src/index.js) against `dbUrl`; migrations and seed only when asked. */
export async function startServer(
  index: number,
  dbUrl: string,
  env: Record<string, string>,
  logDir: string,
): Promise<{ url: string; proc: ChildProcess; logPath: string }> {
  const port = await freePort();
  const logPath = join(logDir, `server${index}.log`);
  const out = createWriteStream(logPath);
  const proc = spawn(process.execPath, ['--max-old-space-size=256', join(ROOT, 'dist/src/index.js')], {
    cwd: ROOT,
    // As every test app: no rate limits (60 issues at once from one user is the point here), and a
    // default per-partner cap as large as the fund, so the fund's limit is what the fund test meets.
    env: {
      ...process.env,
      RATE_LIMITS: 'false',
      PARTS_FUND_DEFAULT_CAP_FEN: '6000000',
      ...env,
      DATABASE_URL: dbUrl,
      PORT: String(port),
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.pipe(out);
  proc.stderr!.pipe(out);
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, proc);
  return { url, proc, logPath };
}

export function countLog(logPath: string, msg: string): number {
  let n = 0;
  for (const line of readFileSync(logPath, 'utf8').split('\n')) {
    if (line.includes(`"msg":"${msg}"`)) n++;
  }
  return n;
}

export async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

/**
 * The database of this run on the cluster, migrated and seeded through server 1 (on node 1), then
 * servers 2 and 3 on nodes 2 and 3.
 */
export async function startCluster(extraEnv: Record<string, string> = {}): Promise<Cluster> {
  for (const p of NODE_PORTS) {
    let s: Record<string, string>;
    try {
      s = await nodeStatus(p);
    } catch (err) {
      throw new Error(`Galera node on 127.0.0.1:${p} is not answering (${(err as Error).message}): run scripts/galera-local.sh start`);
    }
    if (s.wsrep_cluster_size !== '3' || s.wsrep_local_state_comment !== 'Synced') {
      throw new Error(`Galera node on ${p} is not a synced member of a 3-node cluster: ${JSON.stringify(s)}`);
    }
  }
  const database = `c_${process.pid}_${Date.now().toString(36)}`;
  await recreateDatabase(nodeUrl(NODE_PORTS[0]), database);
  const logDir = join(GALERA_DIR, 'servers', database);
  mkdirSync(logDir, { recursive: true });
  const env = { JWT_SECRET: randomBytes(32).toString('hex'), ...extraEnv };
  const servers: Server[] = [];
  for (let i = 0; i < 3; i++) {
    const dbUrl = nodeUrl(NODE_PORTS[i], database);
    const first = i === 0;
    const s = await startServer(i + 1, dbUrl, { ...env, RUN_MIGRATIONS: first ? 'true' : 'false', SEED: first ? 'reference' : 'none' }, logDir);
    const config = loadConfig({ ...process.env, ...env, DATABASE_URL: dbUrl, NODE_ENV: 'test', RUN_MIGRATIONS: 'false', SEED: 'none' });
    const ds = createDataSource({ ...config, database: { ...config.database, type: 'mysql', url: dbUrl, flavor: 'mariadb' } as AppConfig['database'] });
    await ds.initialize();
    await configureGalera(ds, 1);
    servers.push({
      index: i + 1,
      url: s.url,
      proc: s.proc,
      logPath: s.logPath,
      t: httpTestApp(s.url, ds, config, dbUrl),
      logCount: (msg) => countLog(s.logPath, msg),
    });
  }
  return {
    database,
    config: servers[0].t.config,
    servers,
    stop: async () => {
      await Promise.all(servers.map((s) => stopProcess(s.proc)));
      for (const s of servers) if (s.t.app.ds.isInitialized) await s.t.app.ds.destroy().catch(() => undefined);
      await dropDatabase(nodeUrl(NODE_PORTS[0]), database).catch(() => undefined);
    },
  };
}
