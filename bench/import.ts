/**
 * `npm run bench:import -- [--rows 1000000] [--pool-mb 2048] [--batch-size 1000] [--latency-only] [--no-latency]`
 *
 * On MariaDB, in a database of its own (`bench_agents`, or BENCH_DATABASE_URL):
 *  1. generates a CSV of N customer records (deterministic, realistic mix of flags) for the demo agents;
 *  2. imports it end to end with `npm run import:registrations` (a child process, as a user runs
 *     it: streaming, validation, encryption, HMAC, flags, rejects file), timed, with its peak RSS;
 *  3. exports the rows the import stored, empties the table, and loads the same rows with one raw
 *     `LOAD DATA LOCAL INFILE` into the same table (same indexes, same server settings), timed;
 *  4. times `registrations(filter: { agentId })` first pages over the N rows through the HTTP API
 *     (`--no-latency` leaves this step out: back-to-back A/B runs of the import under one lock).
 *
 * `--pool-mb` sets innodb_buffer_pool_size for the run and puts the old size back at the end.
 * Prints the figures; bench/results-agents.md keeps those of the runs reported in the issue.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, WriteStream } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { withCheckChar } from '../src/common/validators/id-card';
import { intBetween, pick, seededRandom } from '../src/common/random';
import { loadConfig } from '../src/config';
import { createApp } from '../src/app';
import { createDataSource, resolveFlavor } from '../src/data-source';
import { loadDataCell, REGISTRATION_INSERT_COLUMNS } from '../src/modules/agents/registration-ingest';
import { DEFAULT_BATCH_SIZE } from '../src/modules/agents/registration-import';
import { recreateDatabase, serverConnection } from '../scripts/mysql-admin';
import { seedReference } from '../seeds';
import { ID_REGION_CODES, MSISDN_PREFIXES, seedAgentsDemo, TARIFF_PLANS } from '../seeds/agents';
import { REGIONS } from '../seeds/regions';

interface Options {
  rows: number;
  poolMb: number | null;
  batchSize: number | null;
  latencyOnly: boolean;
  noLatency: boolean;
}

function options(): Options {
  const o: Options = { rows: 1_000_000, poolMb: null, batchSize: null, latencyOnly: false, noLatency: false };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--rows') o.rows = Number(argv[++i]);
    else if (argv[i] === '--pool-mb') o.poolMb = Number(argv[++i]);
    else if (argv[i] === '--batch-size') o.batchSize = Number(argv[++i]);
    else if (argv[i] === '--latency-only') o.latencyOnly = true;
    else if (argv[i] === '--no-latency') o.noLatency = true;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  if (!Number.isInteger(o.rows) || o.rows < 1000 || o.rows > 5_000_000) throw new Error('--rows must be 1000 to 5000000');
  return o;
}

const BENCH_URL = process.env.BENCH_DATABASE_URL || 'mysql://root@127.0.0.1:3306/bench_agents';
const DATABASE = new URL(BENCH_URL).pathname.replace(/^\//, '') || 'bench_agents';
const WORK = '/tmp/bench-agents';
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const fmt = (n: number) => n.toLocaleString('en-US');

function connect(extra: mysql.ConnectionOptions = {}) {
  return serverConnection(BENCH_URL, { database: DATABASE, timezone: 'Z', dateStrings: true, ...extra });
}

/** Server-wide page reads and writes (other clients of the server count too). */
async function pageCounters(c: mysql.Connection): Promise<{ reads: number; flushed: number }> {
  const [rows] = await c.query(`SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_buffer_pool_reads', 'Innodb_buffer_pool_pages_flushed')`);
  const m = new Map((rows as { Variable_name: string; Value: string }[]).map((r) => [r.Variable_name, Number(r.Value)]));
  return { reads: m.get('Innodb_buffer_pool_reads') ?? 0, flushed: m.get('Innodb_buffer_pool_pages_flushed') ?? 0 };
}

