import { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth';
import { ForbiddenError } from '../../common/errors';
import { insertRows, toDbDate } from '../../common/db';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { Role } from '../../common/roles';
import { ChangeLogEntry } from './change-log.entity';

const SECRET_KEY = /password|secret|token|idnumber|idcipher|idhash/i;

function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_KEY.test(k)) continue;
    out[k] = redact(v, depth + 1);
  }
  return out;
}

export interface ChangeInput {
  action: string;
  entityType: string;
  entityId: string | number;
  data?: unknown;
}

/**
 * Append one change-log row. Call it with the mutation's transaction EntityManager, so the entry
 * commits or rolls back with the change it describes. `actor` null means the system did it.
 */
export async function recordChange(em: EntityManager, actor: AuthUser | null, change: ChangeInput): Promise<void> {
  await recordChanges(em, actor, [change]);
}

/** Many entries in one INSERT (bulk operations). */
export async function recordChanges(em: EntityManager, actor: AuthUser | null, changes: ChangeInput[]): Promise<void> {
  if (!changes.length) return;
  const at = toDbDate(new Date());
  const actorId = actor?.id ?? null;
  const actorName = actor?.username ?? null;
  await insertRows(
    em,
    'change_log',
    CHANGE_COLUMNS,
    changes.map((c) => [at, actorId, actorName, c.action, c.entityType, String(c.entityId), c.data === undefined ? null : JSON.stringify(redact(c.data))]),
  );
}

const CHANGE_COLUMNS = ['at', 'actorId', 'actorName', 'action', 'entityType', 'entityId', 'data'] as const;

/**
 * Who reads the entries of each entity type: each feature module declares it from the role lists
 * its resolvers authorize reads with (FeatureModule.changeLogReaders), registry.ts registers them.
 */
const readers = new Map<string, readonly Role[]>();

export function registerChangeLogReaders(map: Record<string, readonly Role[]>): void {
  for (const [type, roles] of Object.entries(map)) readers.set(type, roles);
}

/** The entity types whose entries a role may read; null: every type (ADMIN, and types no module declared). */
export function readableEntityTypes(role: Role): string[] | null {
  if (role === Role.ADMIN) return null;
  return [...readers]
    .filter(([, roles]) => roles.includes(role))
    .map(([type]) => type)
    .sort();
}

/** The roles that read a type's entries, for error messages (ADMIN always). */
export function entityTypeReaders(type: string): Role[] {
  return [...new Set([...(readers.get(type) ?? []), Role.ADMIN])];
}

/**
 * The change log as one user may see it: only entries of entity types the user's role may read
 * elsewhere in the API (a role that may not read registrations does not learn their numbers,
 * agents or flags here). Tenant-bound roles have no change log at all (the resolver's roles).
 */
export function listChanges(em: EntityManager, user: AuthUser, filter: { entityType?: string | null; entityId?: string | null }, args: ConnectionArgs) {
  const qb = em.getRepository(ChangeLogEntry).createQueryBuilder('c');
  const allowed = readableEntityTypes(user.role);
  if (filter.entityType && allowed && !allowed.includes(filter.entityType)) {
    throw new ForbiddenError(
      `Role ${user.role} may not read ${filter.entityType} entries of the change log; roles that may: ${entityTypeReaders(filter.entityType).join(', ')}`,
    );
  }
  if (filter.entityType) qb.andWhere('c.entityType = :t', { t: filter.entityType });
  else if (allowed) qb.andWhere(allowed.length ? 'c.entityType IN (:...types)' : '1 = 0', { types: allowed });
  if (filter.entityId) qb.andWhere('c.entityId = :i', { i: filter.entityId });
  // Newest first.
  return paginate(qb, args, [{ column: 'c.id', value: (n) => n.id, direction: 'DESC' }]);
}
