import { once } from 'node:events';
import type { Request, Response, Router } from 'express';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth';
import { scopePartner } from '../../common/auth';
import { fromDbDate } from '../../common/db';
import { BadInputError, ForbiddenError } from '../../common/errors';
import { queryString, sendError } from '../../common/http-route';
import { parseOptionalId } from '../../common/ids';
import { csvInstant, csvStream, fenAndYuan } from '../../common/csv';
import { toFen } from '../../common/money';
import { periodRange } from '../../common/period';
import { Role } from '../../common/roles';
import { exportDownloaded, RouteDeps } from '../module';
import { regionByCode } from '../regions/region.service';
import { SUBSIDY_TYPE_LABELS, SubsidyType } from './subsidy.entity';
import { SUBSIDY_READERS } from './subsidies.roles';
import { registerWhere } from './register-sums';

const PAGE = 1000;

/** The CSV convention of README "CSV files": camelCase, fen then yuan, instants in +08:00. */
export const SUBSIDY_CSV_COLUMNS = [
  'id',
  'period',
  'partnerCode',
  'partnerName',
  'regionCode',
  'regionName',
  'type',
  'typeLabel',
  'amountFen',
  'amountYuan',
  'note',
  'reversesId',
  'recordedBy',
  'recordedAt',
] as const;

export interface SubsidyExportQuery {
  from: string;
  to: string;
  partnerId: number | null;
  type: SubsidyType | null;
  regionId: number | null;
}

/** Validates the query string and applies the role and tenant rules: the same as subsidyTotals. */
export async function parseExportQuery(em: EntityManager, user: AuthUser, req: Request): Promise<SubsidyExportQuery> {
  if (user.role !== Role.ADMIN && !SUBSIDY_READERS.includes(user.role)) throw new ForbiddenError(`Role ${user.role} may not export subsidies`);
  const fromRaw = queryString(req, 'from');
  const toRaw = queryString(req, 'to');
  if (!fromRaw) throw new BadInputError('from', 'is required ("YYYY-MM")');
  if (!toRaw) throw new BadInputError('to', 'is required ("YYYY-MM")');
  const months = periodRange(fromRaw, toRaw);
  const partnerId = scopePartner(user, parseOptionalId(queryString(req, 'partnerId'), 'partnerId'));
  const typeRaw = queryString(req, 'type');
  if (typeRaw && !Object.values(SubsidyType).includes(typeRaw as SubsidyType)) throw new BadInputError('type', `unknown subsidy type "${typeRaw}"`);
  const regionCode = queryString(req, 'regionCode');
  return {
    from: months[0].key,
    to: months[months.length - 1].key,
    partnerId,
    type: (typeRaw as SubsidyType) || null,
    regionId: regionCode ? (await regionByCode(em, regionCode, 'regionCode')).id : null,
  };
}

interface ExportRow {
  id: unknown;
  period: string;
  partnerCode: string;
  partnerName: string;
  regionCode: string;
  regionName: string;
  type: SubsidyType;
  amountFen: unknown;
  note: string | null;
  reversesId: unknown;
  recordedBy: string | null;
  recordedAt: unknown;
}

/** One page of register rows in export order (period, id), after the given key. */
async function page(em: EntityManager, q: SubsidyExportQuery, after: { period: string; id: number } | null): Promise<ExportRow[]> {
  const { where, params } = registerWhere(q.from, q.to, q.partnerId, q.type);
  if (q.regionId != null) {
    where.push('p.regionId = ?');
    params.push(q.regionId);
  }
  if (after) {
    where.push('(s.period > ? OR (s.period = ? AND s.id > ?))');
    params.push(after.period, after.period, after.id);
  }
  return em.query(
    `SELECT s.id AS id, s.period AS period, p.code AS partnerCode, p.name AS partnerName, r.code AS regionCode,
            r.name AS regionName, s.type AS type, s.amountFen AS amountFen, s.note AS note, s.reversesId AS reversesId,
            u.username AS recordedBy, s.recordedAt AS recordedAt
       FROM subsidy s
       JOIN repair_partner p ON p.id = s.partnerId
       JOIN region r ON r.id = p.regionId
       LEFT JOIN app_user u ON u.id = s.recordedById
      WHERE ${where.join(' AND ')}
      ORDER BY s.period, s.id
      LIMIT ${PAGE}`,
    params,
  );
}

/** Text cells are neutralised by the CSV writer (common/csv.ts); numbers stay numbers. */
function csvRecord(r: ExportRow): unknown[] {
  return [
    Number(r.id),
    r.period,
    r.partnerCode,
    r.partnerName,
    r.regionCode,
    r.regionName,
    r.type,
    SUBSIDY_TYPE_LABELS[r.type] ?? r.type,
    ...fenAndYuan(toFen(r.amountFen)),
    r.note ?? '',
    r.reversesId == null ? '' : Number(r.reversesId),
    r.recordedBy ?? '',
    csvInstant(fromDbDate(r.recordedAt)),
  ];
}

/**
 * GET /exports/subsidies.csv?from=YYYY-MM&to=YYYY-MM[&partnerId=&type=&regionCode=]
 * The register rows of the range for a spreadsheet, in the CSV convention of common/csv.ts (BOM,
 * CRLF, camelCase headers, fen then yuan, +08:00 instants, no formulas). Streamed page by
 * page, so a long range never sits in memory. Errors before the first byte answer JSON with the
 * GraphQL error shape and the matching HTTP status.
 */
async function exportSubsidies(req: Request, res: Response, deps: RouteDeps): Promise<void> {
  let q: SubsidyExportQuery;
  let first: ExportRow[];
  let user: AuthUser;
  try {
    user = await deps.authenticate(req.headers.authorization, req);
    q = await parseExportQuery(deps.ds.manager, user, req);
    first = await page(deps.ds.manager, q, null);
  } catch (err) {
    sendError(res, err, deps.log);
    return;
  }
  const filename = `subsidies_${q.from}_${q.to}.csv`;
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  const csv = csvStream(SUBSIDY_CSV_COLUMNS);
  // A client that hangs up mid-download must not leave this loop waiting for a drain that never comes.
  const gone = new AbortController();
  res.on('close', () => gone.abort());
  csv.pipe(res);
  try {
    let rows = first;
    let written = 0;
    for (;;) {
      for (const r of rows) {
        if (!csv.write(csvRecord(r))) await once(csv, 'drain', { signal: gone.signal });
      }
      written += rows.length;
      if (rows.length < PAGE || gone.signal.aborted) break;
      const last = rows[rows.length - 1];
      rows = await page(deps.ds.manager, q, { period: last.period, id: Number(last.id) });
    }
    csv.end();
    // A client gone midway got part of the file: said as downloaded only when all of it was written.
    if (!gone.signal.aborted) exportDownloaded(deps, req, user, 'subsidies', written);
  } catch (err) {
    csv.unpipe(res);
    csv.destroy();
    if (gone.signal.aborted) return;
    // Headers are out: the only honest signal left is a cut connection, not a short file.
    deps.log.error({ err }, 'subsidy export failed mid-stream');
    res.destroy(err as Error);
  }
}

export function subsidyRoutes(router: Router, deps: RouteDeps): void {
  router.get('/exports/subsidies.csv', (req, res) => {
    void exportSubsidies(req, res, deps);
  });
}
