import { ConflictError } from '../../common/errors';

/** Why a parts-centre or fund write is CONFLICT (`extensions.reason`); documented in docs/errors.md. */
export enum PartsConflict {
  /** A part with this SKU, a supplier with this name, or this delivery exists (`field` names it). */
  ALREADY_EXISTS = 'ALREADY_EXISTS',
  /** Not enough of a part where it was asked for (`partId`, `sku`, `requested`, `available`, `shortfall`). */
  NOT_ENOUGH_STOCK = 'NOT_ENOUGH_STOCK',
  /**
   * The revolving fund cannot cover the draw (`requestedFen`, `availableFen`, `shortfallFen`), or
   * has no limit set yet (no amounts then; the limit comes from PARTS_FUND_LIMIT_FEN at start).
   */
  FUND_EXHAUSTED = 'FUND_EXHAUSTED',
  /** The draw is over the partner's own cap under the fund (`requestedFen`, `availableFen`, `shortfallFen`). */
  PARTNER_CAP_EXCEEDED = 'PARTNER_CAP_EXCEEDED',
  /** The repayment is more than the partner owes the fund (`outstandingFen`). */
  REPAYMENT_EXCEEDS_DEBT = 'REPAYMENT_EXCEEDS_DEBT',
  /** The idempotencyKey was already used for an issue with other lines (`issueId`): use a new key for a new request. */
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  /** The repair partner is not ACTIVE: parts are issued to active partners only. */
  PARTNER_NOT_ACTIVE = 'PARTNER_NOT_ACTIVE',
  /** The part does not fit the repair order's handset model (`field`, `partId`, `sku`). */
  PART_DOES_NOT_FIT = 'PART_DOES_NOT_FIT',
  /** The stock moved while the count was posted (`field`): post the count again. */
  CHANGED_MEANWHILE = 'CHANGED_MEANWHILE',
}

/** Not enough of a part where it was asked for; names the part and the shortfall. */
export class NotEnoughStockError extends ConflictError {
  constructor(where: string, part: { id: number; sku: string }, requested: number, available: number) {
    super(
      PartsConflict.NOT_ENOUGH_STOCK,
      `Not enough stock of ${part.sku} at ${where}: ${requested} requested, ${available} available (short by ${requested - available})`,
      {
        partId: String(part.id),
        sku: part.sku,
        requested,
        available,
        shortfall: requested - available,
      },
    );
  }
}

/** A draw the revolving fund (or the partner's own cap) cannot cover; names the shortfall in fen. */
export class FundExhaustedError extends ConflictError {
  constructor(what: 'fund' | 'partnerCap', requestedFen: number, availableFen: number) {
    const shortfallFen = requestedFen - Math.max(0, availableFen);
    super(
      what === 'fund' ? PartsConflict.FUND_EXHAUSTED : PartsConflict.PARTNER_CAP_EXCEEDED,
      what === 'fund'
        ? `Not enough in the revolving fund: ${requestedFen} fen requested, ${Math.max(0, availableFen)} fen available (short by ${shortfallFen} fen)`
        : `Over the partner's fund cap: ${requestedFen} fen requested, ${Math.max(0, availableFen)} fen left under its cap (short by ${shortfallFen} fen)`,
      { requestedFen, availableFen: Math.max(0, availableFen), shortfallFen },
    );
  }
}
