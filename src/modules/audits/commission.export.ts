import type { Request, Response, Router } from 'express';
import { EXPORT_ROLES } from './audits.roles';
import { scopeAgent } from '../../common/auth';
import { fromDbDate } from '../../common/db';
import { ForbiddenError, NotFoundError } from '../../common/errors';
import { sendError } from '../../common/http-route';
import { parseOptionalId } from '../../common/ids';
import { csvInstant, csvText, fenAndYuan } from '../../common/csv';
import { toFen } from '../../common/money';
import { parsePeriod } from '../../common/period';
import { exportDownloaded, RouteDeps } from '../module';

const PAGE = 2000;

const MONEY = ['commissionPerActivation', 'gross', 'penalties', 'carriedIn', 'net', 'carriedOut'] as const;
export const COMMISSION_CSV_HEADER = [
  'period',
  'agentCode',
  'agentName',
  'regionCode',
  'activations',
  ...MONEY.flatMap((m) => [`${m}Fen`, `${m}Yuan`]),
  'penaltyCount',
  'status',
  'settledAt',
  'closedAt',
];

interface Row {
  period: string;
  agentId: number;
  code: string;
  name: string;
  regionCode: string | null;
  activations: unknown;
  commissionPerActivationFen: unknown;
  grossFen: unknown;
  penaltiesFen: unknown;
  carriedInFen: unknown;
  netFen: unknown;
  carriedOutFen: unknown;
  penaltyCount: unknown;
  status: string;
  settledAt: unknown;
  closedAt: unknown;
}

/** Text cells are neutralised by the CSV writer (common/csv.ts); numbers stay numbers. */
function csvLine(r: Row): unknown[] {
  return [
    r.period,
    r.code,
    r.name,
    r.regionCode ?? '',
    Number(r.activations),
    ...MONEY.flatMap((m) => fenAndYuan(toFen(r[`${m}Fen` as keyof Row]))),
    Number(r.penaltyCount),
    r.status,
    csvInstant(fromDbDate(r.settledAt)),
    csvInstant(fromDbDate(r.closedAt)),
  ];
}

/**
 * GET /exports/commission-statements.csv?period=YYYY-MM[&agentId=]: the period's statements for a
 * spreadsheet, in the CSV convention of common/csv.ts (BOM, camelCase headers, fen then yuan,
 * +08:00 instants, no formulas).
 * Same bearer token and role rules as commissionStatements: an AGENT gets its own row only.
 * Streamed in keyset pages, so memory does not grow with the number of agents.
 */
export function commissionExportRoutes(router: Router, deps: RouteDeps): void {
  router.get('/exports/commission-statements.csv', async (req: Request, res: Response) => {
    try {
      const user = await deps.authenticate(req.headers.authorization, req);
      if (!EXPORT_ROLES.includes(user.role)) throw new ForbiddenError(`Role ${user.role} may not read commission statements`);
      const period = parsePeriod(typeof req.query.period === 'string' ? req.query.period : '', 'period');
      const requested = typeof req.query.agentId === 'string' ? parseOptionalId(req.query.agentId, 'agentId') : null;
      const agentId = scopeAgent(user, requested);
      const settled: unknown[] = await deps.ds.query('SELECT period FROM commission_period WHERE period = ?', [period.key]);
      if (!settled.length) throw new NotFoundError('Commission period', period.key);

      res.status(200);
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="commission-statements-${period.key}.csv"`);
      res.setHeader('cache-control', 'no-store');
      res.write(csvText(COMMISSION_CSV_HEADER, [], { header: true }));
      let after = 0;
      let written = 0;
      for (;;) {
        const params: unknown[] = [period.key, after];
        if (agentId) params.push(agentId);
        const rows: Row[] = await deps.ds.query(
          `SELECT s.period, s.agentId, a.code, a.name, g.code AS regionCode, s.activations, s.commissionPerActivationFen, s.grossFen,
                  s.penaltiesFen, s.carriedInFen, s.netFen, s.carriedOutFen, s.penaltyCount, s.status, s.settledAt, s.closedAt
             FROM commission_statement s
             JOIN agent a ON a.id = s.agentId
             LEFT JOIN region g ON g.id = a.regionId
            WHERE s.period = ? AND s.agentId > ?${agentId ? ' AND s.agentId = ?' : ''}
            ORDER BY s.agentId
            LIMIT ${PAGE}`,
          params,
        );
        if (rows.length) res.write(csvText(COMMISSION_CSV_HEADER, rows.map(csvLine), { header: false, bom: false }));
        written += rows.length;
        if (rows.length < PAGE) break;
        after = Number(rows[rows.length - 1].agentId);
      }
      res.end();
      exportDownloaded(deps, req, user, 'commission-statements', written);
    } catch (err) {
      if (res.headersSent) {
        deps.log.error({ err }, 'commission statement export failed midway');
        res.destroy(err as Error);
        return;
      }
      sendError(res, err, deps.log, 'commission statement export');
    }
  });
}
