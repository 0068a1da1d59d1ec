import { startTestApp, TestApp, expectError, expectConflict } from '../helpers/app';
import { createPartner, enableSqlCounter, RECORD, record, REVERSE } from './subsidies.fixtures';

let t: TestApp;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await startTestApp();
  ids.A = await createPartner(t, { code: 'RG-01', name: '沙市新星手機維修', regionId: 1, monthlyWageSubsidyFen: 100_000 });
  ids.B = await createPartner(t, { code: 'RG-02', name: '荊州華強通訊', regionId: 2, monthlyWageSubsidyFen: 100_000 });
});
afterAll(() => t.stop());

const LIST = `query($f: SubsidyFilter, $first: Int, $after: String){ subsidies(filter:$f, first:$first, after:$after){
  totalCount pageInfo { hasNextPage endCursor } edges { node { id partnerId type period amountFen note recordedBy reversesId
  partner { id code name } reversedBy { id amountFen } } } } }`;
const ONE = `query($id: ID!){ subsidy(id:$id){ id partnerId amountFen partner { code } } }`;

async function count(where = '1 = 1', params: unknown[] = []): Promise<number> {
  const [{ n }] = await t.app.ds.query(`SELECT COUNT(*) AS n FROM subsidy WHERE ${where}`, params);
  return Number(n);
}

describe('recordSubsidy', () => {
  it('records an entry with who recorded it and logs the change', async () => {
    const res = await t.gql(
      RECORD,
      { i: { partnerId: String(ids.A), type: 'EQUIPMENT', period: '2005-01', amountFen: 250_000, note: '  BGA 返修台  ' } },
      await t.token('aftersales'),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.recordSubsidy).toMatchObject({
      partnerId: String(ids.A),
      type: 'EQUIPMENT',
      period: '2005-01',
      amountFen: 250_000,
      note: 'BGA 返修台',
      recordedBy: 'aftersales',
    });
    const log = await t.gql(
      `query($id: ID!){ changeLog(entityType:"Subsidy", entityId:$id){ edges { node { action actorName data } } } }`,
      { id: res.data.recordSubsidy.id },
      await t.token('admin'),
    );
    expect(log.data.changeLog.edges[0].node).toMatchObject({ action: 'recordSubsidy', actorName: 'aftersales' });
    expect(JSON.parse(log.data.changeLog.edges[0].node.data)).toMatchObject({ partnerCode: 'RG-01', amountFen: 250_000, type: 'EQUIPMENT' });
  });

  it('names each bad field and writes nothing', async () => {
    const finance = await t.token('finance');
    const before = await count();
    const base = { partnerId: String(ids.A), type: 'OTHER', period: '2005-02', amountFen: 1_000 };
    const cases: [Record<string, unknown>, string, string][] = [
      [{ amountFen: 0 }, 'BAD_USER_INPUT', 'input.amountFen'],
      [{ amountFen: -500 }, 'BAD_USER_INPUT', 'input.amountFen'],
      [{ amountFen: 1_000_000_001 }, 'BAD_USER_INPUT', 'input.amountFen'],
      [{ period: '2005-2' }, 'BAD_USER_INPUT', 'input.period'],
      [{ period: '2999-01' }, 'BAD_USER_INPUT', 'input.period'],
      [{ partnerId: '999999' }, 'BAD_USER_INPUT', 'input.partnerId'],
      [{ partnerId: 'x1' }, 'BAD_USER_INPUT', 'input.partnerId'],
      [{ note: 'x'.repeat(501) }, 'BAD_USER_INPUT', 'input.note'],
    ];
    for (const [patch, code, field] of cases) expectError(await t.gql(RECORD, { i: { ...base, ...patch } }, finance), code, field);
    // Not a whole number of fen, or not a type: refused by the schema itself.
    expect((await t.gql(RECORD, { i: { ...base, amountFen: 10.5 } }, finance)).errors).toBeDefined();
    expect((await t.gql(RECORD, { i: { ...base, type: 'CASH' } }, finance)).errors).toBeDefined();
    expect(await count()).toBe(before);
  });

  it('is refused to partners and other staff', async () => {
    const i = { partnerId: String(ids.A), type: 'OTHER', period: '2005-02', amountFen: 1_000 };
    const shopA = await t.userToken('REPAIR_PARTNER', { repairPartnerId: ids.A });
    for (const token of [shopA, await t.token('auditor'), await t.token('staff')]) expectError(await t.gql(RECORD, { i }, token), 'FORBIDDEN');
    expectError(await t.gql(RECORD, { i }), 'UNAUTHENTICATED');
  });
});

