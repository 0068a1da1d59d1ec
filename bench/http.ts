/**
 * `npm run bench`: the GraphQL server on MariaDB with a generated data set (10,000 agents,
 * 100,000 then 1,000,000 registrations, 200 partners, 5,000 parts), driven over HTTP with
 * autocannon for the queries each user runs most, beside a minimal hand-written endpoint over
 * mysql2 (bench/raw-server.ts) answering the same in the same run, as the ceiling.
 *
 *   closed loop: N connections as fast as answers come  -> requests/s, p50, p99; the two sides in
 *                alternating slices (BENCH_SLICES, default 5, of BENCH_SECONDS / slices each), so
 *                the machine's own drift in speed falls on both alike (bench/README.md)
 *   open loop:   a fixed offered rate (300/s, evenly spaced; bench/fixed-rate.ts) for the paging
 *                queries -> p50, p99 at that rate, each latency from the request's due time
 *   memory:      the server process's peak RSS (VmHWM)
 *
 * Environment: BENCH_MYSQL_URL (server URL, default mysql://root@127.0.0.1:3306/test),
 * BENCH_SCALES (default "100000,1000000"), BENCH_SECONDS (default 10), BENCH_CONNECTIONS (10),
 * BENCH_RATE (300), BENCH_SLICES (5; 1: each side's closed loop in one piece, GraphQL first). Writes bench/results/http.json and prints a Markdown table.
 */
