import { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth';
import { scopePartner } from '../../common/auth';
import { BadInputError, NotFoundError } from '../../common/errors';
import { parseOptionalId } from '../../common/ids';
import { parsePeriod, periodRange } from '../../common/period';
import { Role } from '../../common/roles';
import type { AppConfig } from '../../config';
import { regionByCode } from '../regions/region.service';
import { RepairPartner } from '../repair/repair-partner.entity';
import { SUBSIDY_TYPE_LABELS, Subsidy, SubsidyType } from './subsidy.entity';
import { SubsidyGroupBy } from './subsidy.inputs';
import { lentValuesOf } from './lent-value.service';
import { REGISTER_VERSION_SQL, registerSums } from './register-sums';
import { assertNotFuture } from './subsidy.service';
import { PartnerStatement, SubsidyTotal } from './subsidies.types';

export interface TotalsQuery {
  from: string;
  to: string;
  groupBy: SubsidyGroupBy;
  partnerId?: string | null;
  type?: SubsidyType | null;
  regionCode?: string | null;
}

const TYPE_ORDER = Object.values(SubsidyType);

interface PartnerRow {
  id: number;
  code: string;
  name: string;
  regionId: number | null;
  regionCode: string | null;
  regionName: string | null;
}

/**
 * Register totals for a range of months. A REPAIR_PARTNER gets totals over its own entries only.
 * PERIOD lists every month of the range, empty months as zero, so a chart has no gaps; the other
 * groupings list the groups that have entries: PARTNER by code, REGION by region, TYPE in the
 * types' order.
 *
 * One statement reads the partners (with their regions) and the register's version; the register's
 * sums per partner (and type or month) come from this process's memory while that version holds
 * (register-sums.ts), and are regrouped here. Partners are read each time, so a renamed partner or
 * one moved to another region shows at once.
 */
export async function subsidyTotals(em: EntityManager, actor: AuthUser, q: TotalsQuery): Promise<SubsidyTotal[]> {
  const months = periodRange(q.from, q.to);
  const partnerId = scopePartner(actor, parseOptionalId(q.partnerId, 'partnerId'));
  if (!Object.values(SubsidyGroupBy).includes(q.groupBy)) throw new BadInputError('groupBy', `unknown grouping ${String(q.groupBy)}`);
  const regionId = q.regionCode ? (await regionByCode(em, q.regionCode, 'regionCode')).id : null;
  const rows: Record<string, unknown>[] = await em.query(
    `SELECT ${REGISTER_VERSION_SQL} AS version, p.id, p.code, p.name, p.regionId, r.code AS regionCode, r.name AS regionName
       FROM repair_partner p LEFT JOIN region r ON r.id = p.regionId${partnerId != null ? ' WHERE p.id = ?' : ''}
      ORDER BY p.code`,
    partnerId != null ? [partnerId] : [],
  );
  const version = rows.length && rows[0].version != null ? Number(rows[0].version) : null;
  const partners = new Map<number, PartnerRow & { order: number }>();
  rows.forEach((r, order) =>
    partners.set(Number(r.id), {
      id: Number(r.id),
      code: String(r.code),
      name: String(r.name),
      regionId: r.regionId == null ? null : Number(r.regionId),
      regionCode: r.regionCode == null ? null : String(r.regionCode),
      regionName: r.regionName == null ? null : String(r.regionName),
      order,
    }),
  );
  const split = q.groupBy === SubsidyGroupBy.TYPE ? 'type' : q.groupBy === SubsidyGroupBy.PERIOD ? 'period' : null;
  const sums = rows.length
    ? await registerSums(em, version, { fromKey: months[0].key, toKey: months[months.length - 1].key, partnerId, type: q.type ?? null, split })
    : [];

  const groups = new Map<string, SubsidyTotal & { order: number | string }>();
  for (const sum of sums) {
    const p = partners.get(sum.partnerId);
    if (!p || (regionId != null && p.regionId !== regionId)) continue;
    let id: string;
    let key: string;
    let label: string;
    let order: number | string;
    if (q.groupBy === SubsidyGroupBy.PARTNER) [id, key, label, order] = [`p${p.id}`, p.code, p.name, p.order];
    else if (q.groupBy === SubsidyGroupBy.REGION) {
      if (p.regionId == null) continue;
      [id, key, label, order] = [`r${p.regionId}`, p.regionCode!, p.regionName!, p.regionId];
    } else [id, key, label, order] = [sum.sub!, sum.sub!, sum.sub!, sum.sub!];
    const g = groups.get(id);
    if (g) {
      g.amountFen += sum.amountFen;
      g.entries += sum.entries;
    } else groups.set(id, { key, label, amountFen: sum.amountFen, entries: sum.entries, order });
  }
  const totals = [...groups.values()]
    .sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0))
    .map(({ key, label, amountFen, entries }) => ({ key, label, amountFen, entries }));
  if (q.groupBy === SubsidyGroupBy.TYPE) {
    for (const t of totals) t.label = SUBSIDY_TYPE_LABELS[t.key as SubsidyType] ?? t.key;
    totals.sort((a, b) => TYPE_ORDER.indexOf(a.key as SubsidyType) - TYPE_ORDER.indexOf(b.key as SubsidyType));
  }
  if (q.groupBy === SubsidyGroupBy.PERIOD) {
    const byKey = new Map(totals.map((t) => [t.key, t]));
    return months.map((m) => byKey.get(m.key) ?? { key: m.key, label: m.key, amountFen: 0, entries: 0 });
  }
  return totals;
}

/**
 * The partner a statement is for. A REPAIR_PARTNER reads its own (may leave the id out); another
 * partner's id is NOT_FOUND to it, so it cannot even learn which ids exist. Staff must name one.
 */
async function statementPartner(em: EntityManager, actor: AuthUser, partnerIdRaw: string | null | undefined): Promise<RepairPartner> {
  let partnerId = parseOptionalId(partnerIdRaw, 'partnerId');
  if (actor.role === Role.REPAIR_PARTNER) {
    if (partnerId != null && partnerId !== actor.repairPartnerId) throw new NotFoundError('RepairPartner', partnerId);
    partnerId = actor.repairPartnerId;
  }
  if (partnerId == null) throw new BadInputError('partnerId', 'is required');
  const partner = await em.getRepository(RepairPartner).findOne({ where: { id: partnerId } });
  if (!partner) throw new NotFoundError('RepairPartner', partnerId);
  return partner;
}

/** Everything the branch gave one partner in one month: the register entries, by type, and what it lends. */
export async function partnerStatement(
  em: EntityManager,
  actor: AuthUser,
  config: AppConfig,
  partnerIdRaw: string | null | undefined,
  periodRaw: string,
): Promise<PartnerStatement> {
  const period = parsePeriod(periodRaw, 'period');
  assertNotFuture(period, 'period');
  const partner = await statementPartner(em, actor, partnerIdRaw);
  const entries = await em.getRepository(Subsidy).find({ where: { partnerId: partner.id, period: period.key }, order: { id: 'ASC' } });
  const byType = await subsidyTotals(em, actor, {
    from: period.key,
    to: period.key,
    groupBy: SubsidyGroupBy.TYPE,
    partnerId: String(partner.id),
  });
  const subsidiesFen = byType.reduce((sum, t) => sum + t.amountFen, 0);
  const [lent] = await lentValuesOf(em, config, period, [partner]);
  return {
    partner,
    period: period.key,
    premisesProvided: partner.premisesProvided,
    entries,
    byType,
    subsidiesFen,
    lent,
    totalSupportFen: subsidiesFen + lent.totalFen,
  };
}
