import { startTestApp, TestApp, expectError } from '../helpers/app';
import { nextMsisdn } from './registrations.fixtures';
import { activeLine, createAgent, openComplaint, secondDesk, startAndResolve } from './customer.fixtures';

let t: TestApp;
const SH = 8 * 3600_000;
const thisMonth = () => new Date(Date.now() + SH).toISOString().slice(0, 7);

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const TOTALS = `query($from: String!, $to: String!, $g: [CustomerTotalsGroupBy!], $r: String, $c: CustomerFinanceCategory){
  customerTotals(from:$from, to:$to, groupBy:$g, regionCode:$r, category:$c){ category region { code } period count lines amountFen } }`;

describe('roaming waivers and the finance totals', () => {
  it('waives AUTO only on border cells, once per line, month and cell; MANUAL once per line and month', async () => {
    const service = await t.token('service');
    const CELL = `mutation($i: BorderCellInput!){ setBorderCell(input:$i){ cellId region { code } } }`;
    expect((await t.gql(CELL, { i: { cellId: 'HN-TEST-1', regionCode: 'SHISHOU', description: '華容' } }, service)).data.setBorderCell).toEqual({
      cellId: 'HN-TEST-1',
      region: { code: 'SHISHOU' },
    });
    await t.gql(CELL, { i: { cellId: 'HN-TEST-2', regionCode: 'GONGAN', description: '安鄉' } }, service);
    const agent = await createAgent(t, { regionCode: 'JIANLI' });
    const line = await activeLine(t, agent.id);
    const a = nextMsisdn('153');
    const APPLY = `mutation($p: String!, $c: [RoamingChargeInput!]!){ applyAutoRoamingWaivers(period:$p, charges:$c){ waived waivedFen notBorder duplicates } }`;
    // Bad input anywhere: nothing written.
    expectError(
      await t.gql(
        APPLY,
        {
          p: '2004-03',
          c: [
            { msisdn: a, cellId: 'HN-TEST-1', amountFen: 120 },
            { msisdn: a, cellId: 'HN-TEST-2', amountFen: 0 },
          ],
        },
        service,
      ),
      'BAD_USER_INPUT',
      'charges.1.amountFen',
    );
    expectError(await t.gql(APPLY, { p: '2004-13', c: [{ msisdn: a, cellId: 'HN-TEST-1', amountFen: 120 }] }, service), 'BAD_USER_INPUT', 'period');
    const charges = [
      { msisdn: a, cellId: 'HN-TEST-1', amountFen: 1_200 },
      { msisdn: line.msisdn, cellId: 'HN-TEST-2', amountFen: 800 },
      { msisdn: a, cellId: 'HB-LOCAL-9', amountFen: 500 },
    ];
    expect((await t.gql(APPLY, { p: '2004-03', c: charges }, service)).data.applyAutoRoamingWaivers).toEqual({
      waived: 2,
      waivedFen: 2_000,
      notBorder: 1,
      duplicates: 0,
    });
    expect((await t.gql(APPLY, { p: '2004-03', c: charges }, service)).data.applyAutoRoamingWaivers).toEqual({
      waived: 0,
      waivedFen: 0,
      notBorder: 1,
      duplicates: 2,
    });
    const list = await t.gql(
      `{ roamingWaivers(first: 50, filter:{ period: "2004-03" }){ edges { node { msisdn amountFen source region { code } } } } }`,
      {},
      await t.token('finance'),
    );
    // A line with a record here counts in its agent's region; otherwise the cell's.
    expect(list.data.roamingWaivers.edges.map((e: any) => e.node).sort((x: any, y: any) => x.amountFen - y.amountFen)).toEqual([
      { msisdn: line.msisdn, amountFen: 800, source: 'AUTO', region: { code: 'JIANLI' } },
      { msisdn: a, amountFen: 1_200, source: 'AUTO', region: { code: 'SHISHOU' } },
    ]);
    const MANUAL = `mutation($i: ManualWaiverInput!){ waiveRoamingManually(input:$i){ source amountFen region { code } } }`;
    expectError(
      await t.gql(MANUAL, { i: { msisdn: nextMsisdn('153'), period: '2004-04', amountFen: 300, note: '人工' } }, service),
      'BAD_USER_INPUT',
      'input.regionCode',
    );
    expect(
      (await t.gql(MANUAL, { i: { msisdn: a, period: '2004-04', amountFen: 300, note: '人工', regionCode: 'SHISHOU' } }, service)).data.waiveRoamingManually,
    ).toEqual({ source: 'MANUAL', amountFen: 300, region: { code: 'SHISHOU' } });
    expectError(await t.gql(MANUAL, { i: { msisdn: a, period: '2004-04', amountFen: 300, note: '人工', regionCode: 'SHISHOU' } }, service), 'CONFLICT');
  });

  it('totals by every grouping agree, and the CSV export carries the same figures', async () => {
    const service = await t.token('service');
    // A confirmed compensation, an SP double refund, a fine and an upheld roaming complaint (a waiver and a compensation).
    const comp = (
      await startAndResolve(
        t,
        (await openComplaint(t, { msisdn: nextMsisdn('189'), category: 'SERVICE', description: '排隊', regionCode: 'HONGHU' })).data.openComplaint.id,
        { outcome: 'UPHELD', note: '屬實' },
      )
    ).data.resolveComplaint.compensation;
    await t.gql(`mutation($id: ID!){ confirmCompensation(id:$id){ status } }`, { id: comp.id }, await secondDesk(t));
    const spId = (await t.gql(`mutation{ createServiceProvider(input:{ code: "SP-FIN", name: "財務測試", depositFen: 100000 }){ id } }`, {}, service)).data
      .createServiceProvider.id;
    const refund = await startAndResolve(
      t,
      (await openComplaint(t, { msisdn: nextMsisdn('153'), category: 'SP_CHARGE', description: '扣費', spId, disputedAmountFen: 900, regionCode: 'SONGZI' }))
        .data.openComplaint.id,
      { outcome: 'UPHELD', note: '屬實' },
    );
    expect(refund.data.resolveComplaint.compensation.amountFen).toBe(1_800);
    await t.gql(`mutation($id: ID!){ recordSpDepositMovement(input:{ spId:$id, kind: FINE, amountFen: 20000, note: "違規" }){ id } }`, { id: spId }, service);
    const roam = await startAndResolve(
      t,
      (await openComplaint(t, { msisdn: nextMsisdn('153'), category: 'ROAMING_CHARGE', description: '漫遊', disputedAmountFen: 650, regionCode: 'GONGAN' }))
        .data.openComplaint.id,
      { outcome: 'UPHELD', note: '邊界' },
    );
    await t.gql(`mutation($id: ID!){ confirmCompensation(id:$id){ status } }`, { id: roam.data.resolveComplaint.compensation.id }, await secondDesk(t));

    // A border-cell waiver of this month of its own (the other test's waivers are of 2004: out of range).
    await t.gql(
      `mutation($i: BorderCellInput!){ setBorderCell(input:$i){ cellId } }`,
      { i: { cellId: 'HN-FIN-1', regionCode: 'SHISHOU', description: '華容' } },
      service,
    );
    const m1 = nextMsisdn('153');
    const m2 = nextMsisdn('153');
    const auto = await t.gql(
      `mutation($p: String!, $c: [RoamingChargeInput!]!){ applyAutoRoamingWaivers(period:$p, charges:$c){ waived } }`,
      {
        p: thisMonth(),
        c: [
          { msisdn: m1, cellId: 'HN-FIN-1', amountFen: 1_200 },
          { msisdn: m2, cellId: 'HN-FIN-1', amountFen: 800 },
        ],
      },
      service,
    );
    expect(auto.data.applyAutoRoamingWaivers.waived).toBe(2);
    await t.gql(
      `mutation($i: ManualWaiverInput!){ waiveRoamingManually(input:$i){ id } }`,
      { i: { msisdn: m1, period: thisMonth(), amountFen: 300, note: '人工', regionCode: 'SHISHOU' } },
      service,
    );

    const from = '2020-01';
    const to = thisMonth();
    const finance = await t.token('finance');
    const totals = await t.gql(TOTALS, { from, to, g: ['CATEGORY'] }, finance);
    expect(totals.errors).toBeUndefined();
    const byCategory = totals.data.customerTotals;
    expect(byCategory).toEqual([
      // SERVICE 2,000 + ROAMING_CHARGE 1,000 by the rule book
      { category: 'COMPENSATION', region: null, period: null, count: 2, lines: 2, amountFen: 3_000 },
      // 2,000 AUTO, 300 MANUAL, 650 on complaint
      { category: 'ROAMING_WAIVER', region: null, period: null, count: 4, lines: 3, amountFen: 2_950 },
      { category: 'SP_FINE', region: null, period: null, count: 1, lines: 0, amountFen: 20_000 },
      { category: 'SP_REFUND', region: null, period: null, count: 1, lines: 1, amountFen: 1_800 },
    ]);
    const [all] = (await t.gql(TOTALS, { from, to, g: [] }, finance)).data.customerTotals;
    expect(all).toMatchObject({ count: 8, amountFen: 27_750 });
    const groupings = [['REGION'], ['MONTH'], ['CATEGORY', 'REGION'], ['CATEGORY', 'MONTH'], ['REGION', 'MONTH'], ['CATEGORY', 'REGION', 'MONTH']];
    for (const g of groupings) {
      const rows = (await t.gql(TOTALS, { from, to, g }, finance)).data.customerTotals;
      expect([g, rows.reduce((s: number, r: any) => s + r.amountFen, 0), rows.reduce((s: number, r: any) => s + r.count, 0)]).toEqual([g, 27_750, 8]);
    }
    // Filters agree with the groups they pick out.
    const gongan = (await t.gql(TOTALS, { from, to, g: ['CATEGORY'], r: 'GONGAN' }, finance)).data.customerTotals;
    expect(gongan.map((r: any) => [r.category, r.amountFen])).toEqual([
      ['COMPENSATION', 1_000],
      ['ROAMING_WAIVER', 650],
    ]);
    const fines = (await t.gql(TOTALS, { from, to, g: ['MONTH'], c: 'SP_FINE' }, finance)).data.customerTotals;
    expect(fines).toEqual([{ category: null, region: null, period: thisMonth(), count: 1, lines: 0, amountFen: 20_000 }]);
    expectError(await t.gql(TOTALS, { from: to, to: from, g: [] }, finance), 'BAD_USER_INPUT', 'to');
    expectError(await t.gql(TOTALS, { from, to, g: [] }, await t.userToken('AGENT', { agentId: (await createAgent(t)).id })), 'FORBIDDEN');

    const res = await t.http().get(`/exports/customer-totals.csv?from=${from}&to=${to}`).set('authorization', `Bearer ${finance}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('period,category,regionCode,regionName,count,lines,amountFen,amountYuan');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.reduce((s, r) => s + Number(r[6]), 0)).toBe(27_750);
    expect(rows.every((r) => (Number(r[6]) / 100).toFixed(2) === r[7])).toBe(true);
    expect(rows.find((r) => r[1] === 'SP_FINE')).toEqual([thisMonth(), 'SP_FINE', '', '', '1', '0', '20000', '200.00']);
    expect((await t.http().get(`/exports/customer-totals.csv?from=${from}&to=${to}`)).status).toBe(401);
    expect((await t.http().get(`/exports/customer-totals.csv?from=2004-13&to=${to}`).set('authorization', `Bearer ${finance}`)).status).toBe(400);
    expect(
      (
        await t
          .http()
          .get(`/exports/customer-totals.csv?from=${from}&to=${to}`)
          .set('authorization', `Bearer ${await t.token('staff')}`)
      ).status,
    ).toBe(403);

    const balances = await t.gql(`{ serviceProviders { code depositFen debtFen } }`, {}, finance);
    expect(balances.data.serviceProviders).toEqual([{ code: 'SP-FIN', depositFen: 100_000 - 1_800 - 20_000, debtFen: 0 }]);
  });
});
