/**
 * Fixtures for the parts and fund tests, all through the API: partners (createRepairPartner gives
 * them a shelf), repair orders, parts and purchases.
 */
import { meidWithCheckDigit } from '../../src/common/validators/serial';
import { checkLedgers } from '../../src/modules/parts/ledger-check';
import type { GqlResult, TestApp } from '../helpers/app';

let seq = 0;
const tag = `${process.pid % 10000}`;

function ok<T = any>(res: GqlResult, what: string): T {
  if (res.errors) throw new Error(`${what} failed: ${JSON.stringify(res.errors)}`);
  return res.data;
}

export function outcome(res: GqlResult): string {
  return res.errors ? res.errors[0].extensions.code : 'OK';
}

export async function staffToken(t: TestApp): Promise<string> {
  return t.token('aftersales');
}

export async function createPartner(t: TestApp, opts: { status?: 'SUSPENDED' | 'TERMINATED' } = {}): Promise<{ id: string; code: string; name: string }> {
  const n = ++seq;
  const code = `PT-${tag}-${n}`;
  const staff = await staffToken(t);
  const res = await t.gql(
    `mutation($i:CreateRepairPartnerInput!){ createRepairPartner(input:$i){ id code name } }`,
    { i: { code, name: `Parts test shop ${n}`, regionCode: 'SHASHI' } },
    staff,
  );
  const partner = ok(res, 'createRepairPartner').createRepairPartner;
  if (opts.status) {
    ok(
      await t.gql(
        `mutation($id:ID!,$s:PartnerStatus!){ setRepairPartnerStatus(id:$id, status:$s, reason:"test"){ id } }`,
        { id: partner.id, s: opts.status },
        staff,
      ),
      'setRepairPartnerStatus',
    );
  }
  return partner;
}

export async function openOrder(t: TestApp, partnerId: string, brand = 'Samsung', model = 'SCH-X199'): Promise<string> {
  const n = ++seq;
  const res = await t.gql(
    `mutation($i:OpenRepairOrderInput!){ openRepairOrder(input:$i){ id } }`,
    {
      i: {
        partnerId,
        customerMsisdn: `139${String(10000000 + n).slice(-8)}`,
        brand,
        model,
        serial: meidWithCheckDigit((0xa2000000000000 + Number(tag) * 10000 + n).toString(16).toUpperCase()),
        fault: 'cracked screen',
        outOfAuthorization: true,
        outOfAuthorizationReason: 'parts test fixture',
      },
    },
    await staffToken(t),
  );
  return ok(res, 'openRepairOrder').openRepairOrder.id;
}

export async function cancelOrder(t: TestApp, orderId: string): Promise<void> {
  ok(await t.gql(`mutation($id:ID!){ setRepairOrderStatus(id:$id, status:CANCELLED){ id } }`, { id: orderId }, await staffToken(t)), 'cancel order');
}

export const CREATE_PART = `mutation($i:CreatePartInput!){ createPart(input:$i){ id sku name category unitCostFen reorderPoint compatibleModels { brand model } } }`;

export async function createPart(
  t: TestApp,
  opts: { unitCostFen?: number; reorderPoint?: number; category?: string; models?: { brand: string; model: string }[]; sku?: string; name?: string } = {},
): Promise<{ id: string; sku: string }> {
  const n = ++seq;
  const res = await t.gql(
    CREATE_PART,
    {
      i: {
        sku: opts.sku ?? `T${tag}-${n}`,
        name: opts.name ?? `Test part ${n}`,
        category: opts.category ?? 'SCREEN',
        unitCostFen: opts.unitCostFen ?? 1000,
        reorderPoint: opts.reorderPoint ?? 0,
        compatibleModels: opts.models ?? [],
      },
    },
    await staffToken(t),
  );
  return ok(res, 'createPart').createPart;
}

let supplierId: string | undefined;
export async function firstSupplier(t: TestApp): Promise<string> {
  if (supplierId) return supplierId;
  const res = await t.gql(`{ suppliers(first: 1){ edges { node { id } } } }`, {}, await staffToken(t));
  supplierId = ok(res, 'suppliers').suppliers.edges[0].node.id as string;
  return supplierId;
}