describe('reverseSubsidy', () => {
  it('cancels an entry with a negative twin, once', async () => {
    const finance = await t.token('finance');
    const e = await record(t, finance, { partnerId: ids.A, type: 'PREMISES', period: '2005-03', amountFen: 30_000 });
    const res = await t.gql(REVERSE, { id: e.id, r: 'recorded twice' }, finance);
    expect(res.errors).toBeUndefined();
    expect(res.data.reverseSubsidy).toMatchObject({
      reversal: { amountFen: -30_000, reversesId: e.id, type: 'PREMISES', period: '2005-03' },
      replacement: null,
    });
    const [{ s }] = await t.app.ds.query(`SELECT SUM(amountFen) AS s FROM subsidy WHERE id = ? OR reversesId = ?`, [e.id, e.id]);
    expect(Number(s)).toBe(0);
    expect(expectConflict(await t.gql(REVERSE, { id: e.id, r: 'again' }, finance), 'ALREADY_REVERSED').message).toMatch(/already been reversed/);
    expectConflict(await t.gql(REVERSE, { id: res.data.reverseSubsidy.reversal.id, r: 'undo the undo' }, finance), 'IS_A_REVERSAL');
  });

  it('reverses an entry once under concurrent calls', async () => {
    const finance = await t.token('finance');
    const e = await record(t, finance, { partnerId: ids.B, type: 'OTHER', period: '2005-03', amountFen: 8_800 });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => t.gql(REVERSE, { id: e.id, r: `race ${i}`, fen: 100 + i }, finance)));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    for (const r of results.filter((x) => x.errors)) expect(r.errors![0].extensions.code).toBe('CONFLICT');
    expect(await count('reversesId = ?', [e.id])).toBe(1);
    const won = results.find((r) => !r.errors)!.data.reverseSubsidy.replacement.amountFen;
    const [{ s }] = await t.app.ds.query(`SELECT SUM(amountFen) AS s FROM subsidy WHERE partnerId = ? AND period = '2005-03' AND type = 'OTHER'`, [ids.B]);
    expect(Number(s)).toBe(won);
  });

  it('names bad input, answers NOT_FOUND for an unknown entry, and is FINANCE only', async () => {
    const finance = await t.token('finance');
    const e = await record(t, finance, { partnerId: ids.A, type: 'OTHER', period: '2005-04', amountFen: 1_000 });
    expectError(await t.gql(REVERSE, { id: e.id, r: '   ' }, finance), 'BAD_USER_INPUT', 'reason');
    expectError(await t.gql(REVERSE, { id: e.id, r: 'x', fen: 0 }, finance), 'BAD_USER_INPUT', 'replacementAmountFen');
    expectError(await t.gql(REVERSE, { id: '999999', r: 'x' }, finance), 'NOT_FOUND');
    expectError(await t.gql(REVERSE, { id: e.id, r: 'x' }, await t.token('aftersales')), 'FORBIDDEN');
    expect(await count('reversesId = ?', [e.id])).toBe(0);
  });
});

