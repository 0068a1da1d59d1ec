import { startTestApp, TestApp, expectError } from '../helpers/app';
import { createPartner, GENERATE, record, REVERSE } from './subsidies.fixtures';

let t: TestApp;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await startTestApp();
  // Created once, before any test: every test reads the same set of partners.
  ids.P1 = await createPartner(t, { code: 'WG-01', name: '沙市新星手機維修', regionId: 1, monthlyWageSubsidyFen: 100_000 });
  ids.P2 = await createPartner(t, { code: 'WG-02', name: '荊州華強通訊', regionId: 2, monthlyWageSubsidyFen: 60_000 });
  ids.P3 = await createPartner(t, { code: 'WG-03', name: '松滋停業維修部', regionId: 3, monthlyWageSubsidyFen: 50_000, status: 'SUSPENDED' });
  // Joined in the middle of February 2005.
  ids.P4 = await createPartner(t, {
    code: 'WG-04',
    name: '公安順達維修',
    regionId: 4,
    monthlyWageSubsidyFen: 70_000,
    createdAt: new Date('2005-02-15T02:00:00Z'),
  });
  ids.P5 = await createPartner(t, { code: 'WG-05', name: '石首無補貼維修', regionId: 5, monthlyWageSubsidyFen: 0 });
  ids.P6 = await createPartner(t, { code: 'WG-06', name: '監利已終止', regionId: 6, monthlyWageSubsidyFen: 40_000, status: 'TERMINATED' });
  // Suspended on 10 February 2005: active in January and part of February.
  ids.P7 = await createPartner(t, {
    code: 'WG-07',
    name: '洪湖停業維修',
    regionId: 7,
    monthlyWageSubsidyFen: 30_000,
    status: 'SUSPENDED',
    statusChangedAt: new Date('2005-02-10T03:00:00Z'),
  });
  // Reactivated on 20 March 2005 after a suspension of unknown start: paid from March on.
  ids.P8 = await createPartner(t, {
    code: 'WG-08',
    name: '江陵復業維修',
    regionId: 8,
    monthlyWageSubsidyFen: 20_000,
    statusChangedAt: new Date('2005-03-20T03:00:00Z'),
  });
});
afterAll(() => t.stop());

async function wageRows(period: string): Promise<{ partnerId: number; amountFen: number }[]> {
  const rows: { partnerId: unknown; amountFen: unknown }[] = await t.app.ds.query(
    `SELECT partnerId, amountFen FROM subsidy WHERE type = 'WAGE' AND period = ? ORDER BY partnerId`,
    [period],
  );
  return rows.map((r) => ({ partnerId: Number(r.partnerId), amountFen: Number(r.amountFen) }));
}

