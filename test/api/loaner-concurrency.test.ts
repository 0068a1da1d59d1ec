import { startTestApp, TestApp } from '../helpers/app';
import { allocatedLoaners, createPartner, DAY, dueIn, openOrder } from './loaner-fixtures';

/**
 * Races decided by the database: concurrent HTTP calls, and exactly one winner each time. On SQLite
 * the app serialises transactions; on MariaDB they truly overlap, and the conditional UPDATE and the
 * open-loan unique keys decide.
 */
let t: TestApp;
let staff: string;
beforeAll(async () => {
  t = await startTestApp();
  staff = await t.token('aftersales');
});
afterAll(() => t.stop());

const LEND = `mutation($i:LendLoanerInput!){ lendLoaner(input:$i){ id loaner { id } } }`;

function outcome(res: { data: any; errors?: { extensions: { code: string } }[] }): string {
  return res.errors ? res.errors[0].extensions.code : 'OK';
}

async function count(sql: string, params: unknown[]): Promise<number> {
  const rows = await t.app.ds.query(sql, params);
  return Number(rows[0].n);
}

it('20 concurrent lends of one loaner: exactly one wins, the rest are CONFLICT', async () => {
  const p = await createPartner(t);
  const [loanerId] = await allocatedLoaners(t, p.id, 1);
  const shop = await t.userToken('REPAIR_PARTNER', { repairPartnerId: p.id });
  const orders: { id: number }[] = [];
  for (let i = 0; i < 20; i++) orders.push(await openOrder(t, p.id));

  const results = await Promise.all(
    orders.map((o) => t.gql(LEND, { i: { loanerId, repairOrderId: String(o.id), depositFen: 20000, dueAt: dueIn(7 * DAY) } }, shop)),
  );
  const codes = results.map(outcome);
  expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
  expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(19);

  expect(await count('SELECT COUNT(*) AS n FROM loaner_loan WHERE loanerId = ?', [Number(loanerId)])).toBe(1);
  expect(await count('SELECT COUNT(*) AS n FROM loaner_event WHERE loanerId = ? AND type = ?', [Number(loanerId), 'LENT'])).toBe(1);
  expect(await count(`SELECT COUNT(*) AS n FROM change_log WHERE action = 'lendLoaner' AND entityType = 'LoanerLoan'`, [])).toBe(1);
  const winner = results.find((r) => !r.errors)!.data.lendLoaner;
  const phone = await t.gql(`query($id:ID!){ loanerPhone(id:$id){ status currentLoan { id } } }`, { id: loanerId }, staff);
  expect(phone.data.loanerPhone).toEqual({ status: 'ON_LOAN', currentLoan: { id: winner.id } });
});

it('10 concurrent lends of different loaners against one order: one loaner goes out, the others stay on the shelf', async () => {
  const p = await createPartner(t);
  const loaners = await allocatedLoaners(t, p.id, 10);
  const shop = await t.userToken('REPAIR_PARTNER', { repairPartnerId: p.id });
  const order = await openOrder(t, p.id);

  const results = await Promise.all(
    loaners.map((loanerId) => t.gql(LEND, { i: { loanerId, repairOrderId: String(order.id), depositFen: 0, dueAt: dueIn(DAY) } }, shop)),
  );
  const codes = results.map(outcome);
  expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
  expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(9);
  expect(await count('SELECT COUNT(*) AS n FROM loaner_loan WHERE repairOrderId = ?', [order.id])).toBe(1);
  // The losers' status changes were rolled back with their failed loans.
  const ids = loaners.map(Number);
  expect(await count(`SELECT COUNT(*) AS n FROM loaner_phone WHERE status = 'ON_LOAN' AND id IN (${ids.map(() => '?').join(',')})`, ids)).toBe(1);
});

it('concurrent returns of one loan: one closes it, and the deposit is settled once', async () => {
  const p = await createPartner(t);
  const [loanerId] = await allocatedLoaners(t, p.id, 1);
  const shop = await t.userToken('REPAIR_PARTNER', { repairPartnerId: p.id });
  const order = await openOrder(t, p.id);
  const lent = await t.gql(LEND, { i: { loanerId, repairOrderId: String(order.id), depositFen: 30000, dueAt: dueIn(DAY) } }, shop);
  const loanId = lent.data.lendLoaner.id;

  const conditions = ['GOOD', 'LOST', 'DAMAGED', 'GOOD', 'LOST', 'DAMAGED', 'GOOD', 'LOST'];
  const results = await Promise.all(
    conditions.map((c) =>
      t.gql(`mutation($id:ID!,$c:LoanerCondition!){ returnLoaner(loanId:$id, condition:$c){ condition loaner { status } } }`, { id: loanId, c }, shop),
    ),
  );
  const codes = results.map(outcome);
  expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
  expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(conditions.length - 1);
  const won = results.find((r) => !r.errors)!.data.returnLoaner;
  const expected = { GOOD: 'ALLOCATED', DAMAGED: 'IN_SERVICE', LOST: 'LOST' }[won.condition as 'GOOD' | 'DAMAGED' | 'LOST'];
  expect(won.loaner.status).toBe(expected);
  expect(await count(`SELECT COUNT(*) AS n FROM loaner_event WHERE loanerId = ? AND type = 'RETURNED'`, [Number(loanerId)])).toBe(1);
});

it('lend racing take-back of the same loaner: one of them wins, never both', async () => {
  const p = await createPartner(t);
  const loaners = await allocatedLoaners(t, p.id, 6);
  const shop = await t.userToken('REPAIR_PARTNER', { repairPartnerId: p.id });
  const orders: { id: number }[] = [];
  for (let i = 0; i < loaners.length; i++) orders.push(await openOrder(t, p.id));

  const results = await Promise.all(
    loaners.flatMap((loanerId, i) => [
      t.gql(LEND, { i: { loanerId, repairOrderId: String(orders[i].id), depositFen: 0, dueAt: dueIn(DAY) } }, shop),
      t.gql(`mutation($ids:[ID!]!){ takeBackLoaners(loanerIds:$ids){ id status } }`, { ids: [loanerId] }, staff),
    ]),
  );
  for (let i = 0; i < loaners.length; i++) {
    const [lendRes, backRes] = [results[2 * i], results[2 * i + 1]];
    const codes = [outcome(lendRes), outcome(backRes)];
    expect(codes.sort()).toEqual(['CONFLICT', 'OK']);
    const [row] = await t.app.ds.query('SELECT status, partnerId FROM loaner_phone WHERE id = ?', [Number(loaners[i])]);
    if (outcome(lendRes) === 'OK') expect(row.status).toBe('ON_LOAN');
    else expect({ status: row.status, partnerId: row.partnerId }).toEqual({ status: 'IN_POOL', partnerId: null });
  }
});
