import { parse } from 'csv-parse/sync';
import type { TestApp } from '../helpers/app';
import { toDbDate } from '../../src/common/db';

export interface PartnerFixture {
  code: string;
  name: string;
  regionId: number;
  monthlyWageSubsidyFen: number;
  status?: 'ACTIVE' | 'SUSPENDED' | 'TERMINATED';
  createdAt?: Date;
  /** When the status last changed (null: never, as for a partner created before the column existed). */
  statusChangedAt?: Date | null;
  premisesProvided?: boolean;
}

/**
 * Repair partners with a past: the repair module's createRepairPartner stamps createdAt and
 * statusChangedAt with the present, and the wage rules and totals are about months gone by, so
 * these rows go in directly. Everything about subsidies itself is built through the API.
 */
export async function createPartner(t: TestApp, p: PartnerFixture): Promise<number> {
  await t.app.ds.query(
    `INSERT INTO repair_partner (code, name, regionId, address, premisesProvided, monthlyWageSubsidyFen, status, statusChangedAt, createdAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      p.code,
      p.name,
      p.regionId,
      null,
      p.premisesProvided ? 1 : 0,
      p.monthlyWageSubsidyFen,
      p.status ?? 'ACTIVE',
      p.statusChangedAt ? toDbDate(p.statusChangedAt) : null,
      toDbDate(p.createdAt ?? new Date('2004-06-01T00:00:00Z')),
    ],
  );
  const rows: { id: number }[] = await t.app.ds.query('SELECT id FROM repair_partner WHERE code = ?', [p.code]);
  return Number(rows[0].id);
}

export const RECORD = `mutation($i: RecordSubsidyInput!){ recordSubsidy(input:$i){ id partnerId type period amountFen note recordedBy recordedAt } }`;
export const GENERATE = `mutation($p: String!){ generateWageSubsidies(period:$p){ period eligible created alreadyRecorded amountFen subsidies { id partnerId amountFen type period } } }`;
export const REVERSE = `mutation($id: ID!, $r: String!, $fen: SafeInt){ reverseSubsidy(id:$id, reason:$r, replacementAmountFen:$fen){
  reversal { id amountFen reversesId type period partnerId } replacement { id amountFen type period } } }`;
export const TOTALS = `query($f: String!, $t: String!, $g: SubsidyGroupBy!, $p: ID, $type: SubsidyType, $rc: String){
  subsidyTotals(from:$f, to:$t, groupBy:$g, partnerId:$p, type:$type, regionCode:$rc){ key label amountFen entries } }`;

export async function record(
  t: TestApp,
  token: string,
  i: { partnerId: number | string; type: string; period: string; amountFen: number; note?: string },
): Promise<{ id: string; amountFen: number }> {
  const res = await t.gql(RECORD, { i: { ...i, partnerId: String(i.partnerId) } }, token);
  if (!res.data?.recordSubsidy) throw new Error(`recordSubsidy failed: ${JSON.stringify(res.errors)}`);
  return res.data.recordSubsidy;
}

/** Parse a CSV export body (buffer) as the spreadsheet would: BOM stripped, header row as keys. */
export function parseCsv(body: Buffer): Record<string, string>[] {
  return parse(body, { bom: true, columns: true, skip_empty_lines: true });
}

/**
 * The helper's SqlCounter is built without logger options, and TypeORM's AbstractLogger only
 * passes queries on when its own options ask for them: switch that on (reported to the lead).
 */
export function enableSqlCounter(t: TestApp): void {
  const counter = t.sql as unknown as { options?: unknown };
  if (!counter.options) counter.options = ['query'];
}
