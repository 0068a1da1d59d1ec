import { inTransaction } from '../../src/common/tx';
import { seedSubsidiesDemo, SUBSIDY_DEMO_PERIODS } from '../../seeds/subsidies';
import { startTestApp, TestApp } from '../helpers/app';
import { createPartner, TOTALS } from './subsidies.fixtures';

/** The six demo partners as the repair demo describes them: 6,000 yuan of wage subsidy a month in all. */
const DEMO_PARTNERS = [
  { code: 'RP-01', name: '沙市新星手機維修', regionId: 1, monthlyWageSubsidyFen: 120_000, premisesProvided: true },
  { code: 'RP-02', name: '荊州華強通訊維修部', regionId: 2, monthlyWageSubsidyFen: 120_000, premisesProvided: true },
  { code: 'RP-03', name: '松滋順達維修', regionId: 3, monthlyWageSubsidyFen: 90_000 },
  { code: 'RP-04', name: '公安宏達維修', regionId: 4, monthlyWageSubsidyFen: 90_000, premisesProvided: true },
  { code: 'RP-05', name: '石首天宇通訊', regionId: 5, monthlyWageSubsidyFen: 90_000 },
  { code: 'RP-06', name: '監利金鑫維修', regionId: 6, monthlyWageSubsidyFen: 90_000 },
];

async function seededApp(): Promise<TestApp> {
  const t = await startTestApp();
  for (const p of DEMO_PARTNERS) await createPartner(t, { ...p, createdAt: new Date('2024-12-01T00:00:00Z') });
  await inTransaction(t.app.ds, (em) => seedSubsidiesDemo(em, t.config));
  return t;
}

async function register(t: TestApp) {
  const rows: Record<string, unknown>[] = await t.app.ds.query(
    `SELECT p.code, s.type, s.period, s.amountFen, s.note, s.reversesId, s.recordedAt
       FROM subsidy s JOIN repair_partner p ON p.id = s.partnerId ORDER BY s.id`,
  );
  return rows.map((r) => ({ ...r, amountFen: Number(r.amountFen), reversesId: r.reversesId == null ? null : Number(r.reversesId), recordedAt: String(r.recordedAt instanceof Date ? r.recordedAt.toISOString() : r.recordedAt) }));
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
    // Premises only for the three partners housed in the branch's halls, every month.
    const premises = await a.gql(TOTALS, { f: '2025-01', t: '2025-06', g: 'PARTNER', type: 'PREMISES' }, await a.token('finance'));
    expect(premises.data.subsidyTotals.map((r: any) => [r.key, r.entries])).toEqual([['RP-01', 6], ['RP-02', 6], ['RP-04', 6]]);
    const rows = await register(a);
    const reversal = rows.find((r) => r.reversesId != null)!;
    expect(reversal.amountFen).toBeLessThan(0);
  });

  it('is deterministic: two databases seeded alike hold the same register', async () => {
    const ra = await register(a);
    expect(ra.length).toBeGreaterThan(60);
    expect(await register(b)).toEqual(ra);
  });
});
