import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp, App } from '../../src/app';
import { startTestApp, TestApp, USER_PASSWORD } from '../helpers/app';

/**
 * Revocation across replicas (issue 18): two app instances on one database. A change made through
 * instance A must end the user's token on instance B, which has just served that token (and so
 * holds what it read about the user), within 5 seconds. MariaDB: a second createApp on the same
 * database name; SQLite: both on one database file.
 */
let a: TestApp;
let b: App;
let dir: string | undefined;
let admin: string;

beforeAll(async () => {
  if (!process.env.TEST_DATABASE_URL) dir = mkdtempSync(join(tmpdir(), 'revocation-'));
  a = await startTestApp(dir ? { database: { type: 'sqlite', path: join(dir, 'shared.sqlite') } } : {});
  b = await createApp(a.config, { databaseName: a.databaseName });
  admin = await a.token('admin');
});
afterAll(async () => {
  await b?.stop();
  await a?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const LOGIN = `mutation($u:String!,$p:String!){ login(username:$u,password:$p){ token } }`;
const ME = `{ me { username } }`;
/** Polled on B: a query that reads nothing about the user, so only the session check can refuse it (me also reads the user row). */
const PROBE = `{ regions { code } }`;

async function onB(token: string): Promise<{ ok: boolean; code?: string }> {
  const res = await request(b.server).post('/graphql').set('content-type', 'application/json').set('authorization', `Bearer ${token}`).send({ query: PROBE });
  return res.body?.data?.regions ? { ok: true } : { ok: false, code: res.body?.errors?.[0]?.extensions?.code };
}

let seq = 0;
async function userOnB(role = 'AFTERSALES_STAFF', extra: Record<string, unknown> = {}) {
  const username = `rev_${++seq}_${Date.now().toString(36)}`;
  const created = await a.gql(
    `mutation($i: CreateUserInput!){ createUser(input:$i){ id } }`,
    { i: { username, password: USER_PASSWORD, role, ...extra } },
    admin,
  );
  if (!created.data?.createUser) throw new Error(JSON.stringify(created.errors));
  const login = await request(b.server)
    .post('/graphql')
    .set('content-type', 'application/json')
    .send({ query: LOGIN, variables: { u: username, p: USER_PASSWORD } });
  const token: string = login.body.data.login.token;
  expect(await onB(token)).toEqual({ ok: true }); // B has read this user's state now
  return { id: created.data.createUser.id as string, username, token };
}

/** Polls B every 100 ms until the token is refused; returns how long that took after the change. */
async function refusedWithin(token: string, changedAt: number): Promise<number> {
  for (;;) {
    const r = await onB(token);
    const elapsed = Date.now() - changedAt;
    if (!r.ok) {
      expect(r.code).toBe('UNAUTHENTICATED');
      return elapsed;
    }
    if (elapsed > 6000) throw new Error(`token still accepted on the other instance ${elapsed} ms after the change`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

const partnerIds: string[] = [];
beforeAll(async () => {
  for (const code of ['RP-RV1', 'RP-RV2']) {
    const res = await a.gql(
      `mutation($c: String!) { createRepairPartner(input: { code: $c, name: "Revocation shop", regionCode: "SONGZI", premisesProvided: false, monthlyWageSubsidyFen: 0 }) { id } }`,
      { c: code },
      admin,
    );
    partnerIds.push(res.data.createRepairPartner.id);
  }
});

// Every row has all three values: jest takes a test function with more parameters than its row for one wanting `done`.
const CAUSES: [string, (u: { id: string; token: string }) => Promise<unknown>, string][] = [
  ['disabled', (u) => a.gql(`mutation($id: ID!){ updateUser(id:$id, input:{ active: false }){ id } }`, { id: u.id }, admin), 'AFTERSALES_STAFF'],
  ['role changed', (u) => a.gql(`mutation($id: ID!){ updateUser(id:$id, input:{ role: FINANCE }){ id } }`, { id: u.id }, admin), 'AFTERSALES_STAFF'],
  [
    'binding changed',
    (u) => a.gql(`mutation($id: ID!, $p: ID!){ updateUser(id:$id, input:{ repairPartnerId: $p }){ id } }`, { id: u.id, p: partnerIds[1] }, admin),
    'REPAIR_PARTNER',
  ],
  ['password reset', (u) => a.gql(`mutation($id: ID!){ resetPassword(userId:$id){ temporaryPassword } }`, { id: u.id }, admin), 'AFTERSALES_STAFF'],
  [
    'password changed',
    (u) => a.gql(`mutation { changePassword(currentPassword: "${USER_PASSWORD}", newPassword: "Changed-passphrase-9") { token } }`, {}, u.token),
    'AFTERSALES_STAFF',
  ],
  ['logged out everywhere', (u) => a.gql(`mutation($id: ID!){ logoutEverywhere(userId:$id){ id } }`, { id: u.id }, admin), 'AFTERSALES_STAFF'],
];

/**
 * Each cause waits out B's recheck window (SESSION_RECHECK_MS, 2 s by default), so the causes run
 * side by side, each with a user of its own, and each test reads its own outcome: the suite waits
 * one window instead of seven. The users are made and logged in on B one after the other first
 * (two SQLite connections on one file do not write at the same time); then the changes, all made
 * through A, and the polls of B run together.
 */
const DIRECT = 'a change made directly in the database (no API) ends the token too';
type Change = (u: { id: string; token: string }) => Promise<unknown>;
const outcomes = new Map<string, Promise<{ errors?: unknown; ms: number }>>();
beforeAll(async () => {
  const runs: [string, Change, string][] = [
    ...CAUSES,
    [DIRECT, (u) => a.app.ds.query(`UPDATE app_user SET active = ? WHERE id = ?`, [false, Number(u.id)]), 'AFTERSALES_STAFF'],
  ];
  const users: { id: string; token: string }[] = [];
  for (const [, , role] of runs) users.push(role === 'REPAIR_PARTNER' ? await userOnB(role, { repairPartnerId: partnerIds[0] }) : await userOnB());
  runs.forEach(([cause, change], i) => {
    const run = async () => {
      const changedAt = Date.now();
      const res = (await change(users[i])) as { errors?: unknown } | undefined;
      return { errors: res?.errors, ms: await refusedWithin(users[i].token, changedAt) };
    };
    const outcome = run();
    outcome.catch(() => undefined); // each test awaits its own; none is left unhandled meanwhile
    outcomes.set(cause, outcome);
  });
});

describe('a token ends on the other instance within 5 s', () => {
  it.each(CAUSES)('%s', async (cause) => {
    const { errors, ms } = await outcomes.get(cause)!;
    expect(errors).toBeUndefined();
    expect(ms).toBeLessThanOrEqual(5000);
  });

  it(DIRECT, async () => {
    expect((await outcomes.get(DIRECT)!).ms).toBeLessThanOrEqual(5000);
  });

  it('the instance that made the change refuses at once', async () => {
    const u = await userOnB();
    await a.gql(`{ me { username } }`, {}, u.token); // A reads the user's state as well
    await a.gql(`mutation($id: ID!){ logoutEverywhere(userId:$id){ id } }`, { id: u.id }, admin);
    expect((await a.gql(ME, {}, u.token)).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });
});
