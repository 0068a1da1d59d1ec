import { inTransaction } from '../../src/common/tx';
import { seedRepairDemo } from '../../seeds/repair';
import { seedSubsidiesDemo, SUBSIDY_DEMO_PERIODS } from '../../seeds/subsidies';
import { startTestApp, TestApp } from '../helpers/app';
import { TOTALS } from './subsidies.fixtures';

/** The repair demo's six partners (the real seed, not a copy of it), then the subsidy demo. */
async function seededApp(): Promise<TestApp> {
  const t = await startTestApp();
  await inTransaction(t.app.ds, async (em) => {
    await seedRepairDemo(em, t.config);
    await seedSubsidiesDemo(em, t.config);
  });
  return t;
}

async function register(t: TestApp) {
  const rows: Record<string, unknown>[] = await t.app.ds.query(
    `SELECT p.code, s.type, s.period, s.amountFen, s.note, s.reversesId, s.recordedAt
       FROM subsidy s JOIN repair_partner p ON p.id = s.partnerId ORDER BY s.id`,
  );
  return rows.map((r) => ({
    ...r,
    amountFen: Number(r.amountFen),
    reversesId: r.reversesId == null ? null : Number(r.reversesId),
    recordedAt: String(r.recordedAt instanceof Date ? r.recordedAt.toISOString() : r.recordedAt),
  }));
}

let a: TestApp;
let b: TestApp;
beforeAll(async () => {
  a = await seededApp();
  b = await seededApp();
});
afterAll(async () => {
  await a.stop();
  await b.stop();
});

describe('the subsidy demo seed', () => {
  it('pays 6,000 yuan of wage subsidies a month across the six partners', async () => {
    const res = await a.gql(TOTALS, { f: '2025-01', t: '2025-06', g: 'PERIOD', type: 'WAGE' }, await a.token('finance'));
    expect(res.data.subsidyTotals.map((r: any) => [r.key, r.amountFen, r.entries])).toEqual(SUBSIDY_DEMO_PERIODS.map((p) => [p, 600_000, 6]));
  });

  it('books the other types too, with the reversal netting out', async () => {
    const res = await a.gql(TOTALS, { f: '2025-01', t: '2025-06', g: 'TYPE' }, await a.token('finance'));
    const types = res.data.subsidyTotals.map((r: any) => r.key);
    expect(types).toEqual(['WAGE', 'EQUIPMENT', 'LOANER_PHONES', 'PARTS_FUND', 'PREMISES', 'OTHER']);
    // Premises only for the partners housed in the branch's halls (all but RP-06), every month.
    const premises = await a.gql(TOTALS, { f: '2025-01', t: '2025-06', g: 'PARTNER', type: 'PREMISES' }, await a.token('finance'));
    expect(premises.data.subsidyTotals.map((r: any) => [r.key, r.entries])).toEqual(['RP-01', 'RP-02', 'RP-03', 'RP-04', 'RP-05'].map((c) => [c, 6]));
    const rows = await register(a);
    const reversal = rows.find((r) => r.reversesId != null)!;
    expect(reversal.amountFen).toBeLessThan(0);
  });

  it('shows the six lent equipment sets in the lent values', async () => {
    const res = await a.gql(`{ lentValues(period: "2025-06") { partner { code } equipmentCount equipmentValueFen } }`, {}, await a.token('finance'));
    const rows = res.data.lentValues;
    expect(rows.map((r: any) => r.partner.code)).toEqual(['RP-01', 'RP-02', 'RP-03', 'RP-04', 'RP-05', 'RP-06']);
    expect(rows.reduce((n: number, r: any) => n + r.equipmentCount, 0)).toBe(6);
    expect(rows.every((r: any) => r.equipmentValueFen > 0)).toBe(true);
  });

  it('is deterministic: two databases seeded alike hold the same register', async () => {
    const ra = await register(a);
    expect(ra.length).toBeGreaterThan(60);
    expect(await register(b)).toEqual(ra);
  });
});
