import { createHash } from 'node:crypto';
import { startTestApp, TestApp, expectError, PASSWORD, USER_PASSWORD } from '../helpers/app';
import { THROTTLE } from '../../src/modules/identity/login-throttle';

/** Login that cannot be amplified or raced (issue 17). */
let t: TestApp;
let proxied: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  proxied = await startTestApp({ trustProxy: ['loopback'] });
});
afterAll(async () => {
  await t?.stop();
  await proxied?.stop();
});

const LOGIN = `mutation($u:String!,$p:String!){ login(username:$u,password:$p){ token } }`;

async function attempts(app: TestApp, username: string): Promise<{ ip: string; success: unknown }[]> {
  return app.app.ds.query('SELECT ip, success FROM login_attempt WHERE username = ? ORDER BY id', [username]);
}

let seq = 0;
async function newUser(app: TestApp): Promise<string> {
  const username = `lim_${++seq}_${Date.now().toString(36)}`;
  const res = await app.gql(
    `mutation($i: CreateUserInput!){ createUser(input:$i){ id } }`,
    { i: { username, password: USER_PASSWORD, role: 'FINANCE' } },
    await app.token('admin'),
  );
  if (!res.data?.createUser) throw new Error(JSON.stringify(res.errors));
  return username;
}

function loginAs(app: TestApp, u: string, p: string, from?: string) {
  const req = app.http().post('/graphql').set('content-type', 'application/json');
  if (from) req.set('x-forwarded-for', from);
  return req.send({ query: LOGIN, variables: { u, p } });
}

