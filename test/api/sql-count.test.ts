import { seedDemo } from '../../seeds';
import { startTestApp, TestApp } from '../helpers/app';
import { BENCH, CASES, topEdges } from './hot-queries.fixtures';

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

async function statements(
  query: string,
  variables: Record<string, unknown>,
  user: string,
  path: (data: any) => unknown[],
): Promise<{ count: number; size: number; sql: string[] }> {
  t.sql.reset(true);
  const res = await t.gql(query, variables, tokens[user]);
  const count = t.sql.count;
  const sql = t.sql.statements;
  t.sql.reset();
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return { count, size: path(res.data).length, sql };
}

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
    expect(t.sql.statements.some((s) => /FROM [`"]?user[`"]?/i.test(s) && /housekeeping/i.test(s))).toBe(false);
  });
});
