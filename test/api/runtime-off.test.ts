import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { seedDemo } from '../../seeds';
import { startTestApp, TestApp } from '../helpers/app';
import { statementCacheStats } from '../../src/runtime/sql/statement-cache';
import type { App } from '../../src/app';
import { BENCH, CASES } from './hot-queries.fixtures';

/**
 * Every mechanism in src/runtime is a faster way to the same answer. Two apps share one database:
 * one as it runs in production, one started in an isolated module registry with RUNTIME_OFF=all
 * (TypeORM builds and runs every query, type-graphql wires every resolver, Apollo reads every
 * request, graphql-js executes). The hot queries must answer the same, byte for byte.
 */
let t: TestApp;
let off: App;
let dir: string | undefined;
const JWT_SECRET = 'runtime-off-test-secret-0123456789abcdef';
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const mysql = process.env.TEST_DATABASE_URL;
  if (!mysql) dir = mkdtempSync(join(tmpdir(), 'runtime-off-'));
  const dbEnv: Record<string, string> = mysql ? {} : { DATABASE_URL: `sqlite:${join(dir!, 'db.sqlite')}` };
  t = await startTestApp({}, { env: { ...dbEnv, JWT_SECRET } });
  await seedDemo(t.app.ds, t.config);
  for (const u of ['admin', 'staff', 'aftersales', 'finance', 'shop1']) tokens[u] = await t.token(u);
  const before = process.env.RUNTIME_OFF;
  process.env.RUNTIME_OFF = 'all';
  try {
    await jest.isolateModulesAsync(async () => {
      const { createApp } = await import('../../src/app');
      const { loadConfig } = await import('../../src/config');
      const config = loadConfig({
        ...process.env,
        ...(mysql ? { DATABASE_URL: mysql } : dbEnv),
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        SEED: 'none',
        PORT: '0',
        RATE_LIMITS: 'false',
        JWT_SECRET,
      });
      expect(config.graphqlJit).toBe(false);
      off = await createApp(config, { databaseName: t.databaseName });
    });
  } finally {
    if (before === undefined) delete process.env.RUNTIME_OFF;
    else process.env.RUNTIME_OFF = before;
  }
});
afterAll(async () => {
  await off?.stop();
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function answer(server: App['server'], query: string, variables: Record<string, unknown>, user: string): Promise<unknown> {
  const res = await request(server)
    .post('/graphql')
    .set('content-type', 'application/json')
    .set('authorization', `Bearer ${tokens[user]}`)
    .send({ query, variables });
  expect(res.body.errors).toBeUndefined();
  return res.body.data;
}

describe('the hot queries with every runtime mechanism off', () => {
  const queries = [
    ...CASES.map((c) => ({ name: c.name, user: c.user, query: c.query, variables: { n: c.large } as Record<string, unknown> })),
    ...BENCH.map((c) => ({ name: c.name, user: c.user, query: c.query, variables: c.variables })),
  ];
  for (const q of queries) {
    it(`answer the same: ${q.name}`, async () => {
      const hits = statementCacheStats.hits + statementCacheStats.misses + statementCacheStats.uncacheable;
      const on = await answer(t.app.server, q.query, q.variables, q.user);
      const plain = await answer(off.server, q.query, q.variables, q.user);
      expect(JSON.stringify(plain)).toBe(JSON.stringify(on));
      if (q.query.includes('stockLevels') || q.query.includes('agents(')) {
        // The app with the runtime on went through the statement cache (the isolated one has its own stats).
        expect(statementCacheStats.hits + statementCacheStats.misses + statementCacheStats.uncacheable).toBeGreaterThan(hits);
      }
    });
  }
});
