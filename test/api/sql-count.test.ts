import { seedDemo } from '../../seeds';
import { startTestApp, TestApp } from '../helpers/app';

/**
 * The number of SQL statements a nested list query runs must not grow with the list's length:
 * every field that crosses a relation goes through a per-request DataLoader. Each query runs with
 * a short page and a long one over the demo data; the two must run the same number of statements.
 */
let t: TestApp;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  await seedDemo(t.app.ds, t.config);
  for (const u of ['admin', 'staff', 'aftersales', 'finance', 'shop1']) tokens[u] = await t.token(u);
});
afterAll(() => t.stop());

type Path = (data: any) => unknown[];
const topEdges: Path = (data) => (Object.values(data)[0] as { edges: unknown[] }).edges;

async function statements(query: string, variables: Record<string, unknown>, user: string, path: Path): Promise<{ count: number; size: number; sql: string[] }> {
  t.sql.reset(true);
  const res = await t.gql(query, variables, tokens[user]);
  const count = t.sql.count;
  const sql = t.sql.statements;
  t.sql.reset();
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return { count, size: path(res.data).length, sql };
}

const CASES: { name: string; user: string; small: number; large: number; query: string; path?: Path }[] = [
  {
    name: 'agents with region, latest records, penalties and statements',
    user: 'staff',
    small: 3,
    large: 100,
    query: `query($n: Int) { agents(first: $n) { edges { node {
      id code status riskScore region { code name }
      registrations(first: 5) { totalCount edges { node { id msisdn status flags agent { code } } } }
      penalties(first: 5) { edges { node { id amountFen status } } }
      commissionStatements(first: 3) { edges { node { period netFen agent { code } } } }
    } } } }`,
  },
  {
    name: 'registrations with their agent and region',
    user: 'staff',
    small: 3,
    large: 200,
    query: `query($n: Int) { registrations(first: $n) { edges { node { id msisdn flags status agent { code region { code } } } } } }`,
  },
  {
    name: 'repair partners with region, authorizations, prices, equipment',
    user: 'aftersales',
    small: 1,
    large: 6,
    query: `query($n: Int) { repairPartners(first: $n) { edges { node {
      id code region { code } authorizations { brand certificateNo } prices { priceFen } equipment { assetTag } contacts { name }
    } } } }`,
  },
  {
    name: "a partner's repair orders with partner, status history and loaner",
    user: 'shop1',
    small: 2,
    large: 60,
    query: `query($n: Int) { repairOrders(first: $n) { edges { node {
      id brand status partner { code region { code } } statusHistory { status } loanerLoan { id loaner { serial } } loanerOutstanding
    } } } }`,
  },
  {
    name: 'loaner phones on loan with partner, loan and order',
    user: 'aftersales',
    small: 2,
    large: 200,
    query: `query($n: Int) { loanerPhones(first: $n, filter: { status: ON_LOAN }) { edges { node { id serial status partner { code } currentLoan { id repairOrder { id status } } } } } }`,
  },
  {
    name: 'audit items with registration, agent, findings and penalties',
    user: 'admin',
    small: 2,
    large: 150,
    query: `query($n: Int) { auditBatch(id: "1") { id items(first: $n, filter: { outcome: FAIL }) { edges { node {
      id outcome auditor { username } registration { msisdn agent { code } } agent { code region { code } } findings { type penalty { amountFen status } }
    } } } } }`,
    path: (data) => data.auditBatch.items.edges,
  },
  {
    name: 'penalties with agent, finding and statement',
    user: 'staff',
    small: 2,
    large: 200,
    query: `query($n: Int) { penalties(first: $n, filter: { kind: AUDIT }) { edges { node { id amountFen agent { code } finding { type auditItem { registration { msisdn } } } decidedBy { username } } } } }`,
  },
  {
    name: 'parts with stock by location and compatible models',
    user: 'aftersales',
    small: 2,
    large: 200,
    query: `query($n: Int) { parts(first: $n) { edges { node { sku stock { onHand location { name } } compatibleModels { brand model } } } } }`,
  },
  {
    name: "a shop's stock levels with part and location",
    user: 'shop1',
    small: 2,
    large: 200,
    query: `query($n: Int) { stockLevels(first: $n) { edges { node { onHand part { sku name } location { name } } } } }`,
  },
  {
    name: 'parts issues with partner, location and lines',
    user: 'aftersales',
    small: 2,
    large: 200,
    query: `query($n: Int) { partsIssues(first: $n) { edges { node { id totalFen partner { code } location { name } lines { __typename } } } } }`,
  },
  {
    name: 'subsidies with partner and region',
    user: 'finance',
    small: 2,
    large: 200,
    query: `query($n: Int) { subsidies(first: $n) { edges { node { id amountFen partner { code region { code } } reversedBy { id } } } } }`,
  },
];

describe('SQL statements per request do not grow with the list', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      // A first request fills the process-wide cache of reference data (regions); count warm ones.
      await statements(c.query, { n: c.small }, c.user, c.path ?? topEdges);
      const small = await statements(c.query, { n: c.small }, c.user, c.path ?? topEdges);
      const large = await statements(c.query, { n: c.large }, c.user, c.path ?? topEdges);
      expect(large.size).toBeGreaterThan(small.size);
      expect(small.count).toBeGreaterThan(0); // the counter sees the statements at all
      if (large.count !== small.count) {
        throw new Error(`${c.small} rows: ${small.count} statements; ${large.size} rows: ${large.count} statements\n${large.sql.slice(0, 40).join('\n')}`);
      }
    });
  }
});

/**
 * The queries `npm run bench` drives, as the users run them: their statements are counted exactly,
 * so that a change that adds a round trip to the database shows here, not only in the benchmark.
 */
describe('the benchmarked queries run a fixed, small number of statements', () => {
  const BENCH: { name: string; user: string; query: string; variables: Record<string, unknown>; statements: number }[] = [
    {
      name: 'agency staff: a region\'s agents with region and latest records (the page, the records)',
      user: 'staff',
      query: `query($region: String) { agents(first: 50, filter: { regionCode: $region }) {
        pageInfo { hasNextPage endCursor }
        edges { node { id code name status riskScore region { code name }
          registrations(first: 3) { edges { node { id msisdn status flags openedAt } } } } } } }`,
      variables: { region: 'SHASHI' },
      statements: 2,
    },
    {
      name: 'repair shop: its shelf with part and location (one joined statement)',
      user: 'shop1',
      query: `query { stockLevels(first: 50) { edges { node { onHand unitCostFen part { sku name } location { name } } } } }`,
      variables: {},
      statements: 1,
    },
  ];
  for (const c of BENCH) {
    it(c.name, async () => {
      await statements(c.query, c.variables, c.user, topEdges); // fills the region cache
      const warm = await statements(c.query, c.variables, c.user, topEdges);
      expect(warm.size).toBeGreaterThan(0);
      expect({ statements: warm.count, sql: warm.sql }).toEqual({ statements: c.statements, sql: expect.any(Array) });
    });
  }
});

describe('the session recheck', () => {
  it('is marked in its SQL and left out of the request count, so loader counts do not depend on the clock', async () => {
    const fresh = await t.userToken('FINANCE');
    t.sql.reset(true);
    const res = await t.gql('{ me { username } }', {}, fresh);
    expect(res.errors).toBeUndefined();
    expect(t.sql.housekeeping).toBeGreaterThanOrEqual(1);
    expect(t.sql.statements.some((s) => /FROM [`"]?user[`"]?/i.test(s) && /session/i.test(s))).toBe(false);
  });
});
