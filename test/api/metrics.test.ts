import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { importRegistrationsFile } from '../../src/modules/agents/registration-import';
import { signalsOf } from '../../src/common/signals';
import { startTestApp, TestApp, USER_PASSWORD } from '../helpers/app';
import { createAgent, freshId, hoursAgo, nextMsisdn, record, submitOk } from './registrations.fixtures';

/** Issue 24: GET /metrics, protected, and its figures moving as requests, failures and refusals happen. */
const TOKEN = 'metrics-token-for-tests-0123456789';

/** The exposition as a map from `name{labels}` (labels as printed) to value; HELP and TYPE lines left out. */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

/** The value of a series, 0 when absent (a counter not yet incremented has no series). */
function value(m: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let sum = 0;
  for (const [key, v] of m) {
    const brace = key.indexOf('{');
    const base = brace < 0 ? key : key.slice(0, brace);
    if (base !== name) continue;
    const have = brace < 0 ? [] : key.slice(brace + 1, -1).split(',');
    if (want.every((w) => have.includes(w))) sum += v;
  }
  return sum;
}

/** Every label value of every agentnet_ series. */
function labelValues(text: string, label: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(new RegExp(`^agentnet_[^{\\s]*\\{[^}]*\\b${label}="([^"]*)"`, 'gm'))) out.add(m[1]);
  return out;
}

