import { expectError, startTestApp, TestApp, expectConflict } from '../helpers/app';
import { addRecords, auditBatch, createAgent, GQL, sh } from './audits.fixtures';

/**
 * Which months may be settled and closed, read from the app's clock (config.now, set per test),
 * and where activations and penalties go that arrive for a period already closed. Each test uses
 * periods of its own year, so the tests do not depend on each other's order.
 */
let t: TestApp;
let clock = new Date();
beforeAll(async () => {
  t = await startTestApp({ now: () => clock });
});
afterAll(() => t.stop());

const SETTLE = `mutation($p: String!){ settleCommissions(period:$p){ period status activations penaltiesFen penaltyCount } }`;
const CLOSE = `mutation($p: String!){ closeCommissionPeriod(period:$p){ period status activations } }`;
const STATEMENT = `query($p: String, $a: ID){ commissionStatements(period:$p, agentId:$a, first: 1){ edges { node {
  period activations lateActivations grossFen penaltiesFen penaltyCount netFen status penalties { id period settledPeriod status } } } } }`;
const REGISTRATION = `query($id: ID!){ registration(id:$id){ id activatedAt commissionPeriod } }`;
const ACTIVATE = `mutation($id: ID!){ activateRegistration(id:$id){ id activatedAt } }`;
const CONFIRM = `mutation($id: ID!){ confirmPenalty(id:$id){ id status } }`;

async function finance() {
  return t.token('finance');
}
async function statement(period: string, agentId: string) {
  const res = await t.gql(STATEMENT, { p: period, a: agentId }, await finance());
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.commissionStatements.edges[0]?.node;
}
async function ok(query: string, variables: Record<string, unknown>, token: string) {
  const res = await t.gql(query, variables, token);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data;
}
/** One confirmed audit penalty on one of the agent's records of `period`. */
async function confirmedPenalty(agentId: string, period: string) {
  const { batch } = await auditBatch(t, { period, strategy: 'RANDOM', sampleSize: 1, agentIds: [agentId] }, () => [{ type: 'INCOMPLETE_DATA' }]);
  const res = await t.gql(GQL.penalties, { f: { batchId: batch.id }, first: 5 }, await t.token('staff'));
  const penalty = res.data.penalties.edges[0].node;
  await ok(CONFIRM, { id: penalty.id }, await t.token('staff'));
  return penalty;
}

describe('settling a month that has not begun', () => {
  it('is CONFLICT saying when it may be done, takes nothing, and the current month then deducts the penalty', async () => {
    clock = sh(2021, 12, 2, 10);
    const a = await createAgent(t, { commissionPerActivationFen: 2500 });
    await addRecords(t, a.id, [{ openedAt: sh(2021, 11, 5), activatedAt: sh(2021, 11, 5, 12) }]);
    const penalty = await confirmedPenalty(a.id, '2021-11');

    const early = await t.gql(SETTLE, { p: '2022-01' }, await finance());
    const err = expectConflict(early, 'PERIOD_NOT_BEGUN');
    expect(err.message).toBe('Commission period 2022-01 has not begun: it may be settled from 2022-01-01 00:00 Asia/Shanghai');
    const period = await t.gql(`{ commissionPeriod(period: "2022-01") { period } }`, {}, await finance());
    expect(period.data.commissionPeriod).toBeNull();
    expectError(period, 'NOT_FOUND');

    // The current month (begun on the clock) may be settled, and it deducts the penalty.
    await ok(SETTLE, { p: '2021-12' }, await finance());
    const s = await statement('2021-12', a.id);
    expect(s).toMatchObject({ penaltiesFen: penalty.amountFen, penaltyCount: 1, activations: 0 });
    expect(s.penalties).toEqual([{ id: penalty.id, period: '2021-11', settledPeriod: '2021-12', status: 'CONFIRMED' }]);

    // The first instant of a month (Shanghai) is when it may be settled.
    clock = new Date(sh(2022, 1, 1, 0).getTime() - 1);
    expectConflict(await t.gql(SETTLE, { p: '2022-01' }, await finance()), 'PERIOD_NOT_BEGUN');
    clock = sh(2022, 1, 1, 0);
    expect((await ok(SETTLE, { p: '2022-01' }, await finance())).settleCommissions.period).toBe('2022-01');
  });
});

