import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { RetryLaterError } from './errors';
import { SignalBus, signalsOf } from './signals';

/**
 * Re-running a whole transaction that the database rolled back because it lost a race.
 *
 * Retryable, because each one means the server rolled the transaction back (or refused it before
 * it ran) and nothing of it committed, so running the callback again from scratch is safe:
 * - 1213 ER_LOCK_DEADLOCK: an InnoDB deadlock victim, and on Galera a transaction that lost
 *   certification against another node's commit or was brute-force aborted by an applied writeset.
 *   On Galera it often comes from the COMMIT itself.
 * - 1205 ER_LOCK_WAIT_TIMEOUT: MariaDB rolls back only the statement, but inTransaction rolls
 *   back the rest as the error leaves the callback. It has already waited
 *   innodb_lock_wait_timeout, so it is retried once at most.
 * - 1047 ER_UNKNOWN_COM_ERROR with "WSREP has not yet prepared node for application use": the node
 *   is not in the primary component or is still joining, and refused the statement without running
 *   it. A node rejoining is ready within seconds; one cut off for longer runs out of attempts and the
 *   client gets RETRY_LATER (a load balancer should stop sending to it: /ready).
 *
 * Not retried: a lost connection. If it broke during COMMIT the transaction may have committed on
 * the cluster, and running it again would apply it twice; the client is told the database is
 * unavailable instead. Unique-key violations and business conflicts are answers, not races.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** The first backoff's ceiling (ms); each later one doubles it, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  log?: Logger;
  /** Where retries and give-ups are said (the metrics count them); a DataSource's policy gets its app's bus. */
  signals?: SignalBus;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 10, baseDelayMs: 10, maxDelayMs: 400 };

/**
 * Counts since the process started, for logs now and for a metrics endpoint later: transactions
 * re-run, transactions that ran out of attempts, and re-runs per cause.
 */
export const txRetryCounter = {
  retried: 0,
  exhausted: 0,
  byReason: { deadlock: 0, lockWaitTimeout: 0, wsrepNotReady: 0 } as Record<RetryReason, number>,
  reset(): void {
    this.retried = 0;
    this.exhausted = 0;
    for (const k of Object.keys(this.byReason) as RetryReason[]) this.byReason[k] = 0;
  },
};

export type RetryReason = 'deadlock' | 'lockWaitTimeout' | 'wsrepNotReady';

interface DriverErrorLike {
  code?: string;
  errno?: number;
  message?: string;
  driverError?: DriverErrorLike;
}

/** Why this error may be retried, or null when it may not. */
export function retryReason(err: unknown): RetryReason | null {
  const e = err as DriverErrorLike | undefined;
  for (const x of [e, e?.driverError]) {
    if (!x) continue;
    if (x.errno === 1213 || x.code === 'ER_LOCK_DEADLOCK') return 'deadlock';
    if (x.errno === 1205 || x.code === 'ER_LOCK_WAIT_TIMEOUT') return 'lockWaitTimeout';
    if ((x.errno === 1047 || x.code === 'ER_UNKNOWN_COM_ERROR') && /WSREP/i.test(x.message ?? '')) return 'wsrepNotReady';
  }
  return null;
}

const policies = new WeakMap<object, RetryPolicy>();

/** The policy (attempts, backoff, logger) for transactions on this DataSource; set once at start. */
export function setRetryPolicy(key: object, policy: Partial<RetryPolicy>): void {
  const signals = policy.signals ?? (key instanceof DataSource ? signalsOf(key) : undefined);
  policies.set(key, { ...DEFAULT_RETRY_POLICY, ...policy, signals });
}

export function retryPolicy(key: object): RetryPolicy {
  return policies.get(key) ?? DEFAULT_RETRY_POLICY;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Run `fn` (a whole transaction) and run it again while it fails with a retryable error, with
 * exponential backoff and full jitter (a random wait below a doubling ceiling), so the losers of a
 * race on a hot row do not all come back at the same instant. When the attempts run out the
 * caller gets RetryLaterError (extensions.code RETRY_LATER), never the driver's error.
 */
export async function withRetry<T>(fn: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Promise<T> {
  let timeouts = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const reason = retryReason(err);
      if (!reason) throw err;
      if (reason === 'lockWaitTimeout') timeouts++;
      if (attempt >= policy.attempts || timeouts > 1) {
        txRetryCounter.exhausted++;
        policy.signals?.emit('retry', { reason, exhausted: true });
        policy.log?.warn({ reason, attempts: attempt, err: (err as Error).message }, 'transaction gave up after repeated conflicts');
        throw new RetryLaterError(attempt, reason);
      }
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.round(Math.random() * ceiling);
      txRetryCounter.retried++;
      txRetryCounter.byReason[reason]++;
      policy.signals?.emit('retry', { reason, exhausted: false });
      policy.log?.info({ reason, attempt, delayMs, retriedTotal: txRetryCounter.retried }, 'transaction retried');
      await sleep(delayMs);
    }
  }
}
