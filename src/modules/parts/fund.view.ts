import type { FundState } from './fund.service';
import { FundPartnerBalance, RevolvingFund } from './parts.types';

const DAY_MS = 24 * 3600 * 1000;

/** The fund as the API shows it: availability under the limit and each partner's cap, debt age in days. */
export function revolvingFund(state: FundState, now = new Date()): RevolvingFund {
  const availableFen = Math.max(0, state.limitFen - state.outstandingFen);
  const partners: FundPartnerBalance[] = state.partners.map((p) => {
    const effectiveCapFen = p.capFen ?? state.defaultPartnerCapFen;
    return {
      partnerId: String(p.partnerId),
      outstandingFen: p.outstandingFen,
      capFen: p.capFen,
      effectiveCapFen,
      availableFen: Math.max(0, Math.min(availableFen, effectiveCapFen == null ? Number.MAX_SAFE_INTEGER : effectiveCapFen - p.outstandingFen)),
      drawnFen: p.drawnFen,
      creditedFen: p.creditedFen,
      oldestUnpaidDrawAt: p.oldestUnpaidDrawAt,
      ageDays: p.oldestUnpaidDrawAt ? Math.max(0, Math.floor((now.getTime() - p.oldestUnpaidDrawAt.getTime()) / DAY_MS)) : null,
    };
  });
  return { limitFen: state.limitFen, defaultPartnerCapFen: state.defaultPartnerCapFen, outstandingFen: state.outstandingFen, availableFen, partners };
}