describe('reading the register', () => {
  beforeAll(async () => {
    const finance = await t.token('finance');
    for (let m = 1; m <= 6; m++) {
      await record(t, finance, { partnerId: ids.A, type: 'OTHER', period: `2006-0${m}`, amountFen: 1_000 * m });
      await record(t, finance, { partnerId: ids.B, type: 'OTHER', period: `2006-0${m}`, amountFen: 2_000 * m });
    }
  });

  it('pages newest month first with filters', async () => {
    const finance = await t.token('finance');
    const f = { from: '2006-01', to: '2006-06', type: 'OTHER' };
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const res: any = await t.gql(LIST, { f, first: 5, after }, finance);
      expect(res.errors).toBeUndefined();
      expect(res.data.subsidies.totalCount).toBe(12);
      seen.push(...res.data.subsidies.edges.map((e: any) => `${e.node.period}/${e.node.partner.code}`));
      after = res.data.subsidies.pageInfo.hasNextPage ? res.data.subsidies.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    expect(seen[0]).toMatch(/^2006-06/);
    expect(seen[11]).toMatch(/^2006-01/);
    const region = await t.gql(LIST, { f: { ...f, regionCode: 'JINGZHOU' } }, finance);
    expect(region.data.subsidies.edges.every((e: any) => e.node.partner.code === 'RG-02')).toBe(true);
    expectError(await t.gql(LIST, { f: { from: '2006-05', to: '2006-01' } }, finance), 'BAD_USER_INPUT', 'filter.to');
    expectError(await t.gql(LIST, { f: { regionCode: 'WUHAN' } }, finance), 'BAD_USER_INPUT', 'filter.regionCode');
    expectError(await t.gql(LIST, { first: 500 }, finance), 'BAD_USER_INPUT', 'first');
  });

  it('shows a REPAIR_PARTNER its own entries only, by list, by filter, by id', async () => {
    const shopA = await t.userToken('REPAIR_PARTNER', { repairPartnerId: ids.A });
    const own = await t.gql(LIST, { first: 200 }, shopA);
    expect(own.errors).toBeUndefined();
    expect(own.data.subsidies.totalCount).toBeGreaterThan(0);
    expect(own.data.subsidies.edges.every((e: any) => e.node.partnerId === String(ids.A))).toBe(true);
    expectError(await t.gql(LIST, { f: { partnerId: String(ids.B) } }, shopA), 'NOT_FOUND');
    const bEntry = (await t.gql(LIST, { f: { partnerId: String(ids.B) }, first: 1 }, await t.token('finance'))).data.subsidies.edges[0].node;
    expectError(await t.gql(ONE, { id: bEntry.id }, shopA), 'NOT_FOUND');
    const aEntry = own.data.subsidies.edges[0].node;
    expect((await t.gql(ONE, { id: aEntry.id }, shopA)).data.subsidy).toMatchObject({ partnerId: String(ids.A), partner: { code: 'RG-01' } });
  });

  it('is not readable by agency staff or auditors', async () => {
    for (const u of ['staff', 'auditor']) expectError(await t.gql(LIST, {}, await t.token(u)), 'FORBIDDEN');
    expectError(await t.gql(LIST, {}), 'UNAUTHENTICATED');
  });

  it('resolves partners, recorders and reversals with a fixed number of statements', async () => {
    enableSqlCounter(t);
    const finance = await t.token('finance');
    t.sql.reset();
    await t.gql(LIST, { f: { from: '2006-01', to: '2006-01' }, first: 2 }, finance);
    const small = t.sql.count;
    t.sql.reset();
    const res = await t.gql(LIST, { first: 200 }, finance);
    expect(res.data.subsidies.edges.length).toBeGreaterThan(15);
    expect(t.sql.count).toBe(small);
    const reversed = res.data.subsidies.edges.map((e: any) => e.node).filter((n: any) => n.reversedBy);
    expect(reversed.length).toBeGreaterThan(0);
    for (const n of reversed) expect(n.reversedBy.amountFen).toBe(-n.amountFen);
  });
});