function pagesPerRow(before: { reads: number; flushed: number }, after: { reads: number; flushed: number }, rows: number): string {
  return `${((after.reads - before.reads) / rows).toFixed(2)} page reads and ${((after.flushed - before.flushed) / rows).toFixed(2)} page writes a row`;
}

async function variable(c: mysql.Connection, name: string): Promise<string> {
  const [rows] = await c.query('SHOW GLOBAL VARIABLES LIKE ?', [name]);
  return String((rows as { Value: string }[])[0]?.Value ?? '');
}

/** Fresh database: migrations, reference data, the demo agents (their 4,000 demo records are dropped). */
async function prepareDatabase(): Promise<{ code: string; region: string }[]> {
  await recreateDatabase(BENCH_URL, DATABASE);
  const config = await resolveFlavor(
    loadConfig({ ...process.env, NODE_ENV: 'test', DATABASE_URL: BENCH_URL, RUN_MIGRATIONS: 'true', SEED: 'none', LOG_LEVEL: 'silent' }),
  );
  const ds = createDataSource(config, { databaseName: DATABASE });
  await ds.initialize();
  try {
    await seedReference(ds, config);
    await ds.transaction((em) => seedAgentsDemo(em, config));
    await emptyRegistrations(ds.query.bind(ds));
    const agents: { code: string; regionId: number }[] = await ds.query(`SELECT code, regionId FROM agent WHERE status = 'ACTIVE' ORDER BY code`);
    return agents.map((a) => ({ code: a.code, region: REGIONS.find((r) => r.id === Number(a.regionId))!.code }));
  } finally {
    await ds.destroy();
  }
}

async function emptyRegistrations(query: (sql: string) => Promise<unknown>) {
  // Other modules' tables may reference registration (empty here); TRUNCATE needs the checks off.
  await query('SET FOREIGN_KEY_CHECKS = 0');
  await query('TRUNCATE TABLE registration');
  await query('SET FOREIGN_KEY_CHECKS = 1');
}

function write(out: WriteStream, s: string): Promise<void> | null {
  return out.write(s) ? null : new Promise((r) => out.once('drain', () => r()));
}

/**
 * N records over 2024 for the given agents: every number distinct (a bijective scramble of the row
 * number), 2% wrong check characters, 0.5% impossible birth dates, 0.5% under-age customers, 5%
 * entered late, 0.1% of rows on 100 identities that each open about ten lines, 92% activated.
 */
async function generateCsv(file: string, rows: number, agents: { code: string; region: string }[]): Promise<void> {
  const rand = seededRandom(`bench-import-${rows}`);
  const surnames = ['王', '李', '張', '劉', '陳', '楊', '黃', '趙', '周', '吳', '徐', '孫', '胡', '朱', '高', '林'];
  const given = ['偉', '芳', '娜', '敏', '靜', '麗', '強', '磊', '軍', '洋', '勇', '艷', '傑', '秀英', '建國', '春燕'];
  const plans = { CDMA: TARIFF_PLANS.filter((p) => p.network === 'CDMA'), GSM: TARIFF_PLANS.filter((p) => p.network === 'GSM') };
  const ring = Array.from({ length: 100 }, (_, i) => withCheckChar(`421002197${i % 10}0${1 + (i % 9)}1${i % 10}${String(500 + i).padStart(3, '0')}`));
  const start = Date.UTC(2023, 11, 31, 16, 0, 0); // 2024-01-01 00:00 in Shanghai
  const year = 366 * 86400_000;
  const iso = (t: number) => new Date(t).toISOString();
  const out = createWriteStream(file);
  await write(out, 'agentCode,msisdn,network,customerName,idType,idNumber,tariffPlanCode,openedAt,submittedAt,activatedAt\n');
  for (let i = 0; i < rows; i++) {
    const agent = agents[Math.floor(rand() * agents.length)];
    const network = rand() < 0.55 ? 'CDMA' : 'GSM';
    const msisdn = pick(rand, MSISDN_PREFIXES[network]) + String((i * 7919 + 12_345_678) % 100_000_000).padStart(8, '0');
    const opened = start + Math.floor(rand() * (year - 30 * 86400_000));
    const r = rand();
    let idNumber: string;
    const region = ID_REGION_CODES[agent.region];
    const seq = String(intBetween(rand, 0, 999)).padStart(3, '0');
    const birth = `${intBetween(rand, 1945, 2004)}${String(intBetween(rand, 1, 12)).padStart(2, '0')}${String(intBetween(rand, 1, 28)).padStart(2, '0')}`;
    if (r < 0.02) {
      const good = withCheckChar(`${region}${birth}${seq}`);
      idNumber = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    } else if (r < 0.025) idNumber = withCheckChar(`${region}${birth.slice(0, 4)}1332${seq}`);
    else if (r < 0.03) idNumber = withCheckChar(`${region}2012${birth.slice(4)}${seq}`);
    else if (r < 0.031) idNumber = ring[Math.floor(rand() * ring.length)];
    else idNumber = withCheckChar(`${region}${birth}${seq}`);
    const submitted = opened + (rand() < 0.05 ? intBetween(rand, 26, 200) * 3600_000 : intBetween(rand, 2, 90) * 60_000);
    const activated = rand() < 0.92 ? iso(submitted + intBetween(rand, 5, 600) * 60_000) : '';
    const line = `${agent.code},${msisdn},${network},${pick(rand, surnames)}${pick(rand, given)},RESIDENT_ID,${idNumber},${pick(rand, plans[network]).code},${iso(opened)},${iso(submitted)},${activated}\n`;
    const wait = write(out, line);
    if (wait) await wait;
  }
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
}

