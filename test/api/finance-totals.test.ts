import { startTestApp, TestApp, expectError } from '../helpers/app';
import { createPartner, enableSqlCounter, GENERATE, parseCsv, record, REVERSE, TOTALS } from './subsidies.fixtures';

/**
 * A register with known entries over January to March 2005, and the sums worked out by hand:
 *
 *   partner            region    2005-01            2005-02                         2005-03
 *   TA-01 沙市新星      SHASHI    WAGE 120000        WAGE 120000                     OTHER 12345
 *                                 EQUIPMENT 250000
 *   TA-02 荊州華強      SHASHI    WAGE 80000         WAGE 80000
 *                                                    LOANER_PHONES 45000, reversed
 *                                                    (-45000) and replaced by 40000
 *   TA-03 松滋順達      SONGZI    WAGE 100000        WAGE 100000                     PREMISES 30000
 *   TA-04 監利停業      JINGZHOU  (suspended)        OTHER 5000
 *
 * plus TA-01 OTHER 99900 in 2004-12 and TA-03 OTHER 77700 in 2005-04, outside the range.
 */
const FROM = '2005-01';
const TO = '2005-03';
const EXPECTED = {
  PARTNER: [
    { key: 'TA-01', label: '沙市新星手機維修', amountFen: 502_345, entries: 4 },
    { key: 'TA-02', label: '荊州華強通訊維修部', amountFen: 200_000, entries: 5 },
    { key: 'TA-03', label: '松滋順達維修', amountFen: 230_000, entries: 3 },
    { key: 'TA-04', label: '監利停業維修部', amountFen: 5_000, entries: 1 },
  ],
  TYPE: [
    { key: 'WAGE', amountFen: 600_000, entries: 6 },
    { key: 'EQUIPMENT', amountFen: 250_000, entries: 1 },
    { key: 'LOANER_PHONES', amountFen: 40_000, entries: 3 },
    { key: 'PREMISES', amountFen: 30_000, entries: 1 },
    { key: 'OTHER', amountFen: 17_345, entries: 2 },
  ],
  REGION: [
    { key: 'SHASHI', label: '沙市', amountFen: 702_345, entries: 9 },
    { key: 'JINGZHOU', label: '荊州', amountFen: 5_000, entries: 1 },
    { key: 'SONGZI', label: '松滋', amountFen: 230_000, entries: 3 },
  ],
  PERIOD: [
    { key: '2005-01', label: '2005-01', amountFen: 550_000, entries: 4 },
    { key: '2005-02', label: '2005-02', amountFen: 345_000, entries: 7 },
    { key: '2005-03', label: '2005-03', amountFen: 42_345, entries: 2 },
  ],
} as const;
const GRAND_TOTAL = 937_345;

let t: TestApp;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await startTestApp();
  ids.A = await createPartner(t, { code: 'TA-01', name: '沙市新星手機維修', regionId: 1, monthlyWageSubsidyFen: 120_000 });
  ids.B = await createPartner(t, { code: 'TA-02', name: '荊州華強通訊維修部', regionId: 1, monthlyWageSubsidyFen: 80_000 });
  ids.C = await createPartner(t, { code: 'TA-03', name: '松滋順達維修', regionId: 3, monthlyWageSubsidyFen: 100_000 });
  ids.D = await createPartner(t, { code: 'TA-04', name: '監利停業維修部', regionId: 2, monthlyWageSubsidyFen: 50_000, status: 'SUSPENDED' });
  const finance = await t.token('finance');
  const aftersales = await t.token('aftersales');
  for (const p of ['2005-01', '2005-02']) {
    const run = await t.gql(GENERATE, { p }, finance);
    expect(run.data.generateWageSubsidies.created).toBe(3);
  }
  await record(t, aftersales, { partnerId: ids.A, type: 'EQUIPMENT', period: '2005-01', amountFen: 250_000, note: 'BGA 返修台' });
  const loaners = await record(t, aftersales, { partnerId: ids.B, type: 'LOANER_PHONES', period: '2005-02', amountFen: 45_000 });
  const rev = await t.gql(REVERSE, { id: loaners.id, r: '數量有誤', fen: 40_000 }, finance);
  expect(rev.errors).toBeUndefined();
  await record(t, finance, { partnerId: ids.C, type: 'PREMISES', period: '2005-03', amountFen: 30_000 });
  await record(t, finance, {
    partnerId: ids.A,
    type: 'OTHER',
    period: '2005-03',
    amountFen: 12_345,
    note: '=HYPERLINK("x") training, "quoted", 逗號,換行\nsecond line',
  });
  await record(t, finance, { partnerId: ids.D, type: 'OTHER', period: '2005-02', amountFen: 5_000 });
  await record(t, finance, { partnerId: ids.A, type: 'OTHER', period: '2004-12', amountFen: 99_900 });
  await record(t, finance, { partnerId: ids.C, type: 'OTHER', period: '2005-04', amountFen: 77_700 });
});
afterAll(() => t.stop());

