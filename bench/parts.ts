/**
 * `npm run bench:parts`: 32 concurrent clients issuing the same part from the centre through the
 * GraphQL API (createApp on MariaDB, database `bench_parts`), beside the same loop as hand-written
 * SQL over mysql2 (the ceiling: the same rows written, none of the HTTP, GraphQL or ORM).
 *
 *   throughput: each client issues 1 unit of one hot part to one of 8 partners, with a fresh
 *               idempotency key, as fast as answers come, for BENCH_SECONDS -> issues/s, p50/p99;
 *               the two sides in BENCH_SLICES (5) alternating slices, so a drift of the machine's
 *               speed falls on both alike
 *   drain:      the same clients against a part with exactly BENCH_DRAIN units, until every client
 *               is refused -> exactly BENCH_DRAIN issued, nothing below zero (zero oversell)
 *   ledger:     checkLedgers() over the whole database after each path (what check:ledger runs)
 *
 * The API is the compiled server (`npm run build` first) in a process of its own, started as `npm
 * start` starts it, in production mode: the load generator's HTTP client (this process) is not
 * charged to the server, as it is not in a deployment. Until 2026-12-02 the app ran inside this
 * process beside its 32 clients, whose `fetch` alone was a sixth of that process's CPU
 * (BENCH_PARTS_IN_PROCESS=1 measures that way still). The SQL loop runs here, as the client it is.
 * The database is set up (migrations, demo users) by an app in this process, which then only checks.
 *
 * Environment: BENCH_MYSQL_URL (server, default mysql://root@127.0.0.1:3306/test), BENCH_CLIENTS
 * (32), BENCH_SECONDS (15), BENCH_WARMUP (3, unmeasured), BENCH_DRAIN (2000), DB_POOL_SIZE (the
 * app's pool, default 20), BENCH_SERVER_NODE_FLAGS (added to the server's node flags: --cpu-prof),
 * BENCH_BUILD (the server's build directory, default dist), BENCH_SLICES (5; 1: the API's loop whole, then the SQL loop's), BENCH_SQL_FUSED=1 (the SQL loop in issueParts's MySQL order since 2026-12-02 instead of the order
 * the target was set against). Exits 1 on any oversell or ledger failure. Each throughput loop also
 * reports the CPU an issue of the server, of mariadbd and of this process (from /proc).
 */
import 'reflect-metadata';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import mysql from 'mysql2/promise';
import { createApp, App } from '../src/app';
import { loadConfig } from '../src/config';
import { checkLedgers } from '../src/modules/parts/ledger-check';
import { recreateDatabase } from '../scripts/mysql-admin';
import { startFlags, startServer } from './http-common';
import { cpuTicks, mariadbdPid } from './proc-cpu';

const BASE = process.env.BENCH_MYSQL_URL || 'mysql://root@127.0.0.1:3306/test';
const DB = 'bench_parts';
const CLIENTS = Number(process.env.BENCH_CLIENTS || 32);
const SECONDS = Number(process.env.BENCH_SECONDS || 15);
const DRAIN = Number(process.env.BENCH_DRAIN || 2000);
const WARMUP = Number(process.env.BENCH_WARMUP || 3);
const PARTNERS = 8;
const UNIT_COST = 4_500;
const HOT_STOCK = 1_000_000;
const IN_PROCESS = process.env.BENCH_PARTS_IN_PROCESS === '1';
const POOL = process.env.DB_POOL_SIZE || '20';
const LIMIT_FEN = 1_000_000_000_000; // the throughput runs measure issuing, not the fund running dry
/** BENCH_SQL_FUSED=1: the SQL loop in issueParts's MySQL order since 2026-12-02 (shelf, then one statement for the centre and the fund). */
const SQL_FUSED = process.env.BENCH_SQL_FUSED === '1';
/** The throughput loops in this many alternating slices of each side (1: the API's whole, then the SQL loop's). */
const SLICES = Math.max(1, Math.floor(Number(process.env.BENCH_SLICES || 5)));

const dbUrl = (() => {
  const u = new URL(BASE);
  u.pathname = `/${DB}`;
  return u.toString();
})();

