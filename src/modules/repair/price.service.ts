import { EntityManager } from 'typeorm';
import { AuthUser, scopePartner } from '../../common/auth';
import { fromDbDate, isMysql } from '../../common/db';
import { BadInputError, ConflictError, isUniqueViolation } from '../../common/errors';
import { parseOptionalId } from '../../common/ids';
import { assertFen, toFen } from '../../common/money';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { Period, nextPeriod, parsePeriod, periodOf } from '../../common/period';
import { recordChange } from '../changelog/change-log.service';
import { regionByCode } from '../regions/region.service';
import { requireActivePartner } from './partner.service';
import { RepairPrice, RepairPriceChange, RepairServiceType } from './repair-price.entity';
import { PartnerStatus } from './repair-partner.entity';
import { RepairPriceFilter } from './repair.inputs';
import { PriceIndex, PriceIndexMonth } from './repair.types';
import { RepairConflict } from './repair.errors';

/** A handset repair above 5,000 yuan is a typo. */
export const MAX_REPAIR_PRICE_FEN = 500_000;
/** The month-by-month series is capped so one request stays cheap. */
export const MAX_INDEX_MONTHS = 120;

export function listServiceTypes(em: EntityManager): Promise<RepairServiceType[]> {
  return em.getRepository(RepairServiceType).find({ order: { code: 'ASC' } });
}

export async function serviceTypeByCode(em: EntityManager, raw: string | null | undefined, field: string): Promise<RepairServiceType> {
  const code = (raw ?? '').trim().toUpperCase();
  if (!code) throw new BadInputError(field, 'is required');
  const type = await em.getRepository(RepairServiceType).findOne({ where: { code } });
  if (!type) throw new BadInputError(field, `unknown service type "${raw}" (see repairServiceTypes)`);
  return type;
}

/** Median of integers; of an even count, the mean of the middle two rounded half up (fen stay whole). */
export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : Math.round((s[mid - 1] + s[mid]) / 2);
}

/**
 * Set a partner's price for a service. The current row is read under a row lock (MySQL), so two
 * concurrent changes each record the price they really replaced; the same price again changes nothing.
 */