export const RECEIVE = `mutation($i:ReceivePurchaseInput!){ receivePurchase(input:$i){ id totalFen lines { part { id } quantity unitCostFen amountFen } } }`;

export async function receive(t: TestApp, lines: { partId: string; quantity: number; unitCostFen: number }[], reference?: string): Promise<any> {
  const res = await t.gql(RECEIVE, { i: { supplierId: await firstSupplier(t), reference, lines } }, await staffToken(t));
  return ok(res, 'receivePurchase').receivePurchase;
}

/** A part with `quantity` units at the centre, bought at `unitCostFen`. */
export async function stockedPart(
  t: TestApp,
  quantity: number,
  unitCostFen = 1000,
  opts: Parameters<typeof createPart>[1] = {},
): Promise<{ id: string; sku: string }> {
  const part = await createPart(t, { unitCostFen, ...opts });
  if (quantity > 0) await receive(t, [{ partId: part.id, quantity, unitCostFen }]);
  return part;
}

export const ISSUE = `mutation($i:IssuePartsInput!){ issueParts(input:$i){ id totalFen idempotencyKey partner { id } location { id kind } lines { part { id sku } quantity unitCostFen amountFen } } }`;

export async function issue(
  t: TestApp,
  partnerId: string,
  lines: { partId: string; quantity: number }[],
  token?: string,
  idempotencyKey?: string,
): Promise<GqlResult> {
  return t.gql(ISSUE, { i: { partnerId, lines, idempotencyKey } }, token ?? (await staffToken(t)));
}

/** Stock of a part at a location, read from the database (assertions only). */
export async function onHand(t: TestApp, partId: string, where: { partnerId?: string; centre?: boolean }): Promise<number> {
  const rows = where.centre
    ? await t.app.ds.query(`SELECT sl.onHand FROM stock_level sl JOIN stock_location l ON l.id = sl.locationId WHERE sl.partId = ? AND l.kind = 'CENTRE'`, [
        Number(partId),
      ])
    : await t.app.ds.query(`SELECT sl.onHand FROM stock_level sl JOIN stock_location l ON l.id = sl.locationId WHERE sl.partId = ? AND l.partnerId = ?`, [
        Number(partId),
        Number(where.partnerId),
      ]);
  return rows.length ? Number(rows[0].onHand) : 0;
}

export async function count(t: TestApp, sql: string, params: unknown[] = []): Promise<number> {
  const rows = await t.app.ds.query(sql, params);
  return Number(rows[0].n);
}

/** Everything a failed mutation must leave as it was: both ledgers, the levels, the fund, the documents. */
export async function snapshot(t: TestApp): Promise<Record<string, unknown>> {
  const q = (sql: string) => t.app.ds.query(sql);
  return {
    levels: (await q(`SELECT partId, locationId, onHand, unitCostFen FROM stock_level ORDER BY partId, locationId`)).map(
      (r: any) => `${r.partId}/${r.locationId}:${r.onHand}@${r.unitCostFen}`,
    ),
    movements: Number((await q(`SELECT COUNT(*) AS n FROM stock_movement`))[0].n),
    issues: Number((await q(`SELECT COUNT(*) AS n FROM parts_issue`))[0].n),
    lines: Number((await q(`SELECT COUNT(*) AS n FROM parts_document_line`))[0].n),
    entries: Number((await q(`SELECT COUNT(*) AS n FROM fund_ledger_entry`))[0].n),
    changes: Number((await q(`SELECT COUNT(*) AS n FROM change_log`))[0].n),
    fund: String((await q(`SELECT outstandingFen FROM parts_fund`))[0].outstandingFen),
    accounts: (await q(`SELECT partnerId, outstandingFen, drawnFen FROM fund_account ORDER BY partnerId`)).map(
      (r: any) => `${r.partnerId}:${r.outstandingFen}/${r.drawnFen}`,
    ),
  };
}

export async function expectLedgersBalance(t: TestApp): Promise<void> {
  const report = await checkLedgers(t.app.ds, { fundLimitFen: t.config.partsFundLimitFen });
  if (!report.ok) throw new Error(`ledger check failed:\n${report.problems.join('\n')}`);
}
