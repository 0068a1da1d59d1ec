import { startTestApp, TestApp, expectError } from '../helpers/app';
import { periodOf } from '../../src/common/period';
import { setRepairPrice } from '../../src/modules/repair/price.service';
import { Partner, count, createPartner, partnerToken, staffActor, tx } from './repair-fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const SET = `mutation($p: ID, $s: String!, $f: SafeInt!){ setRepairPrice(partnerId:$p, serviceType:$s, priceFen:$f){
  id serviceType serviceName priceFen setAt partner { id } history { priceFen previousPriceFen changedBy } } }`;
const PRICES = `query($f: RepairPriceFilter){ repairPrices(filter:$f, first: 200){ totalCount edges { node { id serviceType priceFen partner { id } } } } }`;
const INDEX = `query($s: String!, $r: String, $from: String, $to: String){ repairPriceIndex(serviceType:$s, regionCode:$r, from:$from, to:$to){
  serviceType serviceName regionCode partnerCount minFen medianFen maxFen partners { partner { id } priceFen } months { period partnerCount minFen medianFen maxFen } } }`;

async function priceAt(p: Partner, serviceType: string, priceFen: number, iso: string) {
  const actor = await staffActor(t);
  await tx(t, (em) => setRepairPrice(em, actor, p.id, serviceType, priceFen, new Date(iso)));
}

describe('setRepairPrice', () => {
  it('a partner sets its own prices; each change is kept with the price it replaced', async () => {
    const p = await createPartner(t);
    const token = await partnerToken(t, p.id);
    const first = await t.gql(SET, { s: 'screen', f: 20000 }, token);
    expect(first.errors).toBeUndefined();
    expect(first.data.setRepairPrice).toMatchObject({ serviceType: 'SCREEN', priceFen: 20000, partner: { id: p.id } });
    expect(first.data.setRepairPrice.serviceName).toMatch(/Screen/);
    await t.gql(SET, { s: 'SCREEN', f: 18000 }, token);
    const third = await t.gql(SET, { s: 'SCREEN', f: 16500 }, token);
    expect(third.data.setRepairPrice.history).toEqual([
      { priceFen: 16500, previousPriceFen: 18000, changedBy: expect.stringMatching(/^repair_partner_/) },
      { priceFen: 18000, previousPriceFen: 20000, changedBy: expect.any(String) },
      { priceFen: 20000, previousPriceFen: null, changedBy: expect.any(String) },
    ]);
    // The same price again is no change.
    const same = await t.gql(SET, { s: 'SCREEN', f: 16500 }, token);
    expect(same.data.setRepairPrice.history).toHaveLength(3);
    expect(await count(t, 'SELECT COUNT(*) AS n FROM repair_price WHERE partnerId = ?', [p.id])).toBe(1);
  });

  it('after-sales staff set a price for a named partner', async () => {
    const p = await createPartner(t);
    const staff = await t.token('aftersales');
    expectError(await t.gql(SET, { s: 'BATTERY', f: 5000 }, staff), 'BAD_USER_INPUT', 'partnerId');
    const res = await t.gql(SET, { p: p.id, s: 'BATTERY', f: 5000 }, staff);
    expect(res.data.setRepairPrice).toMatchObject({ priceFen: 5000, partner: { id: p.id }, history: [{ changedBy: 'aftersales' }] });
    expectError(await t.gql(SET, { p: '99999999', s: 'BATTERY', f: 5000 }, staff), 'NOT_FOUND');
    expectError(await t.gql(SET, { p: p.id, s: 'BATTERY', f: 5000 }, await t.token('finance')), 'FORBIDDEN');
  });

  it('names the bad field and writes nothing', async () => {
    const p = await createPartner(t);
    const token = await partnerToken(t, p.id);
    const before = await count(t, 'SELECT COUNT(*) AS n FROM repair_price_change');
    expectError(await t.gql(SET, { s: 'TELEPORT', f: 5000 }, token), 'BAD_USER_INPUT', 'serviceType');
    expectError(await t.gql(SET, { s: '', f: 5000 }, token), 'BAD_USER_INPUT', 'serviceType');
    expectError(await t.gql(SET, { s: 'SCREEN', f: 0 }, token), 'BAD_USER_INPUT', 'priceFen');
    expectError(await t.gql(SET, { s: 'SCREEN', f: -100 }, token), 'BAD_USER_INPUT', 'priceFen');
    expectError(await t.gql(SET, { s: 'SCREEN', f: 500_001 }, token), 'BAD_USER_INPUT', 'priceFen');
    expectError(await t.gql(SET, { s: 'SCREEN', f: 12.5 }, token), 'BAD_USER_INPUT');
    expect(await count(t, 'SELECT COUNT(*) AS n FROM repair_price_change')).toBe(before);
  });

  it('a partner cannot price for another partner; a suspended one cannot price at all', async () => {
    const a = await createPartner(t);
    const b = await createPartner(t);
    expectError(await t.gql(SET, { p: b.id, s: 'SCREEN', f: 100 }, await partnerToken(t, a.id)), 'NOT_FOUND');
    await t.gql(`mutation($id: ID!){ setRepairPartnerStatus(id:$id, status: SUSPENDED, reason:"audit"){ id } }`, { id: b.id }, await t.token('aftersales'));
    expectError(await t.gql(SET, { s: 'SCREEN', f: 100 }, await partnerToken(t, b.id)), 'CONFLICT');
  });

  it('concurrent changes keep one current price and a history that chains', async () => {
    const p = await createPartner(t);
    const staff = await t.token('aftersales');
    const prices = [9000, 9100, 9200, 9300, 9400, 9500];
    const results = await Promise.all(prices.map((f) => t.gql(SET, { p: p.id, s: 'KEYPAD', f }, staff)));
    for (const r of results) expect(r.errors).toBeUndefined();
    expect(await count(t, `SELECT COUNT(*) AS n FROM repair_price WHERE partnerId = ? AND serviceType = 'KEYPAD'`, [p.id])).toBe(1);
    const history: { priceFen: unknown; previousPriceFen: unknown }[] = await t.app.ds.query(
      `SELECT priceFen, previousPriceFen FROM repair_price_change WHERE partnerId = ? AND serviceType = 'KEYPAD' ORDER BY id`,
      [p.id],
    );
    expect(history).toHaveLength(6);
    expect(history[0].previousPriceFen).toBeNull();
    for (let i = 1; i < history.length; i++) expect(Number(history[i].previousPriceFen)).toBe(Number(history[i - 1].priceFen));
    const current: { priceFen: unknown }[] = await t.app.ds.query(`SELECT priceFen FROM repair_price WHERE partnerId = ? AND serviceType = 'KEYPAD'`, [p.id]);
    expect(Number(current[0].priceFen)).toBe(Number(history[5].priceFen));
  });
});

describe('reading prices', () => {
  it('a partner reads only the prices it set', async () => {
    const a = await createPartner(t);
    const b = await createPartner(t);
    const staff = await t.token('aftersales');
    await t.gql(SET, { p: a.id, s: 'HOUSING', f: 4000 }, staff);
    await t.gql(SET, { p: b.id, s: 'HOUSING', f: 3500 }, staff);
    const token = await partnerToken(t, a.id);
    const list = await t.gql(PRICES, { f: { serviceType: 'HOUSING' } }, token);
    expect(list.data.repairPrices.edges.map((e: any) => e.node.partner.id)).toEqual([a.id]);
    expectError(await t.gql(PRICES, { f: { partnerId: b.id } }, token), 'NOT_FOUND');
    expectError(await t.gql(INDEX, { s: 'HOUSING' }, token), 'FORBIDDEN');
    const all = await t.gql(PRICES, { f: { serviceType: 'HOUSING' } }, staff);
    expect(all.data.repairPrices.edges.map((e: any) => e.node.partner.id)).toEqual(expect.arrayContaining([a.id, b.id]));
  });

  it('lists the service types', async () => {
    const res = await t.gql(`{ repairServiceTypes { code name } }`, {}, await t.token('aftersales'));
    expect(res.data.repairServiceTypes.map((s: any) => s.code)).toEqual(expect.arrayContaining(['SCREEN', 'BATTERY', 'CHARGING_PORT', 'BOARD_REPAIR']));
  });
});

describe('repairPriceIndex', () => {
  it("gives min, median, max and each active partner's price now", async () => {
    const staff = await t.token('aftersales');
    const ps = await Promise.all([0, 1, 2, 3].map(() => createPartner(t, { regionCode: 'HONGHU' })));
    const [a, b, c, gone] = ps;
    await t.gql(SET, { p: a.id, s: 'CHARGING_PORT', f: 10000 }, staff);
    await t.gql(SET, { p: b.id, s: 'CHARGING_PORT', f: 20000 }, staff);
    await t.gql(SET, { p: c.id, s: 'CHARGING_PORT', f: 15000 }, staff);
    await t.gql(SET, { p: gone.id, s: 'CHARGING_PORT', f: 5000 }, staff);
    await t.gql(`mutation($id: ID!){ setRepairPartnerStatus(id:$id, status: TERMINATED, reason:"closed"){ id } }`, { id: gone.id }, staff);
    const other = await createPartner(t, { regionCode: 'SONGZI' });
    await t.gql(SET, { p: other.id, s: 'CHARGING_PORT', f: 12000 }, staff);

    const res = await t.gql(INDEX, { s: 'charging_port', r: 'HONGHU' }, staff);
    expect(res.errors).toBeUndefined();
    const idx = res.data.repairPriceIndex;
    expect(idx).toMatchObject({ serviceType: 'CHARGING_PORT', regionCode: 'HONGHU', partnerCount: 3, minFen: 10000, medianFen: 15000, maxFen: 20000 });
    expect(idx.partners.map((x: any) => [x.partner.id, x.priceFen])).toEqual([
      [a.id, 10000],
      [c.id, 15000],
      [b.id, 20000],
    ]);
    // With the Songzi shop, four prices: the median is the mean of the middle two.
    const all = (await t.gql(INDEX, { s: 'CHARGING_PORT' }, await t.token('finance'))).data.repairPriceIndex;
    expect(all).toMatchObject({ partnerCount: 4, minFen: 10000, medianFen: 13500, maxFen: 20000 });
  });

  it('shows the median month by month, falling as shops compete', async () => {
    const staff = await t.token('aftersales');
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => createPartner(t, { regionCode: 'JIANLI' })));
    await priceAt(a, 'WATER_DAMAGE', 20000, '2025-01-05T02:00:00Z');
    await priceAt(b, 'WATER_DAMAGE', 18000, '2025-02-01T02:00:00Z');
    await priceAt(a, 'WATER_DAMAGE', 16000, '2025-03-10T02:00:00Z');
    await priceAt(c, 'WATER_DAMAGE', 14000, '2025-03-15T02:00:00Z');
    await priceAt(b, 'WATER_DAMAGE', 15000, '2025-04-01T02:00:00Z');
    // A change in the first hours of May, Shanghai time, belongs to May, not April.
    await priceAt(c, 'WATER_DAMAGE', 13000, '2025-04-30T17:00:00Z');

    const res = await t.gql(INDEX, { s: 'WATER_DAMAGE', r: 'JIANLI', from: '2024-12', to: '2025-05' }, staff);
    expect(res.errors).toBeUndefined();
    expect(res.data.repairPriceIndex.months).toEqual([
      { period: '2024-12', partnerCount: 0, minFen: null, medianFen: null, maxFen: null },
      { period: '2025-01', partnerCount: 1, minFen: 20000, medianFen: 20000, maxFen: 20000 },
      { period: '2025-02', partnerCount: 2, minFen: 18000, medianFen: 19000, maxFen: 20000 },
      { period: '2025-03', partnerCount: 3, minFen: 14000, medianFen: 16000, maxFen: 18000 },
      { period: '2025-04', partnerCount: 3, minFen: 14000, medianFen: 15000, maxFen: 16000 },
      { period: '2025-05', partnerCount: 3, minFen: 13000, medianFen: 15000, maxFen: 16000 },
    ]);
    expect(res.data.repairPriceIndex).toMatchObject({ minFen: 13000, medianFen: 15000, maxFen: 16000 });

    // By default the series runs from the first price to this month.
    const dflt = (await t.gql(INDEX, { s: 'WATER_DAMAGE', r: 'JIANLI' }, staff)).data.repairPriceIndex.months;
    expect(dflt[0].period).toBe('2025-01');
    expect(dflt[dflt.length - 1].period).toBe(periodOf(new Date()).key);
    expect(dflt[dflt.length - 1].medianFen).toBe(15000);
  });

  it('names bad arguments', async () => {
    const staff = await t.token('aftersales');
    expectError(await t.gql(INDEX, { s: 'TELEPORT' }, staff), 'BAD_USER_INPUT', 'serviceType');
    expectError(await t.gql(INDEX, { s: 'SCREEN', r: 'ATLANTIS' }, staff), 'BAD_USER_INPUT', 'regionCode');
    expectError(await t.gql(INDEX, { s: 'SCREEN', from: '2025-13' }, staff), 'BAD_USER_INPUT', 'from');
    expectError(await t.gql(INDEX, { s: 'SCREEN', from: '2025-05', to: '2025-01' }, staff), 'BAD_USER_INPUT', 'to');
    expectError(await t.gql(INDEX, { s: 'SCREEN', from: '2000-01', to: '2025-01' }, staff), 'BAD_USER_INPUT', 'from');
    const empty = (await t.gql(INDEX, { s: 'SOFTWARE', r: 'SHISHOU' }, staff)).data.repairPriceIndex;
    expect(empty).toMatchObject({ partnerCount: 0, minFen: null, medianFen: null, maxFen: null, partners: [], months: [] });
  });

  it('runs a constant number of statements whatever the number of partners', async () => {
    const staff = await t.token('aftersales');
    const q = `query{ repairPriceIndex(serviceType:"EARPIECE"){ partners { partner { code region { code } } priceFen } months { medianFen } } }`;
    const p1 = await createPartner(t);
    await t.gql(SET, { p: p1.id, s: 'EARPIECE', f: 4000 }, staff);
    t.sql.reset();
    await t.gql(q, {}, staff);
    const few = t.sql.count;
    for (let i = 0; i < 4; i++) {
      const p = await createPartner(t, { regionCode: i % 2 ? 'SONGZI' : 'GONGAN' });
      await t.gql(SET, { p: p.id, s: 'EARPIECE', f: 4000 + i * 100 }, staff);
    }
    t.sql.reset();
    const res = await t.gql(q, {}, staff);
    expect(res.data.repairPriceIndex.partners.length).toBeGreaterThanOrEqual(5);
    expect(t.sql.count).toBe(few);
  });
});
