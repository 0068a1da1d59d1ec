import { startTestApp, TestApp } from '../helpers/app';
import { fromDbDate } from '../../src/common/db';
import { inTransaction } from '../../src/common/tx';
import { seedRepairDemo } from '../../seeds/repair';

/** The repair demo seed on its own, on both databases: what the demo promises is there. */
let t: TestApp;
let seedMs = 0;
beforeAll(async () => {
  t = await startTestApp();
  const started = Date.now();
  await inTransaction(t.app.ds, (em) => seedRepairDemo(em, t.config));
  seedMs = Date.now() - started;
});
afterAll(() => t.stop());

it('is fast', () => {
  expect(seedMs).toBeLessThan(20_000);
});

it('has six partners across the counties, each with its parts shelf', async () => {
  const res = await t.gql(
    `{ repairPartners { totalCount edges { node { id code monthlyWageSubsidyFen region { code } contacts { primary } } } } }`,
    {},
    await t.token('aftersales'),
  );
  const nodes = res.data.repairPartners.edges.map((e: any) => e.node);
  expect(nodes.map((n: any) => n.code)).toEqual(['RP-01', 'RP-02', 'RP-03', 'RP-04', 'RP-05', 'RP-06']);
  expect(new Set(nodes.map((n: any) => n.region.code)).size).toBeGreaterThanOrEqual(5);
  // 6,000 yuan a month in all, as in the document.
  expect(nodes.reduce((s: number, n: any) => s + n.monthlyWageSubsidyFen, 0)).toBe(600_000);
  for (const n of nodes) expect(n.contacts.filter((c: any) => c.primary)).toHaveLength(1);
  const shelves: { n: number | string }[] = await t.app.ds.query(`SELECT COUNT(*) AS n FROM stock_location WHERE kind = 'PARTNER'`);
  expect(Number(shelves[0].n)).toBe(6);
});

it('covers every CDMA brand with a valid authorization today, and has some due for renewal', async () => {
  const staff = await t.token('aftersales');
  const cov = (await t.gql(`{ brandCoverage { uncoveredBrands brands { brand partners { code } } } }`, {}, staff)).data.brandCoverage;
  expect(cov.brands.length).toBe(9);
  expect(cov.uncoveredBrands).toEqual([]);
  for (const b of cov.brands) expect(b.partners.length).toBeGreaterThanOrEqual(2);
  const expiring = await t.gql(`{ expiringAuthorizations(withinDays: 31){ totalCount } }`, {}, staff);
  expect(expiring.data.expiringAuthorizations.totalCount).toBeGreaterThan(0);
});

it('has six lent equipment sets, each with one partner, and their custody history', async () => {
  const res = await t.gql(
    `{ equipment { totalCount edges { node { assetTag status custodian { code } custody { partner { code } } } } } }`,
    {},
    await t.token('aftersales'),
  );
  const nodes = res.data.equipment.edges.map((e: any) => e.node);
  expect(nodes).toHaveLength(6);
  expect(nodes.every((n: any) => n.status === 'LENT')).toBe(true);
  expect(new Set(nodes.map((n: any) => n.custodian.code)).size).toBe(6);
  expect(nodes.find((n: any) => n.assetTag === 'EQ-006').custody.map((c: any) => c.partner.code)).toEqual(['RP-06', 'RP-02']);
});

it('has price lists whose medians fell as shops competed', async () => {
  const staff = await t.token('aftersales');
  for (const s of ['SCREEN', 'BATTERY', 'BOARD_REPAIR']) {
    const idx = (
      await t.gql(
        `query($s: String!){ repairPriceIndex(serviceType:$s, from:"2024-01", to:"2025-06"){ partnerCount medianFen months { period medianFen partnerCount } } }`,
        { s },
        staff,
      )
    ).data.repairPriceIndex;
    expect(idx.partnerCount).toBe(6);
    const first = idx.months[0];
    const last = idx.months[idx.months.length - 1];
    expect(first.period).toBe('2024-01');
    expect(last.partnerCount).toBe(6);
    expect(last.medianFen).toBeLessThan(first.medianFen * 0.85);
  }
});

it('has a few hundred repair orders with their history, some still open, all under an authorization', async () => {
  const staff = await t.token('aftersales');
  const all = await t.gql(`{ repairOrders { totalCount } }`, {}, staff);
  expect(all.data.repairOrders.totalCount).toBeGreaterThanOrEqual(200);
  const open = await t.gql(
    `{ repairOrders(filter:{ open: true }, first: 200){ totalCount edges { node { partner { code } statusHistory { status } } } } }`,
    {},
    staff,
  );
  expect(open.data.repairOrders.totalCount).toBeGreaterThanOrEqual(10);
  expect(open.data.repairOrders.edges.some((e: any) => e.node.partner.code === 'RP-01')).toBe(true);
  const orphans: { n: number | string }[] = await t.app.ds.query(`SELECT COUNT(*) AS n FROM repair_order WHERE authorizationId IS NULL`);
  expect(Number(orphans[0].n)).toBe(0);
  const spanless: { n: number | string }[] = await t.app.ds.query(
    `SELECT COUNT(*) AS n FROM repair_order o WHERE NOT EXISTS (SELECT 1 FROM repair_order_status_span s WHERE s.orderId = o.id AND s.leftAt IS NULL AND s.status = o.status)`,
  );
  expect(Number(spanless[0].n)).toBe(0);
  const turnaround = (
    await t.gql(`{ repairTurnaround(filter:{ from:"2024-01", to:"2025-06" }){ orders partners { partner { code } orders medianSeconds } } }`, {}, staff)
  ).data.repairTurnaround;
  expect(turnaround.partners).toHaveLength(6);
  for (const p of turnaround.partners) expect(p.medianSeconds).toBeGreaterThan(0);
});

it('keeps its history within January 2024 to June 2025, like the other demos', async () => {
  const rows: unknown[] = await t.app.ds.query(`SELECT COUNT(*) AS n, MIN(openedAt) AS first, MAX(openedAt) AS last FROM repair_order`);
  const r = rows[0] as any;
  expect(Number(r.n)).toBe(320);
  expect(fromDbDate(r.first)!.toISOString()).toMatch(/^2024-01/);
  expect(fromDbDate(r.last)!.toISOString()).toMatch(/^2025-06/);
});