/** `npm run import:registrations -- <file>` as a child process; its own summary has the peak RSS. */
async function runImport(file: string, batchSize: number | null): Promise<{ wallMs: number; summary: Record<string, number> }> {
  const json = join(WORK, 'import-summary.json');
  rmSync(json, { force: true });
  const t0 = process.hrtime.bigint();
  await new Promise<void>((resolve, reject) => {
    const args = ['run', '--silent', 'import:registrations', '--', file, '--json', json, '--rejects', join(WORK, 'rejects.csv')];
    if (batchSize) args.push('--batch-size', String(batchSize));
    const child = spawn('npm', args, {
      env: { ...process.env, DATABASE_URL: BENCH_URL, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`import exited with ${code}`))));
  });
  return { wallMs: ms(t0), summary: JSON.parse(readFileSync(json, 'utf8')) };
}

/** The rows the import stored, in LOAD DATA's default text format, read by keyset pages. */
async function exportRows(c: mysql.Connection, file: string): Promise<number> {
  const cols = REGISTRATION_INSERT_COLUMNS;
  const out = createWriteStream(file);
  let last = 0;
  let n = 0;
  for (;;) {
    const [rows] = await c.query(`SELECT id, ${cols.join(', ')} FROM registration WHERE id > ? ORDER BY id LIMIT 20000`, [last]);
    const list = rows as Record<string, unknown>[];
    if (!list.length) break;
    let chunk = '';
    for (const r of list) chunk += `${cols.map((k) => loadDataCell(r[k])).join('\t')}\n`;
    const wait = write(out, chunk);
    if (wait) await wait;
    last = Number(list[list.length - 1].id);
    n += list.length;
  }
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
  return n;
}

async function loadData(file: string): Promise<{ ms: number; rows: number }> {
  const c = await connect({ infileStreamFactory: () => createReadStream(file) } as mysql.ConnectionOptions);
  try {
    await emptyRegistrations((sql) => c.query(sql));
    const t0 = process.hrtime.bigint();
    const [res] = await c.query(
      `LOAD DATA LOCAL INFILE 'registrations.tsv' INTO TABLE registration CHARACTER SET utf8mb4
         FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' (${REGISTRATION_INSERT_COLUMNS.join(', ')})`,
    );
    return { ms: ms(t0), rows: (res as mysql.ResultSetHeader).affectedRows };
  } finally {
    await c.end();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function stats(list: number[]) {
  const s = [...list].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] };
}

