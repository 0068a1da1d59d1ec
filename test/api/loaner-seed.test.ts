import { startTestApp, TestApp } from '../helpers/app';
import { inTransaction } from '../../src/common/tx';
import { parseSerial } from '../../src/common/validators/serial';
import { seedRepairDemo } from '../../seeds/repair';
import { DEMO_LOANER_COUNT, DEMO_LOANER_SHARES, seedLoanersDemo } from '../../seeds/loaners';

/** The loaner demo seed over the repair demo, on both databases: what the demo promises is there. */
let t: TestApp;
let seedMs = 0;
let staff: string;
beforeAll(async () => {
  t = await startTestApp();
  await inTransaction(t.app.ds, (em) => seedRepairDemo(em, t.config));
  const started = Date.now();
  await inTransaction(t.app.ds, (em) => seedLoanersDemo(em, t.config));
  seedMs = Date.now() - started;
  staff = await t.token('aftersales');
});
afterAll(() => t.stop());

async function rows(sql: string, params: unknown[] = []): Promise<any[]> {
  return t.app.ds.query(sql, params);
}

it('is fast', () => {
  expect(seedMs).toBeLessThan(10_000);
});

it("has the document's 350 loaners with valid, distinct serials", async () => {
  const all = await rows('SELECT serial, serialKind FROM loaner_phone');
  expect(all).toHaveLength(DEMO_LOANER_COUNT);
  expect(new Set(all.map((r) => r.serial)).size).toBe(DEMO_LOANER_COUNT);
  for (const r of all) {
    const p = parseSerial(r.serial);
    expect(p.ok && p.serial.kind === r.serialKind && p.serial.value === r.serial).toBe(true);
  }
  expect(all.filter((r) => r.serialKind === 'IMEI').length).toBeGreaterThan(0);
});

it("allocated them across the six partners in the document's shares", async () => {
  const summary = (
    await t.gql(`{ loanerSummary { total byStatus { status count } partners { partner { code } total onLoan inService lost overdueLoans } } }`, {}, staff)
  ).data.loanerSummary;
  expect(summary.total).toBe(350);
  const byCode = Object.fromEntries(summary.partners.map((p: any) => [p.partner.code, p]));
  for (const [code, share] of Object.entries(DEMO_LOANER_SHARES)) expect(byCode[code].total).toBe(share);
  const count = (s: string) => summary.byStatus.find((b: any) => b.status === s).count;
  expect(count('IN_POOL')).toBe(0);
  expect(count('ON_LOAN')).toBeGreaterThanOrEqual(8);
  expect(count('IN_SERVICE') + count('LOST')).toBeGreaterThan(0);
});

it('has some loans open against repair orders, a few overdue, and a returned order still owing its loaner', async () => {
  const open = await rows(
    `SELECT l.id, l.dueAt, o.status, o.partnerId AS orderPartner, l.partnerId, p.status AS loanerStatus, p.partnerId AS loanerPartner
       FROM loaner_loan l JOIN repair_order o ON o.id = l.repairOrderId JOIN loaner_phone p ON p.id = l.loanerId
      WHERE l.returnedAt IS NULL`,
  );
  expect(open.length).toBeGreaterThanOrEqual(8);
  for (const r of open) {
    expect(r.loanerStatus).toBe('ON_LOAN');
    expect(Number(r.orderPartner)).toBe(Number(r.partnerId));
    expect(Number(r.loanerPartner)).toBe(Number(r.partnerId));
  }
  const overdue = (await t.gql(`{ overdueLoans(first: 50){ totalCount edges { node { daysOverdue repairOrder { status loanerOutstanding } } } } }`, {}, staff))
    .data.overdueLoans;
  expect(overdue.totalCount).toBeGreaterThanOrEqual(3);
  expect(overdue.totalCount).toBeLessThanOrEqual(5);
  expect(overdue.totalCount).toBeLessThan(open.length);
  const chase = (
    await t.gql(`{ loanerLoans(filter:{ repairOrderClosed: true }){ totalCount edges { node { repairOrder { status loanerOutstanding } } } } }`, {}, staff)
  ).data.loanerLoans;
  expect(chase.totalCount).toBe(2);
  for (const e of chase.edges) expect(e.node.repairOrder).toEqual({ status: 'RETURNED', loanerOutstanding: true });
});