function log(msg: string) {
  process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

function pct(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface LoopResult {
  ok: number;
  conflict: number;
  other: number;
  seconds: number;
  latencies: number[];
  firstError?: string;
  /** CPU milliseconds an issue of each watched process (server, mariadbd, this one) over the loop. */
  cpu?: { server: number; mariadbd: number; clients: number };
}

/** The processes whose CPU a throughput loop reports: the measured server (null for the SQL path). */
interface Watched {
  server: number | null;
}

/** CLIENTS loops calling `once` until the clock runs out (or, draining, until each is refused). */
async function runClients(
  once: (client: number) => Promise<'OK' | 'CONFLICT' | string>,
  opts: { seconds?: number; untilRefused?: boolean; watch?: Watched },
): Promise<LoopResult> {
  const res: LoopResult = { ok: 0, conflict: 0, other: 0, seconds: 0, latencies: [] };
  const db = mariadbdPid();
  const ticks = () => [cpuTicks(opts.watch?.server ?? null), cpuTicks(db), cpuTicks(process.pid)];
  const before = ticks();
  const started = performance.now();
  const deadline = opts.seconds ? started + opts.seconds * 1000 : Infinity;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const outcome = await once(client);
        res.latencies.push(performance.now() - t0);
        if (outcome === 'OK') res.ok++;
        else if (outcome === 'CONFLICT') {
          res.conflict++;
          if (opts.untilRefused) return;
        } else {
          res.other++;
          res.firstError ??= outcome;
          if (res.other > 100) throw new Error(`too many errors: ${res.firstError}`);
        }
      }
    }),
  );
  res.seconds = (performance.now() - started) / 1000;
  if (opts.watch) {
    // Clock ticks are 10 ms: an issue's share in ms is ticks * 10 / issues.
    const [server, mariadbd, clients] = ticks().map((t, i) => ((t - before[i]) * 10) / Math.max(1, res.ok + res.conflict));
    res.cpu = { server, mariadbd, clients };
  }
  res.latencies.sort((a, b) => a - b);
  return res;
}

// ---------------------------------------------------------------- the API path

async function gql(app: App, token: string | null, query: string, variables: Record<string, unknown> = {}) {
  const r = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await r.json()) as { data?: any; errors?: { message: string; extensions: { code: string } }[] };
}

