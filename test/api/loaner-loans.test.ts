import { expectError, startTestApp, TestApp, expectConflict } from '../helpers/app';
import { allocatedLoaners, createPartner, DAY, dueIn, openOrder, registerLoaners, setOrderStatus, sleep } from './loaner-fixtures';

let t: TestApp;
let staff: string;
beforeAll(async () => {
  t = await startTestApp();
  staff = await t.token('aftersales');
});
afterAll(() => t.stop());

const LOAN_FIELDS = `id customerMsisdn depositFen depositStatus depositRefundedFen depositKeptFen lentAt dueAt returnedAt condition returnNote overdue daysOverdue
  loaner { id status partner { id } currentLoan { id } } partner { id } repairOrder { id status loanerOutstanding loanerLoan { id } }`;
const LEND = `mutation($i:LendLoanerInput!){ lendLoaner(input:$i){ ${LOAN_FIELDS} } }`;
const RETURN = `mutation($id:ID!,$c:LoanerCondition!,$k:SafeInt,$n:String){ returnLoaner(loanId:$id, condition:$c, depositKeptFen:$k, note:$n){ ${LOAN_FIELDS} } }`;
const LOAN = `query($id:ID!){ loanerLoan(id:$id){ ${LOAN_FIELDS} } }`;
const LOANS = `query($f:LoanerLoanFilter,$first:Int,$after:String){ loanerLoans(filter:$f, first:$first, after:$after){ totalCount pageInfo { hasNextPage endCursor } edges { node { id partner { id } } } } }`;
const OVERDUE = `query($p:ID,$first:Int,$after:String){ overdueLoans(partnerId:$p, first:$first, after:$after){ totalCount pageInfo { hasNextPage endCursor } edges { node { id dueAt overdue daysOverdue partner { id } loaner { id } } } } }`;
const PHONE = `query($id:ID!){ loanerPhone(id:$id){ id status partner { id } currentLoan { id } } }`;

interface Shop {
  id: number;
  token: string;
  loaners: string[];
}

async function shop(n = 3): Promise<Shop> {
  const p = await createPartner(t);
  const loaners = await allocatedLoaners(t, p.id, n);
  return { id: p.id, token: await t.userToken('REPAIR_PARTNER', { repairPartnerId: p.id }), loaners };
}

/** Opens an order and lends against it; `dueInMs` counts from the moment of lending, after the order is open. */
async function lend(s: Shop, loanerId: string, extra: Record<string, unknown> & { dueInMs?: number } = {}) {
  const order = await openOrder(t, s.id);
  const { dueInMs, ...rest } = extra;
  const res = await t.gql(LEND, { i: { loanerId, repairOrderId: String(order.id), depositFen: 30000, dueAt: dueIn(dueInMs ?? 7 * DAY), ...rest } }, s.token);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return { loan: res.data.lendLoaner, order };
}

async function rows(sql: string, params: unknown[] = []) {
  return t.app.ds.query(sql, params);
}

