import { startTestApp, TestApp, expectError, expectConflict } from '../helpers/app';
import { nextMsisdn } from './registrations.fixtures';
import { openComplaint, startAndResolve } from './customer.fixtures';

let t: TestApp;
let seq = 0;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

async function createSp(depositFen: number): Promise<string> {
  const res = await t.gql(
    `mutation($i: CreateServiceProviderInput!){ createServiceProvider(input:$i){ id depositFen debtFen } }`,
    { i: { code: `SP-T${process.pid}-${++seq}`, name: `測試 SP ${seq}`, depositFen } },
    await t.token('service'),
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  expect(res.data.createServiceProvider).toMatchObject({ depositFen, debtFen: 0 });
  return res.data.createServiceProvider.id;
}

const SP = `query($id: ID!){ serviceProvider(id:$id){ depositFen debtFen } }`;
const ENTRIES = `query($id: ID!){ spDepositEntries(spId:$id, first: 200){ edges { node { kind grossFen amountFen debtFen balanceAfterFen complaint { id } } } } }`;
const sp = async (id: string) => (await t.gql(SP, { id }, await t.token('finance'))).data.serviceProvider;
const entries = async (id: string) => (await t.gql(ENTRIES, { id }, await t.token('finance'))).data.spDepositEntries.edges.map((e: any) => e.node);

async function spCharge(spId: string, disputedAmountFen: number) {
  const c = (
    await openComplaint(t, { msisdn: nextMsisdn('153'), category: 'SP_CHARGE', description: '未定製的包月', spId, disputedAmountFen, regionCode: 'SHASHI' })
  ).data.openComplaint;
  return startAndResolve(t, c.id, { outcome: 'UPHELD', note: 'SP 無定製記錄' });
}

describe('SPs and their deposits', () => {
  it('an upheld SP_CHARGE complaint refunds twice the charge at once, from the deposit', async () => {
    const id = await createSp(10_000);
    const r = await spCharge(id, 1_500);
    expect(r.errors).toBeUndefined();
    expect(r.data.resolveComplaint.compensation).toMatchObject({
      status: 'CONFIRMED',
      basis: 'MULTIPLE',
      multiplier: 2,
      amountFen: 3_000,
      fromDepositFen: 3_000,
      advancedFen: 0,
    });
    expect(await sp(id)).toEqual({ depositFen: 7_000, debtFen: 0 });
    const [draw, lodge] = await entries(id);
    expect(lodge).toMatchObject({ kind: 'LODGE', grossFen: 10_000, amountFen: 10_000, debtFen: 0, balanceAfterFen: 10_000 });
    expect(draw).toMatchObject({
      kind: 'REFUND_DRAW',
      grossFen: 3_000,
      amountFen: -3_000,
      debtFen: 0,
      balanceAfterFen: 7_000,
      complaint: { id: r.data.resolveComplaint.id },
    });
    // Paid first: nothing waits for a second person, and the complaint can close at once.
    expect(
      (await t.gql(`mutation($id: ID!){ closeComplaint(id:$id){ state } }`, { id: r.data.resolveComplaint.id }, await t.token('service'))).data.closeComplaint
        .state,
    ).toBe('CLOSED');
  });

  it('a refund larger than the deposit: the branch pays the rest and the SP owes it; a top-up pays the debt off first', async () => {
    const id = await createSp(1_000);
    const r = await spCharge(id, 800);
    expect(r.data.resolveComplaint.compensation).toMatchObject({ amountFen: 1_600, fromDepositFen: 1_000, advancedFen: 600 });
    expect(await sp(id)).toEqual({ depositFen: 0, debtFen: 600 });
    const TOP = `mutation($i: DepositMovementInput!){ recordSpDepositMovement(input:$i){ kind grossFen amountFen debtFen balanceAfterFen } }`;
    const top = await t.gql(TOP, { i: { spId: id, kind: 'TOP_UP', amountFen: 5_000 } }, await t.token('service'));
    expect(top.data.recordSpDepositMovement).toEqual({ kind: 'TOP_UP', grossFen: 5_000, amountFen: 4_400, debtFen: -600, balanceAfterFen: 4_400 });
    expect(await sp(id)).toEqual({ depositFen: 4_400, debtFen: 0 });
    // A fine needs a reason; one larger than the deposit leaves debt too.
    expectError(await t.gql(TOP, { i: { spId: id, kind: 'FINE', amountFen: 100 } }, await t.token('service')), 'BAD_USER_INPUT', 'input.note');
    expectError(await t.gql(TOP, { i: { spId: id, kind: 'REFUND_DRAW', amountFen: 100 } }, await t.token('service')), 'BAD_USER_INPUT', 'input.kind');
    expectError(await t.gql(TOP, { i: { spId: id, kind: 'TOP_UP', amountFen: 0 } }, await t.token('service')), 'BAD_USER_INPUT', 'input.amountFen');
    const fine = await t.gql(TOP, { i: { spId: id, kind: 'FINE', amountFen: 5_000, note: '違規定製' } }, await t.token('service'));
    expect(fine.data.recordSpDepositMovement).toEqual({ kind: 'FINE', grossFen: 5_000, amountFen: -4_400, debtFen: 600, balanceAfterFen: 0 });
    expect(await sp(id)).toEqual({ depositFen: 0, debtFen: 600 });
  });

  it('concurrent refunds never overdraw the deposit; every fen is in the ledger', async () => {
    const id = await createSp(10_000);
    const complaints: string[] = [];
    for (let i = 0; i < 12; i++) {
      const c = (
        await openComplaint(t, {
          msisdn: nextMsisdn('153'),
          category: 'SP_CHARGE',
          description: '扣費',
          spId: id,
          disputedAmountFen: 700,
          regionCode: 'SHASHI',
        })
      ).data.openComplaint;
      await t.gql(`mutation($id: ID!){ startComplaint(id:$id){ state } }`, { id: c.id }, await t.token('service'));
      complaints.push(c.id);
    }
    const service = await t.token('service');
    const results = await Promise.all(
      complaints.map((cid) =>
        t.gql(
          `mutation($id: ID!, $i: ResolveComplaintInput!){ resolveComplaint(id:$id, input:$i){ compensation { amountFen fromDepositFen advancedFen } } }`,
          { id: cid, i: { outcome: 'UPHELD', note: '屬實' } },
          service,
        ),
      ),
    );
    expect(results.filter((r) => r.errors)).toEqual([]);
    const comps = results.map((r) => r.data.resolveComplaint.compensation);
    const fromDeposit = comps.reduce((s, c) => s + c.fromDepositFen, 0);
    const advanced = comps.reduce((s, c) => s + c.advancedFen, 0);
    // 12 refunds of 1,400 = 16,800: the deposit pays 10,000 exactly, the branch the other 6,800.
    expect(comps.every((c) => c.amountFen === 1_400 && c.fromDepositFen + c.advancedFen === 1_400)).toBe(true);
    expect(fromDeposit).toBe(10_000);
    expect(advanced).toBe(6_800);
    expect(await sp(id)).toEqual({ depositFen: 0, debtFen: 6_800 });
    const list = await entries(id);
    expect(list.every((e: any) => e.balanceAfterFen >= 0)).toBe(true);
    const check = await t.gql(`{ spDepositCheck { spId depositFen ledgerDepositFen debtFen ledgerDebtFen balanced } }`, {}, await t.token('auditor'));
    expect(check.data.spDepositCheck.every((c: any) => c.balanced)).toBe(true);
    expect(check.data.spDepositCheck.find((c: any) => c.spId === id)).toMatchObject({
      depositFen: 0,
      ledgerDepositFen: 0,
      debtFen: 6_800,
      ledgerDebtFen: 6_800,
    });
  });

  it('refuses a duplicate code and bad amounts', async () => {
    const code = `SP-DUP-${process.pid}`;
    const CREATE = `mutation($i: CreateServiceProviderInput!){ createServiceProvider(input:$i){ id } }`;
    expect((await t.gql(CREATE, { i: { code, name: 'a' } }, await t.token('service'))).errors).toBeUndefined();
    expectConflict(await t.gql(CREATE, { i: { code, name: 'b' } }, await t.token('service')), 'ALREADY_EXISTS');
    expectError(await t.gql(CREATE, { i: { code: 'SP-NEG', name: 'b', depositFen: -1 } }, await t.token('service')), 'BAD_USER_INPUT', 'input.depositFen');
    expectError(await t.gql(CREATE, { i: { code: 'SP-X', name: 'b' } }, await t.token('finance')), 'FORBIDDEN');
  });
});