const f1 = (x: number) => x.toFixed(1);

/** First pages of registrations by agent through the HTTP API (and the bare SQL), cold then warm. */
async function latency(): Promise<void> {
  const config = await resolveFlavor(
    loadConfig({
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: BENCH_URL,
      RUN_MIGRATIONS: 'false',
      SEED: 'none',
      LOG_LEVEL: 'silent',
      PORT: '0',
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
      ID_ENCRYPTION_KEYS: `dev1:${Buffer.alloc(32, 1).toString('base64')}`,
      ID_HMAC_KEY: Buffer.alloc(32, 2).toString('base64'),
    }),
  );
  const app = await createApp(config, { databaseName: DATABASE });
  const c = await connect();
  try {
    const gql = async (query: string, variables: object, token?: string) => {
      const res = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: any; errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const token = (await gql(`mutation { login(username: "staff", password: "${config.seedPassword}") { token } }`, {})).login.token as string;
    const [agentRows] = await c.query(`SELECT agentId, COUNT(*) AS n FROM registration GROUP BY agentId ORDER BY agentId`);
    const agents = (agentRows as { agentId: number; n: number }[]).map((r) => ({ id: Number(r.agentId), n: Number(r.n) }));
    const PAGE = `query($a: ID){ registrations(filter: { agentId: $a }, first: 50) { pageInfo { hasNextPage endCursor } edges { node { id msisdn network customerName idNumberMasked tariffPlanCode status flags openedAt agent { code } } } } }`;
    const COUNTED = `query($a: ID){ registrations(filter: { agentId: $a }, first: 50) { totalCount edges { node { id msisdn status flags } } } }`;
    const time = async (fn: () => Promise<unknown>) => {
      const t0 = process.hrtime.bigint();
      await fn();
      return ms(t0);
    };
    const cold: number[] = [];
    for (const a of agents) cold.push(await time(() => gql(PAGE, { a: String(a.id) }, token)));
    const warm: number[] = [];
    for (let k = 0; k < 3; k++) for (const a of agents) warm.push(await time(() => gql(PAGE, { a: String(a.id) }, token)));
    const counted: number[] = [];
    for (const a of agents) counted.push(await time(() => gql(COUNTED, { a: String(a.id) }, token)));
    const sql: number[] = [];
    for (let k = 0; k < 3; k++) {
      for (const a of agents) sql.push(await time(() => c.query(`SELECT * FROM registration WHERE agentId = ? ORDER BY id DESC LIMIT 51`, [a.id])));
    }
    const [plan] = await c.query(`EXPLAIN SELECT * FROM registration WHERE agentId = ? ORDER BY id DESC LIMIT 51`, [agents[0].id]);
    const p = (plan as { key: string; rows: number; Extra: string }[])[0];
    console.log(
      `\nregistrations(filter: { agentId }, first: 50) over ${fmt(agents.reduce((s, a) => s + a.n, 0))} rows, ${agents.length} agents (~${fmt(Math.round(agents[0].n))} rows each), HTTP round trip in ms:`,
    );
    const show = (label: string, l: number[]) => {
      const s = stats(l);
      console.log(`  ${label.padEnd(34)} n=${s.n} p50 ${f1(s.p50)}  p95 ${f1(s.p95)}  p99 ${f1(s.p99)}  max ${f1(s.max)}`);
    };
    show('first request per agent', cold);
    show('repeated (3 rounds)', warm);
    show('with totalCount', counted);
    show('the SQL alone (mysql2)', sql);
    console.log(`  plan: key=${p.key} rows=${p.rows} extra=${p.Extra}`);
  } finally {
    await c.end();
    await app.stop();
  }
}

async function main() {
  const o = options();
  mkdirSync(WORK, { recursive: true });
  const admin = await mysql.createConnection({
    host: new URL(BENCH_URL).hostname,
    port: Number(new URL(BENCH_URL).port || 3306),
    user: decodeURIComponent(new URL(BENCH_URL).username),
    password: decodeURIComponent(new URL(BENCH_URL).password),
  });
  const originalPool = Number(await variable(admin, 'innodb_buffer_pool_size'));
  try {
    if (o.poolMb) {
      await admin.query(`SET GLOBAL innodb_buffer_pool_size = ${o.poolMb * 1024 * 1024}`);
      // The resize runs in the background; wait until the server reports the new size.
      for (let i = 0; i < 120 && Number(await variable(admin, 'innodb_buffer_pool_size')) !== o.poolMb * 1024 * 1024; i++)
        await new Promise((r) => setTimeout(r, 500));
    }
    const [ver] = await admin.query('SELECT VERSION() AS v');
    console.log(
      `MariaDB ${(ver as { v: string }[])[0].v}; innodb_buffer_pool_size ${Number(await variable(admin, 'innodb_buffer_pool_size')) / 1048576} MB; ` +
        `innodb_flush_log_at_trx_commit ${await variable(admin, 'innodb_flush_log_at_trx_commit')}; innodb_change_buffering ${await variable(admin, 'innodb_change_buffering')}; local_infile ${await variable(admin, 'local_infile')}`,
    );
    console.log(
      `machine: ${cpus().length} cores, ${Math.round(totalmem() / 1073741824)} GB RAM, load average ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')} (other work on the machine shares it)`,
    );

    if (o.latencyOnly) {
      await latency();
      return;
    }
    const agents = await prepareDatabase();
    const csv = join(WORK, `records-${o.rows}.csv`);
    if (!existsSync(csv)) {
      const t0 = process.hrtime.bigint();
      await generateCsv(csv, o.rows, agents);
      console.log(`generated ${fmt(o.rows)} records (${Math.round(statSync(csv).size / 1048576)} MB) in ${f1(ms(t0) / 1000)} s: ${csv}`);
    }

    console.log(`\n1. import (npm run import:registrations, batches of ${o.batchSize ?? DEFAULT_BATCH_SIZE}):`);
    const io0 = await pageCounters(admin);
    const imp = await runImport(csv, o.batchSize);
    const io1 = await pageCounters(admin);
    const s = imp.summary;
    const importRate = s.rows / s.seconds;
    console.log(
      `  ${fmt(s.inserted)} inserted, ${fmt(s.rejected)} rejected, in ${f1(s.seconds)} s = ${fmt(Math.round(importRate))} rows/s ` +
        `(process wall time ${f1(imp.wallMs / 1000)} s with start-up = ${fmt(Math.round(s.rows / (imp.wallMs / 1000)))} rows/s); peak RSS ${s.peakRssMb} MB`,
    );
    console.log(`  ${pagesPerRow(io0, io1, s.rows)}`);

    const c = await connect();
    const tsv = join(WORK, 'registrations.tsv');
    const exported = await exportRows(c, tsv);
    await c.end();
    console.log(`\n2. raw LOAD DATA LOCAL INFILE of the same ${fmt(exported)} rows (${Math.round(statSync(tsv).size / 1048576)} MB) into the emptied table:`);
    const io2 = await pageCounters(admin);
    const load = await loadData(tsv);
    const io3 = await pageCounters(admin);
    const loadRate = load.rows / (load.ms / 1000);
    console.log(`  ${fmt(load.rows)} rows in ${f1(load.ms / 1000)} s = ${fmt(Math.round(loadRate))} rows/s`);
    console.log(`  ${pagesPerRow(io2, io3, load.rows)}`);
    console.log(`\nimport / LOAD DATA = ${(importRate / loadRate).toFixed(2)} (issue 25 target >= 0.70); peak RSS ${s.peakRssMb} MB (needs < 300)`);

    if (!o.noLatency) await latency();
  } finally {
    if (o.poolMb) {
      await admin.query(`SET GLOBAL innodb_buffer_pool_size = ${originalPool}`);
      console.log(`\ninnodb_buffer_pool_size set back to ${originalPool / 1048576} MB`);
    }
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
