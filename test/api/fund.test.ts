import { issuePartsInTransaction } from '../../src/modules/parts/issue.service';
import { expectError, startTestApp, TestApp } from '../helpers/app';
import { count, createPartner, expectLedgersBalance, issue, onHand, outcome, snapshot, stockedPart } from './parts-fixtures';

/** The revolving fund: repayments, per-partner caps under concurrency, the age of debts, scoping. */
let t: TestApp;
let finance: string;
beforeAll(async () => {
  t = await startTestApp();
  finance = await t.token('finance');
});
afterAll(() => t.stop());

const FUND = `query($p:ID){ revolvingFund(partnerId:$p){ limitFen outstandingFen availableFen partners { partnerId partner { code } outstandingFen capFen availableFen drawnFen creditedFen oldestUnpaidDrawAt ageDays } } }`;
const REPAY = `mutation($p:ID!,$a:SafeInt!,$r:String){ recordFundRepayment(partnerId:$p, amountFen:$a, reference:$r){ id kind amountFen reference partner { id } } }`;
const CAP = `mutation($p:ID!,$c:SafeInt){ setPartnerFundCap(partnerId:$p, capFen:$c){ partnerId capFen outstandingFen availableFen } }`;

async function balance(partnerId: string) {
  const res = await t.gql(FUND, { p: partnerId }, finance);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.revolvingFund.partners[0];
}

it('shows the configured limit, what is out and what is left', async () => {
  const p = await createPartner(t);
  const part = await stockedPart(t, 10, 2500);
  const before = (await t.gql(FUND, {}, finance)).data.revolvingFund;
  expect(before.limitFen).toBe(6_000_000);
  await issue(t, p.id, [{ partId: part.id, quantity: 2 }]);
  const after = (await t.gql(FUND, {}, finance)).data.revolvingFund;
  expect(after.outstandingFen).toBe(before.outstandingFen + 5000);
  expect(after.availableFen).toBe(6_000_000 - after.outstandingFen);
  expect(after.outstandingFen).toBe(after.partners.reduce((s: number, x: any) => s + x.outstandingFen, 0));
  expect(after.partners.find((x: any) => x.partnerId === p.id)).toMatchObject({
    partner: { code: p.code },
    outstandingFen: 5000,
    drawnFen: 5000,
    creditedFen: 0,
    capFen: null,
    ageDays: 0,
  });
});