import 'reflect-metadata';
import { ChildProcess, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import autocannon from 'autocannon';
import mysql from 'mysql2/promise';
import { loadConfig } from '../src/config';
import { createDataSource, resolveFlavor } from '../src/data-source';
import { seedReference } from '../seeds';
import { hashPassword } from '../src/modules/identity/password';
import { IdentityCipher } from '../src/modules/agents/identity-crypto';
import { recreateDatabase } from '../scripts/mysql-admin';
import { fixedRate } from './fixed-rate';
import { cpuTicks, mariadbdPid } from './proc-cpu';
import { AGENTS_PAGE, BENCH_DB, BENCH_POOL, benchDbUrl, benchEnv, RAW_SERVER, REGION_CODES, startFlags, startServer, STOCK, TOTALS } from './http-common';

const BASE = process.env.BENCH_MYSQL_URL || 'mysql://root@127.0.0.1:3306/test';
const DB = BENCH_DB;
const SCALES = (process.env.BENCH_SCALES || '100000,1000000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 10);
const RATE = Number(process.env.BENCH_RATE || 300);
const SLICES = Math.max(1, Math.floor(Number(process.env.BENCH_SLICES || 5)));
const POOL = BENCH_POOL;
const AGENTS = 10_000;
const PARTNERS = 200;
const PARTS = 5_000;
const dbUrl = benchDbUrl(BASE);
/** BENCH_TRACE=1: each phase's CPU use per process, InnoDB's purge history and, at the fixed rate, each second's sends and answers. */
const TRACE = process.env.BENCH_TRACE === '1';
/** Added to the GraphQL server's node flags (e.g. --trace-gc, --cpu-prof). */
const SERVER_FLAGS = (process.env.BENCH_SERVER_NODE_FLAGS || '').split(/\s+/).filter(Boolean);
const env = benchEnv(dbUrl);

function log(msg: string) {
  process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

// ---------------------------------------------------------------- data

async function buildBase(): Promise<void> {
  await recreateDatabase(BASE, DB);
  const config = await resolveFlavor(loadConfig({ ...env, RUN_MIGRATIONS: 'true' }));
  const ds = createDataSource(config);
  await ds.initialize();
  await ds.runMigrations();
  await seedReference(ds, { ...config, seed: 'demo' }); // the bench logs in as the demo staff (production seeds none)
  await ds.destroy();

  const c = await mysql.createConnection({ uri: dbUrl, multipleStatements: false });
  const at = '2024-06-01 00:00:00.000';
  await c.query(
    `INSERT INTO agent (code, name, kind, status, regionId, contactName, contactPhone, commissionPerActivationFen, riskScore, createdAt)
     SELECT CONCAT('BA-', LPAD(seq, 5, '0')), CONCAT('Bench outlet ', seq), ELT(1 + seq % 3, 'DEALER', 'FRANCHISE_HALL', 'OUTLET'),
            'ACTIVE', 1 + seq % 8, CONCAT('Contact ', seq), '0716-8000000', 500, seq % 100, ?
       FROM seq_1_to_${AGENTS}`,
    [at],
  );
  await c.query(
    `INSERT INTO repair_partner (code, name, regionId, address, premisesProvided, monthlyWageSubsidyFen, status, createdAt)
     SELECT CONCAT('BP-', LPAD(seq, 3, '0')), CONCAT('Bench shop ', seq), 1 + seq % 8, 'Bench street', seq % 2, 100000, 'ACTIVE', ?
       FROM seq_1_to_${PARTNERS}`,
    [at],
  );
  await c.query(`INSERT INTO stock_location (kind, partnerId, name) SELECT 'PARTNER', id, CONCAT(name, ' shelf') FROM repair_partner WHERE code LIKE 'BP-%'`);
  await c.query(
    `INSERT INTO part (sku, name, category, reorderPoint, createdAt)
     SELECT CONCAT('BSKU', LPAD(seq, 5, '0')), CONCAT('Bench part ', seq), ELT(1 + seq % 4, 'SCREEN', 'BATTERY', 'KEYPAD', 'HOUSING'), 5, ? FROM seq_1_to_${PARTS}`,
    [at],
  );
  // The centre holds every part; each shelf holds 100 of them.
  await c.query(
    `INSERT INTO stock_level (partId, locationId, onHand, unitCostFen, updatedAt)
     SELECT p.id, l.id, 50, 1000, ? FROM part p JOIN stock_location l ON l.kind = 'CENTRE' WHERE p.sku LIKE 'BSKU%'`,
    [at],
  );
  await c.query(
    `INSERT INTO stock_level (partId, locationId, onHand, unitCostFen, updatedAt)
     SELECT p.id, l.id, 1 + (p.id + l.id) % 9, 1000, ? FROM stock_location l JOIN part p ON p.sku LIKE 'BSKU%' AND (p.id + l.id) % 50 < 1
      WHERE l.partnerId IS NOT NULL`,
    [at],
  );
  await c.query(
    `INSERT INTO subsidy (partnerId, type, period, amountFen, note, wagePeriod, recordedAt)
     SELECT p.id, t.type, CONCAT('2025-', LPAD(m.seq, 2, '0')), 100000 + p.id, NULL,
            IF(t.type = 'WAGE', CONCAT('2025-', LPAD(m.seq, 2, '0')), NULL), ?
       FROM repair_partner p JOIN seq_1_to_12 m JOIN (SELECT 'WAGE' AS type UNION ALL SELECT 'PREMISES' UNION ALL SELECT 'OTHER') t
      WHERE p.code LIKE 'BP-%'`,
    [at],
  );
  const [[partner]] = await c.query<mysql.RowDataPacket[]>(`SELECT id FROM repair_partner WHERE code = 'BP-001'`);
  await c.query(
    `INSERT INTO app_user (username, passwordHash, role, repairPartnerId, agentId, active, createdAt) VALUES ('benchshop', ?, 'REPAIR_PARTNER', ?, NULL, 1, ?)`,
    [await hashPassword('demo-password'), partner.id, at],
  );
  await c.end();
}

/** Registrations from..to (inclusive), set-based, in chunks of 100,000 rows. */
async function addRegistrations(from: number, to: number): Promise<void> {
  const c = await mysql.createConnection({ uri: dbUrl });
  const cipher = IdentityCipher.fromConfig(loadConfig(env));
  const sealed = cipher.encrypt('420102199001011234');
  const [plans] = await c.query<mysql.RowDataPacket[]>('SELECT code FROM tariff_plan ORDER BY id');
  const planList = plans.map((p) => `'${p.code}'`).join(', ');
  for (let a = from; a <= to; a += 100_000) {
    const b = Math.min(to, a + 99_999);
    await c.query(
      `INSERT INTO registration (agentId, msisdn, network, status, openedAt, submittedAt, activatedAt, flags, flagged,
                                 customerName, idType, idCipher, idKeyId, idHash, idMasked, tariffPlanCode, activationSeconds, activeMsisdn)
       SELECT 1 + seq % ${AGENTS}, CONCAT('13', LPAD(seq, 9, '0')), IF(seq % 2, 'CDMA', 'GSM'), 'ACTIVE',
              TIMESTAMPADD(SECOND, seq % 31536000, '2025-01-01 00:00:00'), TIMESTAMPADD(SECOND, seq % 31536000 + 600, '2025-01-01 00:00:00'),
              TIMESTAMPADD(SECOND, seq % 31536000 + 1200, '2025-01-01 00:00:00'),
              IF(seq % 20 = 0, 'LATE_ENTRY', ''), seq % 20 = 0, CONCAT('客戶', seq), 'RESIDENT_ID', ?, ?,
              TO_BASE64(UNHEX(SHA2(seq % 400000, 256))), '4201**********1234', ELT(1 + seq % ${plans.length}, ${planList}), 600,
              CONCAT('13', LPAD(seq, 9, '0'))
         FROM seq_${a}_to_${b}`,
      [sealed.idCipher, sealed.idKeyId],
    );
  }
  await c.query('ANALYZE TABLE registration');
  await c.end();
  await settle();
}

/**
 * Waits until InnoDB is quiet after a bulk insert: right after 900,000 inserted rows its page
 * cleaner and purge threads take a share of the two cores for a minute or more, and the first
 * measurements at 1,000,000 showed it (the hand-written endpoint's own p99 at 300/s was three
 * times its settled figure). Quiet: the purge history is short, InnoDB has written less than 256 kB
 * a second and (when the server runs on this machine) mariadbd has used under 5 % of a core, for
 * three seconds in a row. At most three minutes; says how long it took.
 */
async function settle(): Promise<void> {
  const c = await mysql.createConnection({ uri: dbUrl });
  const started = Date.now();
  const status = async () => {
    const [rows] = await c.query<mysql.RowDataPacket[]>(`SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_data_written', 'Innodb_history_list_length')`);
    const v = Object.fromEntries(rows.map((r) => [r.Variable_name, Number(r.Value)]));
    return { written: v.Innodb_data_written, history: v.Innodb_history_list_length };
  };
  // mariadbd's CPU time in clock ticks (100 a second), when it runs here.
  const pid = mariadbdPid();
  const ticks = () => cpuTicks(pid);
  let last = await status();
  let lastTicks = ticks();
  let quiet = 0;
  while (quiet < 3 && Date.now() - started < 180_000) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = await status();
    const nowTicks = ticks();
    quiet = now.written - last.written < 256 * 1024 && now.history < 1000 && nowTicks - lastTicks < 5 ? quiet + 1 : 0;
    last = now;
    lastTicks = nowTicks;
  }
  await c.end();
  log(`InnoDB quiet after ${Math.round((Date.now() - started) / 1000)} s (purge history ${last.history})`);
}

// ---------------------------------------------------------------- processes

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)![1]) / 1024);
}

