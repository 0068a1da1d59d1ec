import { EntityManager } from 'typeorm';
import { BadInputError } from '../../common/errors';
import { toFen } from '../../common/money';
import { periodRange } from '../../common/period';
import { regionByCode } from '../regions/region.service';
import { CustomerTotalsGroupBy, FinanceCategory } from './customer.enums';
import { CustomerTotal } from './customer.types';

/**
 * Every fen the customer side costs, one row per money event, as one derived table:
 * confirmed compensation (SP refunds apart), SP double refunds paid to customers, SP fines and
 * roaming waivers, each with its region (null for fines: they are branch-wide), its Shanghai month
 * and its line.
 */
const EVENTS_SQL = `
  SELECT 'COMPENSATION' AS category, c.regionId AS regionId, c.period AS period, c.amountFen AS amountFen, k.msisdn AS msisdn
    FROM compensation c JOIN complaint k ON k.id = c.complaintId
   WHERE c.status = 'CONFIRMED' AND c.category <> 'SP_CHARGE'
  UNION ALL
  SELECT 'SP_REFUND', c.regionId, c.period, c.amountFen, k.msisdn
    FROM compensation c JOIN complaint k ON k.id = c.complaintId
   WHERE c.status = 'CONFIRMED' AND c.category = 'SP_CHARGE'
  UNION ALL
  SELECT 'SP_FINE', NULL, e.period, e.grossFen, NULL FROM sp_deposit_entry e WHERE e.kind = 'FINE'
  UNION ALL
  SELECT 'ROAMING_WAIVER', w.regionId, w.period, w.amountFen, w.msisdn FROM roaming_waiver w`;

const GROUP_COLUMNS: Record<CustomerTotalsGroupBy, string> = {
  [CustomerTotalsGroupBy.CATEGORY]: 'u.category',
  [CustomerTotalsGroupBy.REGION]: 'u.regionId',
  [CustomerTotalsGroupBy.MONTH]: 'u.period',
};

export interface TotalsQuery {
  from: string;
  to: string;
  groupBy: CustomerTotalsGroupBy[];
  regionCode?: string | null;
  category?: FinanceCategory | null;
}

/** Totals for a range of months, grouped in SQL by any of category, region and month (one statement). */
export async function customerTotals(em: EntityManager, q: TotalsQuery): Promise<CustomerTotal[]> {
  const months = periodRange(q.from, q.to);
  const groupBy = [...new Set(q.groupBy)];
  if (groupBy.length !== q.groupBy.length) throw new BadInputError('groupBy', 'lists a grouping twice');
  const cols = Object.values(CustomerTotalsGroupBy)
    .filter((g) => groupBy.includes(g))
    .map((g) => GROUP_COLUMNS[g]);
  const where = ['u.period >= ?', 'u.period <= ?'];
  const params: unknown[] = [months[0].key, months[months.length - 1].key];
  if (q.regionCode) {
    where.push('u.regionId = ?');
    params.push((await regionByCode(em, q.regionCode, 'regionCode')).id);
  }
  if (q.category) {
    where.push('u.category = ?');
    params.push(q.category);
  }
  const select = cols.length ? `${cols.join(', ')}, ` : '';
  const rows: { category?: FinanceCategory; regionId?: unknown; period?: string; n: unknown; nLines: unknown; fen: unknown }[] = await em.query(
    `SELECT ${select}COUNT(*) AS n, COUNT(DISTINCT u.msisdn) AS nLines, COALESCE(SUM(u.amountFen), 0) AS fen
       FROM (${EVENTS_SQL}) u
      WHERE ${where.join(' AND ')}
      ${cols.length ? `GROUP BY ${cols.join(', ')} ORDER BY ${cols.join(', ')}` : ''}`,
    params,
  );
  return rows
    .filter((r) => cols.length || Number(r.n) > 0)
    .map((r) => ({
      category: groupBy.includes(CustomerTotalsGroupBy.CATEGORY) ? (r.category as FinanceCategory) : null,
      regionId: groupBy.includes(CustomerTotalsGroupBy.REGION) && r.regionId != null ? Number(r.regionId) : null,
      period: groupBy.includes(CustomerTotalsGroupBy.MONTH) ? (r.period as string) : null,
      count: Number(r.n),
      lines: Number(r.nLines),
      amountFen: toFen(r.fen),
    }));
}
