import request from 'supertest';
import { expectError, startTestApp, TestApp } from '../helpers/app';
import { AGENTS_PAGE, STOCK, TOTALS } from '../../bench/http-common';

/**
 * Issue 17: no query, input or burst of them may take the server down. The cost check refuses
 * what can produce too many objects; the response cap ends what the estimate misjudged; input is
 * refused before it costs more than it is worth.
 */
const ISSUE_QUERY = `{ agents(first: 200) { edges { node { registrations(first: 200) { edges { node { agent {
  registrations(first: 200) { edges { node { id msisdn } } } } } } } } } } }`;
const STOCKTAKE = 'mutation($i: StocktakeInput!) { recordStocktake(input: $i) { id } }';

function stocktakeBody(items: number): string {
  // Each line misses its partId and its countedQuantity: two coercion errors, 32 bytes.
  const lines = Array.from({ length: items }, () => ({ partId: null, reason: 'xxxx' }));
  return JSON.stringify({ query: STOCKTAKE, variables: { i: { locationId: '1', lines } } });
}

function post(t: TestApp, body: string, token?: string) {
  const req = request(t.app.server).post('/graphql').set('content-type', 'application/json');
  if (token) req.set('authorization', `Bearer ${token}`);
  return req.send(body);
}

describe('query cost and input limits', () => {
  let t: TestApp;
  let staff: string;
  beforeAll(async () => {
    t = await startTestApp();
    staff = await t.userToken('AGENCY_STAFF');
  });
  afterAll(() => t.stop());

  it('refuses the nested query of the issue by its cost, naming the cost and the limit', async () => {
    const res = await t.gql(ISSUE_QUERY, {}, staff);
    expect(res.status).toBe(400);
    const err = expectError(res, 'BAD_USER_INPUT', 'query');
    expect(err.extensions.cost).toBe(8_120_401);
    expect(err.extensions.maxCost).toBe(60_000);
    expect(err.message).toContain('8120401');
    expect(err.message).toContain('60000');
  });

  it('prices one document by the variables that size it: first and directives, not the others', async () => {
    const doc = `query($n: Int = 200, $m: Int, $deep: Boolean!, $region: String) {
      agents(first: $n, filter: { regionCode: $region }) { edges { node { id
        registrations(first: $m) @include(if: $deep) { edges { node { id } } }
        recent: registrations(first: $m) { edges { node { id } } } } } } }`;
    const admin = await t.token('admin');
    const cost = async (variables: Record<string, unknown>) => {
      const res = await t.gql(doc, variables, admin);
      return res.status === 400 ? expectError(res, 'BAD_USER_INPUT', 'query').extensions.cost : 'ok';
    };
    // 1 + n × (1 + (1 + m) + (1 + m) when deep): 40,601 and 40,401 run, 80,601 is refused.
    expect(await cost({ n: 200, m: 100, deep: true, region: 'SHASHI' })).toBe('ok');
    expect(await cost({ n: 200, m: 200, deep: false, region: 'SHASHI' })).toBe('ok');
    expect(await cost({ n: 200, m: 200, deep: true, region: 'GONGAN' })).toBe(80_601);
    // Another region (not a size) is priced as the same figure.
    expect(await cost({ n: 200, m: 200, deep: true, region: 'SONGZI' })).toBe(80_601);
    // $n left out is its default (200); given as null it is the default page (50: 20,151).
    expect(await cost({ m: 200, deep: true })).toBe(80_601);
    expect(await cost({ n: null, m: 200, deep: true })).toBe('ok');
  });

  it("still runs the README's and the benchmark's queries", async () => {
    for (const q of [
      AGENTS_PAGE,
      STOCK,
      TOTALS,
      `{ agents(first: 20, filter: { regionCode: "SONGZI" }) { totalCount pageInfo { hasNextPage endCursor }
        edges { node { code name status riskScore region { name } registrations(first: 3) { edges { node { msisdn status flags } } } } } } }`,
      `{ agents(first: 200) { edges { node { id registrations(first: 200) { edges { node { id msisdn } } } } } } }`,
    ]) {
      const res = await t.gql(q, {}, await t.token('admin'));
      expect(res.errors).toBeUndefined();
    }
  });

  it('refuses 30,000 bad list items quickly, without a token and with one', async () => {
    const body = stocktakeBody(30_000);
    expect(body.length).toBeGreaterThan(900_000);
    for (const token of [undefined, staff]) {
      const started = Date.now();
      const res = await post(t, body, token);
      const ms = Date.now() - started;
      expect(res.status).toBe(400);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors[0].message).toContain('30000 items');
      // It took 3.8 s and 7.8 s before. The issue's 300 ms is a speed target, measured by
      // bench/input-abuse.ts; this bound only catches a return of that defect, with room for a
      // test machine whose two cores also run the other worker's suites (602 ms for the 1,000-item
      // request below was seen there).
      expect(ms).toBeLessThan(2000);
    }
  });

  it('stops coercing after a few errors: 1,000 bad items with a token are one short 400', async () => {
    const admin = await t.token('admin');
    const res = await post(t, stocktakeBody(1000), admin);
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'i' });
    expect(res.body.errors[0].message).toContain('checking stopped after 10');
    // The message says graphql-js gave up at its maxErrors, not that all 2,000 errors were collected.
    expect(res.text.length).toBeLessThan(2000);
    // Without a token the same body is refused for the token, before any coercion.
    const anonymous = await post(t, stocktakeBody(1000));
    expect(anonymous.status).toBe(401);
  });

  it('still names the field of a few bad items (fewer than the cap)', async () => {
    const res = await t.gql(STOCKTAKE, { i: { locationId: '1', lines: [{ partId: '1', countedQuantity: 'many' }] } }, await t.token('admin'));
    expect(res.status).toBe(400);
    expect(res.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions.field).toMatch(/countedQuantity/);
  });

  it('three such requests at once leave the server answering /health', async () => {
    const body = stocktakeBody(30_000);
    const healthMs: number[] = [];
    let running = true;
    const poll = (async () => {
      while (running) {
        const started = Date.now();
        const res = await t.http().get('/health');
        expect(res.status).toBe(200);
        healthMs.push(Date.now() - started);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const answers = await Promise.all([post(t, body, staff), post(t, body, staff), post(t, body)]);
    running = false;
    await poll;
    for (const a of answers) expect(a.status).toBe(400);
    expect(healthMs.length).toBeGreaterThan(0);
    // The issue's bound is 100 ms on a quiet machine; the margin is for a loaded test machine, where
    // this process (client and server) parses the three 960 kB bodies in turn. Before, /health
    // did not answer at all while three of these ran.
    expect(Math.max(...healthMs)).toBeLessThan(1000);
    expect((await t.http().get('/health')).status).toBe(200);
  });

  it('answers variables nested 50,000 levels deep with a 400, with a token and without', async () => {
    const deep = `{"query":${JSON.stringify(STOCKTAKE)},"variables":{"i":${'{"locationId":"1","lines":['.repeat(25_000)}1${']}'.repeat(25_000)}}}`;
    for (const token of [staff, undefined]) {
      const res = await post(t, deep, token);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors[0].message).toMatch(/nests values more than 32 levels deep/);
    }
  });

  it('refuses deep variables in a GET query too', async () => {
    const variables = `{"i":${'{"locationId":"1","lines":['.repeat(40)}1${']}'.repeat(40)}}`;
    const res = await t
      .http()
      .get('/graphql')
      .query({ query: '{ regions { code } }', variables })
      .set('authorization', `Bearer ${staff}`)
      .set('apollo-require-preflight', 'true');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/levels deep|not defined|Variable/);
  });

  it('documents and enforces the maximum length of an input list', async () => {
    const admin = await t.token('admin');
    const ISSUE = 'mutation($i: IssuePartsInput!) { issueParts(input: $i) { id } }';
    const lines = Array.from({ length: 201 }, (_, k) => ({ partId: String(k + 1), quantity: 1 }));
    const res = await t.gql(ISSUE, { i: { partnerId: '1', lines } }, admin);
    const err = expectError(res, 'BAD_USER_INPUT');
    expect(err.extensions.field).toBe('input.lines');
    expect(err.message).toContain('no more than 200');
    const sdl = await t.gql(`{ __type(name: "IssuePartsInput") { inputFields { name description } } }`, {}, admin);
    expect(sdl.data.__type.inputFields.find((f: { name: string }) => f.name === 'lines').description).toMatch(/At most 200/);
    // Any list longer than the longest an input takes is refused before it is coerced.
    const long = Array.from({ length: 2001 }, (_, k) => ({ partId: String(k + 1), countedQuantity: 1 }));
    const tooLong = await t.gql(STOCKTAKE, { i: { locationId: '1', lines: long } }, admin);
    expect(tooLong.status).toBe(400);
    expect(tooLong.errors?.[0].message).toContain('2001 items; no list may hold more than 2000');
  });
});

