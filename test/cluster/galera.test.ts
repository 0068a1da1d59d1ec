import { join } from 'node:path';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { DataSource } from 'typeorm';
import type { GqlResult, TestApp } from '../helpers/app';
import { loadConfig, AppConfig } from '../../src/config';
import { createDataSource } from '../../src/data-source';
import { dropDatabase, recreateDatabase } from '../../scripts/mysql-admin';
import { count, createPartner as createPartsPartner, expectLedgersBalance, issue, onHand, stockedPart } from '../api/parts-fixtures';
import { allocatedLoaners, createPartner as createLoanerPartner, DAY, dueIn, openOrder } from '../api/loaner-fixtures';
import { createPartner as createWagePartner, GENERATE } from '../api/subsidies.fixtures';
import { createAgent, freshId, record, SUBMIT } from '../api/registrations.fixtures';
import {
  answers,
  Cluster,
  conflictCounters,
  GALERA_DIR,
  httpTestApp,
  NODE_PORTS,
  nodeStatus,
  nodeUrl,
  outcome,
  ROOT,
  startCluster,
  startServer,
  stopProcess,
  countLog,
} from './cluster';

/**
 * The concurrency invariants on a three-node Galera cluster (scripts/galera-local.sh), with one
 * server process per node and every race's requests dealt round-robin over the three servers: a
 * race is then decided by Galera's certification between nodes, not only by InnoDB's row locks in
 * one. The answers are only OK or the business's CONFLICT (RETRY_LATER, when a transaction ran out
 * of attempts, is sent again, as a client should); never INTERNAL_SERVER_ERROR.
 */
const run = promisify(execFile);
let c: Cluster;
let nodes: TestApp[];
const figures: string[] = [];

beforeAll(async () => {
  c = await startCluster();
  nodes = c.servers.map((s) => s.t);
}, 240_000);

afterAll(async () => {
  if (c) await c.stop();

  console.log(`\n== Galera cluster figures\n${figures.join('\n')}\nanswers by code: ${JSON.stringify(answers)}\n`);
}, 60_000);

/** Send again while the answer is RETRY_LATER (as a client should), up to 5 times; count the resends. */
let resends = 0;
async function withResend(send: () => Promise<GqlResult>): Promise<GqlResult> {
  for (let i = 0; ; i++) {
    const r = await send();
    if (outcome(r) !== 'RETRY_LATER' || i >= 5) return r;
    resends++;
    await new Promise((res) => setTimeout(res, 50 + Math.random() * 200));
  }
}

const retriesLogged = () => c.servers.reduce((n, s) => n + s.logCount('transaction retried'), 0);
const exhaustedLogged = () => c.servers.reduce((n, s) => n + s.logCount('transaction gave up after repeated conflicts'), 0);

/** 60 concurrent issues of one unit against 30 in stock, dealt over `targets`: the figures of one run. */
async function issueRace(targets: TestApp[]): Promise<{ ms: number; codes: string[]; partId: string; partners: { id: string }[] }> {
  const t = targets[0];
  const part = await stockedPart(t, 30, 700);
  const partners = [await createPartsPartner(t), await createPartsPartner(t), await createPartsPartner(t), await createPartsPartner(t)];
  const staff = await t.token('aftersales');
  const started = Date.now();
  const results = await Promise.all(
    Array.from({ length: 60 }, (_, i) => withResend(() => issue(targets[i % targets.length], partners[i % 4].id, [{ partId: part.id, quantity: 1 }], staff))),
  );
  return { ms: Date.now() - started, codes: results.map(outcome), partId: part.id, partners };
}

