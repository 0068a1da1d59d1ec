import { DataSource, EntityManager } from 'typeorm';
import { fromDbDate, isMysql, placeholders, toDbDate } from '../../common/db';
import { TooManyRequestsError } from '../../common/errors';
import { inTransaction } from '../../common/tx';
import { LoginAttempt } from './login-attempt.entity';

export const THROTTLE = {
  windowMs: 15 * 60 * 1000,
  /** Failed logins for one user from one address within the window; then that pair waits for the window's end. */
  perUserAddress: 5,
  /** Failed logins from one address, whatever the usernames, within the window. */
  perAddress: 30,
  /** Failed logins for one user from all addresses within the window before the per-user backoff starts. */
  perUser: 20,
  /** Backoff past perUser: the n-th further failure makes the next attempt wait backoffBaseMs·2^(n-1), at most backoffMaxMs. */
  backoffBaseMs: 1000,
  backoffMaxMs: 5 * 60 * 1000,
  /** An address this user logged in from successfully within this time is not slowed by the per-user backoff. */
  knownAddressMs: 30 * 24 * 3600 * 1000,
};

/** Who the counters are about: the user's id when the name is a user's, else the name as typed. */
export function loginSubject(userId: number | null, username: string): string {
  return userId != null ? `#${userId}` : `@${username.toLowerCase().slice(0, 64)}`;
}

export interface Reservation {
  keys: { userAddress: string; user: string; address: string };
  /** The user logged in successfully from this address within THROTTLE.knownAddressMs (read before this attempt). */
  knownAddress: boolean;
}

interface CounterRow {
  counterKey: string;
  failures: number | string;
  windowStart: unknown;
  nextAllowedAt: unknown;
}

function retryError(what: string, retryAt: Date, now: Date): TooManyRequestsError {
  const seconds = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000));
  return new TooManyRequestsError(`Too many failed logins for ${what}: try again after ${retryAt.toISOString()} (${seconds} s)`, seconds);
}

/** Has this user logged in from this address within THROTTLE.knownAddressMs? */
async function knownAddress(em: EntityManager, username: string, ip: string, now: Date): Promise<boolean> {
  const rows = await em.query(`SELECT 1 AS x FROM login_attempt WHERE username = ? AND ip = ? AND success = ? AND at > ? LIMIT 1`, [
    username.slice(0, 64),
    ip.slice(0, 64),
    true,
    toDbDate(new Date(now.getTime() - THROTTLE.knownAddressMs)),
  ]);
  return rows.length > 0;
}

/**
 * Counts one attempt for the user (`subject`, see loginSubject) from `ip` BEFORE its password is
 * checked, or throws TOO_MANY_REQUESTS with the time to wait. The three counters are read and
 * written in one transaction holding their rows (`FOR UPDATE` on MySQL, SQLite's write lock taken
 * by the first statement), so concurrent attempts queue on the rows and no more than the limit
 * ever get through, on one replica or many. A successful login gives its attempt back
 * (loginSucceeded).
 */
export async function reserveLoginAttempt(ds: DataSource, subject: string, username: string | null, ip: string, now = new Date()): Promise<Reservation> {
  const ipKey = ip.slice(0, 64);
  const keys = { userAddress: `ua:${subject}|${ipKey}`, user: `u:${subject}`, address: `a:${ipKey}` };
  const ordered = [keys.address, keys.user, keys.userAddress].sort();
  const known = username ? await knownAddress(ds.manager, username, ip, now) : false;
  const mysql = isMysql(ds);
  const ensure = async (em: EntityManager) =>
    em.query(
      `INSERT ${mysql ? 'IGNORE' : 'OR IGNORE'} INTO login_counter (counterKey, failures, windowStart, nextAllowedAt) VALUES ${ordered.map(() => '(?, 0, ?, NULL)').join(', ')}`,
      ordered.flatMap((k) => [k, toDbDate(now)]),
    );
  // MySQL: rows made outside the locking transaction, so that no two transactions hold shared
  // locks from an INSERT and then both wait for exclusive ones. SQLite: inside it, where the
  // INSERT takes the database's write lock before anything is read.
  if (mysql) await ensure(ds.manager);
  await inTransaction(ds, async (em) => {
    if (!mysql) await ensure(em);
    const rows: CounterRow[] = await em.query(
      `SELECT counterKey, failures, windowStart, nextAllowedAt FROM login_counter WHERE counterKey IN (${placeholders(ordered.length)}) ORDER BY counterKey${mysql ? ' FOR UPDATE' : ''}`,
      ordered,
    );
    const windowFrom = now.getTime() - THROTTLE.windowMs;
    const state = new Map<string, { failures: number; windowStart: Date; nextAllowedAt: Date | null }>();
    for (const r of rows) {
      const start = fromDbDate(r.windowStart)!;
      const fresh = start.getTime() <= windowFrom;
      state.set(r.counterKey.toLowerCase(), {
        failures: fresh ? 0 : Number(r.failures),
        windowStart: fresh ? now : start,
        nextAllowedAt: fresh ? null : fromDbDate(r.nextAllowedAt),
      });
    }
    const get = (k: string) => state.get(k.toLowerCase()) ?? { failures: 0, windowStart: now, nextAllowedAt: null };
    const ua = get(keys.userAddress);
    const a = get(keys.address);
    const u = get(keys.user);
    const windowEnd = (s: { windowStart: Date }) => new Date(s.windowStart.getTime() + THROTTLE.windowMs);
    if (ua.failures >= THROTTLE.perUserAddress) throw retryError('this username from this address', windowEnd(ua), now);
    if (a.failures >= THROTTLE.perAddress) throw retryError('this address', windowEnd(a), now);
    if (!known && u.nextAllowedAt && u.nextAllowedAt > now)
      throw retryError('this username (slowed down after failures from many addresses)', u.nextAllowedAt, now);

    const over = u.failures + 1 - THROTTLE.perUser;
    const nextAllowedAt =
      over > 0 ? new Date(now.getTime() + Math.min(THROTTLE.backoffMaxMs, THROTTLE.backoffBaseMs * 2 ** Math.min(30, over - 1))) : u.nextAllowedAt;
    for (const [key, s, next] of [
      [keys.userAddress, ua, null],
      [keys.address, a, null],
      [keys.user, u, nextAllowedAt],
    ] as const) {
      await em.query(`UPDATE login_counter SET failures = ?, windowStart = ?, nextAllowedAt = ? WHERE counterKey = ?`, [
        s.failures + 1,
        toDbDate(s.windowStart),
        next ? toDbDate(next) : null,
        key,
      ]);
    }
  });
  return { keys, knownAddress: known };
}

/** A correct password: the user's counters start again, and the address's attempt is given back. */
export async function loginSucceeded(em: EntityManager, r: Reservation): Promise<void> {
  await em.query(`UPDATE login_counter SET failures = 0, nextAllowedAt = NULL WHERE counterKey IN (?, ?)`, [r.keys.userAddress, r.keys.user]);
  await em.query(`UPDATE login_counter SET failures = failures - 1 WHERE counterKey = ? AND failures > 0`, [r.keys.address]);
}

/** The history of attempts (who, from where, when, whether it worked); the counters above decide. */
export async function recordLoginAttempt(em: EntityManager, username: string, ip: string, success: boolean): Promise<void> {
  await em.getRepository(LoginAttempt).insert({ username: username.slice(0, 64), ip: ip.slice(0, 64), at: new Date(), success });
}
