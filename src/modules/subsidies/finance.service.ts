import { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth';
import { scopePartner } from '../../common/auth';
import { BadInputError, NotFoundError } from '../../common/errors';
import { parseOptionalId } from '../../common/ids';
import { toFen } from '../../common/money';
import { parsePeriod, periodRange } from '../../common/period';
import { Role } from '../../common/roles';
import type { AppConfig } from '../../config';
import { regionByCode } from '../regions/region.service';
import { RepairPartner } from '../repair/repair-partner.entity';
import { SUBSIDY_TYPE_LABELS, Subsidy, SubsidyType } from './subsidy.entity';
import { SubsidyGroupBy } from './subsidy.inputs';
import { lentValuesOf } from './lent-value.service';
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

/**
 * Per grouping: the key and label columns, what to group by and how to order the groups; `inner`,
 * the register's own column the grouping needs from the first pass; `region`, whether it needs
 * the partner's region.
 */
const GROUPINGS: Record<SubsidyGroupBy, { select: string; groupBy: string; orderBy: string; inner?: string; region?: true }> = {
  [SubsidyGroupBy.PARTNER]: { select: 'p.code AS gkey, p.name AS glabel', groupBy: 'p.id, p.code, p.name', orderBy: 'p.code' },
  [SubsidyGroupBy.REGION]: { select: 'r.code AS gkey, r.name AS glabel', groupBy: 'r.id, r.code, r.name', orderBy: 'r.id', region: true },
  [SubsidyGroupBy.TYPE]: { select: 't.type AS gkey, t.type AS glabel', groupBy: 't.type', orderBy: 't.type', inner: 's.type' },
  [SubsidyGroupBy.PERIOD]: { select: 't.period AS gkey, t.period AS glabel', groupBy: 't.period', orderBy: 't.period', inner: 's.period' },
};

const TYPE_ORDER = Object.values(SubsidyType);

/**
 * Register totals for a range of months, grouped in SQL (one statement whatever the grouping).
 * A REPAIR_PARTNER gets totals over its own entries only. PERIOD lists every month of the range,
 * empty months as zero, so a chart has no gaps; the other groupings list the groups that have entries.
 */
export async function subsidyTotals(em: EntityManager, actor: AuthUser, q: TotalsQuery): Promise<SubsidyTotal[]> {
  const months = periodRange(q.from, q.to);
  const partnerId = scopePartner(actor, parseOptionalId(q.partnerId, 'partnerId'));
  const g = GROUPINGS[q.groupBy];
  if (!g) throw new BadInputError('groupBy', `unknown grouping ${String(q.groupBy)}`);
  const where = ['s.period >= ?', 's.period <= ?'];
  const params: unknown[] = [months[0].key, months[months.length - 1].key];
  if (partnerId != null) {
    where.push('s.partnerId = ?');
    params.push(partnerId);
  }
  if (q.type) {
    where.push('s.type = ?');
    params.push(q.type);
  }
  const outerWhere: string[] = [];
  if (q.regionCode) {
    outerWhere.push('p.regionId = ?');
    params.push((await regionByCode(em, q.regionCode, 'regionCode')).id);
  }
  // Two passes: the register summed per partner (and type or month) from its own index, then those
  // few hundred sums joined to their partners and regrouped. Joining every register row to its
  // partner and region before grouping cost MariaDB three times as much (issue 25).
  const innerKeys = g.inner ? `s.partnerId, ${g.inner}` : 's.partnerId';
  const rows: { gkey: string; glabel: string; amountFen: unknown; entries: unknown }[] = await em.query(
    `SELECT ${g.select}, SUM(t.amountFen) AS amountFen, SUM(t.entries) AS entries
       FROM (SELECT ${innerKeys}, SUM(s.amountFen) AS amountFen, COUNT(*) AS entries
               FROM subsidy s
              WHERE ${where.join(' AND ')}
              GROUP BY ${innerKeys}) t
       JOIN repair_partner p ON p.id = t.partnerId${g.region ? '\n       JOIN region r ON r.id = p.regionId' : ''}${outerWhere.length ? `\n      WHERE ${outerWhere.join(' AND ')}` : ''}
      GROUP BY ${g.groupBy}
      ORDER BY ${g.orderBy}`,
    params,
  );
  const totals = rows.map((r) => ({ key: String(r.gkey), label: String(r.glabel), amountFen: toFen(r.amountFen), entries: Number(r.entries) }));
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
