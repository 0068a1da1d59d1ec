import { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth';
import { ConnectionArgs, paginate } from '../../common/pagination';
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
  const at = new Date();
  const rows = changes.map((c) => ({
    at,
    actorId: actor?.id ?? null,
    actorName: actor?.username ?? null,
    action: c.action,
    entityType: c.entityType,
    entityId: String(c.entityId),
    data: c.data === undefined ? null : JSON.stringify(redact(c.data)),
  }));
  for (let i = 0; i < rows.length; i += 500) {
    await em.createQueryBuilder().insert().into(ChangeLogEntry).values(rows.slice(i, i + 500)).execute();
  }
}

export function listChanges(
  em: EntityManager,
  filter: { entityType?: string | null; entityId?: string | null },
  args: ConnectionArgs,
) {
  const qb = em.getRepository(ChangeLogEntry).createQueryBuilder('c');
  if (filter.entityType) qb.andWhere('c.entityType = :t', { t: filter.entityType });
  if (filter.entityId) qb.andWhere('c.entityId = :i', { i: filter.entityId });
  // Newest first.
  return paginate(qb, args, [{ column: 'c.id', value: (n) => n.id, direction: 'DESC' }]);
}