describe('repayments', () => {
  it('reduce what the partner owes, are recorded in the fund ledger and the change log', async () => {
    const p = await createPartner(t);
    const part = await stockedPart(t, 10, 3000);
    await issue(t, p.id, [{ partId: part.id, quantity: 3 }]);
    const res = await t.gql(REPAY, { p: p.id, a: 4000, r: 'BANK-001' }, finance);
    expect(res.errors).toBeUndefined();
    expect(res.data.recordFundRepayment).toMatchObject({ kind: 'REPAYMENT', amountFen: -4000, reference: 'BANK-001', partner: { id: p.id } });
    expect(await balance(p.id)).toMatchObject({ outstandingFen: 5000, drawnFen: 9000, creditedFen: 4000 });
    const ledger = await t.gql(
      `query($p:ID){ fundLedger(filter:{partnerId:$p}){ edges { node { kind amountFen issue { totalFen } actorName } } } }`,
      { p: p.id },
      finance,
    );
    expect(ledger.data.fundLedger.edges.map((e: any) => e.node)).toEqual([
      { kind: 'DRAW', amountFen: 9000, issue: { totalFen: 9000 }, actorName: 'aftersales' },
      { kind: 'REPAYMENT', amountFen: -4000, issue: null, actorName: 'finance' },
    ]);
    const log = await t.gql(
      `query($id:ID!){ changeLog(entityType:"FundLedgerEntry", entityId:$id){ edges { node { action actorName } } } }`,
      { id: res.data.recordFundRepayment.id },
      finance,
    );
    expect(log.data.changeLog.edges[0].node).toEqual({ action: 'recordFundRepayment', actorName: 'finance' });
    await expectLedgersBalance(t);
  });

  it('refuses more than is owed (CONFLICT), a non-positive amount, a reference twice, and other roles', async () => {
    const p = await createPartner(t);
    const part = await stockedPart(t, 10, 1000);
    await issue(t, p.id, [{ partId: part.id, quantity: 1 }]);
    await t.gql(REPAY, { p: p.id, a: 100, r: 'DUP-REF' }, finance);
    const shop = await t.userToken('REPAIR_PARTNER', { repairPartnerId: p.id });
    const before = await snapshot(t);
    const over = expectError(await t.gql(REPAY, { p: p.id, a: 901 }, finance), 'CONFLICT');
    expect(over.extensions).toMatchObject({ outstandingFen: 900 });
    expectError(await t.gql(REPAY, { p: p.id, a: 0 }, finance), 'BAD_USER_INPUT', 'amountFen');
    expectError(await t.gql(REPAY, { p: p.id, a: -5 }, finance), 'BAD_USER_INPUT', 'amountFen');
    expectError(await t.gql(REPAY, { p: p.id, a: 50, r: 'DUP-REF' }, finance), 'CONFLICT');
    expectError(await t.gql(REPAY, { p: '9999999', a: 50 }, finance), 'BAD_USER_INPUT', 'partnerId');
    expectError(await t.gql(REPAY, { p: p.id, a: 50 }, await t.token('aftersales')), 'FORBIDDEN');
    expectError(await t.gql(REPAY, { p: p.id, a: 50 }, shop), 'FORBIDDEN');
    expect(await snapshot(t)).toEqual(before);
  });

  it('10 concurrent repayments of 3,000 against 10,000 owed: exactly 3 go through', async () => {
    const p = await createPartner(t);
    const part = await stockedPart(t, 10, 10_000);
    await issue(t, p.id, [{ partId: part.id, quantity: 1 }]);
    const results = await Promise.all(Array.from({ length: 10 }, () => t.gql(REPAY, { p: p.id, a: 3000 }, finance)));
    expect(results.map(outcome).filter((c) => c === 'OK')).toHaveLength(3);
    expect(results.map(outcome).filter((c) => c === 'CONFLICT')).toHaveLength(7);
    expect(await balance(p.id)).toMatchObject({ outstandingFen: 1000, creditedFen: 9000 });
    await expectLedgersBalance(t);
  });
});

describe('the age of a debt', () => {
  async function backdatedIssue(partnerId: string, partId: string, quantity: number, daysAgo: number) {
    const now = new Date(Date.now() - daysAgo * 86_400_000);
    return issuePartsInTransaction(t.app.ds, null, { partnerId, lines: [{ partId, quantity }] }, { now });
  }

  it('is the oldest draw not yet paid off; repayments pay the oldest draws first', async () => {
    const p = await createPartner(t);
    const part = await stockedPart(t, 20, 1000);
    const old = await backdatedIssue(p.id, part.id, 3, 45);
    const mid = await backdatedIssue(p.id, part.id, 2, 20);
    await backdatedIssue(p.id, part.id, 1, 2);
    let b = await balance(p.id);
    expect(b).toMatchObject({ outstandingFen: 6000, ageDays: 45 });
    expect(new Date(b.oldestUnpaidDrawAt).getTime()).toBe(old.issuedAt.getTime());

    await t.gql(REPAY, { p: p.id, a: 2999 }, finance);
    expect((await balance(p.id)).ageDays).toBe(45); // 1 fen of the oldest draw is still unpaid
    await t.gql(REPAY, { p: p.id, a: 1 }, finance);
    b = await balance(p.id);
    expect(b.ageDays).toBe(20);
    expect(new Date(b.oldestUnpaidDrawAt).getTime()).toBe(mid.issuedAt.getTime());
    await t.gql(REPAY, { p: p.id, a: 3000 }, finance);
    expect(await balance(p.id)).toMatchObject({ outstandingFen: 0, oldestUnpaidDrawAt: null, ageDays: null });
    await expectLedgersBalance(t);
  });

  it('counts return credits like repayments', async () => {
    const p = await createPartner(t);
    const part = await stockedPart(t, 10, 500);
    await backdatedIssue(p.id, part.id, 2, 30);
    await backdatedIssue(p.id, part.id, 2, 10);
    const res = await t.gql(
      `mutation($i:ReturnPartsInput!){ returnParts(input:$i){ creditFen } }`,
      { i: { partnerId: p.id, lines: [{ partId: part.id, quantity: 2 }] } },
      await t.token('aftersales'),
    );
    expect(res.data.returnParts.creditFen).toBe(1000);
    expect(await balance(p.id)).toMatchObject({ outstandingFen: 1000, creditedFen: 1000, ageDays: 10 });
  });
});

