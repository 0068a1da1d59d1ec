import { ConflictError } from '../../common/errors';

/** Not enough of a part where it was asked for; names the part and the shortfall. */
export class NotEnoughStockError extends ConflictError {
  constructor(where: string, part: { id: number; sku: string }, requested: number, available: number) {
    super(`Not enough stock of ${part.sku} at ${where}: ${requested} requested, ${available} available (short by ${requested - available})`, {
      reason: 'NOT_ENOUGH_STOCK',
      partId: String(part.id),
      sku: part.sku,
      requested,
      available,
      shortfall: requested - available,
    });
  }
}

/** A draw the revolving fund (or the partner's own cap) cannot cover; names the shortfall in fen. */
export class FundExhaustedError extends ConflictError {
  constructor(what: 'fund' | 'partnerCap', requestedFen: number, availableFen: number) {
    const shortfallFen = requestedFen - Math.max(0, availableFen);
    super(
      what === 'fund'
        ? `Not enough in the revolving fund: ${requestedFen} fen requested, ${Math.max(0, availableFen)} fen available (short by ${shortfallFen} fen)`
        : `Over the partner's fund cap: ${requestedFen} fen requested, ${Math.max(0, availableFen)} fen left under its cap (short by ${shortfallFen} fen)`,
      { reason: what === 'fund' ? 'FUND_EXHAUSTED' : 'PARTNER_CAP_EXCEEDED', requestedFen, availableFen: Math.max(0, availableFen), shortfallFen },
    );
  }
}