async function totals(groupBy: string, extra: Record<string, unknown> = {}, token?: string) {
  const res = await t.gql(TOTALS, { f: FROM, t: TO, g: groupBy, ...extra }, token ?? (await t.token('finance')));
  expect(res.errors).toBeUndefined();
  return res.data.subsidyTotals as { key: string; label: string; amountFen: number; entries: number }[];
}

describe('subsidyTotals', () => {
  it.each(['PARTNER', 'TYPE', 'REGION', 'PERIOD'] as const)('matches the hand-computed sums grouped by %s', async (groupBy) => {
    const rows = await totals(groupBy);
    expect(rows).toMatchObject(EXPECTED[groupBy]);
    expect(rows).toHaveLength(EXPECTED[groupBy].length);
    expect(rows.reduce((s, r) => s + r.amountFen, 0)).toBe(GRAND_TOTAL);
  });

  it('labels types in English and Chinese', async () => {
    const rows = await totals('TYPE');
    expect(rows.find((r) => r.key === 'WAGE')!.label).toBe('Wage subsidy 工資扶持');
  });

  it('lists every month of the range when grouped by period, empty ones as zero', async () => {
    const res = await t.gql(TOTALS, { f: '2004-11', t: '2005-02', g: 'PERIOD' }, await t.token('finance'));
    expect(res.data.subsidyTotals).toEqual([
      { key: '2004-11', label: '2004-11', amountFen: 0, entries: 0 },
      { key: '2004-12', label: '2004-12', amountFen: 99_900, entries: 1 },
      { key: '2005-01', label: '2005-01', amountFen: 550_000, entries: 4 },
      { key: '2005-02', label: '2005-02', amountFen: 345_000, entries: 7 },
    ]);
  });

  it('filters by partner, type and region', async () => {
    expect(await totals('PERIOD', { p: String(ids.A) })).toMatchObject([
      { key: '2005-01', amountFen: 370_000 },
      { key: '2005-02', amountFen: 120_000 },
      { key: '2005-03', amountFen: 12_345 },
    ]);
    expect(await totals('PARTNER', { type: 'WAGE' })).toMatchObject([
      { key: 'TA-01', amountFen: 240_000, entries: 2 },
      { key: 'TA-02', amountFen: 160_000, entries: 2 },
      { key: 'TA-03', amountFen: 200_000, entries: 2 },
    ]);
    expect(await totals('TYPE', { rc: 'SONGZI' })).toMatchObject([
      { key: 'WAGE', amountFen: 200_000 },
      { key: 'PREMISES', amountFen: 30_000 },
    ]);
  });

  it('is readable by FINANCE, AFTERSALES_STAFF and ADMIN, not by other staff', async () => {
    for (const u of ['finance', 'aftersales', 'admin']) expect(await totals('TYPE', {}, await t.token(u))).toMatchObject(EXPECTED.TYPE);
    for (const u of ['staff', 'auditor']) expectError(await t.gql(TOTALS, { f: FROM, t: TO, g: 'TYPE' }, await t.token(u)), 'FORBIDDEN');
    expectError(await t.gql(TOTALS, { f: FROM, t: TO, g: 'TYPE' }), 'UNAUTHENTICATED');
  });

  it('gives a REPAIR_PARTNER totals over its own rows only, by filter or not', async () => {
    const shopB = await t.userToken('REPAIR_PARTNER', { repairPartnerId: ids.B });
    expect(await totals('PARTNER', {}, shopB)).toEqual([{ key: 'TA-02', label: '荊州華強通訊維修部', amountFen: 200_000, entries: 5 }]);
    expect(await totals('REGION', {}, shopB)).toEqual([{ key: 'SHASHI', label: '沙市', amountFen: 200_000, entries: 5 }]);
    expect((await totals('PERIOD', {}, shopB)).map((r) => r.amountFen)).toEqual([80_000, 120_000, 0]);
    expectError(await t.gql(TOTALS, { f: FROM, t: TO, g: 'PARTNER', p: String(ids.A) }, shopB), 'NOT_FOUND');
  });

  it('names a bad range', async () => {
    const finance = await t.token('finance');
    expectError(await t.gql(TOTALS, { f: '2005-1', t: TO, g: 'TYPE' }, finance), 'BAD_USER_INPUT', 'from');
    expectError(await t.gql(TOTALS, { f: FROM, t: '2004-12', g: 'TYPE' }, finance), 'BAD_USER_INPUT', 'to');
    expectError(await t.gql(TOTALS, { f: '1995-01', t: '2005-12', g: 'TYPE' }, finance), 'BAD_USER_INPUT', 'to');
    expectError(await t.gql(TOTALS, { f: FROM, t: TO, g: 'TYPE', p: 'abc' }, finance), 'BAD_USER_INPUT', 'partnerId');
    expectError(await t.gql(TOTALS, { f: FROM, t: TO, g: 'TYPE', rc: 'WUHAN' }, finance), 'BAD_USER_INPUT', 'regionCode');
  });

  it('sums the register once per grouping and range, and again only after the register changed (issue 25)', async () => {
    enableSqlCounter(t);
    const finance = await t.token('finance');
    const run = async (vars: Record<string, unknown>) => {
      t.sql.reset(true);
      const res = await t.gql(TOTALS, vars, finance);
      expect(res.errors).toBeUndefined();
      const sql = t.sql.statements;
      t.sql.reset();
      return { rows: res.data.subsidyTotals, sql, sums: sql.filter((q) => /FROM\s+subsidy\s/i.test(q)).length };
    };
    // REGION regroups the same per-partner sums PARTNER kept: it sums nothing of its own.
    for (const [g, summed] of [
      ['PARTNER', 1],
      ['TYPE', 1],
      ['REGION', 0],
      ['PERIOD', 1],
    ] as const) {
      const first = await run({ f: '2004-06', t: TO, g, type: 'PREMISES' }); // a range and type no other test asks for
      expect(first.sums).toBe(summed);
      expect(first.sql).toHaveLength(1 + summed); // the partners with the register's version, then the sums
      const again = await run({ f: '2004-06', t: TO, g, type: 'PREMISES' });
      expect(again.sql).toHaveLength(1); // the version has not moved: the sums are the kept ones
      expect(again.rows).toEqual(first.rows);
    }
    // A month no other test reads: an entry recorded there shows in the next answer.
    const june = { f: '2006-06', t: '2006-06', g: 'PARTNER' };
    expect((await run(june)).rows).toEqual([]);
    expect((await run(june)).sums).toBe(0);
    await record(t, finance, { partnerId: ids.C, type: 'OTHER', period: '2006-06', amountFen: 321 });
    const after = await run(june);
    expect(after.sums).toBe(1);
    expect(after.rows).toEqual([{ key: 'TA-03', label: '松滋順達維修', amountFen: 321, entries: 1 }]);
  });

  it("shows a partner's new name and region at once, from sums it kept", async () => {
    const aftersales = await t.token('aftersales');
    const p = await createPartner(t, { code: 'TA-09', name: '公安舊名維修', regionId: 1, monthlyWageSubsidyFen: 10_000 });
    await record(t, aftersales, { partnerId: p, type: 'OTHER', period: '2006-09', amountFen: 900 });
    const q = async (g: string) => (await t.gql(TOTALS, { f: '2006-09', t: '2006-09', g }, await t.token('finance'))).data.subsidyTotals;
    expect(await q('PARTNER')).toEqual([{ key: 'TA-09', label: '公安舊名維修', amountFen: 900, entries: 1 }]);
    expect((await q('REGION'))[0].key).toBe('SHASHI');
    const res = await t.gql(
      `mutation($id: ID!, $i: UpdateRepairPartnerInput!){ updateRepairPartner(id: $id, input: $i){ id } }`,
      { id: String(p), i: { name: '公安新名維修', regionCode: 'GONGAN' } },
      aftersales,
    );
    expect(res.errors).toBeUndefined();
    expect(await q('PARTNER')).toEqual([{ key: 'TA-09', label: '公安新名維修', amountFen: 900, entries: 1 }]);
    expect((await q('REGION'))[0].key).toBe('GONGAN');
  });
});

