import { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth';
import { scopePartner } from '../../common/auth';
import { toDbDate } from '../../common/db';
import { parseOptionalId } from '../../common/ids';
import { toFen } from '../../common/money';
import { Period, parsePeriod } from '../../common/period';
import type { AppConfig } from '../../config';
import { LoanerStatus } from '../loaners/loaner-phone.entity';
import { RepairPartner } from '../repair/repair-partner.entity';
import { assertNotFuture } from './subsidy.service';
import { PartnerLentValue } from './subsidies.types';

interface PartnerSums {
  count: number;
  fen: number;
}

function sumsByPartner(rows: { partnerId: unknown; n: unknown; fen: unknown }[]): Map<number, PartnerSums> {
  return new Map(rows.map((r) => [Number(r.partnerId), { count: Number(r.n), fen: toFen(r.fen) }]));
}

/**
 * What the branch lends each partner, valued as at the end of the month (now, for the month under
 * way): equipment in its custody at the value it was lent at, loaners allocated to it at the
 * configured unit value, and its outstanding debt to the parts revolving fund. Read-only,
 * set-based queries over the repair, loaner and parts tables (one per source, whatever the number
 * of partners).
 */
export async function lentValues(
  em: EntityManager,
  actor: AuthUser,
  config: AppConfig,
  periodRaw: string,
  partnerIdRaw?: string | null,
  now = new Date(),
): Promise<PartnerLentValue[]> {
  const period = parsePeriod(periodRaw, 'period');
  assertNotFuture(period, 'period', now);
  const partnerId = scopePartner(actor, parseOptionalId(partnerIdRaw, 'partnerId'));
  const asOf = valuationInstant(period, now);
  // Partners that existed at the instant; one that joined later had nothing lent to it yet.
  const pq = em
    .getRepository(RepairPartner)
    .createQueryBuilder('p')
    .where('p.createdAt < :at', { at: toDbDate(asOf) })
    .orderBy('p.code', 'ASC');
  if (partnerId != null) pq.andWhere('p.id = :partnerId', { partnerId });
  return lentValuesOf(em, config, period, await pq.getMany(), now);
}

/** The end of the month, or now for the month under way. */
function valuationInstant(period: Period, now: Date): Date {
  return period.end.getTime() < now.getTime() ? period.end : now;
}

/** The values for the given partners (no access check: callers scope the list). */
export async function lentValuesOf(
  em: EntityManager,
  config: AppConfig,
  period: Period,
  partners: RepairPartner[],
  now = new Date(),
): Promise<PartnerLentValue[]> {
  if (!partners.length) return [];
  const asOf = valuationInstant(period, now);
  const at = toDbDate(asOf);
  const partnerId = partners.length === 1 ? partners[0].id : null;

  const only = partnerId != null ? ' AND c.partnerId = ?' : '';
  const onlyParams = partnerId != null ? [partnerId] : [];

  // Custody rows open at the instant: lent before it, not returned before it.
  const equipment = sumsByPartner(
    await em.query(
      `SELECT c.partnerId AS partnerId, COUNT(*) AS n, SUM(c.valueFen) AS fen
         FROM equipment_custody c
        WHERE c.lentAt < ? AND (c.returnedAt IS NULL OR c.returnedAt >= ?)${only}
        GROUP BY c.partnerId`,
      [at, at, ...onlyParams],
    ),
  );
  const loaners = await loanersAllocated(em, at, partnerId);
  const fund = await fundOutstanding(em, at, partnerId);

  const unit = config.loanerUnitValueFen;
  return partners.map((partner) => {
    const eq = equipment.get(partner.id) ?? { count: 0, fen: 0 };
    const loanerCount = loaners.get(partner.id) ?? 0;
    const fundFen = fund.get(partner.id) ?? 0;
    const loanersValueFen = loanerCount * unit;
    return {
      partner,
      period: period.key,
      asOf,
      equipmentCount: eq.count,
      equipmentValueFen: eq.fen,
      loanersAllocated: loanerCount,
      loanerUnitValueFen: unit,
      loanersValueFen,
      fundOutstandingFen: fundFen,
      totalFen: eq.fen + loanersValueFen + fundFen,
    };
  });
}

/**
 * Loaners on the partner's books at the instant: from each loaner's last event before it (the
 * loaner module's append-only history), those that left it ALLOCATED to the partner or ON_LOAN
 * from the partner to a customer. In service (being repaired at the centre), lost or back in the
 * pool they are not lent to the partner any more.
 */
async function loanersAllocated(em: EntityManager, at: string, partnerId: number | null): Promise<Map<number, number>> {
  const rows: { partnerId: unknown; n: unknown }[] = await em.query(
    `SELECT e.partnerId AS partnerId, COUNT(*) AS n
       FROM loaner_event e
       JOIN (SELECT loanerId, MAX(id) AS lastId FROM loaner_event WHERE at < ? GROUP BY loanerId) last ON last.lastId = e.id
      WHERE e.toStatus IN (?, ?) AND e.partnerId IS NOT NULL${partnerId != null ? ' AND e.partnerId = ?' : ''}
      GROUP BY e.partnerId`,
    [at, LoanerStatus.ALLOCATED, LoanerStatus.ON_LOAN, ...(partnerId != null ? [partnerId] : [])],
  );
  return new Map(rows.map((r) => [Number(r.partnerId), Number(r.n)]));
}

/**
 * What each partner owed the parts revolving fund at the instant: the sum of its signed fund
 * ledger entries (draws positive, repayments and return credits negative) dated before it. A
 * partner in credit (it repaid more than it drew) is lent nothing, not a negative amount.
 */
async function fundOutstanding(em: EntityManager, at: string, partnerId: number | null): Promise<Map<number, number>> {
  const rows: { partnerId: unknown; fen: unknown }[] = await em.query(
    `SELECT f.partnerId AS partnerId, SUM(f.amountFen) AS fen
       FROM fund_ledger_entry f
      WHERE f.at < ?${partnerId != null ? ' AND f.partnerId = ?' : ''}
      GROUP BY f.partnerId`,
    partnerId != null ? [at, partnerId] : [at],
  );
  return new Map(rows.map((r) => [Number(r.partnerId), Math.max(0, toFen(r.fen))]));
}