describe('on a three-node Galera cluster, requests spread over three servers', () => {
  it('the servers run on Galera with causal reads', async () => {
    for (const p of NODE_PORTS) expect((await nodeStatus(p)).wsrep_cluster_size).toBe('3');
    for (const s of c.servers) expect(countLog(s.logPath, 'Galera cluster detected: causal reads on every connection')).toBe(1);
    // configureGalera's pool, as the servers use it: the connection opened at start and those opened later all wait.
    const waits = await Promise.all(Array.from({ length: 6 }, () => nodes[1].app.ds.query('SELECT @@session.wsrep_sync_wait AS w, SLEEP(0.2) AS s')));
    expect(waits.map((r: { w: unknown }[]) => Number(r[0].w))).toEqual([1, 1, 1, 1, 1, 1]);
    // A write through one server is read at once through each of the others.
    const staff = await nodes[0].token('aftersales');
    for (let i = 0; i < 3; i++) {
      const w = nodes[i];
      const r = nodes[(i + 1) % 3];
      const city = `causal-${i}-${Date.now()}`;
      const created = await w.gql(`mutation($i:CreateSupplierInput!){ createSupplier(input:$i){ id name } }`, { i: { name: city, city } }, staff);
      expect(created.errors).toBeUndefined();
      const seen = await r.gql(`query($c:String){ suppliers(filter:{city:$c}){ edges { node { id } } } }`, { c: city }, staff);
      expect(seen.errors).toBeUndefined();
      expect(seen.data.suppliers.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([created.data.createSupplier.id]);
    }
  });

  it('what a causal read costs: primary-key reads on node 2 with wsrep_sync_wait 0 and 1', async () => {
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: NODE_PORTS[1], user: 'root', database: c.database });
    try {
      const per: Record<number, number> = {};
      for (const wait of [0, 1, 0, 1]) {
        await conn.query('SET SESSION wsrep_sync_wait = ?', [wait]);
        const started = process.hrtime.bigint();
        for (let i = 0; i < 300; i++) {
          const [rows] = await conn.query('SELECT id FROM region WHERE id = ?', [1 + (i % 5)]);
          expect(rows).toEqual([{ id: 1 + (i % 5) }]);
        }
        per[wait] = Number(process.hrtime.bigint() - started) / 1e6 / 300; // the second round of each is kept
      }
      figures.push(`primary-key read on node 2, idle cluster: ${per[0].toFixed(3)} ms without causal reads, ${per[1].toFixed(3)} ms with wsrep_sync_wait=1`);
    } finally {
      await conn.end();
    }
  });

  it('60 concurrent issueParts of one unit over 30 in stock: exactly 30 issued, beside a single MariaDB in the same run', async () => {
    const before = await conflictCounters();
    const retriedBefore = retriesLogged();
    const resendsBefore = resends;
    const r = await issueRace(nodes);
    const after = await conflictCounters();
    const retried = retriesLogged() - retriedBefore;

    expect(r.codes.filter((x) => x === 'OK')).toHaveLength(30);
    expect(r.codes.filter((x) => x === 'CONFLICT')).toHaveLength(30);
    // Read through each node: all see the same, final stock.
    for (const t of nodes) expect(await onHand(t, r.partId, { centre: true })).toBe(0);
    let shelves = 0;
    for (const p of r.partners) shelves += await onHand(nodes[1], r.partId, { partnerId: p.id });
    expect(shelves).toBe(30);
    expect(await count(nodes[2], `SELECT COUNT(*) AS n FROM stock_movement WHERE partId = ? AND kind = 'ISSUE' AND quantity < 0`, [Number(r.partId)])).toBe(30);
    expect(await count(nodes[0], `SELECT COUNT(*) AS n FROM stock_level WHERE onHand < 0`)).toBe(0);
    await expectLedgersBalance(nodes[0]);

    // The same race on one MariaDB server (the main one, a database of this run's own), one server process.
    const single = await singleMariaDb();
    let s: { ms: number; codes: string[] };
    try {
      s = await issueRace([single.t]);
    } finally {
      await single.stop();
    }
    expect(s.codes.filter((x) => x === 'OK')).toHaveLength(30);
    figures.push(
      `60 concurrent issues of one unit over 30 in stock:`,
      `  Galera, 3 nodes, 3 servers: ${r.ms} ms (${(60000 / r.ms).toFixed(0)} requests/s); transactions retried ${retried}, ` +
        `certification failures ${after.certFailures - before.certFailures}, brute-force aborts ${after.bfAborts - before.bfAborts}, ` +
        `RETRY_LATER resent ${resends - resendsBefore}`,
      `  single MariaDB, 1 server:    ${s.ms} ms (${(60000 / s.ms).toFixed(0)} requests/s)`,
    );
  });

  it('the fund never goes over its limit: concurrent issues beyond what is available are refused', async () => {
    const finance = await nodes[0].token('finance');
    const fund = (await nodes[1].gql(`{ revolvingFund { limitFen outstandingFen availableFen } }`, {}, finance)).data.revolvingFund;
    // A unit cost such that exactly 14 of 30 fit in what is available.
    const unit = Math.floor(fund.availableFen / 14);
    expect(15 * unit).toBeGreaterThan(fund.availableFen);
    const part = await stockedPart(nodes[0], 30, unit);
    const partners: { id: string }[] = [];
    for (let i = 0; i < 6; i++) partners.push(await createPartsPartner(nodes[i % 3]));
    const staff = await nodes[0].token('aftersales');
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => withResend(() => issue(nodes[i % 3], partners[i % 6].id, [{ partId: part.id, quantity: 1 }], staff))),
    );
    const codes = results.map(outcome);
    expect(codes.filter((x) => x === 'OK')).toHaveLength(14);
    for (const r of results.filter((x) => x.errors)) expect(r.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'FUND_EXHAUSTED' });
    for (const t of nodes) {
      const f = (await t.gql(`{ revolvingFund { limitFen outstandingFen availableFen } }`, {}, finance)).data.revolvingFund;
      expect(f.outstandingFen).toBe(fund.outstandingFen + 14 * unit);
      expect(f.outstandingFen).toBeLessThanOrEqual(f.limitFen);
    }
    await expectLedgersBalance(nodes[2]);
  });

  it('30 concurrent lendLoaner of one phone: one open loan, the rest CONFLICT', async () => {
    const p = await createLoanerPartner(nodes[0]);
    const [loanerId] = await allocatedLoaners(nodes[0], p.id, 1);
    const shop = await nodes[0].userToken('REPAIR_PARTNER', { repairPartnerId: p.id });
    const orders: { id: number }[] = [];
    for (let i = 0; i < 30; i++) orders.push(await openOrder(nodes[i % 3], p.id));
    const LEND = `mutation($i:LendLoanerInput!){ lendLoaner(input:$i){ id loaner { id } } }`;
    const results = await Promise.all(
      orders.map((o, i) =>
        withResend(() => nodes[i % 3].gql(LEND, { i: { loanerId, repairOrderId: String(o.id), depositFen: 20000, dueAt: dueIn(7 * DAY) } }, shop)),
      ),
    );
    const codes = results.map(outcome);
    expect(codes.filter((x) => x === 'OK')).toHaveLength(1);
    expect(codes.filter((x) => x === 'CONFLICT')).toHaveLength(29);
    for (const t of nodes) {
      expect(await count(t, 'SELECT COUNT(*) AS n FROM loaner_loan WHERE loanerId = ?', [Number(loanerId)])).toBe(1);
      expect(await count(t, `SELECT COUNT(*) AS n FROM loaner_event WHERE loanerId = ? AND type = 'LENT'`, [Number(loanerId)])).toBe(1);
    }
  });

  it('concurrent wage generation for one month: one row per partner and month', async () => {
    const tag = Date.now().toString(36).toUpperCase();
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        await createWagePartner(nodes[0], { code: `GW-${tag}-${i}`, name: `Galera wage ${i}`, regionId: 1 + i, monthlyWageSubsidyFen: 10_000 * (i + 1) }),
      );
    }
    const finance = await nodes[0].token('finance');
    const admin = await nodes[0].token('admin');
    const period = '2005-06';
    const runs = await Promise.all(Array.from({ length: 12 }, (_, i) => withResend(() => nodes[i % 3].gql(GENERATE, { p: period }, i % 2 ? admin : finance))));
    for (const r of runs) expect(r.errors).toBeUndefined();
    const created = runs.reduce((n, r) => n + r.data.generateWageSubsidies.created, 0);
    const rows: { partnerId: unknown; n: unknown }[] = await nodes[1].app.ds.query(
      `SELECT partnerId, COUNT(*) AS n FROM subsidy WHERE type = 'WAGE' AND period = ? GROUP BY partnerId`,
      [period],
    );
    expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
    expect(created).toBe(rows.length);
    for (const id of ids) expect(rows.map((r) => Number(r.partnerId))).toContain(id);
  });

  it('agents submitting one identity at once on different nodes: the five-line limit holds across agents', async () => {
    for (let round = 0; round < 6; round++) {
      const id = freshId();
      const agents = [await createAgent(nodes[0]), await createAgent(nodes[0]), await createAgent(nodes[0])];
      const staff = await nodes[0].token('staff');
      const results = await Promise.all(
        agents.map((a, i) =>
          withResend(() => nodes[i].gql(SUBMIT, { a: a.id, r: [record({ idNumber: id }), record({ idNumber: id }), record({ idNumber: id })] }, staff)),
        ),
      );
      for (const r of results) expect(r.errors).toBeUndefined();
      const regs = results.flatMap((r) => r.data.submitRegistrations.results.map((x: { registration: { flags: string[] } }) => x.registration));
      expect(regs).toHaveLength(9);
      expect(regs.filter((g) => g.flags.includes('ID_LINE_LIMIT_EXCEEDED'))).toHaveLength(4);
    }
  });

  it("an activation through a Galera node is written unclaimed, and its month's settlement pays it once", async () => {
    // A read lock on the period would not reach the other nodes, so no claim is made when written
    // there (audits README): the settlement's conditional UPDATE, a certified write, claims it.
    const agent = await createAgent(nodes[0], { commissionPerActivationFen: 1234 });
    const staff = await nodes[1].token('staff');
    const submitted = await withResend(() => nodes[1].gql(SUBMIT, { a: agent.id, r: [record()] }, staff));
    expect(submitted.errors).toBeUndefined();
    const id = submitted.data.submitRegistrations.results[0].registration.id;
    const activated = await withResend(() => nodes[2].gql(`mutation($id: ID!){ activateRegistration(id:$id){ id activatedAt } }`, { id }, staff));
    expect(activated.errors).toBeUndefined();
    const REG = `query($id: ID!){ registration(id:$id){ commissionPeriod } }`;
    expect((await nodes[0].gql(REG, { id }, staff)).data.registration.commissionPeriod).toBeNull();

    const at = new Date(new Date(activated.data.activateRegistration.activatedAt).getTime() + 8 * 3600_000);
    const period = at.toISOString().slice(0, 7);
    const finance = await nodes[0].token('finance');
    const SETTLE = `mutation($p: String!){ settleCommissions(period:$p){ period } }`;
    for (const node of [nodes[0], nodes[2]]) expect((await withResend(() => node.gql(SETTLE, { p: period }, finance))).errors).toBeUndefined();
    const statement = await nodes[1].gql(
      `query($p: String, $a: ID){ commissionStatements(period:$p, agentId:$a, first: 1){ edges { node { activations grossFen } } } }`,
      { p: period, a: agent.id },
      finance,
    );
    expect(statement.data.commissionStatements.edges[0].node).toEqual({ activations: 1, grossFen: 1234 });
    expect((await nodes[1].gql(REG, { id }, staff)).data.registration.commissionPeriod).toBe(period);
  });

  it('check:ledger passes against node 1', async () => {
    // npm run check:ledger's script, compiled (npm run test:cluster builds first): ts-node would
    // spend half a minute of CPU compiling it again on a shared machine.
    const { stdout } = await run(process.execPath, [join(ROOT, 'dist/scripts/check-ledger.js')], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: nodeUrl(NODE_PORTS[0], c.database) },
    });
    expect(stdout).toMatch(/^OK:/m);
  });

  it('a node killed (SIGKILL) in the middle of a stream of mutations: no acknowledged write lost, the other two keep serving', async () => {
    const staff = await nodes[0].token('aftersales');
    const CREATE = `mutation($i:CreateSupplierInput!){ createSupplier(input:$i){ id name } }`;
    const acked: { name: string; id: string; server: number; at: number }[] = [];
    const failures: { server: number; what: string; at: number }[] = [];
    const alive = [true, true, true];
    let running = true;
    let seq = 0;
    const tag = Date.now().toString(36);
    const worker = async (w: number) => {
      let target = w % 3;
      while (running) {
        if (!alive[target]) target = (target + 1) % 3; // what a load balancer does once its health check fails
        const name = `stream ${tag} ${++seq}`;
        try {
          const r = await nodes[target].gql(CREATE, { i: { name, city: 'stream' } }, staff);
          if (r.errors) failures.push({ server: target + 1, what: outcome(r), at: Date.now() });
          else acked.push({ name, id: r.data.createSupplier.id, server: target + 1, at: Date.now() });
        } catch (err) {
          // The server's process died with its node: the request is not acknowledged.
          failures.push({ server: target + 1, what: `transport: ${(err as Error).message}`, at: Date.now() });
          alive[target] = false;
        }
      }
    };
    const workers = Array.from({ length: 6 }, (_, w) => worker(w));
    await new Promise((r) => setTimeout(r, 2000));
    // Node 3 and its server die as a machine would: SIGKILL, no shutdown.
    const pid = Number(readFileSync(join(GALERA_DIR, 'node3', 'mariadbd.pid'), 'utf8').trim());
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    c.servers[2].proc.kill('SIGKILL');
    // The survivors hold their commits until they evict node 3 (evs.suspect_timeout, 5 s), then go on.
    await new Promise((r) => setTimeout(r, 9000));
    running = false;
    await Promise.all(workers);

    const afterKill = acked.filter((a) => a.at > killedAt + 500);
    expect(acked.filter((a) => a.at < killedAt).length).toBeGreaterThan(0);
    expect(afterKill.filter((a) => a.server === 1).length).toBeGreaterThan(0);
    expect(afterKill.filter((a) => a.server === 2).length).toBeGreaterThan(0);
    // No answer was an error: the only failures are requests to the dead server that got no answer.
    expect(failures.filter((f) => !f.what.startsWith('transport'))).toEqual([]);
    for (const f of failures) expect(f.server).toBe(3);
    for (const p of NODE_PORTS.slice(0, 2)) expect((await nodeStatus(p)).wsrep_cluster_size).toBe('2');

    // Every acknowledged write is on both surviving nodes.
    for (const t of nodes.slice(0, 2)) {
      const rows: { name: string }[] = await t.app.ds.query(`SELECT name FROM supplier WHERE name LIKE ?`, [`stream ${tag} %`]);
      const names = new Set(rows.map((r) => r.name));
      expect(acked.filter((a) => !names.has(a.name))).toEqual([]);
    }
    const times = [killedAt, ...acked.map((a) => a.at).filter((at) => at > killedAt)].sort((a, b) => a - b);
    const stall = Math.max(...times.slice(1).map((at, i) => at - times[i]));
    figures.push(
      `kill: ${acked.length} writes acknowledged (${afterKill.length} after node 3 died), ${failures.length} requests to the dead server unanswered; ` +
        `longest pause in acknowledgements after the kill ${stall} ms`,
    );

    // Node 3 comes back (state transfer from the others) and has every acknowledged write.
    const started = Date.now();
    const res = spawnSync(join(ROOT, 'scripts/galera-local.sh'), ['start-node', '3'], { encoding: 'utf8', timeout: 180_000 });
    expect({ status: res.status, output: `${res.stdout}${res.stderr}` }).toMatchObject({ status: 0 });
    figures.push(`node 3 rejoined in ${Date.now() - started} ms`);
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: NODE_PORTS[2], user: 'root', database: c.database });
    try {
      await conn.query('SET SESSION wsrep_sync_wait = 1');
      const [rows] = await conn.query(`SELECT name FROM supplier WHERE name LIKE ?`, [`stream ${tag} %`]);
      const names = new Set((rows as { name: string }[]).map((r) => r.name));
      expect(acked.filter((a) => !names.has(a.name))).toEqual([]);
    } finally {
      await conn.end();
    }
    expect((await nodeStatus(NODE_PORTS[0])).wsrep_cluster_size).toBe('3');
  }, 240_000);

  it('no answer in this run was INTERNAL_SERVER_ERROR', () => {
    figures.push(`transactions retried (all servers' logs): ${retriesLogged()}, gave up: ${exhaustedLogged()}`);
    expect(answers.INTERNAL_SERVER_ERROR ?? 0).toBe(0);
  });
});