it('keeps one open loan per loaner and per order, and every closed deposit accounted for', async () => {
  const dupLoaner = await rows('SELECT loanerId FROM loaner_loan WHERE returnedAt IS NULL GROUP BY loanerId HAVING COUNT(*) > 1');
  const dupOrder = await rows('SELECT repairOrderId FROM loaner_loan WHERE returnedAt IS NULL GROUP BY repairOrderId HAVING COUNT(*) > 1');
  expect([dupLoaner, dupOrder]).toEqual([[], []]);
  const badOpenKeys = await rows(
    'SELECT id FROM loaner_loan WHERE (returnedAt IS NULL AND (openLoanerId IS NULL OR openRepairOrderId IS NULL)) OR (returnedAt IS NOT NULL AND (openLoanerId IS NOT NULL OR openRepairOrderId IS NOT NULL))',
  );
  expect(badOpenKeys).toEqual([]);
  const closed = await rows('SELECT depositFen, depositRefundedFen, depositKeptFen, returnCondition FROM loaner_loan WHERE returnedAt IS NOT NULL');
  expect(closed.length).toBeGreaterThan(20);
  for (const r of closed) expect(Number(r.depositRefundedFen) + Number(r.depositKeptFen)).toBe(Number(r.depositFen));
  expect(closed.filter((r) => r.returnCondition === 'LOST').every((r) => Number(r.depositKeptFen) === Number(r.depositFen))).toBe(true);
});

it("has a history whose last event is each loaner's status, in time order", async () => {
  const mismatched = await rows(
    `SELECT p.id FROM loaner_phone p
       JOIN loaner_event e ON e.id = (SELECT MAX(id) FROM loaner_event x WHERE x.loanerId = p.id)
      WHERE e.toStatus <> p.status`,
  );
  expect(mismatched).toEqual([]);
  const outOfOrder = await rows(`SELECT a.id FROM loaner_event a JOIN loaner_event b ON b.loanerId = a.loanerId AND b.id > a.id WHERE b.at < a.at`);
  expect(outOfOrder).toEqual([]);
});

it("shop users see only their partner's share", async () => {
  const [rp1] = await rows(`SELECT id FROM repair_partner WHERE code = 'RP-01'`);
  const shop = await t.userToken('REPAIR_PARTNER', { repairPartnerId: rp1.id });
  const mine = (await t.gql(`{ loanerPhones(first: 1){ totalCount } loanerLoans(first: 1){ totalCount } }`, {}, shop)).data;
  expect(mine.loanerPhones.totalCount).toBe(70);
  const [{ n }] = await rows('SELECT COUNT(*) AS n FROM loaner_loan WHERE partnerId = ?', [rp1.id]);
  expect(mine.loanerLoans.totalCount).toBe(Number(n));
});

it('seeding again does nothing; without partners the same serials stay in the pool', async () => {
  await inTransaction(t.app.ds, (em) => seedLoanersDemo(em, t.config));
  expect(Number((await rows('SELECT COUNT(*) AS n FROM loaner_phone'))[0].n)).toBe(350);

  const bare = await startTestApp();
  try {
    await inTransaction(bare.app.ds, (em) => seedLoanersDemo(em, bare.config));
    const a = (await rows('SELECT serial FROM loaner_phone ORDER BY id')).map((r) => r.serial);
    const b = (await bare.app.ds.query('SELECT serial, status, partnerId FROM loaner_phone ORDER BY id')) as any[];
    expect(b.map((r) => r.serial)).toEqual(a);
    expect(b.every((r) => r.status === 'IN_POOL' && r.partnerId === null)).toBe(true);
    expect(Number((await bare.app.ds.query('SELECT COUNT(*) AS n FROM loaner_loan'))[0].n)).toBe(0);
  } finally {
    await bare.stop();
  }
});
