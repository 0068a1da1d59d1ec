import { startTestApp, TestApp } from '../helpers/app';

/**
 * Issue 17: one user or one address cannot take more than its budget. The counters are in memory
 * on SQLite and in the database on MariaDB (RATE_LIMIT_STORE's default there), so both stores run.
 */
const WINDOW = 60;

function expect429(res: { status: number; headers: Record<string, string>; body: any }) {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW);
  expect(res.body.errors[0].extensions.code).toBe('TOO_MANY_REQUESTS');
  expect(res.body.errors[0].extensions.retryAfterSeconds).toBe(retryAfter);
}

describe('rate limits per user', () => {
  let t: TestApp;
  const post = (query: string, token: string, variables: Record<string, unknown> = {}) =>
    t.http().post('/graphql').set('content-type', 'application/json').set('authorization', `Bearer ${token}`).send({ query, variables });

  beforeAll(async () => {
    t = await startTestApp(
      {},
      {
        env: {
          RATE_LIMITS: 'true',
          RATE_LIMIT_WINDOW_SECONDS: String(WINDOW),
          RATE_LIMIT_USER_REQUESTS: '6',
          RATE_LIMIT_ADDRESS_REQUESTS: '1000',
          RATE_LIMIT_EXPENSIVE_REQUESTS: '2',
          RATE_LIMIT_LOGIN_REQUESTS: '1000',
        },
      },
    );
  });
  afterAll(() => t.stop());

  it('answers the request past the budget with 429 and Retry-After; another user is unaffected', async () => {
    const a = await t.userToken('FINANCE');
    const b = await t.userToken('FINANCE');
    for (let i = 0; i < 6; i++) {
      const res = await post('{ regions { code } }', a);
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
    }
    expect429(await post('{ regions { code } }', a));
    // A batch or a CSV export is refused the same way, before it is read.
    expect429(await t.http().get('/exports/subsidies.csv?from=2025-01&to=2025-06').set('authorization', `Bearer ${a}`));
    const other = await post('{ regions { code } }', b);
    expect(other.status).toBe(200);
    expect(other.body.data.regions.length).toBeGreaterThan(0);
  });

  it('gives exports and imports their own, smaller budget', async () => {
    const finance = await t.userToken('FINANCE');
    for (let i = 0; i < 2; i++) {
      const res = await t.http().get('/exports/subsidies.csv?from=2025-01&to=2025-06').set('authorization', `Bearer ${finance}`);
      expect(res.status).toBe(200);
    }
    expect429(await t.http().get('/exports/subsidies.csv?from=2025-01&to=2025-06').set('authorization', `Bearer ${finance}`));
    // Ordinary requests of the same user still go through.
    expect((await post('{ regions { code } }', finance)).status).toBe(200);

    const staff = await t.userToken('AGENCY_STAFF');
    const SUBMIT = 'mutation($a: ID!, $r: [RegistrationInput!]!) { submitRegistrations(agentId: $a, records: $r) { accepted } }';
    for (let i = 0; i < 2; i++) {
      const res = await post(SUBMIT, staff, { a: '999999', r: [] });
      expect(res.body.errors?.[0]?.extensions?.code).not.toBe('TOO_MANY_REQUESTS');
    }
    expect429(await post(SUBMIT, staff, { a: '999999', r: [] }));
    expect((await post('{ regions { code } }', staff)).status).toBe(200);
  });
});

describe('rate limits per address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(
      {},
      {
        env: {
          RATE_LIMITS: 'true',
          RATE_LIMIT_WINDOW_SECONDS: String(WINDOW),
          RATE_LIMIT_USER_REQUESTS: '1000',
          RATE_LIMIT_ADDRESS_REQUESTS: '12',
          RATE_LIMIT_LOGIN_REQUESTS: '4',
        },
      },
    );
  });
  afterAll(() => t.stop());

  it('counts logins per address, then every request without a token', async () => {
    const admin = await t.token('admin'); // login 1
    const LOGIN = 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }';
    for (let i = 0; i < 3; i++) {
      const res = await t.gql(LOGIN, { u: `nobody_${i}`, p: 'wrong-password' });
      expect(res.errors?.[0]?.extensions?.code).not.toBe('TOO_MANY_REQUESTS');
    }
    const refused = await t
      .http()
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({ query: LOGIN, variables: { u: 'admin', p: 'demo-password' } });
    expect429(refused);

    // Requests without a token: 12 per address in the window, the logins included.
    let anonymous = 5;
    while (anonymous < 12) {
      const res = await t.http().post('/graphql').set('content-type', 'application/json').send({ query: '{ __typename }' });
      expect(res.status).toBe(200);
      anonymous++;
    }
    expect429(await t.http().post('/graphql').set('content-type', 'application/json').send({ query: '{ __typename }' }));
    // A user with a token is counted as a user, not by address.
    const res = await t.gql('{ regions { code } }', {}, admin);
    expect(res.status).toBe(200);
    // /health and /ready are never limited.
    expect((await t.http().get('/health')).status).toBe(200);
  });
});

describe('counters in Redis (RATE_LIMIT_STORE=redis)', () => {
  // Two instances, as two replicas behind a balancer: one Redis, one key prefix of their own (so
  // other test files and runs sharing this Redis keep theirs), the same JWT secret. Each has its
  // own database, whose seeded admin is user 1 in both, so one token is one user to both.
  const env = {
    RATE_LIMITS: 'true',
    RATE_LIMIT_STORE: 'redis',
    REDIS_URL: process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379',
    RATE_LIMIT_KEY_PREFIX: `test_${process.pid}_${Date.now().toString(36)}`,
    RATE_LIMIT_WINDOW_SECONDS: String(WINDOW),
    RATE_LIMIT_USER_REQUESTS: '6',
    JWT_SECRET: 'rate-limits-redis-test-secret-0123456789',
  };
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp({}, { env });
    b = await startTestApp({}, { env });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
  });

  it("one user's budget is shared by every instance", async () => {
    const token = await a.token('admin');
    const post = (t: TestApp) =>
      t.http().post('/graphql').set('content-type', 'application/json').set('authorization', `Bearer ${token}`).send({ query: '{ me { id } }' });
    const first = await post(a);
    expect(first.body.data.me.id).toBe((await post(b)).body.data.me.id); // the same user to both
    for (let i = 0; i < 2; i++) {
      expect((await post(a)).status).toBe(200);
      expect((await post(b)).status).toBe(200);
    }
    // Six requests in all, three on each: the seventh is refused, on either instance.
    expect429(await post(b));
    expect429(await post(a));
  });
});