describe('lendLoaner', () => {
  it('lends an allocated loaner against an open order, holding the deposit', async () => {
    const s = await shop();
    const order = await openOrder(t, s.id, { msisdn: '13912345678' });
    const res = await t.gql(LEND, { i: { loanerId: s.loaners[0], repairOrderId: String(order.id), depositFen: 50000, dueAt: dueIn(5 * DAY) } }, s.token);
    expect(res.errors).toBeUndefined();
    const loan = res.data.lendLoaner;
    expect(loan).toMatchObject({
      customerMsisdn: '13912345678',
      depositFen: 50000,
      depositStatus: 'HELD',
      depositRefundedFen: 0,
      depositKeptFen: 0,
      returnedAt: null,
      condition: null,
      overdue: false,
      daysOverdue: 0,
      loaner: { id: s.loaners[0], status: 'ON_LOAN', partner: { id: String(s.id) }, currentLoan: { id: loan.id } },
      partner: { id: String(s.id) },
      repairOrder: { id: String(order.id), status: 'RECEIVED', loanerOutstanding: true, loanerLoan: { id: loan.id } },
    });
    const log = await t.gql(
      `query($id:ID!){ changeLog(entityType:"LoanerLoan", entityId:$id){ edges { node { action } } } }`,
      { id: loan.id },
      await t.token('admin'),
    );
    expect(log.data.changeLog.edges.map((e: any) => e.node.action)).toEqual(['lendLoaner']);
  });

  it("takes the MSISDN given over the order's", async () => {
    const s = await shop(1);
    const { loan } = await lend(s, s.loaners[0], { customerMsisdn: '15800001111' });
    expect(loan.customerMsisdn).toBe('15800001111');
  });

  it('names bad input fields and writes nothing', async () => {
    const s = await shop(1);
    const order = await openOrder(t, s.id);
    const ok = { loanerId: s.loaners[0], repairOrderId: String(order.id), depositFen: 30000, dueAt: dueIn(7 * DAY) };
    const cases: [Record<string, unknown>, string][] = [
      [{ depositFen: -1 }, 'input.depositFen'],
      [{ dueAt: dueIn(-60_000) }, 'input.dueAt'],
      [{ dueAt: dueIn(400 * DAY) }, 'input.dueAt'],
      [{ customerMsisdn: '12345' }, 'input.customerMsisdn'],
      [{ loanerId: 'abc' }, 'input.loanerId'],
      [{ repairOrderId: '0' }, 'input.repairOrderId'],
    ];
    for (const [patch, field] of cases) expectError(await t.gql(LEND, { i: { ...ok, ...patch } }, s.token), 'BAD_USER_INPUT', field);
    expect(Number((await rows('SELECT COUNT(*) AS n FROM loaner_loan WHERE loanerId = ?', [Number(s.loaners[0])]))[0].n)).toBe(0);
    expect((await t.gql(PHONE, { id: s.loaners[0] }, staff)).data.loanerPhone.status).toBe('ALLOCATED');
  });

  it('refuses a closed repair order, a loaner already out, and a second loaner on one order', async () => {
    const s = await shop(3);
    const closed = await openOrder(t, s.id, { status: 'RETURNED' });
    expectConflict(
      await t.gql(LEND, { i: { loanerId: s.loaners[0], repairOrderId: String(closed.id), depositFen: 0, dueAt: dueIn(DAY) } }, s.token),
      'ORDER_CLOSED',
    );
    const cancelled = await openOrder(t, s.id, { status: 'CANCELLED' });
    expectError(
      await t.gql(LEND, { i: { loanerId: s.loaners[0], repairOrderId: String(cancelled.id), depositFen: 0, dueAt: dueIn(DAY) } }, s.token),
      'CONFLICT',
    );

    const { order } = await lend(s, s.loaners[0]);
    const other = await openOrder(t, s.id);
    const again = expectConflict(
      await t.gql(LEND, { i: { loanerId: s.loaners[0], repairOrderId: String(other.id), depositFen: 0, dueAt: dueIn(DAY) } }, s.token),
      'LOANER_ALREADY_ON_LOAN',
    );
    expect(again.message).toMatch(/already on loan/);
    const second = expectConflict(
      await t.gql(LEND, { i: { loanerId: s.loaners[1], repairOrderId: String(order.id), depositFen: 0, dueAt: dueIn(DAY) } }, s.token),
      'ORDER_HAS_LOANER',
    );
    expect(second.message).toMatch(/already has a loaner out/);
    expect((await t.gql(PHONE, { id: s.loaners[1] }, staff)).data.loanerPhone.status).toBe('ALLOCATED');
  });

  it('refuses a loaner in the pool or in service', async () => {
    const s = await shop(1);
    const [pooled] = await registerLoaners(t, 1);
    const order = await openOrder(t, s.id);
    // Staff see the loaner, so they learn why: it is not at this partner.
    expectError(await t.gql(LEND, { i: { loanerId: pooled, repairOrderId: String(order.id), depositFen: 0, dueAt: dueIn(DAY) } }, staff), 'CONFLICT');
    const { loan } = await lend(s, s.loaners[0]);
    await t.gql(RETURN, { id: loan.id, c: 'DAMAGED' }, s.token);
    const o2 = await openOrder(t, s.id);
    const err = expectError(
      await t.gql(LEND, { i: { loanerId: s.loaners[0], repairOrderId: String(o2.id), depositFen: 0, dueAt: dueIn(DAY) } }, s.token),
      'CONFLICT',
    );
    expect(err.message).toMatch(/IN_SERVICE/);
  });

  it('a suspended partner lends no more, but still takes its loaners back', async () => {
    const s = await shop(2);
    const { loan } = await lend(s, s.loaners[0]);
    const order = await openOrder(t, s.id);
    await t.gql(`mutation($id:ID!){ setRepairPartnerStatus(id:$id, status: SUSPENDED, reason:"audit"){ id } }`, { id: String(s.id) }, staff);
    const err = expectError(
      await t.gql(LEND, { i: { loanerId: s.loaners[1], repairOrderId: String(order.id), depositFen: 0, dueAt: dueIn(DAY) } }, s.token),
      'CONFLICT',
    );
    expect(err.message).toMatch(/SUSPENDED/);
    expect((await t.gql(RETURN, { id: loan.id, c: 'GOOD' }, s.token)).data.returnLoaner.loaner.status).toBe('ALLOCATED');
  });

  it("after-sales staff may lend on a partner's behalf; other roles may not", async () => {
    const s = await shop(2);
    const order = await openOrder(t, s.id);
    const res = await t.gql(LEND, { i: { loanerId: s.loaners[0], repairOrderId: String(order.id), depositFen: 10000, dueAt: dueIn(DAY) } }, staff);
    expect(res.data.lendLoaner.partner.id).toBe(String(s.id));
    const o2 = await openOrder(t, s.id);
    for (const u of ['finance', 'auditor', 'staff']) {
      expectError(
        await t.gql(LEND, { i: { loanerId: s.loaners[1], repairOrderId: String(o2.id), depositFen: 0, dueAt: dueIn(DAY) } }, await t.token(u)),
        'FORBIDDEN',
      );
    }
  });
});

