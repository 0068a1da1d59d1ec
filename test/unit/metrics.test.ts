import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import { DataSource } from 'typeorm';
import { AppMetrics, bearerMatches, createMetrics } from '../../src/common/metrics';
import { signalsOf } from '../../src/common/signals';
import { retryPolicy, setRetryPolicy, withRetry } from '../../src/common/retry';
import { RetryLaterError } from '../../src/common/errors';

/**
 * The metrics fed from the signal bus (logins and refused tokens are emitted by the security
 * events' code, merged separately: their counters are checked here against the bus itself), the
 * label bounds, the token check and the Grafana dashboard's metric names.
 */
const schema = buildSchema('type Query { a: Int }');

async function series(m: AppMetrics, name: string): Promise<{ labels: Record<string, string | number>; value: number }[]> {
  const metric = m.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  return (await metric.get()).values.map((v) => ({ labels: v.labels as Record<string, string | number>, value: v.value }));
}

async function valueOf(m: AppMetrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  return (await series(m, name)).filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
}

describe('metrics from the signal bus', () => {
  let ds: DataSource;
  let m: AppMetrics;
  beforeEach(() => {
    // Never initialized: the bus and the registry need only the object (SQLite's pool figures are fixed).
    ds = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
    m = createMetrics(ds, schema);
  });
  afterEach(() => m.stop());

  it('counts logins by outcome and refused tokens by reason, never by user', async () => {
    const bus = signalsOf(ds);
    bus.emit('login', { outcome: 'ok', username: 'alice_unique', address: '10.0.0.1', userId: 7 });
    bus.emit('login', { outcome: 'failed', username: 'alice_unique', address: '10.0.0.1' });
    bus.emit('login', { outcome: 'failed', username: 'bob', address: '10.0.0.2' });
    bus.emit('login', { outcome: 'locked', username: 'bob', address: '10.0.0.2' });
    bus.emit('tokenRefused', { userId: 7, reason: 'revoked' });
    bus.emit('tokenRefused', { userId: 8, reason: 'disabled' });
    expect(await valueOf(m, 'agentnet_logins_total', { outcome: 'ok' })).toBe(1);
    expect(await valueOf(m, 'agentnet_logins_total', { outcome: 'failed' })).toBe(2);
    expect(await valueOf(m, 'agentnet_logins_total', { outcome: 'locked' })).toBe(1);
    expect(await valueOf(m, 'agentnet_tokens_refused_total', { reason: 'revoked' })).toBe(1);
    expect(await valueOf(m, 'agentnet_tokens_refused_total', { reason: 'disabled' })).toBe(1);
    const text = await m.registry.metrics();
    expect(text).not.toMatch(/alice_unique|bob|10\.0\.0/);
  });

  it('keeps free-text labels short and few: odd values and those past the twentieth read "other"', async () => {
    const bus = signalsOf(ds);
    bus.emit('refused', { limit: 'user 42 at 10.0.0.1' });
    bus.emit('refused', { limit: 'x'.repeat(80) });
    for (let i = 0; i < 30; i++) bus.emit('refused', { limit: `limit${i}` });
    const values = (await series(m, 'agentnet_requests_refused_total')).map((s) => String(s.labels.limit));
    expect(values.length).toBeLessThanOrEqual(21);
    expect(values).toContain('other');
    expect(values).not.toContain('limit25');
    expect(await valueOf(m, 'agentnet_requests_refused_total', { limit: 'other' })).toBe(12);
  });

  it("counts retries and give-ups by reason through withRetry and a DataSource's retry policy", async () => {
    setRetryPolicy(ds, { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 });
    const deadlock = Object.assign(new Error('Deadlock found'), { errno: 1213, code: 'ER_LOCK_DEADLOCK' });
    let n = 0;
    await withRetry(async () => {
      if (++n < 3) throw deadlock;
      return 'done';
    }, retryPolicy(ds));
    await expect(withRetry(async () => Promise.reject(deadlock), retryPolicy(ds))).rejects.toBeInstanceOf(RetryLaterError);
    expect(await valueOf(m, 'agentnet_db_tx_retries_total', { reason: 'deadlock' })).toBe(4);
    expect(await valueOf(m, 'agentnet_db_tx_retries_exhausted_total', { reason: 'deadlock' })).toBe(1);
  });

  it('counts import rows and the imports running', async () => {
    const bus = signalsOf(ds);
    bus.emit('importRun', { phase: 'start' });
    bus.emit('importRun', { phase: 'start' });
    bus.emit('importRows', { rows: 1000 });
    bus.emit('importRows', { rows: 250 });
    expect(await valueOf(m, 'agentnet_imports_running')).toBe(2);
    bus.emit('importRun', { phase: 'end' });
    expect(await valueOf(m, 'agentnet_imports_running')).toBe(1);
    expect(await valueOf(m, 'agentnet_import_rows_total')).toBe(1250);
  });

  it('stops hearing the bus once stopped, and two apps never share figures', async () => {
    const other = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
    const m2 = createMetrics(other, schema);
    signalsOf(ds).emit('refused', { limit: 'cost' });
    expect(await valueOf(m, 'agentnet_requests_refused_total', { limit: 'cost' })).toBe(1);
    expect(await valueOf(m2, 'agentnet_requests_refused_total', { limit: 'cost' })).toBe(0);
    m2.stop();
    signalsOf(other).emit('refused', { limit: 'cost' });
    expect(m2.registry.getSingleMetric('agentnet_requests_refused_total')).toBeUndefined();
  });
});

describe('bearerMatches', () => {
  it('accepts the token only, as a bearer', () => {
    const token = 'a-metrics-token-of-some-length';
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`Bearer ${token}x`, token)).toBe(false);
    expect(bearerMatches(`Bearer ${token.slice(1)}`, token)).toBe(false);
    expect(bearerMatches(token, token)).toBe(false);
    expect(bearerMatches(undefined, token)).toBe(false);
  });
});

describe('docs/grafana/agentnet.json', () => {
  it('is a dashboard whose every metric exists in the registry, on a ${DS} data source', async () => {
    const dashboard = JSON.parse(readFileSync(join(__dirname, '../../docs/grafana/agentnet.json'), 'utf8'));
    const ds = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
    const m = createMetrics(ds, schema);
    try {
      const known = new Set<string>();
      for (const metric of await m.registry.getMetricsAsJSON()) {
        known.add(metric.name);
        if (String(metric.type) === 'histogram') for (const s of ['_bucket', '_sum', '_count']) known.add(metric.name + s);
      }
      const panels: any[] = dashboard.panels.filter((p: any) => p.type !== 'row');
      expect(panels.length).toBeGreaterThan(10);
      const used = new Set<string>();
      for (const p of panels) {
        expect(p.datasource.uid).toBe('${DS}');
        for (const target of p.targets) for (const name of target.expr.match(/\bagentnet_\w+/g) ?? []) used.add(name);
      }
      for (const name of used) expect(known).toContain(name);
      // Every app metric is drawn somewhere.
      for (const metric of await m.registry.getMetricsAsJSON()) {
        if (!/^agentnet_(graphql|db|logins|tokens|requests|import)/.test(metric.name)) continue;
        expect([...used].some((u) => u.startsWith(metric.name))).toBe(true);
      }
    } finally {
      m.stop();
    }
  });
});
