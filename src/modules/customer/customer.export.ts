import { once } from 'node:events';
import type { Request, Response, Router } from 'express';
import { BadInputError, ForbiddenError } from '../../common/errors';
import { csvStream, fenAndYuan } from '../../common/csv';
import { Role } from '../../common/roles';
import type { AuthUser } from '../../common/auth';
import { exportDownloaded, RouteDeps } from '../module';
import { findRegion } from '../regions/region.service';
import { queryString, sendError } from '../../common/http-route';
import { customerTotals } from './customer-finance.service';
import { CustomerTotalsGroupBy, FinanceCategory } from './customer.enums';
import { MONEY_READERS } from './customer.roles';

/** The export convention (README, "CSV files"): camelCase headers, amountFen before amountYuan. */
export const CUSTOMER_TOTALS_CSV_COLUMNS = ['period', 'category', 'regionCode', 'regionName', 'count', 'lines', 'amountFen', 'amountYuan'] as const;

/**
 * GET /exports/customer-totals.csv?from=YYYY-MM&to=YYYY-MM[&regionCode=&category=]
 * One row per month, category and region (SP fines have no region), UTF-8 with a BOM, CRLF.
 */
async function exportTotals(req: Request, res: Response, deps: RouteDeps): Promise<void> {
  let rows: Awaited<ReturnType<typeof customerTotals>>;
  let from: string;
  let to: string;
  let user: AuthUser;
  try {
    user = await deps.authenticate(req.headers.authorization, req);
    if (user.role !== Role.ADMIN && !MONEY_READERS.includes(user.role)) throw ForbiddenError.forRoles(user.role, MONEY_READERS);
    from = queryString(req, 'from') ?? '';
    to = queryString(req, 'to') ?? '';
    if (!from) throw new BadInputError('from', 'is required ("YYYY-MM")');
    if (!to) throw new BadInputError('to', 'is required ("YYYY-MM")');
    const category = queryString(req, 'category');
    if (category && !Object.values(FinanceCategory).includes(category as FinanceCategory))
      throw new BadInputError('category', `unknown category "${category}"`);
    rows = await customerTotals(deps.ds.manager, {
      from,
      to,
      groupBy: [CustomerTotalsGroupBy.MONTH, CustomerTotalsGroupBy.CATEGORY, CustomerTotalsGroupBy.REGION],
      regionCode: queryString(req, 'regionCode') ?? null,
      category: (category as FinanceCategory) ?? null,
    });
  } catch (err) {
    sendError(res, err, deps.log);
    return;
  }
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="customer-totals_${from}_${to}.csv"`);
  res.setHeader('Cache-Control', 'no-store');
  const csv = csvStream(CUSTOMER_TOTALS_CSV_COLUMNS);
  const gone = new AbortController();
  res.on('close', () => gone.abort());
  csv.pipe(res);
  try {
    for (const r of rows) {
      const region = r.regionId != null ? await findRegion(deps.ds, { id: r.regionId }) : null;
      const record = [r.period, r.category, region?.code ?? '', region?.name ?? '', r.count, r.lines, ...fenAndYuan(r.amountFen)];
      if (!csv.write(record)) await once(csv, 'drain', { signal: gone.signal });
    }
    csv.end();
    if (!gone.signal.aborted) exportDownloaded(deps, req, user, 'customer-totals', rows.length);
  } catch (err) {
    csv.unpipe(res);
    csv.destroy();
    if (gone.signal.aborted) return;
    deps.log.error({ err }, 'customer totals export failed mid-stream');
    res.destroy(err as Error);
  }
}

export function customerExportRoutes(router: Router, deps: RouteDeps): void {
  router.get('/exports/customer-totals.csv', (req, res) => {
    void exportTotals(req, res, deps);
  });
}
