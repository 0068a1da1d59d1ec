import { createPool } from 'mysql2';
import { DataSource } from 'typeorm';
import { hasFreeConnection, poolFigures } from '../../src/runtime/sql/pool-stats';

/**
 * poolFigures reads mysql2's undocumented pool fields. This fails when an upgrade renames them,
 * rather than /ready and the metrics silently reading zeros.
 */
describe('the mysql2 pool fields poolFigures reads', () => {
  it('exist with the shapes it expects', async () => {
    const pool = createPool({ host: '127.0.0.1', user: 'root', connectionLimit: 7 }) as unknown as Record<string, any>;
    try {
      expect(pool.config.connectionLimit).toBe(7);
      for (const f of ['_allConnections', '_freeConnections', '_connectionQueue']) expect(typeof pool[f].length).toBe('number');
      const ds = Object.assign(Object.create(DataSource.prototype), { options: { type: 'mariadb' }, driver: { pool }, isInitialized: true });
      expect(poolFigures(ds)).toEqual({ limit: 7, open: 0, inUse: 0, idle: 0, waiting: 0 });
    } finally {
      await new Promise((r) => (pool as any).end(r));
    }
  });

  it('says a connection is free when one is idle or the pool may open one, and no caller waits', () => {
    expect(hasFreeConnection({ limit: 2, open: 2, inUse: 2, idle: 0, waiting: 0 })).toBe(false);
    expect(hasFreeConnection({ limit: 2, open: 1, inUse: 1, idle: 0, waiting: 0 })).toBe(true);
    expect(hasFreeConnection({ limit: 2, open: 2, inUse: 1, idle: 1, waiting: 0 })).toBe(true);
    expect(hasFreeConnection({ limit: 2, open: 2, inUse: 1, idle: 1, waiting: 3 })).toBe(false);
  });
});
