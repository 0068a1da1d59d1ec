import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import { DataSource, In } from 'typeorm';
import type { AuthUser } from '../../common/auth';
import { ForbiddenError, UnauthenticatedError } from '../../common/errors';
import { Role } from '../../common/roles';
import { HOUSEKEEPING_COMMENT } from '../../common/sql-counter';
import { RequestMeta, signalsOf } from '../../common/signals';
import { User } from './user.entity';

/** The longest a process may answer from what it last read about a user (SESSION_RECHECK_MS's maximum). */
export const MAX_RECHECK_MS = 4000;

interface SessionState {
  active: boolean;
  tokenVersion: number;
  role: Role;
  repairPartnerId: number | null;
  agentId: number | null;
  mustChangePassword: boolean;
}

const GONE = { gone: true } as const;
type Cached = SessionState | typeof GONE;

/**
 * Whether a verified token's user may still use it: the user exists and is active, and neither the
 * token version (bumped by disable, role or binding change, password change or reset, logout
 * everywhere) nor the role and bindings differ from the token's. What a process read about a user
 * is kept at most `recheckMs` (≤ 4 s), so a change made on any replica ends the user's tokens on
 * every replica within that bound plus one read; the process that made the change forgets its
 * entry at once. Concurrent misses share one read, and the misses of one tick are one
 * `SELECT ... WHERE id IN (...)` (DataLoader).
 */
export class SessionGuard {
  private readonly cache: LRUCache<number, Cached> | null;
  private readonly loader: DataLoader<number, Cached>;

  constructor(
    private readonly ds: DataSource,
    readonly recheckMs: number,
  ) {
    this.loader = new DataLoader<number, Cached>(
      async (ids) => {
        const rows = await ds.getRepository(User).find({
          // Housekeeping, not the request's work: the SQL counter leaves it out (common/sql-counter.ts).
          comment: HOUSEKEEPING_COMMENT,
          select: { id: true, active: true, tokenVersion: true, role: true, repairPartnerId: true, agentId: true, mustChangePassword: true },
          where: { id: In([...ids]) },
        });
        const byId = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => {
          const r = byId.get(id);
          if (!r) return GONE;
          return {
            active: !!r.active,
            tokenVersion: Number(r.tokenVersion),
            role: r.role,
            repairPartnerId: r.repairPartnerId == null ? null : Number(r.repairPartnerId),
            agentId: r.agentId == null ? null : Number(r.agentId),
            mustChangePassword: !!r.mustChangePassword,
          };
        });
      },
      { cache: false },
    );
    this.cache = recheckMs > 0 ? new LRUCache<number, Cached>({ max: 50_000, ttl: recheckMs, fetchMethod: (id) => this.loader.load(id) }) : null;
  }

  private state(id: number): Cached | Promise<Cached | undefined> {
    if (!this.cache) return this.loader.load(id);
    return this.cache.get(id) ?? this.cache.fetch(id);
  }

  /**
   * The user as the request may act, or UNAUTHENTICATED when the token's session has ended (said as
   * a `tokenRefused` signal with `meta`'s request id and address, for the security log).
   */
  async check(user: AuthUser, meta: RequestMeta = {}): Promise<AuthUser> {
    const s = await this.state(user.id);
    if (!s || 'gone' in s || !s.active) throw this.refuse(user, meta, 'disabled', 'This account is disabled: ask an administrator');
    // A role or binding change also bumps the version: it is named first, being the more specific.
    const changed = s.role !== user.role || s.repairPartnerId !== user.repairPartnerId || s.agentId !== user.agentId;
    if (changed || s.tokenVersion !== (user.tokenVersion ?? 0)) {
      throw this.refuse(
        user,
        meta,
        changed ? 'changed' : 'revoked',
        'This session has ended (password, role or access changed, or logged out everywhere): log in again',
      );
    }
    return s.mustChangePassword ? { ...user, mustChangePassword: true } : user;
  }

  private refuse(user: AuthUser, meta: RequestMeta, reason: 'disabled' | 'revoked' | 'changed', message: string): UnauthenticatedError {
    signalsOf(this.ds).emit('tokenRefused', { userId: user.id, username: user.username, reason, ...meta });
    return new UnauthenticatedError(message);
  }

  /** Drop what this process knows about a user (after a change to it committed). */
  forget(userId: number): void {
    this.cache?.delete(userId);
  }
}

/** For plain HTTP routes (CSV exports): a user who must change a reset password may not use them. */
export function fullSession(user: AuthUser): AuthUser {
  if (user.mustChangePassword) throw new ForbiddenError(PASSWORD_CHANGE_REQUIRED);
  return user;
}

export const PASSWORD_CHANGE_REQUIRED = 'Your password was reset: call changePassword before anything else';

const guards = new WeakMap<DataSource, SessionGuard>();

/** The session guard of an app's DataSource (made by app.ts; services forget through it). */
export function sessionGuard(ds: DataSource, recheckMs = 2000): SessionGuard {
  let g = guards.get(ds);
  if (!g) {
    g = new SessionGuard(ds, Math.min(recheckMs, MAX_RECHECK_MS));
    guards.set(ds, g);
  }
  return g;
}

/** After a change to these users committed: this process re-reads them at their next request. */
export function forgetSessions(ds: DataSource, ...userIds: number[]): void {
  const g = guards.get(ds);
  for (const id of userIds) g?.forget(id);
}