async function must(app: App, token: string | null, query: string, variables: Record<string, unknown> = {}) {
  const r = await gql(app, token, query, variables);
  if (r.errors) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(r.errors)}`);
  return r.data;
}

const ISSUE = `mutation($i:IssuePartsInput!){ issueParts(input:$i){ id totalFen } }`;
const LOGIN_AFTERSALES = `mutation{ login(username:"aftersales", password:"demo-password"){ token } }`;

/** A new part of UNIT_COST fen with `quantity` received into the centre, through the set-up app: its id. */
function partMaker(app: App, token: string): (sku: string, quantity: number) => Promise<string> {
  let supplierId: string | undefined;
  return async (sku, quantity) => {
    supplierId ??= (await must(app, token, `{ suppliers(first: 1){ edges { node { id } } } }`)).suppliers.edges[0].node.id as string;
    const part = (
      await must(app, token, `mutation($i:CreatePartInput!){ createPart(input:$i){ id } }`, {
        i: { sku, name: `Bench ${sku}`, category: 'SCREEN', unitCostFen: UNIT_COST },
      })
    ).createPart.id as string;
    await must(app, token, `mutation($i:ReceivePurchaseInput!){ receivePurchase(input:$i){ id } }`, {
      i: { supplierId, lines: [{ partId: part, quantity, unitCostFen: UNIT_COST }] },
    });
    return part;
  };
}

/** The GraphQL side: the compiled server started, its partners made, a way to issue through it. */
async function openApi(app: App): Promise<Side> {
  const admin = (await must(app, null, `mutation{ login(username:"admin", password:"demo-password"){ token } }`)).login.token as string;
  const aftersales = (await must(app, null, LOGIN_AFTERSALES)).login.token as string;
  void admin;
  const partners: string[] = [];
  for (let i = 1; i <= PARTNERS; i++) {
    const p = await must(app, aftersales, `mutation($i:CreateRepairPartnerInput!){ createRepairPartner(input:$i){ id } }`, {
      i: { code: `BENCH-${i}`, name: `Bench shop ${i}`, regionCode: 'SHASHI' },
    });
    partners.push(p.createRepairPartner.id);
  }
  const newPart = partMaker(app, aftersales);

  const server = IN_PROCESS ? { url: app.url, pid: process.pid, stop: async () => undefined } : await startApiServer();
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const token = IN_PROCESS ? aftersales : (await post(server.url, agent, null, LOGIN_AFTERSALES)).data.login.token;
  const issueOnce = (partId: string) => async (client: number) => {
    const r = await post(server.url, agent, token, ISSUE, {
      i: { partnerId: partners[client % PARTNERS], lines: [{ partId, quantity: 1 }], idempotencyKey: randomUUID() },
    });
    return r.errors ? (r.errors[0].extensions.code === 'CONFLICT' ? 'CONFLICT' : `${r.errors[0].extensions.code}: ${r.errors[0].message}`) : 'OK';
  };

  return {
    name: 'API',
    partners,
    server: server.pid,
    once: issueOnce,
    newPart,
    close: async () => {
      agent.destroy();
      await server.stop();
    },
  };
}

/** One GraphQL POST over a keep-alive agent (node:http: the load generator's own cost kept small). */
function post(url: string, agent: http.Agent, token: string | null, query: string, variables: Record<string, unknown> = {}): Promise<GqlAnswer> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}/graphql`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as GqlAnswer);
          } catch (err) {
            reject(err);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

type GqlAnswer = { data?: any; errors?: { message: string; extensions: { code: string } }[] };

/** The compiled server, as `npm start` runs it, on bench_parts: the process the API figures measure. */
async function startApiServer(): Promise<{ url: string; pid: number | null; stop: () => Promise<void> }> {
  // BENCH_BUILD: another build's output directory (an A/B against an older commit), else dist.
  const entry = path.join(process.env.BENCH_BUILD || 'dist', 'src/index.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
  // BENCH_SERVER_NODE_FLAGS: more flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  const extra = (process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const { proc, port } = await startServer([...startFlags(), ...extra, entry], '/health', {
    ...serverEnv(),
    LOG_LEVEL: 'warn',
    RUN_MIGRATIONS: 'false',
    SEED: 'none',
  });
  const url = `http://127.0.0.1:${port}`;
  log(`API: the compiled server (pid ${proc.pid}) listens on ${url}`);
  return {
    url,
    pid: proc.pid ?? null,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

/** The environment both the set-up app and the measured server run with. */
function serverEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // As deployed: production turns off what only helps debugging (mysql2's per-statement stack
    // capture, GraphiQL), which the test environment keeps.
    NODE_ENV: 'production',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0002',
    ID_ENCRYPTION_KEYS: `bench1:${Buffer.alloc(32, 7).toString('base64')}`,
    ID_HMAC_KEY: Buffer.alloc(32, 9).toString('base64'),
    DATABASE_URL: dbUrl,
    DB_POOL_SIZE: POOL,
    PARTS_FUND_LIMIT_FEN: String(LIMIT_FEN),
    PARTS_FUND_DEFAULT_CAP_FEN: String(LIMIT_FEN),
    // One user issuing as fast as it can is what the rate limits refuse: off for this measurement.
    RATE_LIMITS: 'false',
  };
}

// ---------------------------------------------------------------- the hand-written SQL path

/**
 * What issueParts writes, as plain statements in one transaction and in its order: price from the
 * centre's cost, write the issue, line, movements, change-log row and fund entry, then the
 * contended rows last (the partner's account, the centre's level taken only at that cost, the
 * shelf, the fund row) so their locks are held briefly.
 */