export async function setRepairPrice(
  em: EntityManager,
  actor: AuthUser,
  partnerIdRaw: string | null | undefined,
  serviceTypeRaw: string,
  priceFen: number,
  now = new Date(),
): Promise<RepairPrice> {
  const partnerId = scopePartner(actor, parseOptionalId(partnerIdRaw, 'partnerId'));
  if (partnerId == null) throw new BadInputError('partnerId', 'is required');
  const type = await serviceTypeByCode(em, serviceTypeRaw, 'serviceType');
  assertFen('priceFen', priceFen, { allowZero: false });
  if (priceFen > MAX_REPAIR_PRICE_FEN) throw new BadInputError('priceFen', `must be at most ${MAX_REPAIR_PRICE_FEN} fen`);
  const partner = await requireActivePartner(em, partnerId, 'it cannot set prices');

  const repo = em.getRepository(RepairPrice);
  const readCurrent = () => {
    const qb = repo.createQueryBuilder('p').where('p.partnerId = :partnerId AND p.serviceType = :st', { partnerId, st: type.code });
    if (isMysql(em)) qb.setLock('pessimistic_write');
    return qb.getOne();
  };
  let current = await readCurrent();
  if (!current) {
    const row = repo.create({ partnerId, serviceType: type.code, priceFen, setAt: now, setById: actor.id });
    let inserted = false;
    try {
      await repo.insert(row);
      inserted = true;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    if (inserted) return recordPriceChange(em, actor, row, partner.code, null, now);
    // Someone priced it first in a transaction that has committed since: change that price.
    current = await readCurrent();
    if (!current) throw new ConflictError(RepairConflict.CHANGED_MEANWHILE, 'The price changed meanwhile: retry');
  }
  if (current.priceFen === priceFen) return current;
  const previous = current.priceFen;
  await repo.update({ id: current.id }, { priceFen, setAt: now, setById: actor.id });
  return recordPriceChange(em, actor, { ...current, priceFen, setAt: now, setById: actor.id }, partner.code, previous, now);
}

async function recordPriceChange(
  em: EntityManager,
  actor: AuthUser,
  price: RepairPrice,
  partnerCode: string,
  previous: number | null,
  now: Date,
): Promise<RepairPrice> {
  const { partnerId, priceFen } = price;
  await em.getRepository(RepairPriceChange).insert({
    partnerId,
    serviceType: price.serviceType,
    priceFen,
    previousPriceFen: previous,
    effectiveFrom: now,
    changedById: actor.id,
    changedBy: actor.username,
  });
  await recordChange(em, actor, {
    action: 'setRepairPrice',
    entityType: 'RepairPrice',
    entityId: price.id,
    data: { partnerId, partnerCode, serviceType: price.serviceType, priceFen, previousPriceFen: previous },
  });
  return price;
}

/** Current prices; a partner sees only its own. */
export async function listRepairPrices(em: EntityManager, user: AuthUser, filter: RepairPriceFilter = {}, args: ConnectionArgs) {
  const qb = em.getRepository(RepairPrice).createQueryBuilder('p');
  const partnerId = scopePartner(user, parseOptionalId(filter.partnerId, 'filter.partnerId'));
  if (partnerId != null) qb.andWhere('p.partnerId = :partnerId', { partnerId });
  if (filter.serviceType) qb.andWhere('p.serviceType = :st', { st: (await serviceTypeByCode(em, filter.serviceType, 'filter.serviceType')).code });
  return paginate(qb, args);
}

interface ChangeRow {
  partnerId: number;
  priceFen: number;
  at: Date;
}

/**
 * The network's prices for a service now (min, median, max and each partner's), and the same
 * month by month from `from` (default: the first price ever set) to `to` (default: this month),
 * taking each partner's price in effect at the month's end. Terminated partners count until the
 * month they were terminated in. Two statements, then arithmetic in memory over a short list.
 */
export async function repairPriceIndex(
  em: EntityManager,
  serviceTypeRaw: string,
  opts: { regionCode?: string | null; from?: string | null; to?: string | null } = {},
  now = new Date(),
): Promise<PriceIndex> {
  const type = await serviceTypeByCode(em, serviceTypeRaw, 'serviceType');
  const region = opts.regionCode ? await regionByCode(em, opts.regionCode, 'regionCode') : null;
  const regionSql = region ? ' AND r.regionId = ?' : '';
  const regionParams = region ? [region.id] : [];

  const currentRows: { partnerId: unknown; priceFen: unknown; setAt: unknown }[] = await em.query(
    `SELECT p.partnerId AS partnerId, p.priceFen AS priceFen, p.setAt AS setAt
       FROM repair_price p JOIN repair_partner r ON r.id = p.partnerId
      WHERE p.serviceType = ? AND r.status <> ?${regionSql}
      ORDER BY p.priceFen, p.partnerId`,
    [type.code, PartnerStatus.TERMINATED, ...regionParams],
  );
  const partners = currentRows.map((r) => ({ partnerId: Number(r.partnerId), priceFen: toFen(r.priceFen), setAt: fromDbDate(r.setAt)! }));
  const prices = partners.map((p) => p.priceFen);

  const changeRows: { partnerId: unknown; priceFen: unknown; at: unknown; status: string; statusChangedAt: unknown }[] = await em.query(
    `SELECT c.partnerId AS partnerId, c.priceFen AS priceFen, c.effectiveFrom AS at, r.status AS status, r.statusChangedAt AS statusChangedAt
       FROM repair_price_change c JOIN repair_partner r ON r.id = c.partnerId
      WHERE c.serviceType = ?${regionSql}
      ORDER BY c.effectiveFrom, c.id`,
    [type.code, ...regionParams],
  );
  const changes: ChangeRow[] = changeRows.map((r) => ({ partnerId: Number(r.partnerId), priceFen: toFen(r.priceFen), at: fromDbDate(r.at)! }));
  const terminatedAt = new Map<number, Date>();
  for (const r of changeRows) {
    if (r.status === PartnerStatus.TERMINATED && r.statusChangedAt) terminatedAt.set(Number(r.partnerId), fromDbDate(r.statusChangedAt)!);
  }

  const months = monthlySeries(changes, terminatedAt, opts, now);
  return {
    serviceType: type.code,
    serviceName: type.name,
    regionCode: region?.code ?? null,
    partnerCount: partners.length,
    minFen: prices.length ? Math.min(...prices) : null,
    medianFen: median(prices),
    maxFen: prices.length ? Math.max(...prices) : null,
    partners,
    months,
  };
}

function monthlySeries(
  changes: ChangeRow[],
  terminatedAt: Map<number, Date>,
  opts: { from?: string | null; to?: string | null },
  now: Date,
): PriceIndexMonth[] {
  const to = opts.to ? parsePeriod(opts.to, 'to') : periodOf(now);
  let from: Period;
  if (opts.from) from = parsePeriod(opts.from, 'from');
  else if (changes.length) from = periodOf(changes[0].at);
  else return [];
  if (to.start < from.start) throw new BadInputError('to', 'must not be before from');
  const periods: Period[] = [];
  for (let p = from; p.start <= to.start; p = nextPeriod(p)) {
    periods.push(p);
    if (periods.length > MAX_INDEX_MONTHS) throw new BadInputError('from', `the series may cover at most ${MAX_INDEX_MONTHS} months`);
  }
  const inEffect = new Map<number, number>();
  let i = 0;
  return periods.map((p) => {
    const cutoff = p.end.getTime() < now.getTime() ? p.end : now;
    while (i < changes.length && changes[i].at.getTime() < cutoff.getTime()) {
      inEffect.set(changes[i].partnerId, changes[i].priceFen);
      i++;
    }
    const values: number[] = [];
    for (const [partnerId, price] of inEffect) {
      const gone = terminatedAt.get(partnerId);
      if (gone && gone.getTime() < cutoff.getTime()) continue;
      values.push(price);
    }
    return {
      period: p.key,
      partnerCount: values.length,
      minFen: values.length ? Math.min(...values) : null,
      medianFen: median(values),
      maxFen: values.length ? Math.max(...values) : null,
    };
  });
}
