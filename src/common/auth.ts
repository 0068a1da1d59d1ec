import { createSecretKey, KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';
import type { ResolverData } from 'type-graphql';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from './errors';
import { Role } from './roles';

export interface AuthUser {
  id: number;
  username: string;
  role: Role;
  /** Set for REPAIR_PARTNER users: the one partner whose data they may see. */
  repairPartnerId: number | null;
  /** Set for AGENT users: the one agent whose data they may see. */
  agentId: number | null;
  /** The user's token version when the token was issued (claim `tv`; absent in old tokens: 0). */
  tokenVersion?: number;
  /** Set by the session check while the user must change a reset password: only changePassword and me. */
  mustChangePassword?: boolean;
}

const ISSUER = 'agentnet';

/** The token of an `Authorization: Bearer <token>` header, or null (GraphQL, the CSV routes, /status, /metrics). */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  return m ? m[1].trim() : null;
}

/**
 * jsonwebtoken turns a string secret into a key object on every call (trying it as a public key
 * first); doing that once per secret took ~2 ms off every request in the HTTP benchmark.
 */
const keys = new Map<string, KeyObject>();
function keyFor(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

export async function signToken(user: AuthUser, secret: string, ttlSeconds: number): Promise<string> {
  return jwt.sign({ username: user.username, role: user.role, rp: user.repairPartnerId, ag: user.agentId, tv: user.tokenVersion ?? 0 }, keyFor(secret), {
    algorithm: 'HS256',
    subject: String(user.id),
    issuer: ISSUER,
    expiresIn: ttlSeconds,
  });
}

/**
 * Tokens verified recently, by token and secret: a client sends the same bearer token with every
 * request, and the HMAC check and claim parsing showed in the profile of the paging queries. An
 * entry is only used before the token's own expiry; anything else is verified again.
 */
const verified = new LRUCache<string, { user: AuthUser; expiresAtMs: number; secret: string }>({ max: 10_000 });

/**
 * Throws UNAUTHENTICATED for a missing, forged, malformed or expired token. This checks the token
 * only: whether its user may still use it (not disabled, not logged out) is the session check's
 * (src/modules/identity/sessions.ts), which app.ts runs after this on every request.
 */
export async function verifyToken(token: string, secret: string): Promise<AuthUser> {
  const hit = verified.get(token);
  if (hit && hit.secret === secret && Date.now() < hit.expiresAtMs) return hit.user;
  return verifyTokenUncached(token, secret);
}

function verifyTokenUncached(token: string, secret: string): AuthUser {
  let payload: jwt.JwtPayload;
  try {
    const decoded = jwt.verify(token, keyFor(secret), { issuer: ISSUER, algorithms: ['HS256'] });
    if (typeof decoded === 'string') throw new Error('unexpected payload');
    payload = decoded;
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) throw new UnauthenticatedError('Token expired: log in again');
    throw new UnauthenticatedError('Invalid token');
  }
  const role = payload.role as Role;
  if (!Object.values(Role).includes(role) || !payload.sub || !/^\d+$/.test(payload.sub)) throw new UnauthenticatedError('Invalid token');
  const user: AuthUser = Object.freeze({
    id: Number(payload.sub),
    username: String(payload.username),
    role,
    repairPartnerId: typeof payload.rp === 'number' ? payload.rp : null,
    agentId: typeof payload.ag === 'number' ? payload.ag : null,
    tokenVersion: typeof payload.tv === 'number' ? payload.tv : 0,
  });
  if (typeof payload.exp === 'number') verified.set(token, { user, expiresAtMs: payload.exp * 1000, secret });
  return user;
}

/**
 * `@Authorized(...roles)`: no user is UNAUTHENTICATED, a role not listed is FORBIDDEN; ADMIN may do
 * anything. Synchronous (schema.ts calls it directly for field resolvers): it answers or throws.
 */
/** What the check reads of a request's context (structurally: this file is below context.ts). */
interface AuthContext {
  user: AuthUser | null;
  authError: Error | null;
}

export const authChecker = ({ context }: ResolverData<AuthContext>, roles: Role[]): true => {
  if (!context.user) throw context.authError ?? new UnauthenticatedError();
  if (roles.length === 0 || context.user.role === Role.ADMIN || roles.includes(context.user.role)) return true;
  throw ForbiddenError.forRoles(context.user.role, roles);
};

export function requireUser(ctx: { user?: AuthUser | null }): AuthUser {
  if (!ctx.user) throw new UnauthenticatedError();
  return ctx.user;
}

/**
 * The partner a request may act for. A REPAIR_PARTNER is pinned to its own partner: asking for
 * another one is NOT_FOUND (another tenant's objects do not exist for it); leaving it out means its own. Staff must name one when `required`.
 */
export function scopePartner(user: AuthUser, requested: number | null | undefined): number | null {
  if (user.role === Role.REPAIR_PARTNER) {
    if (!user.repairPartnerId) throw new ForbiddenError('This user is not bound to a repair partner');
    // Another tenant's partner reads as missing (NOT_FOUND), never as existing-but-forbidden.
    if (requested != null && requested !== user.repairPartnerId) throw new NotFoundError('RepairPartner', requested);
    return user.repairPartnerId;
  }
  return requested ?? null;
}

/**
 * The partner a user is pinned to: a REPAIR_PARTNER user's own (FORBIDDEN when it is bound to
 * none); null for the branch's staff, who see every partner. The one answer to "which partner does
 * this user belong to" for parts, loaners and repair alike.
 */
export function tenantPartnerOf(user: AuthUser): number | null {
  return user.role === Role.REPAIR_PARTNER ? scopePartner(user, null) : null;
}

/** As scopePartner, for AGENT users and their agent. */
export function scopeAgent(user: AuthUser, requested: number | null | undefined): number | null {
  if (user.role === Role.AGENT) {
    if (!user.agentId) throw new ForbiddenError('This user is not bound to an agent');
    if (requested != null && requested !== user.agentId) throw new NotFoundError('Agent', requested);
    return user.agentId;
  }
  return requested ?? null;
}
