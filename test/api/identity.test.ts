import jwt from 'jsonwebtoken';
import { startTestApp, TestApp, expectError, PASSWORD, expectConflict } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const LOGIN = `mutation($u:String!,$p:String!){ login(username:$u,password:$p){ token expiresAt user { id username role } } }`;
const ME = `{ me { id username role } }`;
const CREATE = `mutation($i: CreateUserInput!){ createUser(input:$i){ id username role repairPartnerId agentId } }`;

describe('login and tokens', () => {
  it('logs in with the right password and answers me', async () => {
    const res = await t.gql(LOGIN, { u: 'auditor', p: PASSWORD });
    expect(res.errors).toBeUndefined();
    expect(res.data.login.user).toMatchObject({ username: 'auditor', role: 'AUDITOR' });
    const me = await t.gql(ME, {}, res.data.login.token);
    expect(me.data.me).toMatchObject({ username: 'auditor', role: 'AUDITOR' });
  });

  it('refuses a wrong password or an unknown user alike', async () => {
    const a = await t.gql(LOGIN, { u: 'auditor', p: 'wrong-password' });
    const b = await t.gql(LOGIN, { u: 'nobody', p: 'wrong-password' });
    expect(expectError(a, 'UNAUTHENTICATED').message).toBe(expectError(b, 'UNAUTHENTICATED').message);
    expect(a.data).toBeNull();
  });

  it('never returns the password hash', async () => {
    const res = await t.gql(`{ me { passwordHash } }`, {}, await t.token('admin'));
    expectError(res, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('without a token only login works', async () => {
    expectError(await t.gql(ME), 'UNAUTHENTICATED');
    expectError(await t.gql(`{ regions { code } }`), 'UNAUTHENTICATED');
    expectError(await t.gql(CREATE, { i: { username: 'x1234', password: 'Test-passphrase-4711', role: 'FINANCE' } }), 'UNAUTHENTICATED');
    // Not through fragments either, and the answer is a 401.
    const inline = await t.gql(`{ ... on Query { regions { code } } }`);
    expectError(inline, 'UNAUTHENTICATED');
    expect(inline.status).toBe(401);
    expectError(await t.gql(`fragment F on Query { regions { code } } query { ...F }`), 'UNAUTHENTICATED');
    expect((await t.gql(`{ __typename }`)).data).toEqual({ __typename: 'Query' });
  });

  it('refuses an expired token', async () => {
    const token = jwt.sign(
      { username: 'admin', role: 'ADMIN', iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 },
      t.config.jwtSecret,
      { subject: '1', issuer: 'agentnet' },
    );
    const err = expectError(await t.gql(ME, {}, token), 'UNAUTHENTICATED');
    expect(err.message).toMatch(/expired/i);
  });

  it('refuses a token once it expires, though the server has verified and cached it before', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = jwt.sign({ username: 'admin', role: 'ADMIN', iat: now, exp: now + 2 }, t.config.jwtSecret, { subject: '1', issuer: 'agentnet' });
    expect((await t.gql(ME, {}, token)).data.me.username).toBe('admin');
    expect((await t.gql(ME, {}, token)).data.me.username).toBe('admin'); // from the cache
    await new Promise((r) => setTimeout(r, (now + 2) * 1000 - Date.now() + 50));
    const err = expectError(await t.gql(ME, {}, token), 'UNAUTHENTICATED');
    expect(err.message).toMatch(/expired/i);
  });

  it('refuses a forged token (other secret, alg none, tampered payload)', async () => {
    const forged = jwt.sign({ username: 'admin', role: 'ADMIN' }, 'not-the-secret-not-the-secret-not-the-secret', {
      subject: '1',
      issuer: 'agentnet',
      expiresIn: 3600,
    });
    expectError(await t.gql(ME, {}, forged), 'UNAUTHENTICATED');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"1","role":"ADMIN","iss":"agentnet"}').toString('base64url')}.`;
    expectError(await t.gql(ME, {}, none), 'UNAUTHENTICATED');
    const real = await t.token('finance');
    const [h, , s] = real.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ sub: '1', role: 'ADMIN', username: 'finance', iss: 'agentnet', exp: 9999999999 })).toString('base64url')}.${s}`;
    expectError(await t.gql(ME, {}, tampered), 'UNAUTHENTICATED');
    expectError(await t.gql(ME, {}, 'garbage'), 'UNAUTHENTICATED');
  });

  it('locks a username out after repeated failures, with a retry time', async () => {
    const CREATE_U = { i: { username: 'lockme', password: 'Right-passphrase-1', role: 'FINANCE' } };
    await t.gql(CREATE, CREATE_U, await t.token('admin'));
    for (let i = 0; i < 5; i++) expectError(await t.gql(LOGIN, { u: 'lockme', p: 'wrong' }), 'UNAUTHENTICATED');
    const locked = expectError(await t.gql(LOGIN, { u: 'lockme', p: 'Right-passphrase-1' }), 'TOO_MANY_REQUESTS');
    expect(locked.extensions.retryAfterSeconds).toBeGreaterThan(0);
    expect(locked.message).toMatch(/try again after/);
    // Other users are not affected.
    expect((await t.gql(LOGIN, { u: 'finance', p: PASSWORD })).data.login.token).toBeTruthy();
  });
});

it('locks an address out after many failures across usernames', async () => {
  const other = await startTestApp();
  try {
    for (let i = 0; i < 30; i++) await other.gql(LOGIN, { u: `nobody${i}`, p: 'wrong' });
    const locked = expectError(await other.gql(LOGIN, { u: 'finance', p: PASSWORD }), 'TOO_MANY_REQUESTS');
    expect(locked.message).toMatch(/this address/);
  } finally {
    await other.stop();
  }
});

describe('createUser', () => {
  const roles = ['AGENCY_STAFF', 'AUDITOR', 'AFTERSALES_STAFF', 'FINANCE'];
  it.each(roles)('is refused to %s', async (role) => {
    const token = await t.userToken(role);
    const res = await t.gql(CREATE, { i: { username: `by_${role.toLowerCase()}`, password: 'Test-passphrase-4711', role: 'ADMIN' } }, token);
    expectError(res, 'FORBIDDEN');
  });

  it('is allowed to ADMIN and the new user can log in', async () => {
    const res = await t.gql(CREATE, { i: { username: 'newfinance', password: 'Test-passphrase-4711', role: 'FINANCE' } }, await t.token('admin'));
    expect(res.errors).toBeUndefined();
    expect(res.data.createUser).toMatchObject({ username: 'newfinance', role: 'FINANCE', repairPartnerId: null });
    expect(await t.token('newfinance', 'Test-passphrase-4711')).toBeTruthy();
  });

  it('names the bad field and writes nothing', async () => {
    const admin = await t.token('admin');
    expectError(await t.gql(CREATE, { i: { username: 'x', password: 'Test-passphrase-4711', role: 'FINANCE' } }, admin), 'BAD_USER_INPUT', 'input.username');
    expectError(await t.gql(CREATE, { i: { username: 'shortpw', password: 'abc', role: 'FINANCE' } }, admin), 'BAD_USER_INPUT', 'input.password');
    expectError(
      await t.gql(CREATE, { i: { username: 'nopartner', password: 'Test-passphrase-4711', role: 'REPAIR_PARTNER' } }, admin),
      'BAD_USER_INPUT',
      'input.repairPartnerId',
    );
    expectError(await t.gql(CREATE, { i: { username: 'noagent', password: 'Test-passphrase-4711', role: 'AGENT' } }, admin), 'BAD_USER_INPUT', 'input.agentId');
    expectError(
      await t.gql(CREATE, { i: { username: 'ghost', password: 'Test-passphrase-4711', role: 'AGENT', agentId: '999999' } }, admin),
      'BAD_USER_INPUT',
      'input.agentId',
    );
    const log = await t.gql(`{ changeLog(entityType:"User"){ edges { node { data } } } }`, {}, admin);
    expect(JSON.stringify(log.data)).not.toMatch(/shortpw|nopartner|noagent|ghost/);
  });

  it('refuses a taken username with CONFLICT', async () => {
    const res = await t.gql(CREATE, { i: { username: 'finance', password: 'Test-passphrase-4711', role: 'FINANCE' } }, await t.token('admin'));
    expectConflict(res, 'ALREADY_EXISTS');
  });
});

describe('change log', () => {
  it('records who created a user, without the password', async () => {
    const admin = await t.token('admin');
    await t.gql(CREATE, { i: { username: 'logged1', password: 'Secret-passphrase-1', role: 'AUDITOR' } }, admin);
    const res = await t.gql(`{ changeLog(entityType:"User", first: 200){ totalCount edges { node { action actorName entityId data } } } }`, {}, admin);
    const entry = res.data.changeLog.edges.map((e: any) => e.node).find((n: any) => n.data.includes('logged1'));
    expect(entry).toMatchObject({ action: 'createUser', actorName: 'admin' });
    expect(entry.data).not.toMatch(/Secret-passphrase-1|password/);
  });

  it('is not readable by tenants', async () => {
    const admin = await t.token('admin');
    const partner = await t.gql(
      `mutation { createRepairPartner(input: { code: "RP-LOG", name: "Log test shop", regionCode: "SONGZI", premisesProvided: false, monthlyWageSubsidyFen: 0 }) { id } }`,
      {},
      admin,
    );
    const token = await t.userToken('REPAIR_PARTNER', { repairPartnerId: partner.data.createRepairPartner.id });
    expectError(await t.gql(`{ changeLog { totalCount } }`, {}, token), 'FORBIDDEN');
  });
});