describe('/metrics on the API port (METRICS_TOKEN)', () => {
  let t: TestApp;
  const scrapeText = async () => {
    const res = await t.http().get('/metrics').set('authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    return res.text;
  };
  const scrape = async () => parse(await scrapeText());

  beforeAll(async () => {
    t = await startTestApp({}, { env: { METRICS_TOKEN: TOKEN, QUERY_MAX_COST: '100' } });
  });
  afterAll(() => t.stop());

  it('refuses a scrape without the token or with a wrong one (401)', async () => {
    expect((await t.http().get('/metrics')).status).toBe(401);
    expect((await t.http().get('/metrics').set('authorization', 'Bearer wrong-token-wrong-token-wrong')).status).toBe(401);
    expect((await t.http().get('/metrics').set('authorization', `Basic ${TOKEN}`)).status).toBe(401);
    const text = await scrapeText();
    // Node's process metrics are there too.
    expect(text).toMatch(/^agentnet_nodejs_eventloop_lag_p99_seconds /m);
    expect(text).toMatch(/^agentnet_nodejs_heap_size_used_bytes /m);
  });

  it('counts operations by root field and outcome on both HTTP paths, with latency, size, cost and statements', async () => {
    const token = await t.token('staff');
    const before = await scrape();
    // The fast path (POSTed JSON) and Express (a GET query): both reach the plugin.
    expect((await t.gql('{ regions { code } }', {}, token)).errors).toBeUndefined();
    const get = await t
      .http()
      .get('/graphql')
      .query({ query: '{ regions { code } }' })
      .set('authorization', `Bearer ${token}`)
      .set('apollo-require-preflight', 'true');
    expect(get.status).toBe(200);
    expect(get.body.errors).toBeUndefined();
    // Failures: no token, and a record that is not there.
    expect((await t.gql('{ regions { code } }')).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await t.gql('query($id: ID!){ agent(id: $id) { code } }', { id: '987654321' }, token)).errors?.[0].extensions.code).toBe('NOT_FOUND');
    const after = await scrape();

    const delta = (name: string, labels: Record<string, string> = {}) => value(after, name, labels) - value(before, name, labels);
    expect(delta('agentnet_graphql_requests_total', { operation: 'regions', outcome: 'ok' })).toBe(2);
    expect(delta('agentnet_graphql_requests_total', { operation: 'regions', outcome: 'UNAUTHENTICATED' })).toBe(1);
    expect(delta('agentnet_graphql_requests_total', { operation: 'agent', outcome: 'NOT_FOUND' })).toBe(1);
    expect(delta('agentnet_graphql_request_duration_seconds_count', { operation: 'regions', outcome: 'ok' })).toBe(2);
    expect(delta('agentnet_graphql_request_duration_seconds_bucket', { operation: 'regions', outcome: 'ok', le: '+Inf' })).toBe(2);
    expect(delta('agentnet_graphql_response_size_bytes_count')).toBe(4);
    expect(delta('agentnet_graphql_response_size_bytes_sum')).toBeGreaterThan(50);
    expect(delta('agentnet_graphql_query_cost_count', { operation: 'regions' })).toBeGreaterThanOrEqual(2);
    expect(delta('agentnet_db_statement_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThan(0);
  });

  it('counts a cost refusal by its limit', async () => {
    const token = await t.token('staff');
    const before = await scrape();
    const res = await t.gql('{ agents(first: 100) { edges { node { code region { code } } } } }', {}, token);
    expect(res.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions.field).toBe('query');
    const after = await scrape();
    expect(value(after, 'agentnet_requests_refused_total', { limit: 'cost' }) - value(before, 'agentnet_requests_refused_total', { limit: 'cost' })).toBe(1);
    expect(
      value(after, 'agentnet_graphql_requests_total', { operation: 'agents', outcome: 'BAD_USER_INPUT' }) -
        value(before, 'agentnet_graphql_requests_total', { operation: 'agents', outcome: 'BAD_USER_INPUT' }),
    ).toBe(1);
  });

  it('counts import rows, from the API and from a file import, which says when it starts and ends', async () => {
    const agent = await createAgent(t);
    const before = await scrape();
    await submitOk(t, agent.id, [record(), record(), record()]);
    const dir = mkdtempSync(join(tmpdir(), 'metrics-import-'));
    try {
      const file = join(dir, 'records.csv');
      const rows = Array.from({ length: 5 }, () => [agent.code, nextMsisdn(), 'CDMA', '張偉', 'RESIDENT_ID', freshId(), 'CDMA-XSK-39', hoursAgo(2)].join(','));
      writeFileSync(file, `agentCode,msisdn,network,customerName,idType,idNumber,tariffPlanCode,openedAt\n${rows.join('\n')}\n`);
      // The gauge's arithmetic is test/unit/metrics.test.ts's; here, that the import says when it starts and ends.
      const phases: string[] = [];
      const off = signalsOf(t.app.ds).on('importRun', (s) => phases.push(s.phase));
      const summary = await importRegistrationsFile(t.app.ds, t.config, file, { batchSize: 2 }).finally(off);
      expect(phases).toEqual(['start', 'end']);
      expect(summary.inserted).toBe(5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const after = await scrape();
    expect(value(after, 'agentnet_import_rows_total') - value(before, 'agentnet_import_rows_total')).toBe(8);
    expect(value(after, 'agentnet_imports_running')).toBe(0);
  });

  it('carries no id and no user name in any label', async () => {
    const admin = await t.token('admin');
    const username = 'zyxwvu_metrics_person';
    const created = await t.gql(
      'mutation($i: CreateUserInput!){ createUser(input:$i){ id } }',
      { i: { username, password: USER_PASSWORD, role: 'AGENCY_STAFF' } },
      admin,
    );
    expect(created.errors).toBeUndefined();
    const token = await t.token(username, USER_PASSWORD);
    await t.gql('query Zyxwvu_987654321($id: ID!){ agent(id: $id) { code } }', { id: '987654321' }, token);
    await t.gql('query Zyxwvu_987654321 { me { username } }', {}, token);
    await t.gql('mutation { login(username: "zyxwvu_nobody_here", password: "wrong-password-1") { token } }');
    await t.gql('{ thisFieldDoesNotExist_987654321 }', {}, token);
    const text = await scrapeText();
    expect(text).not.toMatch(/zyxwvu/i);
    expect(text).not.toContain('987654321');
    const roots = new Set([
      ...Object.keys(t.app.schema.getQueryType()!.getFields()),
      ...Object.keys(t.app.schema.getMutationType()!.getFields()),
      'other',
      'introspection',
    ]);
    for (const op of labelValues(text, 'operation')) expect(roots).toContain(op);
    expect(labelValues(text, 'operation')).toContain('other');
    expect(labelValues(text, 'operation')).toContain('me');
  });

  it("has the pool gauges (MariaDB: the pool's limit and its connections)", async () => {
    const m = await scrape();
    for (const name of [
      'agentnet_db_pool_connections_in_use',
      'agentnet_db_pool_connections_idle',
      'agentnet_db_pool_connections_limit',
      'agentnet_db_pool_waiting_requests',
    ]) {
      expect(m.has(name)).toBe(true);
    }
    if (t.isMysql) {
      expect(value(m, 'agentnet_db_pool_connections_limit')).toBe(Number(process.env.DB_POOL_SIZE || 20));
      expect(value(m, 'agentnet_db_pool_connections_idle') + value(m, 'agentnet_db_pool_connections_in_use')).toBeGreaterThan(0);
    } else {
      expect(value(m, 'agentnet_db_pool_connections_limit')).toBe(1);
    }
  });
});

describe('/metrics on a port of its own (METRICS_PORT), with rate limits on', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(
      {},
      {
        env: {
          METRICS_PORT: '0',
          RATE_LIMITS: 'true',
          RATE_LIMIT_USER_REQUESTS: '3',
          RATE_LIMIT_ADDRESS_REQUESTS: '1000',
          RATE_LIMIT_LOGIN_REQUESTS: '1000',
          RATE_LIMIT_EXPENSIVE_REQUESTS: '1000',
        },
      },
    );
  });
  afterAll(() => t.stop());

  it('serves the metrics there without a token, on 127.0.0.1 only, and not on the API port', async () => {
    expect(t.app.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await request(t.app.metricsUrl!).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^agentnet_db_pool_connections_limit /m);
    expect((await request(t.app.metricsUrl!).get('/graphql')).status).toBe(404);
    expect((await t.http().get('/metrics')).status).toBe(404);
  });

  it('counts rate-limit refusals by limit', async () => {
    const before = parse((await request(t.app.metricsUrl!).get('/metrics')).text);
    const token = await t.userToken('FINANCE');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (
          await t
            .http()
            .post('/graphql')
            .set('content-type', 'application/json')
            .set('authorization', `Bearer ${token}`)
            .send({ query: '{ regions { code } }' })
        ).status,
      );
    }
    expect(statuses.filter((s) => s === 429).length).toBe(2);
    const after = parse((await request(t.app.metricsUrl!).get('/metrics')).text);
    expect(
      value(after, 'agentnet_requests_refused_total', { limit: 'userRate' }) - value(before, 'agentnet_requests_refused_total', { limit: 'userRate' }),
    ).toBe(2);
  });
});

describe('/metrics off', () => {
  it('is 404 when neither METRICS_TOKEN nor METRICS_PORT is set, and with METRICS=false', async () => {
    for (const env of [{}, { METRICS: 'false', METRICS_TOKEN: TOKEN }] as Record<string, string>[]) {
      const t = await startTestApp({}, { env });
      try {
        expect((await t.http().get('/metrics').set('authorization', `Bearer ${TOKEN}`)).status).toBe(404);
        expect(t.app.metricsUrl).toBeUndefined();
      } finally {
        await t.stop();
      }
    }
  });
});