describe('partner scoping of loans', () => {
  it("a partner cannot lend another partner's loaner, nor against another partner's order", async () => {
    const a = await shop(1);
    const b = await shop(1);
    const orderA = await openOrder(t, a.id);
    const orderB = await openOrder(t, b.id);
    const e1 = expectError(
      await t.gql(LEND, { i: { loanerId: b.loaners[0], repairOrderId: String(orderA.id), depositFen: 0, dueAt: dueIn(DAY) } }, a.token),
      'NOT_FOUND',
    );
    expect(e1.message).toMatch(/LoanerPhone/);
    const e2 = expectError(
      await t.gql(LEND, { i: { loanerId: a.loaners[0], repairOrderId: String(orderB.id), depositFen: 0, dueAt: dueIn(DAY) } }, a.token),
      'NOT_FOUND',
    );
    expect(e2.message).toMatch(/RepairOrder/);
    // Staff cannot mix them either: the loaner must be at the order's partner.
    expectError(await t.gql(LEND, { i: { loanerId: b.loaners[0], repairOrderId: String(orderA.id), depositFen: 0, dueAt: dueIn(DAY) } }, staff), 'CONFLICT');
    for (const id of [...a.loaners, ...b.loaners]) expect((await t.gql(PHONE, { id }, staff)).data.loanerPhone.status).toBe('ALLOCATED');
  });

  it("a partner never sees another partner's loans: by id NOT_FOUND, by filter nothing", async () => {
    const a = await shop(1);
    const b = await shop(1);
    const { loan: loanA } = await lend(a, a.loaners[0]);
    const { loan: loanB, order: orderB } = await lend(b, b.loaners[0]);

    expectError(await t.gql(LOAN, { id: loanB.id }, a.token), 'NOT_FOUND');
    expect((await t.gql(LOAN, { id: loanA.id }, a.token)).data.loanerLoan.id).toBe(loanA.id);
    const mine = await t.gql(LOANS, { first: 200 }, a.token);
    expect(mine.data.loanerLoans.edges.map((e: any) => e.node.id)).toEqual([loanA.id]);
    for (const f of [{ partnerId: String(b.id) }, { loanerId: b.loaners[0] }, { repairOrderId: String(orderB.id) }]) {
      const res = await t.gql(LOANS, { f }, a.token);
      expect(res.data.loanerLoans).toMatchObject({ totalCount: 0, edges: [] });
    }
    // Nor may it return or extend one.
    expectError(await t.gql(RETURN, { id: loanB.id, c: 'GOOD' }, a.token), 'NOT_FOUND');
    expectError(
      await t.gql(`mutation($id:ID!,$d:DateTime!){ extendLoanerLoan(loanId:$id, dueAt:$d){ id } }`, { id: loanB.id, d: dueIn(9 * DAY) }, a.token),
      'NOT_FOUND',
    );
    expect((await t.gql(LOAN, { id: loanB.id }, staff)).data.loanerLoan.returnedAt).toBeNull();
    // Staff see both.
    const all = await t.gql(LOANS, { f: { open: true }, first: 200 }, staff);
    expect(all.data.loanerLoans.edges.map((e: any) => e.node.id)).toEqual(expect.arrayContaining([loanA.id, loanB.id]));
  });

  it("after a loaner moves to another partner, its old partner keeps its loan but not the loaner's new whereabouts", async () => {
    const a = await shop(1);
    const b = await createPartner(t);
    const { loan } = await lend(a, a.loaners[0]);
    await t.gql(RETURN, { id: loan.id, c: 'GOOD' }, a.token);
    await t.gql(`mutation($ids:[ID!]!){ takeBackLoaners(loanerIds:$ids){ id } }`, { ids: a.loaners }, staff);
    await t.gql(`mutation($p:ID!,$ids:[ID!]!){ allocateLoaners(partnerId:$p, loanerIds:$ids){ id } }`, { p: String(b.id), ids: a.loaners }, staff);
    const res = await t.gql(LOAN, { id: loan.id }, a.token);
    expect(res.data.loanerLoan.loaner).toMatchObject({ id: a.loaners[0], partner: null, currentLoan: null });
    expectError(await t.gql(PHONE, { id: a.loaners[0] }, a.token), 'NOT_FOUND');
  });
});