describe('one login per request', () => {
  it('refuses aliased logins before checking any password', async () => {
    const u = await newUser(t);
    const res = await t.gql(`mutation { a: login(username: "${u}", password: "x1") { token } b: login(username: "${u}", password: "x2") { token } }`);
    const err = expectError(res, 'GRAPHQL_VALIDATION_FAILED');
    expect(err.message).toMatch(/One login per request/);
    expect(await attempts(t, u)).toEqual([]);
  });

  it('refuses logins repeated through fragments', async () => {
    const u = await newUser(t);
    const res = await t.gql(
      `fragment L on Mutation { login(username: "${u}", password: "x") { token } } mutation { ...L x: login(username: "${u}", password: "y") { token } }`,
    );
    expectError(res, 'GRAPHQL_VALIDATION_FAILED');
    expect(await attempts(t, u)).toEqual([]);
  });

  it('refuses a batch holding a login, with a 400 naming the rule, and checks nothing', async () => {
    const u = await newUser(t);
    const res = await t
      .http()
      .post('/graphql')
      .set('content-type', 'application/json')
      .send([{ query: `mutation { login(username: "${u}", password: "x") { token } }` }, { query: '{ __typename }' }]);
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(res.body.errors[0].message).toMatch(/One login per request/);
    expect(await attempts(t, u)).toEqual([]);
    // A batch without a login still works.
    const ok = await t
      .http()
      .post('/graphql')
      .set('content-type', 'application/json')
      .send([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(ok.status).toBe(200);
  });

  it('refuses the second login of a batch the body check cannot read (persisted-query hashes)', async () => {
    const u = await newUser(t);
    const query = `mutation($u:String!,$p:String!){ login(username:$u,password:$p){ token } }`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const persisted = { persistedQuery: { version: 1, sha256Hash } };
    const first = await t
      .http()
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({ query, variables: { u, p: 'wrong-1' }, extensions: persisted });
    expect(first.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const batch = await t
      .http()
      .post('/graphql')
      .set('content-type', 'application/json')
      .send([1, 2, 3].map((i) => ({ variables: { u, p: `wrong-${i + 1}` }, extensions: persisted })));
    const codes = batch.body.map((r: any) => r.errors?.[0]?.extensions?.code);
    expect(codes.filter((c: string) => c === 'UNAUTHENTICATED')).toHaveLength(1);
    expect(codes.filter((c: string) => c === 'BAD_USER_INPUT')).toHaveLength(2);
    expect(await attempts(t, u)).toHaveLength(2); // the first request's and the batch's one
  });
});

describe('attempts counted before the password is checked', () => {
  it('60 concurrent wrong guesses for one user from one address check at most the limit', async () => {
    const u = await newUser(t);
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => loginAs(t, u, `wrong-guess-${i}`)));
    const codes = answers.map((r) => r.body.errors?.[0]?.extensions?.code);
    const checked = await attempts(t, u);
    expect(checked.length).toBeLessThanOrEqual(THROTTLE.perUserAddress);
    expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(checked.length);
    expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS')).toHaveLength(60 - checked.length);
    const limited = answers.find((r) => r.body.errors?.[0]?.extensions?.code === 'TOO_MANY_REQUESTS')!;
    expect(limited.body.errors[0].extensions.retryAfterSeconds).toBeGreaterThan(0);
    // The right password from the same address is refused too until the window ends.
    expectError(await t.gql(LOGIN, { u, p: USER_PASSWORD }), 'TOO_MANY_REQUESTS');
  });

  it('a success gives the attempts back: four failures, a success, four more failures still log in', async () => {
    const u = await newUser(t);
    for (let i = 0; i < 4; i++) expectError(await t.gql(LOGIN, { u, p: `bad-${i}` }), 'UNAUTHENTICATED');
    expect((await t.gql(LOGIN, { u, p: USER_PASSWORD })).data.login.token).toBeTruthy();
    for (let i = 0; i < 4; i++) expectError(await t.gql(LOGIN, { u, p: `bad-again-${i}` }), 'UNAUTHENTICATED');
    expect((await t.gql(LOGIN, { u, p: USER_PASSWORD })).data.login.token).toBeTruthy();
  });
});

describe('client address', () => {
  it('ignores X-Forwarded-For unless TRUST_PROXY is set', async () => {
    const u = await newUser(t);
    await loginAs(t, u, 'wrong', '198.51.100.7');
    const [row] = await attempts(t, u);
    expect(row.ip).not.toBe('198.51.100.7');
    expect(row.ip).toMatch(/127\.0\.0\.1|::1/);
    expect(t.config.trustProxy).toEqual([]);
  });

  it('reads X-Forwarded-For from a trusted proxy when TRUST_PROXY names it', async () => {
    const u = await newUser(proxied);
    await loginAs(proxied, u, 'wrong', '198.51.100.7');
    expect((await attempts(proxied, u))[0].ip).toBe('198.51.100.7');
  });
});

describe('a lockout from one address does not lock the user out everywhere', () => {
  it('five failures from one address lock that address only', async () => {
    for (let i = 0; i < 5; i++) expect((await loginAs(proxied, 'admin', `wrong-${i}`, '203.0.113.66')).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const locked = await loginAs(proxied, 'admin', PASSWORD, '203.0.113.66');
    expect(locked.body.errors[0].extensions.code).toBe('TOO_MANY_REQUESTS');
    expect(locked.body.errors[0].message).toMatch(/from this address/);
    const elsewhere = await loginAs(proxied, 'admin', PASSWORD, '192.0.2.10');
    expect(elsewhere.body.data.login.token).toBeTruthy();
  });

  it('failures from many addresses slow the user down with a backoff, except from an address it logged in from', async () => {
    const u = await newUser(proxied);
    expect((await loginAs(proxied, u, USER_PASSWORD, '192.0.2.200')).body.data.login.token).toBeTruthy(); // a known address
    let n = 0;
    for (let a = 1; n < THROTTLE.perUser; a++) {
      for (let i = 0; i < THROTTLE.perUserAddress - 1 && n < THROTTLE.perUser; i++, n++) {
        expect((await loginAs(proxied, u, `wrong-${n}`, `203.0.113.${a}`)).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      }
    }
    // The next failure is checked and starts the backoff; the one after waits, from a new address too.
    expect((await loginAs(proxied, u, 'wrong-next', '198.51.100.1')).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const slowed = await loginAs(proxied, u, USER_PASSWORD, '198.51.100.2');
    expect(slowed.body.errors[0].extensions.code).toBe('TOO_MANY_REQUESTS');
    expect(slowed.body.errors[0].message).toMatch(/slowed down/);
    // The address the user logged in from before is not slowed.
    expect((await loginAs(proxied, u, USER_PASSWORD, '192.0.2.200')).body.data.login.token).toBeTruthy();
  });

  it('many failures across usernames lock the address', async () => {
    for (let i = 0; i < THROTTLE.perAddress; i++) await loginAs(proxied, `nobody-${i}`, 'wrong', '203.0.113.250');
    const locked = await loginAs(proxied, 'finance', PASSWORD, '203.0.113.250');
    expect(locked.body.errors[0].extensions.code).toBe('TOO_MANY_REQUESTS');
    expect(locked.body.errors[0].message).toMatch(/this address/);
    expect((await loginAs(proxied, 'finance', PASSWORD, '203.0.113.251')).body.data.login.token).toBeTruthy();
  });
});

it('username case or trailing spaces do not open fresh counters for a user', async () => {
  const u = await newUser(t);
  const variants = [u, u.toUpperCase(), `${u} `, u, u.toUpperCase(), `${u}  `, u];
  const codes: string[] = [];
  for (const v of variants) codes.push((await loginAs(t, v, 'wrong')).body.errors[0].extensions.code);
  // On MySQL all variants find the user (case-insensitive collation) and share its counters; on
  // SQLite the variants are other (unknown) names. Either way the user's own counter stops at 5.
  const checked = (await attempts(t, u)).length;
  expect(checked).toBeLessThanOrEqual(THROTTLE.perUserAddress);
  expect(codes).toContain(t.isMysql ? 'TOO_MANY_REQUESTS' : 'UNAUTHENTICATED');
});