describe.each([
  ['graphql-jit', true],
  ['graphql-js', false],
])('a response the estimate misjudges (%s)', (_name, jit) => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    // A plain list is estimated at 5 items; the data makes this one over 100 longer than that, and
    // the cap is set where the estimate alone would let the query through.
    t = await startTestApp({ graphqlJit: jit }, { env: { RESPONSE_MAX_OBJECTS: '100' } });
    admin = await t.token('admin');
    for (let i = 0; i < 100; i++) {
      const res = await t.gql(
        `mutation($i: CreateHandsetBrandInput!){ createHandsetBrand(input: $i){ id } }`,
        { i: { code: `FOOL${i}`, name: `Fool ${i}` } },
        admin,
      );
      expect(res.errors).toBeUndefined();
    }
  });
  afterAll(() => t.stop());

  it('ends the operation at the response cap and keeps serving others', async () => {
    const [big, small] = await Promise.all([t.gql(`{ handsetBrands { code name } }`, {}, admin), t.gql(`{ regions { code } }`, {}, admin)]);
    expect(big.status).toBe(400);
    expect(big.data ?? null).toBeNull();
    expect(big.errors).toHaveLength(1);
    const err = expectError(big, 'BAD_USER_INPUT', 'query');
    expect(err.extensions.limit).toBe('responseObjects');
    expect(err.message).toContain('more than 100 objects');
    expect(small.errors).toBeUndefined();
    expect(small.data.regions.length).toBeGreaterThan(0);
    // The cost check let it through: the cap, not the estimate, ended it.
    const after = await t.gql(`{ regions { code } tariffPlans { code } }`, {}, admin);
    expect(after.errors).toBeUndefined();
  });
});