describe('returnLoaner', () => {
  it('GOOD: back on the shelf, deposit refunded in full', async () => {
    const s = await shop(1);
    const { loan, order } = await lend(s, s.loaners[0]);
    const res = await t.gql(RETURN, { id: loan.id, c: 'GOOD' }, s.token);
    expect(res.errors).toBeUndefined();
    expect(res.data.returnLoaner).toMatchObject({
      condition: 'GOOD',
      depositStatus: 'REFUNDED',
      depositRefundedFen: 30000,
      depositKeptFen: 0,
      loaner: { status: 'ALLOCATED', partner: { id: String(s.id) }, currentLoan: null },
      repairOrder: { id: String(order.id), loanerOutstanding: false, loanerLoan: null },
    });
    expect(res.data.returnLoaner.returnedAt).toBeTruthy();
    // Back on the shelf, it can go out again.
    await lend(s, s.loaners[0]);
  });

  it('DAMAGED: to service, part of the deposit kept if the partner says so', async () => {
    const s = await shop(2);
    const { loan } = await lend(s, s.loaners[0]);
    expectError(await t.gql(RETURN, { id: loan.id, c: 'DAMAGED', k: 30001 }, s.token), 'BAD_USER_INPUT', 'depositKeptFen');
    expectError(await t.gql(RETURN, { id: loan.id, c: 'DAMAGED', k: -5 }, s.token), 'BAD_USER_INPUT', 'depositKeptFen');
    const res = await t.gql(RETURN, { id: loan.id, c: 'DAMAGED', k: 8000, n: 'cracked screen' }, s.token);
    expect(res.data.returnLoaner).toMatchObject({
      condition: 'DAMAGED',
      depositStatus: 'PARTLY_KEPT',
      depositRefundedFen: 22000,
      depositKeptFen: 8000,
      returnNote: 'cracked screen',
      loaner: { status: 'IN_SERVICE' },
    });
    const { loan: loan2 } = await lend(s, s.loaners[1]);
    const res2 = await t.gql(RETURN, { id: loan2.id, c: 'DAMAGED' }, s.token);
    expect(res2.data.returnLoaner).toMatchObject({ depositStatus: 'REFUNDED', depositRefundedFen: 30000, depositKeptFen: 0 });

    // Repaired: back to the pool, then allocated again.
    const done = await t.gql(`mutation($ids:[ID!]!){ completeLoanerService(loanerIds:$ids){ id status partner { id } } }`, { ids: s.loaners }, staff);
    expect(done.data.completeLoanerService).toEqual(s.loaners.map((id) => ({ id, status: 'IN_POOL', partner: null })));
  });

  it('LOST: the loaner is LOST and the whole deposit is kept', async () => {
    const s = await shop(1);
    const { loan } = await lend(s, s.loaners[0], { depositFen: 45000 });
    expectError(await t.gql(RETURN, { id: loan.id, c: 'LOST', k: 100 }, s.token), 'BAD_USER_INPUT', 'depositKeptFen');
    const res = await t.gql(RETURN, { id: loan.id, c: 'LOST' }, s.token);
    expect(res.data.returnLoaner).toMatchObject({
      condition: 'LOST',
      depositStatus: 'KEPT',
      depositRefundedFen: 0,
      depositKeptFen: 45000,
      loaner: { status: 'LOST' },
    });
    // Every fen of the deposit is accounted for on the loan row.
    const [row] = await rows('SELECT depositFen, depositRefundedFen, depositKeptFen FROM loaner_loan WHERE id = ?', [Number(loan.id)]);
    expect(Number(row.depositRefundedFen) + Number(row.depositKeptFen)).toBe(Number(row.depositFen));
    // A lost loaner can be written off, not lent.
    const retire = await t.gql(`mutation($ids:[ID!]!){ retireLoaners(loanerIds:$ids, reason:"lost by customer"){ status } }`, { ids: s.loaners }, staff);
    expect(retire.data.retireLoaners).toEqual([{ status: 'RETIRED' }]);
  });

  it('GOOD refuses a kept deposit; a loan returns once; staff can record returns', async () => {
    const s = await shop(1);
    const { loan } = await lend(s, s.loaners[0]);
    expectError(await t.gql(RETURN, { id: loan.id, c: 'GOOD', k: 100 }, s.token), 'BAD_USER_INPUT', 'depositKeptFen');
    expect((await t.gql(RETURN, { id: loan.id, c: 'GOOD' }, staff)).errors).toBeUndefined();
    expectConflict(await t.gql(RETURN, { id: loan.id, c: 'LOST' }, s.token), 'LOAN_ALREADY_RETURNED');
    expect((await t.gql(LOAN, { id: loan.id }, staff)).data.loanerLoan).toMatchObject({ condition: 'GOOD', loaner: { status: 'ALLOCATED' } });
    expectError(await t.gql(RETURN, { id: '99999999', c: 'GOOD' }, s.token), 'NOT_FOUND');
  });
});

