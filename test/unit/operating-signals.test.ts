import { DataSource } from 'typeorm';
import { PoolWatch } from '../../src/runtime/sql/pool-stats';
import { RequestStats } from '../../src/common/request-stats';
import { afterCommit, inTransaction } from '../../src/common/tx';
import { ConfigError, loadConfig } from '../../src/config';

/** A DataSource that poolFigures reads as MySQL, over a pool whose figures the test sets. */
function fakePool(limit: number) {
  const pool = { config: { connectionLimit: limit }, _allConnections: { length: 0 }, _freeConnections: { length: 0 }, _connectionQueue: { length: 0 } };
  const ds = Object.assign(Object.create(DataSource.prototype), { options: { type: 'mariadb' }, driver: { pool }, isInitialized: true }) as DataSource;
  const set = (open: number, idle: number, waiting = 0) => {
    pool._allConnections.length = open;
    pool._freeConnections.length = idle;
    pool._connectionQueue.length = waiting;
  };
  return { ds, set };
}

describe('PoolWatch (what /ready reads)', () => {
  it('counts the time since a connection was last free, and forgets it once one is', () => {
    const { ds, set } = fakePool(2);
    const watch = new PoolWatch(ds, 3_600_000); // sampled by hand here
    try {
      const t0 = Date.now();
      set(1, 1);
      expect(watch.starvedForMs(t0)).toBe(0);
      set(2, 0); // both lent out
      expect(watch.starvedForMs(t0 + 1000)).toBe(1000);
      set(2, 0, 3); // and callers queue
      expect(watch.starvedForMs(t0 + 6000)).toBe(6000);
      set(2, 1);
      expect(watch.starvedForMs(t0 + 6500)).toBe(0);
      set(2, 0);
      expect(watch.starvedForMs(t0 + 7000)).toBe(500);
    } finally {
      watch.stop();
    }
  });

  it('a pool below its limit is never starved, even with every open connection busy', () => {
    const { ds, set } = fakePool(5);
    const watch = new PoolWatch(ds, 3_600_000);
    try {
      set(3, 0);
      expect(watch.starvedForMs(Date.now() + 60_000)).toBe(0);
    } finally {
      watch.stop();
    }
  });
});

describe('RequestStats (the last minute of GET /status)', () => {
  it('counts the requests, client and server errors of the last 60 seconds only', () => {
    const s = new RequestStats();
    const t0 = 1_700_000_000_000;
    s.record(200, t0);
    s.record(400, t0 + 10);
    s.record(503, t0 + 30_000);
    s.record(200, t0 + 59_000);
    expect(s.lastMinute(t0 + 59_500)).toEqual({ requests: 4, clientErrors: 1, serverErrors: 1, errorRate: 0.25 });
    // 61 s on, the first second's two have left the window.
    expect(s.lastMinute(t0 + 61_000)).toEqual({ requests: 2, clientErrors: 0, serverErrors: 1, errorRate: 0.5 });
    // A bucket reused a minute later starts from zero.
    s.record(200, t0 + 60_000);
    expect(s.lastMinute(t0 + 60_500)).toEqual({ requests: 3, clientErrors: 0, serverErrors: 1, errorRate: 1 / 3 });
    expect(s.lastMinute(t0 + 10 * 60_000)).toEqual({ requests: 0, clientErrors: 0, serverErrors: 0, errorRate: 0 });
  });
});

describe('afterCommit (account events are said once, after the change committed)', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
    await ds.initialize();
  });
  afterAll(() => ds.destroy());

  it('runs after the commit, and never for a transaction that rolled back', async () => {
    const said: string[] = [];
    await inTransaction(ds, async (em) => {
      afterCommit(em, () => said.push('committed'));
      expect(said).toEqual([]);
    });
    expect(said).toEqual(['committed']);
    await expect(
      inTransaction(ds, async (em) => {
        afterCommit(em, () => said.push('rolled back'));
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(said).toEqual(['committed']);
  });

  it('outside a transaction runs at once', () => {
    const said: string[] = [];
    afterCommit(ds.manager, () => said.push('now'));
    expect(said).toEqual(['now']);
  });
});

describe('configuration', () => {
  it('reads READY_POOL_STARVED_MS (bounded) and SECURITY_LOG', () => {
    expect(loadConfig({ NODE_ENV: 'test' })).toMatchObject({ readyPoolStarvedMs: 5000, securityLog: undefined });
    expect(loadConfig({ NODE_ENV: 'test', READY_POOL_STARVED_MS: '2000', SECURITY_LOG: '/var/log/agentnet/security.log' })).toMatchObject({
      readyPoolStarvedMs: 2000,
      securityLog: '/var/log/agentnet/security.log',
    });
    expect(() => loadConfig({ NODE_ENV: 'test', READY_POOL_STARVED_MS: '10' })).toThrow(/READY_POOL_STARVED_MS must be between 100 and 600000/);
    expect(() => loadConfig({ NODE_ENV: 'test', READY_POOL_STARVED_MS: 'soon' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'test', SECURITY_LOG: 'a\nb' })).toThrow(/SECURITY_LOG/);
  });
});
