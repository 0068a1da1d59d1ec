import { startTestApp, TestApp } from '../helpers/app';
import { RetryLaterError } from '../../src/common/errors';
import { retryReason, setRetryPolicy, txRetryCounter, withRetry } from '../../src/common/retry';
import { inTransaction } from '../../src/common/tx';
import { makeErrorFormatter } from '../../src/common/errors';

/**
 * Transactions that lose a race (a deadlock, a Galera certification conflict, a node not ready)
 * are run again whole, a bounded number of times, and then answer RETRY_LATER; other errors are
 * not retried. On MariaDB the errors are real ones, raised by SIGNAL inside a real transaction.
 */
const err = (errno: number, code: string, message = code) => Object.assign(new Error(message), { errno, code });

describe('withRetry', () => {
  const fast = { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 };

  it('runs the function again after a deadlock or a certification failure, and counts it', async () => {
    txRetryCounter.reset();
    let calls = 0;
    const out = await withRetry(async () => {
      if (++calls < 3) throw err(1213, 'ER_LOCK_DEADLOCK', 'Deadlock found when trying to get lock; try restarting transaction');
      return 'done';
    }, fast);
    expect(out).toBe('done');
    expect(calls).toBe(3);
    expect(txRetryCounter.retried).toBe(2);
    expect(txRetryCounter.byReason.deadlock).toBe(2);
  });

  it('gives up after its attempts with RETRY_LATER, not the driver error', async () => {
    txRetryCounter.reset();
    let calls = 0;
    const p = withRetry(async () => {
      calls++;
      throw err(1047, 'ER_UNKNOWN_COM_ERROR', 'WSREP has not yet prepared node for application use');
    }, fast);
    await expect(p).rejects.toBeInstanceOf(RetryLaterError);
    await expect(p).rejects.toMatchObject({ extensions: { code: 'RETRY_LATER', reason: 'wsrepNotReady' } });
    expect(calls).toBe(4);
    expect(txRetryCounter.exhausted).toBe(1);
  });

  it('retries a lock wait timeout once only (it has already waited)', async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw err(1205, 'ER_LOCK_WAIT_TIMEOUT');
      }, fast),
    ).rejects.toMatchObject({ extensions: { code: 'RETRY_LATER', reason: 'lockWaitTimeout' } });
    expect(calls).toBe(2);
  });

  it('does not retry a lost connection, a unique-key violation or a 1047 that is not WSREP', async () => {
    for (const e of [err(0, 'PROTOCOL_CONNECTION_LOST'), err(1062, 'ER_DUP_ENTRY'), err(1047, 'ER_UNKNOWN_COM_ERROR', 'Unknown command')]) {
      let calls = 0;
      await expect(
        withRetry(async () => {
          calls++;
          throw e;
        }, fast),
      ).rejects.toBe(e);
      expect(calls).toBe(1);
    }
  });

  it('reaches the client as RETRY_LATER, not INTERNAL_SERVER_ERROR', () => {
    const e = new RetryLaterError(10, 'deadlock');
    const formatted = makeErrorFormatter({ exposeInternals: false })({ message: e.message, extensions: e.extensions }, e);
    expect(formatted.extensions).toMatchObject({ code: 'RETRY_LATER', reason: 'deadlock', retryAfterSeconds: 1 });
  });

  it('finds the code under TypeORM’s QueryFailedError (driverError)', () => {
    expect(retryReason({ driverError: err(1213, 'ER_LOCK_DEADLOCK') })).toBe('deadlock');
    expect(retryReason({ message: 'x' })).toBeNull();
  });
});

// SQLite runs one transaction at a time and never retries: these are about MySQL/MariaDB.
(process.env.TEST_DATABASE_URL ? describe : describe.skip)('inTransaction on MariaDB', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.ds.query('CREATE TABLE retry_probe (id INTEGER PRIMARY KEY, note VARCHAR(32))');
  });
  afterAll(() => t.stop());

  it('re-runs the whole transaction: what the failed attempt wrote is rolled back, so the effect is applied once', async () => {
    const ds = t.app.ds;
    setRetryPolicy(ds, { attempts: 5, baseDelayMs: 1, maxDelayMs: 5 });
    let attempts = 0;
    const out = await inTransaction(ds, async (em) => {
      attempts++;
      await em.query('INSERT INTO retry_probe (id, note) VALUES (?, ?)', [attempts, `attempt ${attempts}`]);
      if (attempts < 3) await em.query("SIGNAL SQLSTATE '40001' SET MESSAGE_TEXT = 'Deadlock found when trying to get lock', MYSQL_ERRNO = 1213");
      return attempts;
    });
    expect(out).toBe(3);
    expect(await ds.query('SELECT id, note FROM retry_probe ORDER BY id')).toEqual([{ id: 3, note: 'attempt 3' }]);
  });

  it('ends with RETRY_LATER when every attempt loses', async () => {
    const ds = t.app.ds;
    setRetryPolicy(ds, { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 });
    await expect(
      inTransaction(ds, (em) => em.query("SIGNAL SQLSTATE '40001' SET MESSAGE_TEXT = 'Deadlock found when trying to get lock', MYSQL_ERRNO = 1213")),
    ).rejects.toMatchObject({ extensions: { code: 'RETRY_LATER' } });
  });
});