describe('repair orders and their loaners', () => {
  it('a RETURNED order whose loaner is still out says so, and is listed for chasing', async () => {
    const s = await shop(2);
    const { loan, order } = await lend(s, s.loaners[0]);
    await lend(s, s.loaners[1]);
    await setOrderStatus(t, order.id, 'RETURNED');
    const res = await t.gql(LOAN, { id: loan.id }, s.token);
    expect(res.data.loanerLoan.repairOrder).toEqual({ id: String(order.id), status: 'RETURNED', loanerOutstanding: true, loanerLoan: { id: loan.id } });
    const chase = await t.gql(LOANS, { f: { repairOrderClosed: true } }, s.token);
    expect(chase.data.loanerLoans.edges.map((e: any) => e.node.id)).toEqual([loan.id]);
    const running = await t.gql(LOANS, { f: { repairOrderClosed: false } }, s.token);
    expect(running.data.loanerLoans.totalCount).toBe(1);
    // Once it is back, the order no longer owes a loaner but keeps the loan in its record.
    await t.gql(RETURN, { id: loan.id, c: 'GOOD' }, s.token);
    const after = await t.gql(
      `query($id:ID!){ loanerLoan(id:$id){ repairOrder { loanerOutstanding loanerLoan { id } loanerLoans { id condition } } } }`,
      { id: loan.id },
      s.token,
    );
    expect(after.data.loanerLoan.repairOrder).toEqual({ loanerOutstanding: false, loanerLoan: null, loanerLoans: [{ id: loan.id, condition: 'GOOD' }] });
  });
});

describe('extendLoanerLoan', () => {
  it('moves the due time of an open loan and records it', async () => {
    const s = await shop(1);
    const { loan } = await lend(s, s.loaners[0]);
    const EXTEND = `mutation($id:ID!,$d:DateTime!){ extendLoanerLoan(loanId:$id, dueAt:$d){ id dueAt } }`;
    const due = dueIn(20 * DAY);
    const res = await t.gql(EXTEND, { id: loan.id, d: due }, s.token);
    expect(new Date(res.data.extendLoanerLoan.dueAt).getTime()).toBe(new Date(due).getTime());
    expectError(await t.gql(EXTEND, { id: loan.id, d: dueIn(-DAY) }, s.token), 'BAD_USER_INPUT', 'dueAt');
    await t.gql(RETURN, { id: loan.id, c: 'GOOD' }, s.token);
    expectConflict(await t.gql(EXTEND, { id: loan.id, d: dueIn(DAY) }, s.token), 'LOAN_ALREADY_RETURNED');
    const h = await t.gql(`query($id:ID!){ loanerHistory(loanerId:$id){ edges { node { type } } } }`, { id: s.loaners[0] }, s.token);
    expect(h.data.loanerHistory.edges.map((e: any) => e.node.type)).toEqual(['ALLOCATED', 'LENT', 'LOAN_EXTENDED', 'RETURNED']);
  });
});

