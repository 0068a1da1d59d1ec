import { inTransaction } from '../../src/common/tx';
import { seedAgentsDemo } from '../../seeds/agents';
import { DEMO_FINE_PERIOD, DEMO_WAIVER_FEN, DEMO_WAIVER_LINES, seedCustomerDemo } from '../../seeds/customer';
import { seedRepairDemo } from '../../seeds/repair';
import { startTestApp, TestApp } from '../helpers/app';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  await inTransaction(t.app.ds, async (em) => {
    await seedAgentsDemo(em, t.config);
    await seedRepairDemo(em, t.config);
    await seedCustomerDemo(em, t.config);
  });
}, 300_000);
afterAll(async () => {
  await t.stop();
});

const TOTALS = `query($from: String!, $to: String!, $g: [CustomerTotalsGroupBy!], $c: CustomerFinanceCategory){
  customerTotals(from:$from, to:$to, groupBy:$g, category:$c){ category period count lines amountFen } }`;

describe('the customer-side demo data reproduces the report', () => {
  it('three SPs fined 50,000 yuan in all in one month, every deposit in step with its ledger', async () => {
    const finance = await t.token('finance');
    const fines = await t.gql(TOTALS, { from: '2025-01', to: '2025-06', g: ['MONTH'], c: 'SP_FINE' }, finance);
    expect(fines.data.customerTotals).toEqual([{ category: null, period: DEMO_FINE_PERIOD, count: 3, lines: 0, amountFen: 5_000_000 }]);
    const check = (await t.gql(`{ spDepositCheck { balanced } serviceProviders { code depositFen } }`, {}, finance)).data;
    expect(check.spDepositCheck.length).toBe(5);
    expect(check.spDepositCheck.every((c: any) => c.balanced)).toBe(true);
  });

  it('border roaming waivers from January 2004 to February 2005 at 1:100 of 61,740 customers and 644,000 yuan', async () => {
    const [all] = (await t.gql(TOTALS, { from: '2004-01', to: '2005-02', g: [], c: 'ROAMING_WAIVER' }, await t.token('finance'))).data.customerTotals;
    expect(all).toMatchObject({ lines: DEMO_WAIVER_LINES, amountFen: DEMO_WAIVER_FEN });
    expect(DEMO_WAIVER_LINES).toBe(Math.round(61_740 / 100));
    expect(DEMO_WAIVER_FEN).toBe((644_000 * 100) / 100);
    // Yuan per customer within 0.1 % of the report's.
    const perLine = DEMO_WAIVER_FEN / 100 / DEMO_WAIVER_LINES;
    expect(Math.abs(perLine / (644_000 / 61_740) - 1)).toBeLessThan(0.001);
    const months = (await t.gql(TOTALS, { from: '2004-01', to: '2005-02', g: ['MONTH'], c: 'ROAMING_WAIVER' }, await t.token('finance'))).data.customerTotals;
    expect(months.length).toBe(14);
  });

  it('callbacks and complaints across the demo agents, with findings from denials and upheld complaints', async () => {
    const service = await t.token('service');
    const stats = (await t.gql(`{ callbackStats(period: "2025-03"){ due done reached denied } }`, {}, service)).data.callbackStats;
    expect(stats.length).toBeGreaterThan(50);
    const sum = (k: string) => stats.reduce((s: number, r: any) => s + r[k], 0);
    expect(sum('done')).toBe(sum('due'));
    expect(sum('reached')).toBeGreaterThan(sum('due') * 0.6);
    const denials = await t.app.ds.query(
      `SELECT COUNT(*) AS n FROM customer_callback WHERE outcome IN ('DENIES_OWNERSHIP', 'DATA_MISMATCH') AND findingId IS NOT NULL`,
    );
    expect(Number(denials[0].n)).toBe(8);
    const complaints = (await t.gql(`{ complaintStats(period: "2025-03"){ category count within24h } }`, {}, service)).data.complaintStats;
    expect(complaints.reduce((s: number, r: any) => s + r.count, 0)).toBe(12);
    const withFinding = await t.app.ds.query(`SELECT COUNT(*) AS n FROM complaint WHERE findingId IS NOT NULL`);
    expect(Number(withFinding[0].n)).toBeGreaterThan(0);
  });
});