function stop(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    proc.removeAllListeners('exit');
    proc.on('exit', () => resolve());
    proc.kill('SIGTERM');
  });
}

// ---------------------------------------------------------------- trace

/** Per second and per phase: CPU % of the GraphQL server, the raw endpoint, mariadbd and this process; InnoDB history. */
class Tracer {
  private timer?: NodeJS.Timeout;
  private name = 'idle';
  progress = { sent: 0, settled: 0 };
  private db?: mysql.Connection;
  private mariadb: number | null = null;
  constructor(private pids: { gql: number; raw: number }) {}
  private snap() {
    const self = process.cpuUsage();
    // The machine: busy and stolen ticks of all CPUs (`cpu` line of /proc/stat).
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
    const busy = cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6];
    return {
      t: performance.now(),
      gql: cpuTicks(this.pids.gql),
      raw: cpuTicks(this.pids.raw),
      db: cpuTicks(this.mariadb),
      self: (self.user + self.system) / 10_000,
      busy,
      steal: cpu[7],
    };
  }
  private async history(): Promise<number> {
    const [rows] = await this.db!.query<mysql.RowDataPacket[]>(`SHOW GLOBAL STATUS LIKE 'Innodb_history_list_length'`);
    return Number(rows[0]?.Value);
  }
  private pct(a: ReturnType<Tracer['snap']>, b: ReturnType<Tracer['snap']>) {
    const s = (b.t - a.t) / 1000;
    const f = (k: 'gql' | 'raw' | 'db' | 'self' | 'busy' | 'steal') => Math.round((b[k] - a[k]) / s);
    const others = f('busy') - f('gql') - f('raw') - f('db') - f('self');
    return `gql ${f('gql')}% raw ${f('raw')}% mariadbd ${f('db')}% bench ${f('self')}% others ${others}% steal ${f('steal')}%`;
  }
  async start() {
    if (!TRACE) return;
    this.db = await mysql.createConnection({ uri: dbUrl });
    this.mariadb = mariadbdPid();
  }
  async phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
    if (!TRACE) return fn();
    this.name = name;
    this.progress = { sent: 0, settled: 0 };
    const h0 = await this.history();
    const first = this.snap();
    let last = first;
    let lastProgress = { ...this.progress };
    this.timer = setInterval(() => {
      const now = this.snap();
      const p = this.progress;
      const rate = p.sent ? ` sent ${p.sent - lastProgress.sent} answered ${p.settled - lastProgress.settled} in flight ${p.sent - p.settled}` : '';
      log(`  trace ${this.name} ${this.pct(last, now)}${rate}`);
      last = now;
      lastProgress = { ...p };
    }, 1000);
    try {
      return await fn();
    } finally {
      clearInterval(this.timer);
      log(`trace ${name}: ${this.pct(first, this.snap())}; purge history ${h0} -> ${await this.history()}`);
    }
  }
  async stop() {
    await this.db?.end();
  }
}