describe('overdueLoans', () => {
  it('lists open loans past due, longest overdue first, for the branch and per partner', async () => {
    const a = await shop(3);
    const b = await shop(2);
    // Due in a moment, so they are overdue by the time the list is read; lent in due-time order.
    const { loan: b1 } = await lend(b, b.loaners[0], { dueInMs: 2500 });
    const { loan: a1 } = await lend(a, a.loaners[0], { dueInMs: 2500 });
    const { loan: returned } = await lend(a, a.loaners[2], { dueInMs: 2500 });
    const { loan: a2 } = await lend(a, a.loaners[1], { dueInMs: 2500 });
    const { loan: notYet } = await lend(b, b.loaners[1], { dueInMs: 3 * DAY });
    await t.gql(RETURN, { id: returned.id, c: 'GOOD' }, a.token);
    await sleep(2600);

    const branch = await t.gql(OVERDUE, { first: 200 }, staff);
    const ids = branch.data.overdueLoans.edges.map((e: any) => e.node.id);
    expect(ids).toEqual(expect.arrayContaining([b1.id, a1.id, a2.id]));
    expect(ids).not.toContain(returned.id);
    expect(ids).not.toContain(notYet.id);
    const mine = [b1.id, a1.id, a2.id];
    expect(ids.filter((id: string) => mine.includes(id))).toEqual(mine);
    expect(branch.data.overdueLoans.edges.every((e: any) => e.node.overdue && e.node.daysOverdue === 0)).toBe(true);

    const perPartner = await t.gql(OVERDUE, { p: String(a.id) }, staff);
    expect(perPartner.data.overdueLoans.edges.map((e: any) => e.node.id)).toEqual([a1.id, a2.id]);
    expect(perPartner.data.overdueLoans.totalCount).toBe(2);

    // Keyset pages by due time.
    const p1 = await t.gql(OVERDUE, { p: String(a.id), first: 1 }, staff);
    const p2 = await t.gql(OVERDUE, { p: String(a.id), first: 1, after: p1.data.overdueLoans.pageInfo.endCursor }, staff);
    expect([p1, p2].map((r) => r.data.overdueLoans.edges[0].node.id)).toEqual([a1.id, a2.id]);
    expect(p2.data.overdueLoans.pageInfo.hasNextPage).toBe(false);

    // A partner: its own, whatever it asks for.
    const own = await t.gql(OVERDUE, {}, b.token);
    expect(own.data.overdueLoans.edges.map((e: any) => e.node.id)).toEqual([b1.id]);
    const others = await t.gql(OVERDUE, { p: String(a.id) }, b.token);
    expect(others.data.overdueLoans.totalCount).toBe(0);

    const filtered = await t.gql(LOANS, { f: { overdue: true, partnerId: String(b.id) } }, staff);
    expect(filtered.data.loanerLoans.edges.map((e: any) => e.node.id)).toEqual([b1.id]);

    const summary = await t.gql(`{ loanerSummary { partners { partner { id } onLoan overdueLoans depositsHeldFen } } }`, {}, staff);
    const rowA = summary.data.loanerSummary.partners.find((r: any) => r.partner.id === String(a.id));
    expect(rowA).toEqual({ partner: { id: String(a.id) }, onLoan: 2, overdueLoans: 2, depositsHeldFen: 60000 });

    // Returned late: no longer listed; the loan remembers it came back late.
    const late = await t.gql(RETURN, { id: a1.id, c: 'GOOD' }, a.token);
    expect(late.data.returnLoaner).toMatchObject({ overdue: false });
    expect((await t.gql(OVERDUE, { p: String(a.id) }, staff)).data.overdueLoans.edges.map((e: any) => e.node.id)).toEqual([a2.id]);
  });
});

describe('nested lists load in a constant number of statements', () => {
  it('loans with loaner, partner and repair order: same statement count for 2 and for 8 loans', async () => {
    const s = await shop(8);
    for (const id of s.loaners) await lend(s, id);
    const q = `query($first:Int){ loanerLoans(first:$first, filter:{ open: true }){ edges { node { id
      loaner { serial partner { code } currentLoan { id } } partner { code } repairOrder { id loanerOutstanding loanerLoan { id } loanerLoans { id } } } } } }`;
    const count = async (first: number) => {
      t.sql.reset();
      const res = await t.gql(q, { first }, s.token);
      expect(res.errors).toBeUndefined();
      expect(res.data.loanerLoans.edges).toHaveLength(first);
      return t.sql.count;
    };
    const small = await count(2);
    const large = await count(8);
    expect(large).toBe(small);
  });
});