async function sqlIssue(pool: mysql.Pool, partId: number, partnerId: number, shelf: number, centre: number, limitFen: number): Promise<'OK' | 'CONFLICT'> {
  const c = await pool.getConnection();
  try {
    await c.beginTransaction();
    const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
    const [[level]] = await c.execute<mysql.RowDataPacket[]>(`SELECT unitCostFen FROM stock_level WHERE partId = ? AND locationId = ?`, [partId, centre]);
    const cost = Number(level.unitCostFen);
    const [ins] = await c.execute<mysql.ResultSetHeader>(
      `INSERT INTO parts_issue (partnerId, locationId, idempotencyKey, totalFen, issuedAt, actorId, actorName) VALUES (?, ?, ?, ?, ?, NULL, 'bench')`,
      [partnerId, shelf, randomUUID(), cost, now],
    );
    const issueId = ins.insertId;
    await c.execute(
      `INSERT INTO parts_document_line (documentType, documentId, partId, quantity, unitCostFen, amountFen) VALUES ('PARTS_ISSUE', ?, ?, 1, ?, ?)`,
      [issueId, partId, cost, cost],
    );
    await c.execute(
      `INSERT INTO stock_movement (partId, locationId, kind, quantity, unitCostFen, documentType, documentId, reason, actorId, actorName, at)
       VALUES (?, ?, 'ISSUE', -1, ?, 'PARTS_ISSUE', ?, NULL, NULL, 'bench', ?), (?, ?, 'ISSUE', 1, ?, 'PARTS_ISSUE', ?, NULL, NULL, 'bench', ?)`,
      [partId, centre, cost, issueId, now, partId, shelf, cost, issueId, now],
    );
    await c.execute(
      `INSERT INTO change_log (at, actorId, actorName, action, entityType, entityId, data) VALUES (?, NULL, 'bench', 'issueParts', 'PartsIssue', ?, NULL)`,
      [now, String(issueId)],
    );
    await c.execute(
      `INSERT INTO fund_ledger_entry (partnerId, kind, amountFen, issueId, returnId, reference, note, at, actorId, actorName) VALUES (?, 'DRAW', ?, ?, NULL, NULL, NULL, ?, NULL, 'bench')`,
      [partnerId, cost, issueId, now],
    );
    const [acct] = await c.execute<mysql.ResultSetHeader>(
      `UPDATE fund_account SET drawnFen = drawnFen + ?, outstandingFen = outstandingFen + ?, updatedAt = ? WHERE partnerId = ? AND (capFen IS NULL OR outstandingFen + ? <= capFen)`,
      [cost, cost, now, partnerId, cost],
    );
    if (acct.affectedRows === 0) {
      await c.rollback();
      return 'CONFLICT';
    }
    const shelfPut = () =>
      c.execute(
        `INSERT INTO stock_level (partId, locationId, onHand, unitCostFen, updatedAt) VALUES (?, ?, 1, ?, ?)
       ON DUPLICATE KEY UPDATE unitCostFen = CASE WHEN onHand + VALUES(onHand) <= 0 THEN VALUES(unitCostFen)
         ELSE ROUND((onHand * unitCostFen + VALUES(onHand) * VALUES(unitCostFen)) / (onHand + VALUES(onHand))) END,
         onHand = onHand + VALUES(onHand), updatedAt = VALUES(updatedAt)`,
        [partId, shelf, cost, now],
      );
    if (SQL_FUSED) {
      // issueParts's order on MySQL since 2026-12-02: the shelf, then the centre's level and the
      // fund row in one statement (takeAndDraw).
      await shelfPut();
      const [both] = await c.execute<mysql.ResultSetHeader>(
        `UPDATE stock_level c JOIN parts_fund f ON f.id = 1 SET c.onHand = c.onHand - 1, c.updatedAt = ?, f.outstandingFen = f.outstandingFen + ?, f.updatedAt = ?
          WHERE c.locationId = ? AND c.partId IN (?) AND c.onHand >= 1 AND c.unitCostFen = ? AND f.limitFen IS NOT NULL AND f.outstandingFen + ? <= LEAST(f.limitFen, ?)`,
        [now, cost, now, centre, partId, cost, cost, limitFen],
      );
      if (both.affectedRows !== 2) {
        await c.rollback();
        return 'CONFLICT';
      }
      await c.commit();
      return 'OK';
    }
    const [take] = await c.execute<mysql.ResultSetHeader>(
      `UPDATE stock_level SET onHand = onHand - 1, updatedAt = ? WHERE partId = ? AND locationId = ? AND onHand >= 1 AND unitCostFen = ?`,
      [now, partId, centre, cost],
    );
    if (take.affectedRows === 0) {
      await c.rollback();
      return 'CONFLICT';
    }
    await shelfPut();
    const [fund] = await c.execute<mysql.ResultSetHeader>(
      `UPDATE parts_fund SET outstandingFen = outstandingFen + ?, updatedAt = ? WHERE id = 1 AND outstandingFen + ? <= ?`,
      [cost, now, cost, limitFen],
    );
    if (fund.affectedRows === 0) {
      await c.rollback();
      return 'CONFLICT';
    }
    await c.commit();
    return 'OK';
  } catch (err) {
    await c.rollback().catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

/** The hand-written side: a pool of its own and the same partners. */
async function openSql(app: App, partners: string[], limitFen: number): Promise<Side> {
  const pool = mysql.createPool({ uri: dbUrl, connectionLimit: CLIENTS, supportBigNumbers: true, bigNumberStrings: true });
  try {
    const [[centreRow]] = await pool.query<mysql.RowDataPacket[]>(`SELECT id FROM stock_location WHERE kind = 'CENTRE'`);
    const centre = Number(centreRow.id);
    const shelves = new Map<number, number>();
    for (const p of partners) {
      const [[row]] = await pool.query<mysql.RowDataPacket[]>(`SELECT id FROM stock_location WHERE partnerId = ?`, [Number(p)]);
      shelves.set(Number(p), Number(row.id));
    }
    const aftersales = (await must(app, null, LOGIN_AFTERSALES)).login.token as string;
    const makePart = partMaker(app, aftersales);
    const newPart = async (sku: string, quantity: number) => Number(await makePart(sku, quantity));
    const once = (partId: number) => async (client: number) => {
      const partnerId = Number(partners[client % PARTNERS]);
      for (let attempt = 1; ; attempt++) {
        try {
          return await sqlIssue(pool, partId, partnerId, shelves.get(partnerId)!, centre, limitFen);
        } catch (err) {
          const code = (err as { code?: string }).code;
          if (attempt < 4 && (code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT')) continue;
          return `${code}: ${(err as Error).message}`;
        }
      }
    };
    return {
      name: 'SQL',
      partners,
      server: null,
      once: (partId: string) => once(Number(partId)),
      newPart: async (sku: string, quantity: number) => String(await newPart(sku, quantity)),
      close: () => pool.end(),
    };
  } catch (err) {
    await pool.end();
    throw err;
  }
}

/** One side of the comparison, opened: how to issue a part through it, and how to make one. */
interface Side {
  name: string;
  partners: string[];
  /** The process to charge its server CPU to (null: no server, the SQL loop runs in this one). */
  server: number | null;
  once: (partId: string) => (client: number) => Promise<'OK' | 'CONFLICT' | string>;
  newPart: (sku: string, quantity: number) => Promise<string>;
  close: () => Promise<void>;
}

/** Two loop results of one side as one: counts, seconds and CPU summed, latencies pooled. */
function merge(a: LoopResult, b: LoopResult): LoopResult {
  const issues = (r: LoopResult) => Math.max(1, r.ok + r.conflict);
  const cpu =
    a.cpu && b.cpu
      ? (Object.fromEntries(
          (['server', 'mariadbd', 'clients'] as const).map((k) => [k, (a.cpu![k] * issues(a) + b.cpu![k] * issues(b)) / (issues(a) + issues(b))]),
        ) as LoopResult['cpu'])
      : (a.cpu ?? b.cpu);
  return {
    ok: a.ok + b.ok,
    conflict: a.conflict + b.conflict,
    other: a.other + b.other,
    seconds: a.seconds + b.seconds,
    latencies: [...a.latencies, ...b.latencies].sort((x, y) => x - y),
    firstError: a.firstError ?? b.firstError,
    cpu,
  };
}

/**
 * The hot part's throughput of both sides in BENCH_SLICES alternating slices (API, SQL, API, ...)
 * of BENCH_SECONDS / slices each, after a warm-up of each, so that a drift of this VM's speed
 * (a third, seen in the benches of 2026-12-01/02) falls on both sides alike; then each side's drain.
 */
async function measure(sides: Side[]) {
  const hot = new Map<Side, string>();
  const warmed = new Map<Side, number>();
  for (const side of sides) {
    hot.set(side, await side.newPart(`BENCH-HOT-${side.name}`, HOT_STOCK));
    log(`${side.name}: warming up for ${WARMUP} s`);
    warmed.set(side, (await runClients(side.once(hot.get(side)!), { seconds: WARMUP })).ok);
  }
  const throughput = new Map<Side, LoopResult>();
  for (let slice = 1; slice <= SLICES; slice++) {
    for (const side of sides) {
      log(`${side.name}: ${CLIENTS} clients issuing part ${hot.get(side)} for ${SECONDS / SLICES} s (slice ${slice} of ${SLICES})`);
      const r = await runClients(side.once(hot.get(side)!), { seconds: SECONDS / SLICES, watch: { server: side.server } });
      throughput.set(side, throughput.has(side) ? merge(throughput.get(side)!, r) : r);
    }
  }
  return { hot, warmed, throughput };
}

async function drain(side: Side) {
  const part = await side.newPart(`BENCH-DRAIN-${side.name}`, DRAIN);
  log(`${side.name}: ${CLIENTS} clients draining ${DRAIN} units`);
  return { part, result: await runClients(side.once(part), { untilRefused: true }) };
}

// ---------------------------------------------------------------- checks and report

async function levels(app: App, partId: string): Promise<{ centre: number; shelves: number; negative: number; issued: number }> {
  const [c] = await app.ds.query(
    `SELECT sl.onHand FROM stock_level sl JOIN stock_location l ON l.id = sl.locationId WHERE sl.partId = ? AND l.kind = 'CENTRE'`,
    [Number(partId)],
  );
  const [s] = await app.ds.query(
    `SELECT COALESCE(SUM(sl.onHand), 0) AS n FROM stock_level sl JOIN stock_location l ON l.id = sl.locationId WHERE sl.partId = ? AND l.kind = 'PARTNER'`,
    [Number(partId)],
  );
  const [neg] = await app.ds.query(`SELECT COUNT(*) AS n FROM stock_level WHERE onHand < 0`);
  const [iss] = await app.ds.query(`SELECT COUNT(*) AS n FROM parts_document_line WHERE documentType = 'PARTS_ISSUE' AND partId = ?`, [Number(partId)]);
  return { centre: Number(c.onHand), shelves: Number(s.n), negative: Number(neg.n), issued: Number(iss.n) };
}

function cpuLine(r: LoopResult): string {
  return r.cpu ? [r.cpu.server, r.cpu.mariadbd, r.cpu.clients].map((x) => x.toFixed(2)).join(' / ') : 'not measured';
}

function row(name: string, r: LoopResult): string {
  const rate = r.ok / r.seconds;
  return `| ${name} | ${r.ok} | ${r.conflict} | ${r.other} | ${r.seconds.toFixed(1)} | **${rate.toFixed(0)}** | ${pct(r.latencies, 50).toFixed(1)} | ${pct(r.latencies, 99).toFixed(1)} |`;
}

async function main() {
  const loadBefore = os.loadavg();
  log(`recreating ${DB}`);
  await recreateDatabase(BASE, DB);
  const limitFen = LIMIT_FEN;
  const config = loadConfig({
    ...serverEnv(),
    DATABASE_URL: BASE,
    LOG_LEVEL: 'silent',
    RUN_MIGRATIONS: 'true',
    SEED: 'demo', // the demo users (production seeds none with 'reference')
    PORT: '0',
  });
  const app = await createApp(config, { databaseName: DB });
  const [[version]] = [await app.ds.query('SELECT VERSION() AS v')];
  try {
    const apiSide = await openApi(app);
    const sqlSide = await openSql(app, apiSide.partners, limitFen).catch(async (err) => {
      await apiSide.close();
      throw err;
    });
    let runs: Awaited<ReturnType<typeof measure>>;
    let apiDrained: Awaited<ReturnType<typeof drain>>;
    let sqlDrained: Awaited<ReturnType<typeof drain>>;
    let report: Awaited<ReturnType<typeof checkLedgers>>;
    let apiLedgerOk: boolean;
    try {
      runs = await measure([apiSide, sqlSide]);
      apiDrained = await drain(apiSide);
      report = await checkLedgers(app.ds, { fundLimitFen: limitFen });
      log(`ledger check after the API's drain: ${report.ok ? 'OK' : report.problems.join('; ')}`);
      apiLedgerOk = report.ok;
      sqlDrained = await drain(sqlSide);
    } finally {
      await apiSide.close();
      await sqlSide.close();
    }
    const resultOf = (side: Side, drained: Awaited<ReturnType<typeof drain>>) => ({
      hot: runs.hot.get(side)!,
      warmed: runs.warmed.get(side)!,
      throughput: runs.throughput.get(side)!,
      drainPart: drained.part,
      drain: drained.result,
    });
    const api = resultOf(apiSide, apiDrained);
    const sql = resultOf(sqlSide, sqlDrained);
    const apiHot = await levels(app, api.hot);
    const apiDrain = await levels(app, api.drainPart);
    const sqlHot = await levels(app, sql.hot);
    const sqlDrain = await levels(app, sql.drainPart);
    report = await checkLedgers(app.ds, { fundLimitFen: limitFen });
    log(`ledger check after both: ${report.ok ? 'OK' : report.problems.join('; ')}`);

    const oversell = (drained: { centre: number; shelves: number; negative: number; issued: number }, ok: number) =>
      drained.centre === 0 && drained.negative === 0 && drained.shelves === DRAIN && drained.issued === DRAIN && ok === DRAIN ? 'none' : 'OVERSOLD OR LOST';
    const hotOk = (l: { centre: number; shelves: number; issued: number }, ok: number) => l.centre === HOT_STOCK - ok && l.issued === ok;

    const out = [
      '',
      `### bench:parts — ${new Date().toISOString().slice(0, 16)}Z, ${CLIENTS} clients, ${SECONDS} s, app pool ${POOL}, ${IN_PROCESS ? "app in the clients' process" : 'the compiled server in its own process'}, ${SLICES} alternating slices, SQL loop ${SQL_FUSED ? 'fused (BENCH_SQL_FUSED=1)' : 'as filed'}`,
      '',
      '| path | issued | refused | errors | seconds | issues/s | p50 ms | p99 ms |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      row('GraphQL API (createApp, HTTP)', api.throughput),
      row('hand-written SQL (mysql2)', sql.throughput),
      row(`API drain of ${DRAIN} units`, api.drain),
      row(`SQL drain of ${DRAIN} units`, sql.drain),
      '',
      `- API hot part (after ${api.warmed} warm-up issues): centre ${apiHot.centre} = ${HOT_STOCK} - ${api.warmed + api.throughput.ok} issued: ${hotOk(apiHot, api.warmed + api.throughput.ok) ? 'yes' : 'NO'}; on shelves ${apiHot.shelves}`,
      `- API drain: ${api.drain.ok} issued of ${DRAIN}, centre ${apiDrain.centre}, shelves ${apiDrain.shelves}, levels below zero ${apiDrain.negative}: oversell ${oversell(apiDrain, api.drain.ok)}`,
      `- SQL hot part (after ${sql.warmed} warm-up issues): centre ${sqlHot.centre} = ${HOT_STOCK} - ${sql.warmed + sql.throughput.ok} issued: ${hotOk(sqlHot, sql.warmed + sql.throughput.ok) ? 'yes' : 'NO'}; on shelves ${sqlHot.shelves}`,
      `- SQL drain: ${sql.drain.ok} issued of ${DRAIN}, centre ${sqlDrain.centre}, levels below zero ${sqlDrain.negative}: oversell ${oversell(sqlDrain, sql.drain.ok)}`,
      `- ledger check after the API's drain: ${apiLedgerOk ? 'passed' : 'FAILED'}; after both: ${report.ok ? 'passed' : 'FAILED'} (${report.stats.movements} movements, ${report.stats.entries} fund entries)`,
      `- CPU ms an issue in the throughput loops (server / mariadbd / the clients' process): API ${cpuLine(api.throughput)}; SQL ${cpuLine(sql.throughput)}`,
      `- API / SQL: ${((api.throughput.ok / api.throughput.seconds / (sql.throughput.ok / sql.throughput.seconds)) * 100).toFixed(0)}% of the ceiling`,
      `- machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load average before ${loadBefore.map((x) => x.toFixed(2)).join(' ')}, after ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}; ${version.v}; Node ${process.version}`,
      '',
    ].join('\n');
    process.stdout.write(out);
    const sound =
      apiLedgerOk &&
      report.ok &&
      oversell(apiDrain, api.drain.ok) === 'none' &&
      oversell(sqlDrain, sql.drain.ok) === 'none' &&
      hotOk(apiHot, api.warmed + api.throughput.ok) &&
      hotOk(sqlHot, sql.warmed + sql.throughput.ok);
    if (!sound) process.exitCode = 1;
  } finally {
    await app.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
