import { expectError, startTestApp, TestApp } from '../helpers/app';
import { count, createPartner, expectLedgersBalance, issue, onHand, outcome, snapshot, stockedPart } from './parts-fixtures';

/**
 * The fund's limit under concurrency, on an app of its own with a 1,000-yuan limit: many shops
 * drawing at once never take the fund over it, and a refused draw moves no stock.
 */
let t: TestApp;
let finance: string;
const LIMIT = 100_000;
beforeAll(async () => {
  t = await startTestApp({ partsFundLimitFen: LIMIT });
  finance = await t.token('finance');
});
afterAll(() => t.stop());

const FUND = `{ revolvingFund { limitFen outstandingFen availableFen } }`;

it('30 concurrent issues of 7,000 fen against a 100,000 limit: exactly 14 go through', async () => {
  const part = await stockedPart(t, 100, 7000);
  const partners: { id: string }[] = [];
  for (let i = 0; i < 6; i++) partners.push(await createPartner(t));
  const results = await Promise.all(Array.from({ length: 30 }, (_, i) => issue(t, partners[i % 6].id, [{ partId: part.id, quantity: 1 }])));
  const codes = results.map(outcome);
  expect(codes.filter((c) => c === 'OK')).toHaveLength(14);
  const refused = results.filter((r) => r.errors);
  expect(refused).toHaveLength(16);
  for (const r of refused) {
    expect(r.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'FUND_EXHAUSTED', requestedFen: 7000, availableFen: 2000, shortfallFen: 5000 });
  }
  const fund = (await t.gql(FUND, {}, finance)).data.revolvingFund;
  expect(fund).toEqual({ limitFen: LIMIT, outstandingFen: 98_000, availableFen: 2000 });
  // The refused issues took their unit off the centre and put it back when they rolled back.
  expect(await onHand(t, part.id, { centre: true })).toBe(86);
  expect(await count(t, `SELECT COUNT(*) AS n FROM parts_issue`)).toBe(14);
  expect(await count(t, `SELECT COUNT(*) AS n FROM stock_movement WHERE kind = 'ISSUE'`)).toBe(28);
  await expectLedgersBalance(t);

  // What is left can still be drawn to the fen; one fen more cannot.
  const exact = await stockedPart(t, 5, 2000);
  const tiny = await stockedPart(t, 5, 1);
  const before = await snapshot(t);
  const err = expectError(
    await issue(t, partners[0].id, [
      { partId: exact.id, quantity: 1 },
      { partId: tiny.id, quantity: 1 },
    ]),
    'CONFLICT',
  );
  expect(err.extensions).toMatchObject({ reason: 'FUND_EXHAUSTED', requestedFen: 2001, availableFen: 2000, shortfallFen: 1 });
  expect(await snapshot(t)).toEqual(before);
  expect((await issue(t, partners[0].id, [{ partId: exact.id, quantity: 1 }])).errors).toBeUndefined();
  expect((await t.gql(FUND, {}, finance)).data.revolvingFund).toEqual({ limitFen: LIMIT, outstandingFen: LIMIT, availableFen: 0 });

  // A repayment makes room again.
  await t.gql(`mutation($p:ID!){ recordFundRepayment(partnerId:$p, amountFen: 7000){ id } }`, { p: partners[1].id }, finance);
  expect((await issue(t, partners[2].id, [{ partId: part.id, quantity: 1 }])).errors).toBeUndefined();
  expectError(await issue(t, partners[3].id, [{ partId: tiny.id, quantity: 1 }]), 'CONFLICT');
  await expectLedgersBalance(t);
});

it('issues, repayments and returns racing each other keep the fund within its limit and both ledgers whole', async () => {
  const part = await stockedPart(t, 200, 1000);
  const partners = [await createPartner(t), await createPartner(t), await createPartner(t)];
  const aftersales = await t.token('aftersales');
  const ops = Array.from({ length: 45 }, (_, i) => {
    const p = partners[i % 3].id;
    if (i % 5 === 3) return t.gql(`mutation($p:ID!){ recordFundRepayment(partnerId:$p, amountFen: 1000){ id } }`, { p }, finance);
    if (i % 5 === 4)
      return t.gql(
        `mutation($i:ReturnPartsInput!){ returnParts(input:$i){ id } }`,
        { i: { partnerId: p, lines: [{ partId: part.id, quantity: 1 }] } },
        aftersales,
      );
    return issue(t, p, [{ partId: part.id, quantity: 2 }]);
  });
  const results = await Promise.all(ops);
  expect(results.filter((r) => !['OK', 'CONFLICT'].includes(outcome(r))).map((r) => r.errors)).toEqual([]);
  const fund = (await t.gql(FUND, {}, finance)).data.revolvingFund;
  expect(fund.outstandingFen).toBeLessThanOrEqual(LIMIT);
  expect(await count(t, `SELECT COUNT(*) AS n FROM stock_level WHERE onHand < 0`)).toBe(0);
  await expectLedgersBalance(t);
});