/** One server process on the main MariaDB (3306), in a database of its own, for comparison. */
async function singleMariaDb(): Promise<{ t: TestApp; stop: () => Promise<void> }> {
  const base = process.env.CLUSTER_SINGLE_URL || 'mysql://root@127.0.0.1:3306/';
  const database = `${c.database}_single`;
  await recreateDatabase(base, database);
  const url = new URL(base);
  url.pathname = `/${database}`;
  const dbUrl = url.toString();
  const env = { JWT_SECRET: 'x'.repeat(64), RUN_MIGRATIONS: 'true', SEED: 'reference' };
  const s = await startServer(0, dbUrl, env, join(GALERA_DIR, 'servers', c.database));
  const config: AppConfig = loadConfig({ ...process.env, ...env, DATABASE_URL: dbUrl, NODE_ENV: 'test', RUN_MIGRATIONS: 'false', SEED: 'none' });
  const ds: DataSource = createDataSource({ ...config, database: { type: 'mysql', url: dbUrl, flavor: 'mariadb' } });
  await ds.initialize();
  return {
    t: httpTestApp(s.url, ds, config, dbUrl, new Map()),
    stop: async () => {
      await stopProcess(s.proc);
      await ds.destroy();
      await dropDatabase(base, database);
    },
  };
}
