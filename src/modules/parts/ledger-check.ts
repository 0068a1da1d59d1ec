/**
 * Proves the two ledgers: for every part and location the movements sum to the level, and the fund
 * ledger sums to each partner's and the fund's outstanding. Set-based: a handful of grouped
 * queries whatever the size of the ledgers. Used by `npm run check:ledger`, the tests and the bench.
 */
import { DataSource, EntityManager } from 'typeorm';
import { toFen } from '../../common/money';
import { FUND_ID } from './fund.service';
import { FundEntryKind } from './fund.entity';
import { LocationKind } from './stock-location.entity';
import { StockDocumentType } from './stock-movement.entity';

export interface LedgerReport {
  ok: boolean;
  /** Broken invariants: any of these fails the check. */
  problems: string[];
  /** Not a broken ledger, but worth a look (a limit or cap lowered below what is already owed). */
  warnings: string[];
  stats: { levels: number; movements: number; units: number; partners: number; entries: number; fundOutstandingFen: number };
}

const LIMIT = 50;

export async function checkLedgers(db: DataSource | EntityManager, opts: { fundLimitFen?: number } = {}): Promise<LedgerReport> {
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => db.query(sql, params);
  const problems: string[] = [];
  const warnings: string[] = [];
  const note = (rows: unknown[], describe: (r: Record<string, unknown>) => string) => {
    for (const r of rows.slice(0, LIMIT)) problems.push(describe(r as Record<string, unknown>));
    if (rows.length > LIMIT) problems.push(`... and ${rows.length - LIMIT} more like it`);
  };

  // 1. Every level equals the sum of its movements; movements with no level are a break too.
  const sums = `SELECT partId, locationId, SUM(quantity) AS total, COUNT(*) AS n FROM stock_movement GROUP BY partId, locationId`;
  note(
    await q(
      `SELECT sl.partId, sl.locationId, sl.onHand, COALESCE(m.total, 0) AS total
         FROM stock_level sl LEFT JOIN (${sums}) m ON m.partId = sl.partId AND m.locationId = sl.locationId
        WHERE COALESCE(m.total, 0) <> sl.onHand
       UNION ALL
       SELECT m.partId, m.locationId, NULL AS onHand, m.total
         FROM (${sums}) m LEFT JOIN stock_level sl ON sl.partId = m.partId AND sl.locationId = m.locationId
        WHERE sl.id IS NULL`,
    ),
    (r) => `stock: part ${r.partId} at location ${r.locationId}: level ${r.onHand ?? 'missing'}, movements sum to ${Number(r.total)}`,
  );
  note(
    await q(`SELECT partId, locationId, onHand FROM stock_level WHERE onHand < 0`),
    (r) => `stock: part ${r.partId} at location ${r.locationId} is negative (${r.onHand})`,
  );
  note(
    await q(
      `SELECT p.id, p.sku FROM part p
        WHERE NOT EXISTS (SELECT 1 FROM stock_level sl JOIN stock_location l ON l.id = sl.locationId WHERE sl.partId = p.id AND l.kind = ?)`,
      [LocationKind.CENTRE],
    ),
    (r) => `stock: part ${r.sku} (${r.id}) has no level at the centre (its unit cost lives there)`,
  );

  // 2. Transfers move stock, they do not make it: an issue's or a return's movements net to zero per part.
  note(
    await q(
      `SELECT documentType, documentId, partId, SUM(quantity) AS net FROM stock_movement
        WHERE documentType IN (?, ?) GROUP BY documentType, documentId, partId HAVING SUM(quantity) <> 0`,
      [StockDocumentType.PARTS_ISSUE, StockDocumentType.PARTS_RETURN],
    ),
    (r) => `stock: ${r.documentType} ${r.documentId} part ${r.partId} moves net ${Number(r.net)} (a transfer must net to 0)`,
  );

  // 3. The fund ledger: each partner's entries sum to its account; the totals match the fund row.
  note(
    await q(
      `SELECT a.partnerId, a.outstandingFen, a.drawnFen, a.creditedFen,
              COALESCE(e.total, 0) AS total, COALESCE(e.drawn, 0) AS drawn, COALESCE(e.credited, 0) AS credited
         FROM fund_account a
         LEFT JOIN (SELECT partnerId, SUM(amountFen) AS total,
                           SUM(CASE WHEN kind = ? THEN amountFen ELSE 0 END) AS drawn,
                           SUM(CASE WHEN kind <> ? THEN -amountFen ELSE 0 END) AS credited
                      FROM fund_ledger_entry GROUP BY partnerId) e ON e.partnerId = a.partnerId
        WHERE COALESCE(e.total, 0) <> a.outstandingFen OR COALESCE(e.drawn, 0) <> a.drawnFen
           OR COALESCE(e.credited, 0) <> a.creditedFen OR a.drawnFen - a.creditedFen <> a.outstandingFen`,
      [FundEntryKind.DRAW, FundEntryKind.DRAW],
    ),
    (r) =>
      `fund: partner ${r.partnerId} account says outstanding ${toFen(r.outstandingFen)} (drawn ${toFen(r.drawnFen)}, credited ${toFen(r.creditedFen)}); ` +
      `its ledger says ${toFen(r.total)} (drawn ${toFen(r.drawn)}, credited ${toFen(r.credited)})`,
  );
  note(
    await q(`SELECT DISTINCT e.partnerId FROM fund_ledger_entry e LEFT JOIN fund_account a ON a.partnerId = e.partnerId WHERE a.partnerId IS NULL`),
    (r) => `fund: partner ${r.partnerId} has ledger entries but no account`,
  );
  note(
    await q(
      `SELECT kind, COUNT(*) AS n FROM fund_ledger_entry
        WHERE (kind = ? AND amountFen <= 0) OR (kind <> ? AND amountFen >= 0) GROUP BY kind`,
      [FundEntryKind.DRAW, FundEntryKind.DRAW],
    ),
    (r) => `fund: ${r.n} ${r.kind} entries have the wrong sign`,
  );
  const [fundRow] = await q<{ outstandingFen: unknown; limitFen: unknown }>(`SELECT outstandingFen, limitFen FROM parts_fund WHERE id = ?`, [FUND_ID]);
  const [ledgerTotal] = await q<{ total: unknown; n: unknown }>(`SELECT COALESCE(SUM(amountFen), 0) AS total, COUNT(*) AS n FROM fund_ledger_entry`);
  const [accountTotal] = await q<{ total: unknown; n: unknown }>(`SELECT COALESCE(SUM(outstandingFen), 0) AS total, COUNT(*) AS n FROM fund_account`);
  const fundOutstandingFen = fundRow ? toFen(fundRow.outstandingFen) : 0;
  if (!fundRow) problems.push('fund: the parts_fund row is missing');
  if (fundOutstandingFen !== toFen(ledgerTotal.total))
    problems.push(`fund: the fund says outstanding ${fundOutstandingFen}, its ledger sums to ${toFen(ledgerTotal.total)}`);
  if (fundOutstandingFen !== toFen(accountTotal.total))
    problems.push(`fund: the fund says outstanding ${fundOutstandingFen}, the partners' accounts sum to ${toFen(accountTotal.total)}`);
  // The policy's limit in the database; opts.fundLimitFen only for a database without one yet.
  const limitFen = fundRow && fundRow.limitFen != null ? toFen(fundRow.limitFen) : opts.fundLimitFen;
  if (limitFen !== undefined && fundOutstandingFen > limitFen) {
    warnings.push(`fund: outstanding ${fundOutstandingFen} is above the fund policy's limit ${limitFen} (was the limit lowered?)`);
  }
  for (const r of await q(`SELECT partnerId, capFen, outstandingFen FROM fund_account WHERE capFen IS NOT NULL AND outstandingFen > capFen`)) {
    warnings.push(`fund: partner ${r.partnerId} owes ${toFen(r.outstandingFen)}, above its cap ${toFen(r.capFen)} (was the cap lowered?)`);
  }

  // 4. Documents against both ledgers: an issue draws its total, a return credits its total, once.
  note(
    await q(
      `SELECT d.id, d.totalFen, COALESCE(l.total, 0) AS lineTotal, COALESCE(e.total, 0) AS drawn, COALESCE(e.n, 0) AS n
         FROM parts_issue d
         LEFT JOIN (SELECT documentId, SUM(amountFen) AS total FROM parts_document_line WHERE documentType = ? GROUP BY documentId) l ON l.documentId = d.id
         LEFT JOIN (SELECT issueId, SUM(amountFen) AS total, COUNT(*) AS n FROM fund_ledger_entry WHERE kind = ? GROUP BY issueId) e ON e.issueId = d.id
        WHERE COALESCE(l.total, 0) <> d.totalFen OR COALESCE(e.total, 0) <> d.totalFen OR COALESCE(e.n, 0) > 1`,
      [StockDocumentType.PARTS_ISSUE, FundEntryKind.DRAW],
    ),
    (r) => `fund: issue ${r.id} totals ${toFen(r.totalFen)}, its lines ${toFen(r.lineTotal)}, drawn ${toFen(r.drawn)} in ${Number(r.n)} entries`,
  );
  note(
    await q(
      `SELECT d.id, d.creditFen, COALESCE(e.total, 0) AS credited
         FROM parts_return d
         LEFT JOIN (SELECT returnId, -SUM(amountFen) AS total FROM fund_ledger_entry WHERE kind = ? GROUP BY returnId) e ON e.returnId = d.id
        WHERE COALESCE(e.total, 0) <> d.creditFen`,
      [FundEntryKind.RETURN_CREDIT],
    ),
    (r) => `fund: return ${r.id} credits ${toFen(r.creditFen)} but the ledger credited ${toFen(r.credited)}`,
  );

  const [levelStats] = await q<{ n: unknown; units: unknown }>(`SELECT COUNT(*) AS n, COALESCE(SUM(onHand), 0) AS units FROM stock_level`);
  const [movementStats] = await q<{ n: unknown }>(`SELECT COUNT(*) AS n FROM stock_movement`);
  return {
    ok: problems.length === 0,
    problems,
    warnings,
    stats: {
      levels: Number(levelStats.n),
      movements: Number(movementStats.n),
      units: Number(levelStats.units),
      partners: Number(accountTotal.n),
      entries: Number(ledgerTotal.n),
      fundOutstandingFen,
    },
  };
}