describe('generateWageSubsidies', () => {
  it('adds one WAGE entry per partner active in the month, from its monthly amount', async () => {
    const res = await t.gql(GENERATE, { p: '2005-01' }, await t.token('finance'));
    expect(res.errors).toBeUndefined();
    const run = res.data.generateWageSubsidies;
    // P1, P2 and P7 (suspended only in February): P3 suspended long ago, P4 not yet a partner,
    // P5 without a wage subsidy, P6 terminated, P8 suspended until March.
    expect(run).toMatchObject({ period: '2005-01', eligible: 3, created: 3, alreadyRecorded: 0, amountFen: 190_000 });
    expect(run.subsidies.map((s: any) => [Number(s.partnerId), s.amountFen, s.type, s.period])).toEqual([
      [ids.P1, 100_000, 'WAGE', '2005-01'],
      [ids.P2, 60_000, 'WAGE', '2005-01'],
      [ids.P7, 30_000, 'WAGE', '2005-01'],
    ]);
    expect(await wageRows('2005-01')).toEqual([
      { partnerId: ids.P1, amountFen: 100_000 },
      { partnerId: ids.P2, amountFen: 60_000 },
      { partnerId: ids.P7, amountFen: 30_000 },
    ]);
  });

  it('counts a partner that joined during the month, and one suspended during it', async () => {
    const run = (await t.gql(GENERATE, { p: '2005-02' }, await t.token('finance'))).data.generateWageSubsidies;
    expect(run).toMatchObject({ eligible: 4, created: 4, amountFen: 260_000 });
    expect((await wageRows('2005-02')).map((r) => r.partnerId)).toEqual([ids.P1, ids.P2, ids.P4, ids.P7]);
  });

  it('leaves out a partner suspended before the month, pays one reactivated before its end', async () => {
    const run = (await t.gql(GENERATE, { p: '2005-10' }, await t.token('finance'))).data.generateWageSubsidies;
    expect(run).toMatchObject({ eligible: 4, created: 4, amountFen: 250_000 });
    expect((await wageRows('2005-10')).map((r) => r.partnerId)).toEqual([ids.P1, ids.P2, ids.P4, ids.P8]);
  });

  it('adds nothing when run again for the same month', async () => {
    const finance = await t.token('finance');
    await t.gql(GENERATE, { p: '2005-05' }, finance);
    const before = await wageRows('2005-05');
    const again = (await t.gql(GENERATE, { p: '2005-05' }, finance)).data.generateWageSubsidies;
    expect(again).toMatchObject({ eligible: 4, created: 0, alreadyRecorded: 4, amountFen: 0, subsidies: [] });
    expect(await wageRows('2005-05')).toEqual(before);
    expect(before).toHaveLength(4);
  });

  it('adds each entry once under concurrent runs (unique key, not a check in code)', async () => {
    const finance = await t.token('finance');
    const admin = await t.token('admin');
    const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => t.gql(GENERATE, { p: '2005-03' }, i % 2 ? admin : finance)));
    for (const r of runs) expect(r.errors).toBeUndefined();
    const created = runs.reduce((n, r) => n + r.data.generateWageSubsidies.created, 0);
    expect(created).toBe(4);
    expect(await wageRows('2005-03')).toEqual([
      { partnerId: ids.P1, amountFen: 100_000 },
      { partnerId: ids.P2, amountFen: 60_000 },
      { partnerId: ids.P4, amountFen: 70_000 },
      { partnerId: ids.P8, amountFen: 20_000 },
    ]);
  });

  it('leaves alone a partner whose WAGE entry for the month was recorded by hand', async () => {
    const finance = await t.token('finance');
    await record(t, finance, { partnerId: ids.P1, type: 'WAGE', period: '2005-04', amountFen: 50_000, note: 'half month' });
    const run = (await t.gql(GENERATE, { p: '2005-04' }, finance)).data.generateWageSubsidies;
    expect(run).toMatchObject({ eligible: 4, created: 3, alreadyRecorded: 1, amountFen: 150_000 });
    expect(await wageRows('2005-04')).toEqual([
      { partnerId: ids.P1, amountFen: 50_000 },
      { partnerId: ids.P2, amountFen: 60_000 },
      { partnerId: ids.P4, amountFen: 70_000 },
      { partnerId: ids.P8, amountFen: 20_000 },
    ]);
  });

  it('refuses a second WAGE entry for a partner and month, and writes nothing', async () => {
    const finance = await t.token('finance');
    await record(t, finance, { partnerId: ids.P2, type: 'WAGE', period: '2005-06', amountFen: 60_000 });
    const res = await t.gql(
      `mutation($i: RecordSubsidyInput!){ recordSubsidy(input:$i){ id } }`,
      { i: { partnerId: String(ids.P2), type: 'WAGE', period: '2005-06', amountFen: 1 } },
      finance,
    );
    expect(expectError(res, 'CONFLICT').message).toMatch(/already has a WAGE entry/);
    expect(await wageRows('2005-06')).toEqual([{ partnerId: ids.P2, amountFen: 60_000 }]);
    // Other types in the same month are not limited.
    await record(t, finance, { partnerId: ids.P2, type: 'OTHER', period: '2005-06', amountFen: 1_000 });
    await record(t, finance, { partnerId: ids.P2, type: 'OTHER', period: '2005-06', amountFen: 2_000 });
  });

  it('keeps the month paid after a reversal without replacement, and moves the slot to a correction', async () => {
    const finance = await t.token('finance');
    const run = (await t.gql(GENERATE, { p: '2005-07' }, finance)).data.generateWageSubsidies;
    const p1 = run.subsidies.find((s: any) => Number(s.partnerId) === ids.P1);
    const p2 = run.subsidies.find((s: any) => Number(s.partnerId) === ids.P2);

    // P1 was not owed anything in July: reverse, no replacement. A later run must not pay it again.
    expect((await t.gql(REVERSE, { id: p1.id, r: 'shop closed for renovation' }, finance)).errors).toBeUndefined();
    // P2 was owed 45,000 fen: reverse with the corrected amount.
    const corrected = await t.gql(REVERSE, { id: p2.id, r: 'wrong amount', fen: 45_000 }, finance);
    expect(corrected.errors).toBeUndefined();
    expect(corrected.data.reverseSubsidy.replacement).toMatchObject({ amountFen: 45_000, type: 'WAGE', period: '2005-07' });

    const again = (await t.gql(GENERATE, { p: '2005-07' }, finance)).data.generateWageSubsidies;
    expect(again.created).toBe(0);
    const sums: { partnerId: unknown; fen: unknown }[] = await t.app.ds.query(
      `SELECT partnerId, SUM(amountFen) AS fen FROM subsidy WHERE type = 'WAGE' AND period = '2005-07' GROUP BY partnerId ORDER BY partnerId`,
    );
    expect(sums.map((r) => [Number(r.partnerId), Number(r.fen)])).toEqual([
      [ids.P1, 0],
      [ids.P2, 45_000],
      [ids.P4, 70_000],
      [ids.P8, 20_000],
    ]);
    // The corrected entry now holds the month's one WAGE slot.
    expectError(
      await t.gql(
        `mutation($i: RecordSubsidyInput!){ recordSubsidy(input:$i){ id } }`,
        { i: { partnerId: String(ids.P2), type: 'WAGE', period: '2005-07', amountFen: 1 } },
        finance,
      ),
      'CONFLICT',
    );
  });

  it('names a malformed or future period and writes nothing', async () => {
    const finance = await t.token('finance');
    expectError(await t.gql(GENERATE, { p: '2005-13' }, finance), 'BAD_USER_INPUT', 'period');
    expectError(await t.gql(GENERATE, { p: '05-2005' }, finance), 'BAD_USER_INPUT', 'period');
    const next = new Date();
    next.setUTCMonth(next.getUTCMonth() + 2, 1);
    const future = `${next.getUTCFullYear()}-${String(next.getUTCMonth() + 1).padStart(2, '0')}`;
    expectError(await t.gql(GENERATE, { p: future }, finance), 'BAD_USER_INPUT', 'period');
    const [{ n }] = await t.app.ds.query(`SELECT COUNT(*) AS n FROM subsidy WHERE period = ?`, [future]);
    expect(Number(n)).toBe(0);
  });

  it('is for FINANCE and ADMIN only', async () => {
    expectError(await t.gql(GENERATE, { p: '2005-08' }, await t.token('aftersales')), 'FORBIDDEN');
    expectError(await t.gql(GENERATE, { p: '2005-08' }, await t.userToken('REPAIR_PARTNER', { repairPartnerId: ids.P1 })), 'FORBIDDEN');
    expectError(await t.gql(GENERATE, { p: '2005-08' }), 'UNAUTHENTICATED');
    expect(await wageRows('2005-08')).toEqual([]);
    const res = await t.gql(GENERATE, { p: '2005-08' }, await t.token('admin'));
    expect(res.data.generateWageSubsidies.created).toBe(4);
  });

  it('writes the change log: one entry per created subsidy and one for the run', async () => {
    const finance = await t.token('finance');
    const run = (await t.gql(GENERATE, { p: '2005-09' }, finance)).data.generateWageSubsidies;
    const admin = await t.token('admin');
    for (const s of run.subsidies) {
      const log = await t.gql(
        `query($id: ID!){ changeLog(entityType:"Subsidy", entityId:$id){ edges { node { action actorName data } } } }`,
        { id: s.id },
        admin,
      );
      const nodes = log.data.changeLog.edges.map((e: any) => e.node);
      expect(nodes).toHaveLength(1);
      expect(nodes[0]).toMatchObject({ action: 'generateWageSubsidies', actorName: 'finance' });
      expect(JSON.parse(nodes[0].data)).toMatchObject({ period: '2005-09', amountFen: s.amountFen });
    }
    const runLog = await t.gql(`{ changeLog(entityType:"WageSubsidyRun", entityId:"2005-09"){ edges { node { action data } } } }`, {}, admin);
    expect(JSON.parse(runLog.data.changeLog.edges[0].node.data)).toMatchObject({ eligible: 4, created: 4, amountFen: 250_000 });
  });
});
