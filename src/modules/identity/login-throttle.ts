import { EntityManager } from 'typeorm';
import { toDbDate } from '../../common/db';
import { TooManyRequestsError } from '../../common/errors';
import { LoginAttempt } from './login-attempt.entity';

export const THROTTLE = {
  windowMs: 15 * 60 * 1000,
  /** Failed logins for one username (since its last success) within the window. */
  perUser: 5,
  /** Failed logins from one address within the window. */
  perAddress: 30,
};

/** Throws TOO_MANY_REQUESTS with the time to wait when a username or an address is locked out. */
export async function assertLoginAllowed(em: EntityManager, username: string, ip: string, now = new Date()): Promise<void> {
  const since = toDbDate(new Date(now.getTime() - THROTTLE.windowMs));
  const userRows: { n: number | string; oldest: unknown }[] = await em.query(
    `SELECT COUNT(*) AS n, MIN(a.at) AS oldest FROM login_attempt a
      WHERE a.username = ? AND a.success = ? AND a.at > ?
        AND a.at > COALESCE((SELECT MAX(s.at) FROM login_attempt s WHERE s.username = ? AND s.success = ?), ?)`,
    [username, false, since, username, true, since],
  );
  const ipRows: { n: number | string; oldest: unknown }[] = await em.query(
    `SELECT COUNT(*) AS n, MIN(at) AS oldest FROM login_attempt WHERE ip = ? AND success = ? AND at > ?`,
    [ip, false, since],
  );
  for (const [rows, limit, what] of [
    [userRows, THROTTLE.perUser, 'this username'],
    [ipRows, THROTTLE.perAddress, 'this address'],
  ] as const) {
    if (Number(rows[0]?.n ?? 0) >= limit) {
      const oldest = rows[0].oldest instanceof Date ? rows[0].oldest : new Date(`${String(rows[0].oldest).replace(' ', 'T')}Z`);
      const retryAt = new Date(oldest.getTime() + THROTTLE.windowMs);
      const seconds = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000));
      throw new TooManyRequestsError(`Too many failed logins for ${what}: try again after ${retryAt.toISOString()} (${seconds} s)`, seconds);
    }
  }
}

export async function recordLoginAttempt(em: EntityManager, username: string, ip: string, success: boolean): Promise<void> {
  await em.getRepository(LoginAttempt).insert({ username: username.slice(0, 64), ip: ip.slice(0, 64), at: new Date(), success });
}
