import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';
import { THROTTLE } from '../../src/modules/identity/login-throttle';
import { PASSWORD, startTestApp, TestApp, USER_PASSWORD } from '../helpers/app';
import { createAgent, freshId, record as registrationRecord, submitOk } from './registrations.fixtures';
import { createPartner, parseCsv, record as recordSubsidy } from './subsidies.fixtures';

/**
 * The security log (src/common/security-events.ts): each event written once to the `security`
 * stream with its request id and fields, and never a password or a full identity number. The
 * app's log is captured at info; requests carry their own x-request-id so each line can be found
 * by the request that caused it. TRUST_PROXY=loopback lets a request say its address in
 * X-Forwarded-For, so that "a new address" can be made at will.
 */
let t: TestApp;
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(String(chunk));
    done();
  },
});
const dir = mkdtempSync(join(tmpdir(), 'security-log-'));
const securityFile = join(dir, 'security.log');
let seq = 0;

type Line = Record<string, any>;
const parsed = (): Line[] =>
  lines.flatMap((l) =>
    l
      .split('\n')
      .filter(Boolean)
      .map((x) => JSON.parse(x) as Line),
  );
const security = (): Line[] => parsed().filter((l) => l.stream === 'security');
/** The security lines one request wrote. */
const byRequest = (rid: string) => security().filter((l) => l.requestId === rid);

const rid = () => `sec-${process.pid}-${++seq}`;

async function gql(query: string, variables: Record<string, unknown>, opts: { token?: string; from?: string; requestId?: string } = {}) {
  const requestId = opts.requestId ?? rid();
  const req = t.http().post('/graphql').set('content-type', 'application/json').set('x-request-id', requestId);
  if (opts.token) req.set('authorization', `Bearer ${opts.token}`);
  if (opts.from) req.set('x-forwarded-for', opts.from);
  const res = await req.send({ query, variables });
  return { requestId, body: res.body };
}

const LOGIN = `mutation($u:String!,$p:String!){ login(username:$u,password:$p){ token } }`;
const CREATE = `mutation($i: CreateUserInput!){ createUser(input:$i){ id } }`;
const UPDATE = `mutation($id: ID!, $i: UpdateUserInput!){ updateUser(id:$id, input:$i){ id role active } }`;

let userNo = 0;
async function newUser(role = 'AGENCY_STAFF'): Promise<{ id: string; username: string }> {
  const username = `sec_${process.pid}_${++userNo}`;
  const res = await gql(CREATE, { i: { username, password: USER_PASSWORD, role } }, { token: await t.token('admin') });
  expect(res.body.errors).toBeUndefined();
  return { id: res.body.data.createUser.id, username };
}

async function loginAs(username: string, password = USER_PASSWORD, from?: string) {
  const res = await gql(LOGIN, { u: username, p: password }, { from });
  return { ...res, token: res.body.data?.login?.token as string | undefined };
}

/** The one line of `event` that request `requestId` wrote (fails when none or several). */
function one(requestId: string, event: string): Line {
  const found = byRequest(requestId).filter((l) => l.event === event);
  expect(found).toHaveLength(1);
  return found[0];
}

