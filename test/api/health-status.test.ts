import type { QueryRunner } from 'typeorm';
import { startTestApp, TestApp } from '../helpers/app';

/**
 * GET /status is an administrator's (401 without or with a bad token, 403 for other roles) and
 * carries the version, uptime, database, migrations, pool and the last minute's requests; /ready
 * fails with the reason while the pool has had no free connection for READY_POOL_STARVED_MS, and
 * recovers when a connection is free again (MariaDB/MySQL: a pool of 2 held by two open
 * transactions); /health stays liveness only.
 */
let t: TestApp;
const pkg = require('../../package.json') as { version: string };

beforeAll(async () => {
  // The pool size is read from the process environment by data-source.ts: 2 for this app only.
  const before = process.env.DB_POOL_SIZE;
  process.env.DB_POOL_SIZE = '2';
  try {
    t = await startTestApp({ readyPoolStarvedMs: 300 });
  } finally {
    if (before === undefined) delete process.env.DB_POOL_SIZE;
    else process.env.DB_POOL_SIZE = before;
  }
});
afterAll(() => t.stop());

describe('GET /status', () => {
  it('refuses no token and a bad one (401) and a non-admin (403), in the GraphQL error shape', async () => {
    const none = await t.http().get('/status');
    expect(none.status).toBe(401);
    expect(none.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const bad = await t.http().get('/status').set('authorization', 'Bearer not.a.token');
    expect(bad.status).toBe(401);
    const staff = await t
      .http()
      .get('/status')
      .set('authorization', `Bearer ${await t.token('staff')}`);
    expect(staff.status).toBe(403);
    expect(staff.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(staff.body.version).toBeUndefined();
  });

  it('refuses an admin whose session ended (the same session check as every request)', async () => {
    const admin = await t.token('admin');
    const made = await t.gql(
      `mutation($i: CreateUserInput!){ createUser(input:$i){ id } }`,
      { i: { username: `status_admin_${process.pid}`, password: 'Test-passphrase-4711', role: 'ADMIN' } },
      admin,
    );
    const id = made.data.createUser.id;
    const login = await t.gql(`mutation($u:String!,$p:String!){ login(username:$u,password:$p){ token } }`, {
      u: `status_admin_${process.pid}`,
      p: 'Test-passphrase-4711',
    });
    const token = login.data.login.token;
    expect((await t.http().get('/status').set('authorization', `Bearer ${token}`)).status).toBe(200);
    await t.gql(`mutation($id: ID!){ logoutEverywhere(userId:$id){ id } }`, { id }, admin);
    expect((await t.http().get('/status').set('authorization', `Bearer ${token}`)).status).toBe(401);
  });

  it('tells an admin the version, uptime, database, migrations, pool and the last minute', async () => {
    const admin = await t.token('admin');
    const first = (await t.http().get('/status').set('authorization', `Bearer ${admin}`)).body;
    // Three refused requests (400: not JSON) in the last minute.
    for (let i = 0; i < 3; i++) {
      const r = await t.http().post('/graphql').set('content-type', 'application/json').send('{not json');
      expect(r.status).toBe(400);
    }
    const res = await t.http().get('/status').set('authorization', `Bearer ${admin}`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const s = res.body;
    expect(s).toMatchObject({ status: 'ok', version: pkg.version, node: process.version });
    expect(s.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(Date.parse(s.startedAt)).toBeLessThanOrEqual(Date.now());
    if (t.isMysql) {
      expect(['mariadb', 'mysql', 'galera']).toContain(s.database.flavor);
      expect(s.database.serverVersion).toMatch(/^\d+\.\d+/);
      const rows: { name: string }[] = await t.app.ds.query('SELECT name FROM migrations ORDER BY timestamp, id');
      expect(s.migrations).toEqual({ schema: 'migrations', applied: rows.length, last: rows[rows.length - 1].name, pending: 0 });
      expect(s.pool).toMatchObject({ limit: 2, waiting: 0, starvedForMs: 0 });
    } else {
      expect(s.database).toEqual({ flavor: 'sqlite', serverVersion: expect.stringMatching(/^3\./) });
      expect(s.migrations).toEqual({ schema: 'synchronize' });
      expect(s.pool).toEqual({ limit: 1, open: 1, inUse: 0, idle: 1, waiting: 0, starvedForMs: 0 });
    }
    expect(s.lastMinute.requests - first.lastMinute.requests).toBeGreaterThanOrEqual(3);
    expect(s.lastMinute.clientErrors - first.lastMinute.clientErrors).toBeGreaterThanOrEqual(3);
    expect(s.lastMinute.errorRate).toBeGreaterThanOrEqual(0);
    expect(s.lastMinute.errorRate).toBeLessThanOrEqual(1);
  });
});

/** Polls /ready until `until` holds (each poll answers at once or within its own 2 s timeout). */
async function readyUntil(until: (r: { status: number; body: any }) => boolean, deadlineMs = 15_000) {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const r = await t.http().get('/ready');
    if (until(r) || Date.now() > end) return r;
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

describe('/ready and /health', () => {
  it('/ready is 200 with a free pool, and /health says ok', async () => {
    expect((await t.http().get('/ready')).body).toEqual({ status: 'ready' });
    expect((await t.http().get('/health')).body).toEqual({ status: 'ok' });
  });

  it('/ready is 503 "pool starved" while every pool connection is held, and 200 again once one is free', async () => {
    if (!t.isMysql) {
      // SQLite runs on one synchronous connection that is never seen busy: PoolWatch's logic is
      // tested with fake figures in test/unit/operating-signals.test.ts.
      expect((await t.http().get('/ready')).status).toBe(200);
      return;
    }
    const held: QueryRunner[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const qr = t.app.ds.createQueryRunner();
        await qr.connect();
        await qr.startTransaction();
        await qr.query('SELECT 1');
        held.push(qr);
      }
      const starved = await readyUntil((r) => r.body.reason === 'pool starved');
      expect(starved.status).toBe(503);
      expect(starved.body).toMatchObject({ status: 'not ready', reason: 'pool starved' });
      expect(starved.body.starvedForMs).toBeGreaterThanOrEqual(300);
      // Liveness is not readiness: the process is alive.
      expect((await t.http().get('/health')).status).toBe(200);
    } finally {
      for (const qr of held) {
        await qr.rollbackTransaction();
        await qr.release();
      }
    }
    const back = await readyUntil((r) => r.status === 200);
    expect(back.body).toEqual({ status: 'ready' });
  });
});