describe('per-partner caps', () => {
  it('12 concurrent issues of 3,000 under a 10,000 cap: exactly 3 go through, and nothing moves for the rest', async () => {
    const p = await createPartner(t);
    const part = await stockedPart(t, 50, 3000);
    const set = await t.gql(CAP, { p: p.id, c: 10_000 }, finance);
    expect(set.data.setPartnerFundCap).toEqual({ partnerId: p.id, capFen: 10_000, outstandingFen: 0, availableFen: 10_000 });
    const results = await Promise.all(Array.from({ length: 12 }, () => issue(t, p.id, [{ partId: part.id, quantity: 1 }])));
    const codes = results.map(outcome);
    expect(codes.filter((c) => c === 'OK')).toHaveLength(3);
    const refused = results.filter((r) => r.errors);
    expect(refused).toHaveLength(9);
    for (const r of refused)
      expect(r.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'PARTNER_CAP_EXCEEDED', requestedFen: 3000, shortfallFen: 2000 });
    expect(await onHand(t, part.id, { centre: true })).toBe(47);
    expect(await onHand(t, part.id, { partnerId: p.id })).toBe(3);
    expect(await balance(p.id)).toMatchObject({ outstandingFen: 9000, capFen: 10_000, availableFen: 1000 });
    expect(await count(t, `SELECT COUNT(*) AS n FROM parts_issue WHERE partnerId = ?`, [Number(p.id)])).toBe(3);
    await expectLedgersBalance(t);
  });

  it('a cap below what is owed stops further draws; removing it lets them through', async () => {
    const p = await createPartner(t);
    const part = await stockedPart(t, 10, 1000);
    await issue(t, p.id, [{ partId: part.id, quantity: 3 }]);
    expect((await t.gql(CAP, { p: p.id, c: 2000 }, finance)).data.setPartnerFundCap).toMatchObject({ outstandingFen: 3000, availableFen: 0 });
    const before = await snapshot(t);
    expectError(await issue(t, p.id, [{ partId: part.id, quantity: 1 }]), 'CONFLICT');
    expect(await snapshot(t)).toEqual(before);
    expect((await t.gql(CAP, { p: p.id, c: null }, finance)).data.setPartnerFundCap.capFen).toBeNull();
    expect((await issue(t, p.id, [{ partId: part.id, quantity: 1 }])).errors).toBeUndefined();
    expectError(await t.gql(CAP, { p: p.id, c: -1 }, finance), 'BAD_USER_INPUT', 'capFen');
    expectError(await t.gql(CAP, { p: p.id, c: 1 }, await t.token('aftersales')), 'FORBIDDEN');
  });
});

describe('scoping', () => {
  it('a shop sees its own balance and ledger only', async () => {
    const mine = await createPartner(t);
    const theirs = await createPartner(t);
    const part = await stockedPart(t, 10, 700);
    await issue(t, mine.id, [{ partId: part.id, quantity: 1 }]);
    await issue(t, theirs.id, [{ partId: part.id, quantity: 2 }]);
    const shop = await t.userToken('REPAIR_PARTNER', { repairPartnerId: mine.id });
    const fund = (await t.gql(FUND, {}, shop)).data.revolvingFund;
    expect(fund.partners).toHaveLength(1);
    expect(fund.partners[0]).toMatchObject({ partnerId: mine.id, outstandingFen: 700 });
    expect(fund.limitFen).toBe(6_000_000);
    expectError(await t.gql(FUND, { p: theirs.id }, shop), 'NOT_FOUND');
    const ledger = await t.gql(`{ fundLedger(first: 200){ edges { node { partner { id } } } } }`, {}, shop);
    expect(ledger.data.fundLedger.edges.map((e: any) => e.node.partner.id)).toEqual([mine.id]);
    expectError(await t.gql(`query($p:ID){ fundLedger(filter:{partnerId:$p}){ totalCount } }`, { p: theirs.id }, shop), 'NOT_FOUND');
    expectError(await t.gql(FUND, {}, await t.token('staff')), 'FORBIDDEN');
  });
});