beforeAll(async () => {
  t = await startTestApp({ trustProxy: ['loopback'], securityLog: securityFile }, { logger: createLogger('info', undefined, sink) });
});
afterAll(async () => {
  await t.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('logins', () => {
  it('a wrong password and an unknown name are login.failed (warn) with the name, address, reason and request id', async () => {
    const u = await newUser();
    const wrong = await loginAs(u.username, 'Not-The-Password-123', '198.51.100.10');
    expect(wrong.token).toBeUndefined();
    const line = one(wrong.requestId, 'login.failed');
    expect(line).toMatchObject({ level: 40, username: u.username, userId: Number(u.id), address: '198.51.100.10', reason: 'wrongPassword' });
    expect(byRequest(wrong.requestId)).toHaveLength(1);

    const unknown = await loginAs(`nobody_${process.pid}`, 'Whatever-Pass-999', '198.51.100.10');
    expect(one(unknown.requestId, 'login.failed')).toMatchObject({ username: `nobody_${process.pid}`, reason: 'unknownUser' });
    expect(one(unknown.requestId, 'login.failed').userId).toBeUndefined();
  });

  it('a success from an address new for the user is login.newAddress (info); from a known one, nothing', async () => {
    const u = await newUser();
    const first = await loginAs(u.username, USER_PASSWORD, '203.0.113.20');
    expect(first.token).toBeTruthy();
    expect(one(first.requestId, 'login.newAddress')).toMatchObject({ level: 30, username: u.username, userId: Number(u.id), address: '203.0.113.20' });

    const again = await loginAs(u.username, USER_PASSWORD, '203.0.113.20');
    expect(again.token).toBeTruthy();
    expect(byRequest(again.requestId)).toHaveLength(0);

    const elsewhere = await loginAs(u.username, USER_PASSWORD, '203.0.113.21');
    expect(one(elsewhere.requestId, 'login.newAddress')).toMatchObject({ address: '203.0.113.21' });
  });

  it('a login refused by the throttle is login.locked (warn)', async () => {
    const u = await newUser();
    const from = '198.51.100.30';
    for (let i = 0; i < THROTTLE.perUserAddress; i++) {
      const r = await loginAs(u.username, `Wrong-Guess-${i}-xyz`, from);
      expect(one(r.requestId, 'login.failed').address).toBe(from);
    }
    const locked = await loginAs(u.username, USER_PASSWORD, from);
    expect(locked.body.errors[0].extensions.code).toBe('TOO_MANY_REQUESTS');
    expect(one(locked.requestId, 'login.locked')).toMatchObject({ level: 40, username: u.username, userId: Number(u.id), address: from });
    expect(byRequest(locked.requestId)).toHaveLength(1);
  });
});

describe('account changes and refused tokens', () => {
  it('createUser, role change, disable, enable, binding-free changes: one account.* line each, naming the actor', async () => {
    const admin = await t.token('admin');
    const username = `sec_acc_${process.pid}`;
    const created = await gql(CREATE, { i: { username, password: USER_PASSWORD, role: 'AGENCY_STAFF' } }, { token: admin });
    const id = created.body.data.createUser.id;
    expect(one(created.requestId, 'account.created')).toMatchObject({
      userId: Number(id),
      username,
      actorUsername: 'admin',
      details: { role: 'AGENCY_STAFF' },
    });

    const promoted = await gql(UPDATE, { id, i: { role: 'AUDITOR' } }, { token: admin });
    expect(promoted.body.errors).toBeUndefined();
    expect(one(promoted.requestId, 'account.roleChanged')).toMatchObject({
      level: 40,
      userId: Number(id),
      username,
      details: { from: 'AGENCY_STAFF', to: 'AUDITOR' },
    });
    expect(byRequest(promoted.requestId)).toHaveLength(1);

    const disabled = await gql(UPDATE, { id, i: { active: false } }, { token: admin });
    expect(one(disabled.requestId, 'account.disabled')).toMatchObject({ userId: Number(id), actorUsername: 'admin' });
    const enabled = await gql(UPDATE, { id, i: { active: true } }, { token: admin });
    expect(one(enabled.requestId, 'account.enabled')).toMatchObject({ userId: Number(id) });

    // A display name is no security event.
    const renamed = await gql(UPDATE, { id, i: { displayName: 'Renamed' } }, { token: admin });
    expect(renamed.body.errors).toBeUndefined();
    expect(byRequest(renamed.requestId)).toHaveLength(0);
  });

  it('a refused change (demoting the last admin) says nothing', async () => {
    const admin = await t.token('admin');
    const rows: { id: number }[] = await t.app.ds.query(`SELECT id FROM app_user WHERE role = 'ADMIN' AND active = ?`, [true]);
    expect(rows).toHaveLength(1); // the seeded admin: this file makes no other
    const refused = await gql(UPDATE, { id: String(rows[0].id), i: { role: 'FINANCE' } }, { token: admin });
    expect(refused.body.errors[0].extensions.code).toBe('CONFLICT');
    expect(byRequest(refused.requestId)).toHaveLength(0);
  });

  it('logout everywhere, then the old token: account.loggedOutEverywhere and token.refused (revoked)', async () => {
    const u = await newUser();
    const { token } = await loginAs(u.username);
    const out = await gql(`mutation($id: ID!){ logoutEverywhere(userId:$id){ id } }`, { id: u.id }, { token: await t.token('admin') });
    expect(one(out.requestId, 'account.loggedOutEverywhere')).toMatchObject({ userId: Number(u.id), username: u.username, actorUsername: 'admin' });

    const refused = await gql(`{ me { id } }`, {}, { token, from: '198.51.100.40' });
    expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(one(refused.requestId, 'token.refused')).toMatchObject({
      level: 40,
      userId: Number(u.id),
      username: u.username,
      reason: 'revoked',
      address: '198.51.100.40',
    });
  });

  it("a disabled user's token is token.refused (disabled); a changed role's is token.refused (changed)", async () => {
    const admin = await t.token('admin');
    const a = await newUser();
    const ta = (await loginAs(a.username)).token;
    await gql(UPDATE, { id: a.id, i: { active: false } }, { token: admin });
    const r1 = await gql(`{ me { id } }`, {}, { token: ta });
    expect(one(r1.requestId, 'token.refused')).toMatchObject({ userId: Number(a.id), reason: 'disabled' });

    const b = await newUser();
    const tb = (await loginAs(b.username)).token;
    await gql(UPDATE, { id: b.id, i: { role: 'FINANCE' } }, { token: admin });
    const r2 = await gql(`{ me { id } }`, {}, { token: tb });
    expect(one(r2.requestId, 'token.refused')).toMatchObject({ userId: Number(b.id), reason: 'changed' });
  });

  it("a token refused on a CSV route is token.refused with that request's id", async () => {
    const a = await newUser('FINANCE');
    const ta = (await loginAs(a.username)).token;
    await gql(UPDATE, { id: a.id, i: { active: false } }, { token: await t.token('admin') });
    const requestId = rid();
    const res = await t.http().get('/exports/subsidies.csv?from=2005-01&to=2005-01').set('authorization', `Bearer ${ta}`).set('x-request-id', requestId);
    expect(res.status).toBe(401);
    expect(one(requestId, 'token.refused')).toMatchObject({ userId: Number(a.id), reason: 'disabled' });
  });

  it('password reset and password change: account.passwordReset and account.passwordChanged, with no password in them', async () => {
    const u = await newUser();
    const reset = await gql(`mutation($id: ID!){ resetPassword(userId:$id){ temporaryPassword } }`, { id: u.id }, { token: await t.token('admin') });
    const temporary = reset.body.data.resetPassword.temporaryPassword as string;
    expect(one(reset.requestId, 'account.passwordReset')).toMatchObject({ userId: Number(u.id), actorUsername: 'admin' });

    const { token } = await loginAs(u.username, temporary);
    const NEW = 'Brand-New-Passphrase-8080';
    const changed = await gql(
      `mutation($c:String!,$n:String!){ changePassword(currentPassword:$c, newPassword:$n){ token } }`,
      { c: temporary, n: NEW },
      { token },
    );
    expect(changed.body.errors).toBeUndefined();
    expect(one(changed.requestId, 'account.passwordChanged')).toMatchObject({ userId: Number(u.id), actorUsername: u.username });

    const text = security()
      .map((l) => JSON.stringify(l))
      .join('\n');
    expect(text).not.toContain(temporary);
    expect(text).not.toContain(NEW);
  });
});

describe('exports and identity numbers', () => {
  it('a subsidy export is export.downloaded with who, which export and how many rows', async () => {
    const partner = await createPartner(t, { code: `SEC-${process.pid}`, name: '安全測試維修', regionId: 1, monthlyWageSubsidyFen: 100_000 });
    const finance = await t.token('finance');
    for (const m of [1, 2, 3]) await recordSubsidy(t, finance, { partnerId: partner, type: 'OTHER', period: `2003-0${m}`, amountFen: 1000 * m });
    const requestId = rid();
    const res = await t
      .http()
      .get('/exports/subsidies.csv?from=2003-01&to=2003-12')
      .set('authorization', `Bearer ${finance}`)
      .set('x-request-id', requestId)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    const rows = parseCsv(res.body as Buffer);
    expect(rows.length).toBe(3);
    expect(one(requestId, 'export.downloaded')).toMatchObject({ level: 30, username: 'finance', export: 'subsidies', rows: 3 });
  });

  it('an export refused for the role says nothing', async () => {
    const requestId = rid();
    const res = await t
      .http()
      .get('/exports/customer-totals.csv?from=2003-01&to=2003-02')
      .set('authorization', `Bearer ${await t.token('staff')}`)
      .set('x-request-id', requestId);
    expect(res.status).toBe(403);
    expect(byRequest(requestId)).toHaveLength(0);
  });

  it('each identity number read in full is identity.read naming the record, never the number', async () => {
    const agent = await createAgent(t);
    const ids = [freshId(), freshId()];
    const regs = await submitOk(
      t,
      agent.id,
      ids.map((idNumber) => registrationRecord({ idNumber })),
    );
    const auditor = await t.token('auditor');
    const read = await gql(
      `query($a: ID){ registrations(first: 10, filter: { agentId: $a }) { edges { node { id idNumber } } } }`,
      { a: agent.id },
      { token: auditor },
    );
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data.registrations.edges.map((e: any) => e.node.idNumber).sort()).toEqual([...ids].sort());
    const found = byRequest(read.requestId).filter((l) => l.event === 'identity.read');
    expect(found.map((l) => l.entityId).sort()).toEqual(regs.map((r: any) => String(r.id)).sort());
    for (const l of found) expect(l).toMatchObject({ username: 'auditor', entity: 'Registration' });

    // The masked number reads nothing in full.
    const masked = await gql(
      `query($a: ID){ registrations(first: 10, filter: { agentId: $a }) { edges { node { id idNumberMasked } } } }`,
      { a: agent.id },
      { token: auditor },
    );
    expect(masked.body.errors).toBeUndefined();
    expect(byRequest(masked.requestId)).toHaveLength(0);

    const text = security()
      .map((l) => JSON.stringify(l))
      .join('\n');
    for (const n of ids) expect(text).not.toContain(n);
  });
});

it('no security line carries a password, and SECURITY_LOG holds the same events as the stream', async () => {
  const u = await newUser();
  await loginAs(u.username, 'Secret-Wrong-Guess-4242', '198.51.100.50');
  await loginAs(u.username, USER_PASSWORD, '198.51.100.51');
  const text = security()
    .map((l) => JSON.stringify(l))
    .join('\n');
  for (const p of [USER_PASSWORD, PASSWORD, 'Secret-Wrong-Guess-4242']) expect(text).not.toContain(p);

  const fromFile = readFileSync(securityFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
  const key = (l: Line) => `${l.requestId}|${l.event}|${l.entityId ?? ''}`;
  expect(fromFile.every((l) => l.stream === 'security')).toBe(true);
  expect(fromFile.map(key).sort()).toEqual(security().map(key).sort());
});