// ---------------------------------------------------------------- load

interface Measure {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** The fixed-rate driver's failures by kind (bench/fixed-rate.ts). */
  failures?: Record<string, number>;
}

async function load(opts: autocannon.Options): Promise<Measure> {
  const r = await autocannon({ connections: CONNECTIONS, duration: SECONDS, ...opts });
  return { rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx + r.timeouts };
}

/**
 * Both sides' closed loops in SLICES alternating slices of SECONDS / SLICES, the side that goes
 * first alternating too. Measured one after the other for 10 s each, the same build's ratio moved
 * between 0.62 and 1.04 on this VM, whose speed drifts by a third from one minute to the next (the
 * hand-written endpoint's own CPU per agents page went from 0.70 to 1.14 ms between runs).
 * Requests/s is all requests over all slices' time; p50 the slices' p50s weighted by their
 * requests; p99 the highest slice's (autocannon gives no histogram to merge).
 */
async function closedPair(tracer: Tracer, tag: string, gql: () => autocannon.Options, raw: () => autocannon.Options): Promise<{ gql: Measure; raw: Measure }> {
  const runs: Record<'gql' | 'raw', autocannon.Result[]> = { gql: [], raw: [] };
  const target = { gql, raw };
  for (let s = 0; s < SLICES; s++) {
    for (const side of s % 2 === 0 ? (['gql', 'raw'] as const) : (['raw', 'gql'] as const)) {
      const name = SLICES > 1 ? `${tag} ${side} closed ${s + 1}/${SLICES}` : `${tag} ${side} closed`;
      runs[side].push(await tracer.phase(name, () => autocannon({ connections: CONNECTIONS, duration: SECONDS / SLICES, ...target[side]() })));
    }
  }
  const merge = (rs: autocannon.Result[]): Measure => {
    const requests = rs.reduce((n, r) => n + r.requests.total, 0);
    const seconds = rs.reduce((n, r) => n + r.duration, 0);
    return {
      rps: Math.round(requests / seconds),
      p50: +(rs.reduce((n, r) => n + r.latency.p50 * r.requests.total, 0) / Math.max(requests, 1)).toFixed(1),
      p99: Math.max(...rs.map((r) => r.latency.p99)),
      errors: rs.reduce((n, r) => n + r.errors + r.non2xx + r.timeouts, 0),
    };
  };
  return { gql: merge(runs.gql), raw: merge(runs.raw) };
}

