import { expectError, startTestApp, TestApp, expectConflict } from '../helpers/app';
import { Role } from '../../src/common/roles';
import { closeCommissionPeriod } from '../../src/modules/audits/commission.service';
import { storeRecords } from '../../src/modules/agents/registration-ingest';
import { addRecords, auditBatch, createAgent, GQL, prepareRecords, registrationIds, sh } from './audits.fixtures';

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

describe('an activation written while its month is open', () => {
  it('is claimed by that month when written, through the import and through activateRegistration; one of a closed month is not', async () => {
    clock = sh(2025, 4, 3, 10);
    const a = await createAgent(t, { commissionPerActivationFen: 700 });
    const staff = await t.token('staff');
    await ok(CLOSE, { p: '2025-03' }, await finance());
    const [april, pending, march] = await addRecords(t, a.id, [
      { openedAt: sh(2025, 4, 1), activatedAt: sh(2025, 4, 1, 12) },
      { openedAt: sh(2025, 4, 2) },
      { openedAt: sh(2025, 3, 30), activatedAt: sh(2025, 3, 31, 9) },
    ]);
    const period = async (id: number) => (await ok(REGISTRATION, { id: String(id) }, staff)).registration.commissionPeriod;
    // No settlement has run: the open month's activation is its own already, the closed month's waits for a late claim.
    expect(await period(april)).toBe('2025-04');
    expect(await period(pending)).toBeNull();
    expect(await period(march)).toBeNull();
    await ok(ACTIVATE, { id: String(pending) }, staff);
    expect(await period(pending)).toBe('2025-04');

    await ok(SETTLE, { p: '2025-04' }, await finance());
    expect(await statement('2025-04', a.id)).toMatchObject({ activations: 3, lateActivations: 1, grossFen: 2100 });
    expect(await period(march)).toBe('2025-04');
  });
});

// The claim when written and a close of the same month, in both orders, on MariaDB's locks.
(process.env.TEST_DATABASE_URL ? describe : describe.skip)('an activation written while its month is being closed (MariaDB)', () => {
  const FINANCE = { id: 0, username: 'finance', role: Role.FINANCE, repairPartnerId: null, agentId: null };
  beforeAll(async () => {
    const [u] = await t.app.ds.query(`SELECT id FROM app_user WHERE username = 'finance'`);
    FINANCE.id = Number(u.id);
  });
  /** Resolves to 'done' if the promise settles within ms, else 'waiting'. */
  const within = (p: Promise<unknown>, ms: number) => Promise.race([p.then(() => 'done'), new Promise((r) => setTimeout(() => r('waiting'), ms))]);

  it('a close waits for an import that counted on the month being open, and then pays its activation', async () => {
    clock = sh(2025, 9, 2, 10);
    const a = await createAgent(t, { commissionPerActivationFen: 900 });
    const { prepared, msisdns } = prepareRecords(t, a.id, [{ openedAt: sh(2025, 8, 30), activatedAt: sh(2025, 8, 31, 12) }]);
    const qr = t.app.ds.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      await storeRecords(qr.manager, prepared, (i) => `#${i}`);
      const closing = t.gql(CLOSE, { p: '2025-08' }, await finance());
      expect(await within(closing, 400)).toBe('waiting');
      await qr.commitTransaction();
      const res = await closing;
      expect(res.errors).toBeUndefined();
    } finally {
      await qr.release();
    }
    const [id] = await registrationIds(t, msisdns);
    expect(await statement('2025-08', a.id)).toMatchObject({ activations: 1, lateActivations: 0, grossFen: 900, status: 'CLOSED' });
    expect((await ok(REGISTRATION, { id: String(id) }, await t.token('staff'))).registration.commissionPeriod).toBe('2025-08');
  });

  it('an import waits for a close under way, then leaves its activation to the next period settled', async () => {
    clock = sh(2025, 11, 2, 10);
    const a = await createAgent(t, { commissionPerActivationFen: 400 });
    const { prepared, msisdns } = prepareRecords(t, a.id, [{ openedAt: sh(2025, 10, 30), activatedAt: sh(2025, 10, 31, 12) }]);
    const qr = t.app.ds.createQueryRunner();
    await qr.connect();
    let importing: Promise<unknown>;
    try {
      await qr.startTransaction();
      await closeCommissionPeriod(qr.manager, FINANCE, '2025-10', clock);
      importing = inTransactionOf(prepared);
      expect(await within(importing, 400)).toBe('waiting');
      await qr.commitTransaction();
      await importing;
    } finally {
      await qr.release();
    }
    const [id] = await registrationIds(t, msisdns);
    expect((await ok(REGISTRATION, { id: String(id) }, await t.token('staff'))).registration.commissionPeriod).toBeNull();
    expect(await statement('2025-10', a.id)).toMatchObject({ activations: 0, status: 'CLOSED' });
    await ok(SETTLE, { p: '2025-11' }, await finance());
    expect(await statement('2025-11', a.id)).toMatchObject({ activations: 1, lateActivations: 1, grossFen: 400 });
  });

  function inTransactionOf(prepared: ReturnType<typeof prepareRecords>['prepared']) {
    return t.app.ds.transaction((em) => storeRecords(em, prepared, (i) => `#${i}`));
  }
});