describe('GET /exports/subsidies.csv', () => {
  async function csv(query: string, token: string | null) {
    const req = t
      .http()
      .get(`/exports/subsidies.csv${query}`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    if (token) req.set('authorization', `Bearer ${token}`);
    return req;
  }

  function sumBy(rows: Record<string, string>[], key: (r: Record<string, string>) => string) {
    const out = new Map<string, number>();
    for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + Number(r.amountFen));
    return out;
  }

  it('parses back to the same totals for every grouping', async () => {
    const res = await csv(`?from=${FROM}&to=${TO}`, await t.token('finance'));
    expect(res.status).toBe(200);
    const rows = parseCsv(res.body);
    expect(rows).toHaveLength(13);
    const grouped = {
      PARTNER: sumBy(rows, (r) => r.partnerCode),
      TYPE: sumBy(rows, (r) => r.type),
      REGION: sumBy(rows, (r) => r.regionCode),
      PERIOD: sumBy(rows, (r) => r.period),
    };
    for (const g of ['PARTNER', 'TYPE', 'REGION', 'PERIOD'] as const) {
      const api = await totals(g);
      expect(Object.fromEntries(grouped[g])).toEqual(Object.fromEntries(api.map((r) => [r.key, r.amountFen])));
    }
    // Yuan beside fen, two decimals, the same amount.
    for (const r of rows) {
      expect(r.amountYuan).toMatch(/^-?\d+\.\d{2}$/);
      expect(Math.round(Number(r.amountYuan) * 100)).toBe(Number(r.amountFen));
    }
    expect(rows.find((r) => r.amountFen === '12345')!.amountYuan).toBe('123.45');
    expect(rows.find((r) => r.amountFen === '-45000')).toMatchObject({ amountYuan: '-450.00', type: 'LOANER_PHONES', note: '數量有誤' });
  });

  it('opens cleanly in a spreadsheet: BOM, UTF-8, CRLF, Chinese intact, formulas defused', async () => {
    const res = await csv(`?from=${FROM}&to=${TO}`, await t.token('admin'));
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="subsidies_2005-01_2005-03.csv"');
    const body: Buffer = res.body;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = body.toString('utf8');
    expect(text.split('\r\n')[0]).toBe(
      '\ufeffid,period,partnerCode,partnerName,regionCode,regionName,type,typeLabel,amountFen,amountYuan,note,reversesId,recordedBy,recordedAt',
    );
    const rows = parseCsv(body);
    expect(rows.find((r) => r.partnerCode === 'TA-03')).toMatchObject({ partnerName: '松滋順達維修', regionName: '松滋' });
    expect(rows.find((r) => r.type === 'EQUIPMENT')).toMatchObject({ note: 'BGA 返修台', recordedBy: 'aftersales', typeLabel: 'Repair equipment 維修設備' });
    const tricky = rows.find((r) => r.amountFen === '12345')!;
    expect(tricky.note).toBe(`'=HYPERLINK("x") training, "quoted", 逗號,換行\nsecond line`);
    // One convention for every export (README, "CSV files"): ISO 8601 in Shanghai time with its offset.
    expect(tricky.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(Math.abs(new Date(tricky.recordedAt).getTime() - Date.now())).toBeLessThan(3600_000);
    // Ordered by period, then entry.
    const keys = rows.map((r) => [r.period, Number(r.id)] as const);
    expect([...keys].sort((a, b) => (a[0] === b[0] ? a[1] - b[1] : a[0] < b[0] ? -1 : 1))).toEqual(keys);
  });

  it('follows the same role and tenant rules as the API', async () => {
    expect((await csv(`?from=${FROM}&to=${TO}`, null)).status).toBe(401);
    expect((await csv(`?from=${FROM}&to=${TO}`, 'not-a-token')).status).toBe(401);
    const denied = await csv(`?from=${FROM}&to=${TO}`, await t.token('auditor'));
    expect(denied.status).toBe(403);
    expect(JSON.parse(denied.body.toString()).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await csv(`?from=${FROM}&to=${TO}`, await t.token('aftersales'))).status).toBe(200);

    const shopC = await t.userToken('REPAIR_PARTNER', { repairPartnerId: ids.C });
    const own = await csv(`?from=${FROM}&to=${TO}`, shopC);
    expect(own.status).toBe(200);
    const rows = parseCsv(own.body);
    expect(new Set(rows.map((r) => r.partnerCode))).toEqual(new Set(['TA-03']));
    expect(rows.reduce((s, r) => s + Number(r.amountFen), 0)).toBe(230_000);
    expect((await csv(`?from=${FROM}&to=${TO}&partnerId=${ids.A}`, shopC)).status).toBe(404);
  });

  it('filters like the API and names bad parameters', async () => {
    const finance = await t.token('finance');
    const wage = parseCsv((await csv(`?from=${FROM}&to=${TO}&type=WAGE&regionCode=SHASHI`, finance)).body);
    expect(wage.reduce((s, r) => s + Number(r.amountFen), 0)).toBe(400_000);
    const missing = await csv(`?from=${FROM}`, finance);
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body.toString()).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    const bad = await csv(`?from=2005-01&to=2005-03&type=CASH`, finance);
    expect(JSON.parse(bad.body.toString()).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'type' });
    const region = await csv(`?from=2005-01&to=2005-03&regionCode=WUHAN`, finance);
    expect(region.status).toBe(400);
    expect(JSON.parse(region.body.toString()).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'regionCode' });
    const twice = await csv(`?from=2005-01&from=2005-02&to=2005-03`, finance);
    expect(JSON.parse(twice.body.toString()).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
  });

  it('answers a header row for a range without entries', async () => {
    const res = await csv(`?from=1999-01&to=1999-02`, await t.token('finance'));
    expect(res.status).toBe(200);
    expect(res.body.toString('utf8')).toBe(
      '\ufeffid,period,partnerCode,partnerName,regionCode,regionName,type,typeLabel,amountFen,amountYuan,note,reversesId,recordedBy,recordedAt\r\n',
    );
  });
});