async function gqlPost(port: number, token: string, query: string, variables: Record<string, unknown>) {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

async function login(port: number, username: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `mutation { login(username: "${username}", password: "demo-password") { token } }` }),
  });
  const body = (await res.json()) as { data: { login: { token: string } } };
  return body.data.login.token;
}

function rotating<T>(items: T[]) {
  let i = 0;
  return () => items[i++ % items.length];
}

async function main() {
  const started = Date.now();
  log(`building the server (tsc) and the base data set in ${DB}`);
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
  await buildBase();
  const conn = await mysql.createConnection({ uri: dbUrl });
  const [[bp]] = await conn.query<mysql.RowDataPacket[]>(`SELECT @@innodb_buffer_pool_size AS pool, VERSION() AS version`);
  const [[partner]] = await conn.query<mysql.RowDataPacket[]>(`SELECT id FROM repair_partner WHERE code = 'BP-001'`);
  await conn.end();

  const results: Record<string, unknown>[] = [];
  let loaded = 0;
  for (const scale of SCALES) {
    log(`registrations: ${loaded} -> ${scale}`);
    await addRegistrations(loaded + 1, scale);
    loaded = scale;

    const app = await startServer([...startFlags(), ...SERVER_FLAGS, 'dist/src/index.js'], '/ready', env);
    const raw = await startServer(RAW_SERVER, '/none', { ...env, TS_NODE_TRANSPILE_ONLY: 'true' });
    const staff = await login(app.port, 'staff');
    const finance = await login(app.port, 'finance');
    const shop = await login(app.port, 'benchshop');

    // The two endpoints must answer the same before their speeds are compared.
    const g = await gqlPost(app.port, staff, AGENTS_PAGE, { region: 'SONGZI' });
    const r = (await (await fetch(`http://127.0.0.1:${raw.port}/agents?region=SONGZI`)).json()) as { data: { agents: { edges: { node: { id: string } }[] } } };
    const gIds = (g.data!.agents as { edges: { node: { id: string } }[] }).edges.map((e) => e.node.id);
    if (JSON.stringify(gIds) !== JSON.stringify(r.data.agents.edges.map((e) => e.node.id))) throw new Error('the two endpoints disagree on the agents page');

    const regions = rotating(REGION_CODES);
    const cases: { name: string; gql: () => autocannon.Options; raw: () => autocannon.Options; paging: boolean }[] = [
      {
        name: 'agency staff: agents page with region and latest records',
        paging: true,
        gql: () => ({
          url: `http://127.0.0.1:${app.port}/graphql`,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${staff}` },
          requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ query: AGENTS_PAGE, variables: { region: regions() } }) }) }],
        }),
        raw: () => ({
          url: `http://127.0.0.1:${raw.port}`,
          requests: [{ setupRequest: (req) => ({ ...req, path: `/agents?region=${regions()}` }) }],
        }),
      },
      {
        name: 'repair shop: its shelf with parts',
        paging: true,
        gql: () => ({
          url: `http://127.0.0.1:${app.port}/graphql`,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${shop}` },
          body: JSON.stringify({ query: STOCK, variables: { partnerId: String(partner.id) } }),
        }),
        raw: () => ({ url: `http://127.0.0.1:${raw.port}/stock?partnerId=${partner.id}` }),
      },
      {
        name: 'finance: subsidy totals per partner for a year',
        paging: false,
        gql: () => ({
          url: `http://127.0.0.1:${app.port}/graphql`,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${finance}` },
          body: JSON.stringify({ query: TOTALS }),
        }),
        raw: () => ({ url: `http://127.0.0.1:${raw.port}/totals?from=2025-01&to=2025-12` }),
      },
    ];

    const tracer = new Tracer({ gql: app.proc.pid!, raw: raw.proc.pid! });
    await tracer.start();
    for (const c of cases) {
      const tag = c.name.split(':')[0];
      // A short warm-up so JIT and pools are in their steady state for both.
      await tracer.phase(`${tag} gql warm-up`, () => load({ ...c.gql(), duration: 2 }));
      await tracer.phase(`${tag} raw warm-up`, () => load({ ...c.raw(), duration: 2 }));
      const { gql: gqlClosed, raw: rawClosed } = await closedPair(tracer, tag, c.gql, c.raw);
      const row: Record<string, unknown> = { scale, query: c.name, gqlClosed, rawClosed, ratio: +(gqlClosed.rps / rawClosed.rps).toFixed(2) };
      if (c.paging) {
        row.gqlAtRate = await tracer.phase(`${tag} gql at ${RATE}/s`, () => fixedRate(c.gql(), RATE, SECONDS, { progress: tracer.progress }));
        row.rawAtRate = await tracer.phase(`${tag} raw at ${RATE}/s`, () => fixedRate(c.raw(), RATE, SECONDS, { progress: tracer.progress }));
      }
      results.push(row);
      log(JSON.stringify(row));
    }
    const memory = { scale, serverPeakRssMb: peakRssMb(app.proc.pid!), rawPeakRssMb: peakRssMb(raw.proc.pid!) };
    results.push(memory);
    log(JSON.stringify(memory));
    await tracer.stop();
    await stop(app.proc);
    await stop(raw.proc);
  }

  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    db: bp.version,
    innodbBufferPoolMb: Math.round(Number(bp.pool) / 2 ** 20),
    connections: CONNECTIONS,
    seconds: SECONDS,
    rate: RATE,
    pool: POOL,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/http.json', JSON.stringify({ at: new Date().toISOString(), machine, results }, null, 2));

  const lines = [
    `| registrations | query | GraphQL req/s | raw req/s | ratio | GraphQL p50/p99 ms | raw p50/p99 ms | GraphQL p50/p99 at ${RATE}/s | raw p50/p99 at ${RATE}/s |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results.filter((x) => 'query' in x) as Record<string, any>[]) {
    const failed = (m: Measure) =>
      m.failures && Object.keys(m.failures).length
        ? `: ${Object.entries(m.failures)
            .map(([k, n]) => `${n} ${k}`)
            .join(', ')}`
        : '';
    const at = (m?: Measure) => (m ? `${m.p50} / ${m.p99}${m.errors ? ` (${m.errors} errors${failed(m)})` : ''}` : '—');
    lines.push(
      `| ${r.scale.toLocaleString('en')} | ${r.query} | ${r.gqlClosed.rps} | ${r.rawClosed.rps} | ${r.ratio} | ${r.gqlClosed.p50} / ${r.gqlClosed.p99} | ${r.rawClosed.p50} / ${r.rawClosed.p99} | ${at(r.gqlAtRate)} | ${at(r.rawAtRate)} |`,
    );
  }
  for (const m of results.filter((x) => 'serverPeakRssMb' in x) as Record<string, any>[]) {
    lines.push('', `Server peak RSS at ${m.scale.toLocaleString('en')} registrations: ${m.serverPeakRssMb} MB (raw endpoint: ${m.rawPeakRssMb} MB)`);
  }
  lines.push('', `Machine: ${JSON.stringify(machine)}`, `Took ${Math.round((Date.now() - started) / 1000)} s`);
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