describe('closing a month that has not ended', () => {
  it('is CONFLICT until the month is over, so both December activations are paid', async () => {
    clock = sh(2022, 12, 2, 10);
    const a = await createAgent(t, { commissionPerActivationFen: 3000 });
    const [first, second] = await addRecords(t, a.id, [{ openedAt: sh(2022, 12, 1) }, { openedAt: sh(2022, 12, 1, 11) }]);
    const staff = await t.token('staff');
    await ok(ACTIVATE, { id: String(first) }, staff);

    const early = await t.gql(CLOSE, { p: '2022-12' }, await finance());
    expect(expectConflict(early, 'PERIOD_NOT_ENDED').message).toBe(
      'Commission period 2022-12 has not ended: it may be closed from 2023-01-01 00:00 Asia/Shanghai (settle it meanwhile to see its statements)',
    );
    // Nothing was frozen: settling the running month is allowed and shows one activation so far.
    await ok(SETTLE, { p: '2022-12' }, await finance());
    expect(await statement('2022-12', a.id)).toMatchObject({ activations: 1, status: 'OPEN' });

    clock = sh(2022, 12, 20, 15);
    const later = await ok(ACTIVATE, { id: String(second) }, staff);
    expect(new Date(later.activateRegistration.activatedAt)).toEqual(sh(2022, 12, 20, 15));

    clock = sh(2023, 1, 2, 9);
    await ok(CLOSE, { p: '2022-12' }, await finance());
    expect(await statement('2022-12', a.id)).toMatchObject({ activations: 2, lateActivations: 0, grossFen: 6000, status: 'CLOSED' });
    for (const id of [first, second]) {
      expect((await ok(REGISTRATION, { id: String(id) }, staff)).registration.commissionPeriod).toBe('2022-12');
    }
  });
});

describe('an activation or penalty that arrives for a closed period', () => {
  it('goes into the next open period settled, once, with the field saying where it came from', async () => {
    clock = sh(2023, 6, 3, 10);
    const a = await createAgent(t, { commissionPerActivationFen: 1000 });
    await addRecords(t, a.id, [{ openedAt: sh(2023, 5, 10), activatedAt: sh(2023, 5, 10, 12) }]);
    await ok(CLOSE, { p: '2023-05' }, await finance());
    expect(await statement('2023-05', a.id)).toMatchObject({ activations: 1, status: 'CLOSED' });

    // Arrive after the close: an imported line activated in May, and a penalty on a May record.
    const [late] = await addRecords(t, a.id, [{ openedAt: sh(2023, 5, 20), activatedAt: sh(2023, 5, 20, 16) }]);
    const penalty = await confirmedPenalty(a.id, '2023-05');
    await addRecords(t, a.id, [{ openedAt: sh(2023, 6, 1), activatedAt: sh(2023, 6, 1, 12) }]);

    await ok(SETTLE, { p: '2023-06' }, await finance());
    const june = await statement('2023-06', a.id);
    expect(june).toMatchObject({ activations: 2, lateActivations: 1, grossFen: 2000, penaltiesFen: penalty.amountFen, penaltyCount: 1 });
    expect(june.penalties).toEqual([{ id: penalty.id, period: '2023-05', settledPeriod: '2023-06', status: 'CONFIRMED' }]);
    const reg = (await ok(REGISTRATION, { id: String(late) }, await t.token('staff'))).registration;
    expect(reg.commissionPeriod).toBe('2023-06');
    expect(new Date(reg.activatedAt)).toEqual(sh(2023, 5, 20, 16));
    // The closed month never changes.
    expect(await statement('2023-05', a.id)).toMatchObject({ activations: 1, penaltyCount: 0, status: 'CLOSED' });

    // Re-settling June pays it once; closing June and settling July does not pay it again.
    await ok(SETTLE, { p: '2023-06' }, await finance());
    expect(await statement('2023-06', a.id)).toMatchObject({ activations: 2, lateActivations: 1 });
    clock = sh(2023, 7, 2, 10);
    await ok(CLOSE, { p: '2023-06' }, await finance());
    await ok(SETTLE, { p: '2023-07' }, await finance());
    expect(await statement('2023-07', a.id)).toMatchObject({ activations: 0, lateActivations: 0, penaltyCount: 0 });
  });

  it('an activation of an earlier month that is still open waits for that month', async () => {
    clock = sh(2024, 3, 5, 10);
    const a = await createAgent(t, { commissionPerActivationFen: 500 });
    const [feb] = await addRecords(t, a.id, [{ openedAt: sh(2024, 2, 10), activatedAt: sh(2024, 2, 10, 12) }]);
    await ok(SETTLE, { p: '2024-03' }, await finance());
    expect(await statement('2024-03', a.id)).toMatchObject({ activations: 0, lateActivations: 0 });
    await ok(CLOSE, { p: '2024-02' }, await finance());
    expect(await statement('2024-02', a.id)).toMatchObject({ activations: 1, lateActivations: 0 });
    expect((await ok(REGISTRATION, { id: String(feb) }, await t.token('staff'))).registration.commissionPeriod).toBe('2024-02');
  });
});
