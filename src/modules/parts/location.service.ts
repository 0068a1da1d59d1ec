import { DataSource, EntityManager } from 'typeorm';
import { tenantPartnerOf } from '../../common/auth';
import type { AuthUser } from '../../common/auth';
import { forUpdate, toDbDate } from '../../common/db';
import { NotFoundError } from '../../common/errors';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { RepairPartner } from '../repair/repair-partner.entity';
import { insertIgnore } from './parts.common';
import { LocationKind, StockLocation } from './stock-location.entity';

/** Every partner has one shelf; the repair module calls this when it creates a partner (same transaction). */
export async function createPartnerLocation(em: EntityManager, partnerId: number, partnerName: string): Promise<StockLocation> {
  const repo = em.getRepository(StockLocation);
  const location = repo.create({ kind: LocationKind.PARTNER, partnerId, name: `${partnerName} shelf` });
  await repo.save(location);
  // Its fund account too, so the first draw is a plain conditional UPDATE like every other.
  await ensureFundAccount(em, partnerId);
  return location;
}

export async function ensureFundAccount(em: EntityManager, partnerId: number, now = new Date()): Promise<void> {
  await em.query(`${insertIgnore(em)} INTO fund_account (partnerId, capFen, drawnFen, creditedFen, outstandingFen, updatedAt) VALUES (?, NULL, 0, 0, 0, ?)`, [
    partnerId,
    toDbDate(now),
  ]);
}

export const CENTRE_NAME = '荊州C網手機配件中心 (parts centre)';

/** The centre is seeded once and never changes, so its id is remembered per database. */
const centreIds = new WeakMap<DataSource, number>();

export async function centreLocationId(em: EntityManager): Promise<number> {
  const known = centreIds.get(em.connection);
  if (known) return known;
  const rows: { id: number }[] = await em.query(`SELECT id FROM stock_location WHERE kind = ? ORDER BY id LIMIT 1`, [LocationKind.CENTRE]);
  if (!rows.length) throw new Error('The parts centre location is missing: seed the reference data');
  const id = Number(rows[0].id);
  centreIds.set(em.connection, id);
  return id;
}

/** The reference seed's one centre. */
export async function createCentreLocation(em: EntityManager): Promise<StockLocation> {
  const repo = em.getRepository(StockLocation);
  const existing = await repo.findOne({ where: { kind: LocationKind.CENTRE } });
  if (existing) return existing;
  return repo.save(repo.create({ kind: LocationKind.CENTRE, partnerId: null, name: CENTRE_NAME }));
}

/**
 * A partner's shelf, created when missing (a partner made before shelves existed, or by a fixture).
 * The unique partnerId makes a concurrent creation harmless; the locking read then sees the winner.
 */
export async function shelfOf(em: EntityManager, partnerId: number): Promise<number> {
  const find = async (lock: boolean) => {
    const rows: { id: number }[] = await em.query(`SELECT id FROM stock_location WHERE partnerId = ?${lock ? forUpdate(em) : ''}`, [partnerId]);
    return rows.length ? Number(rows[0].id) : null;
  };
  const found = await find(false);
  if (found) return found;
  const partner = await em.getRepository(RepairPartner).findOne({ where: { id: partnerId } });
  if (!partner) throw new NotFoundError('RepairPartner', partnerId);
  await em.query(`${insertIgnore(em)} INTO stock_location (kind, partnerId, name) VALUES (?, ?, ?)`, [
    LocationKind.PARTNER,
    partnerId,
    `${partner.name} shelf`.slice(0, 128),
  ]);
  await ensureFundAccount(em, partnerId);
  const id = await find(true);
  if (!id) throw new Error(`could not create the shelf of partner ${partnerId}`);
  return id;
}

/**
 * The locations a user may see: staff every one; a REPAIR_PARTNER the centre and its own shelf.
 * null means no restriction.
 */
export async function visibleLocationIds(em: EntityManager, actor: AuthUser): Promise<number[] | null> {
  const partnerId = tenantPartnerOf(actor);
  if (partnerId == null) return null;
  const visible = tenantLocations(partnerId);
  const rows: { id: number | string }[] = await em
    .createQueryBuilder()
    .select('v.id', 'id')
    .from(StockLocation, 'v')
    .where(visible.where, visible.params)
    .orderBy('v.id')
    .getRawMany();
  return rows.map((r) => Number(r.id));
}

/** What a repair partner sees, as a condition on stock_location aliased `v`: the centre and its own shelf. */
export function tenantLocations(partnerId: number): { where: string; params: Record<string, unknown> } {
  return { where: 'v.kind = :centreKind OR v.partnerId = :tenant', params: { centreKind: LocationKind.CENTRE, tenant: partnerId } };
}

/** A location filter from a tenant that names another shop's shelf: NOT_FOUND, like scopePartner. */
export function assertLocationAllowed(visible: number[] | null, locationId: number): void {
  if (visible && !visible.includes(locationId)) throw new NotFoundError('StockLocation', locationId);
}

export function listLocations(em: EntityManager, visible: number[] | null, filter: { kind?: LocationKind | null }, args: ConnectionArgs) {
  const qb = em.getRepository(StockLocation).createQueryBuilder('l');
  if (visible) qb.andWhere('l.id IN (:...visible)', { visible });
  if (filter.kind) qb.andWhere('l.kind = :kind', { kind: filter.kind });
  return paginate(qb, args);
}
