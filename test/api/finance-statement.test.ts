import { inTransaction } from '../../src/common/tx';
import { periodOf, previousPeriod } from '../../src/common/period';
import { lendEquipment, returnEquipment } from '../../src/modules/repair/equipment.service';
import { startTestApp, TestApp, expectError } from '../helpers/app';
import { createPartner, enableSqlCounter, GENERATE, record } from './subsidies.fixtures';

const LOANER_UNIT = 90_000;
const NOW = periodOf(new Date()).key;
const LAST = previousPeriod(NOW).key;

const LENT = `query($p: String!, $id: ID){ lentValues(period:$p, partnerId:$id){ partner { id code } period asOf equipmentCount equipmentValueFen
  loanersAllocated loanerUnitValueFen loanersValueFen fundOutstandingFen totalFen } }`;
const STATEMENT = `query($p: String!, $id: ID){ partnerStatement(period:$p, partnerId:$id){ partner { code name } period premisesProvided
  entries { type amountFen period } byType { key amountFen entries } subsidiesFen totalSupportFen
  lent { equipmentCount equipmentValueFen loanersAllocated loanersValueFen fundOutstandingFen totalFen } } }`;

/** A 15-digit IMEI with its Luhn check digit. */
function imei(body14: string): string {
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    let d = Number(body14[i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body14 + String((10 - (sum % 10)) % 10);
}

let t: TestApp;
let admin: string;
const ids: Record<string, string> = {};

async function ok(query: string, variables: Record<string, unknown>, token = admin) {
  const res = await t.gql(query, variables, token);
  if (res.errors) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(res.errors)}`);
  return res.data;
}

beforeAll(async () => {
  t = await startTestApp({ loanerUnitValueFen: LOANER_UNIT });
  admin = await t.token('admin');
  // Two partners through the repair module's API (they join today) ...
  const create = `mutation($i: CreateRepairPartnerInput!){ createRepairPartner(input:$i){ id } }`;
  ids.S1 = (
    await ok(create, { i: { code: 'SH-01', name: '沙市通達手機維修', regionCode: 'SHASHI', premisesProvided: true, monthlyWageSubsidyFen: 100_000 } })
  ).createRepairPartner.id;
  ids.S2 = (await ok(create, { i: { code: 'SH-02', name: '荊州宏信通訊維修', regionCode: 'JINGZHOU', monthlyWageSubsidyFen: 80_000 } })).createRepairPartner.id;
  // ... and one with a past, for values as at the end of months gone by.
  ids.H = String(await createPartner(t, { code: 'HX-01', name: '洪湖老店維修', regionId: 7, monthlyWageSubsidyFen: 0 }));

  // Equipment: one set with each partner, a second one lent to SH-01 and taken back.
  const register = `mutation($i: RegisterEquipmentInput!){ registerEquipment(input:$i){ id } }`;
  const eq = async (assetTag: string, valueFen: number) => (await ok(register, { i: { assetTag, kind: 'BGA rework station', valueFen } })).registerEquipment.id;
  const lend = `mutation($e: ID!, $p: ID!){ lendEquipment(equipmentId:$e, partnerId:$p){ id } }`;
  const a = await eq('EQ-A', 1_200_000);
  const b = await eq('EQ-B', 350_000);
  const c = await eq('EQ-C', 800_000);
  ids.EQH = await eq('EQ-H', 500_000);
  await ok(lend, { e: a, p: ids.S1 });
  await ok(lend, { e: b, p: ids.S1 });
  await ok(`mutation($e: ID!){ returnEquipment(equipmentId:$e){ id } }`, { e: b });
  await ok(lend, { e: c, p: ids.S2 });

  // Loaners: three to SH-01 (one taken back), two to SH-02.
  const reg = await ok(`mutation($i: [LoanerPhoneInput!]!){ registerLoanerPhones(input:$i){ registered results { loaner { id } } } }`, {
    i: ['35123456000001', '35123456000002', '35123456000003', '35123456000004', '35123456000005'].map((s) => ({
      serial: imei(s),
      brand: 'Samsung',
      model: 'SGH-E708',
    })),
  });
  expect(reg.registerLoanerPhones.registered).toBe(5);
  const loaners: string[] = reg.registerLoanerPhones.results.map((r: any) => r.loaner.id);
  const allocate = `mutation($p: ID!, $l: [ID!]!){ allocateLoaners(partnerId:$p, loanerIds:$l){ id } }`;
  await ok(allocate, { p: ids.S1, l: loaners.slice(0, 3) });
  await ok(allocate, { p: ids.S2, l: loaners.slice(3) });
  await ok(`mutation($l: [ID!]!){ takeBackLoaners(loanerIds:$l){ id } }`, { l: [loaners[2]] });
  // One of SH-01's two is out with a customer: still lent to SH-01.
  const order = await ok(`mutation($i: OpenRepairOrderInput!){ openRepairOrder(input:$i){ id } }`, {
    i: {
      partnerId: ids.S1,
      customerMsisdn: '13307161234',
      brand: 'SAMSUNG',
      model: 'SGH-E708',
      serial: imei('35123456000099'),
      fault: '不開機',
      outOfAuthorization: true,
      outOfAuthorizationReason: 'test order',
    },
  });
  await ok(`mutation($i: LendLoanerInput!){ lendLoaner(input:$i){ id } }`, {
    i: { loanerId: loaners[0], repairOrderId: order.openRepairOrder.id, depositFen: 20_000, dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString() },
  });

  // Parts on the revolving fund: 10 × 25 yuan to SH-01 (5,000 fen repaid), 4 × 25 yuan to SH-02.
  const suppliers = (await ok(`{ suppliers(first: 1) { edges { node { id } } } }`, {})).suppliers.edges.map((e: any) => e.node);
  const part = (
    await ok(`mutation($i: CreatePartInput!){ createPart(input:$i){ id } }`, {
      i: { sku: 'BAT-X199', name: 'SCH-X199 電池', category: 'BATTERY', unitCostFen: 2_500 },
    })
  ).createPart.id;
  await ok(`mutation($i: ReceivePurchaseInput!){ receivePurchase(input:$i){ id } }`, {
    i: { supplierId: suppliers[0].id, lines: [{ partId: part, quantity: 100, unitCostFen: 2_500 }] },
  });
  const issue = `mutation($i: IssuePartsInput!){ issueParts(input:$i){ id } }`;
  await ok(issue, { i: { partnerId: ids.S1, lines: [{ partId: part, quantity: 10 }] } });
  await ok(issue, { i: { partnerId: ids.S2, lines: [{ partId: part, quantity: 4 }] } });
  await ok(`mutation($p: ID!){ recordFundRepayment(partnerId:$p, amountFen: 5000, reference: "BANK-1"){ id } }`, { p: ids.S1 });

  // Cash subsidies of this month.
  const finance = await t.token('finance');
  await ok(GENERATE, { p: NOW }, finance);
  await record(t, finance, { partnerId: ids.S1, type: 'PREMISES', period: NOW, amountFen: 150_000, note: '營業廳場地免租' });
  await record(t, finance, { partnerId: ids.S2, type: 'OTHER', period: LAST, amountFen: 7_000 });
});
afterAll(() => t.stop());

const S1_LENT = { equipmentCount: 1, equipmentValueFen: 1_200_000, loanersAllocated: 2, loanersValueFen: 2 * LOANER_UNIT, fundOutstandingFen: 20_000 };
const S2_LENT = { equipmentCount: 1, equipmentValueFen: 800_000, loanersAllocated: 2, loanersValueFen: 2 * LOANER_UNIT, fundOutstandingFen: 10_000 };

describe('lentValues', () => {
  it('values equipment in custody, loaners allocated and fund outstanding per partner', async () => {
    const rows = (await ok(LENT, { p: NOW }, await t.token('finance'))).lentValues;
    expect(rows.map((r: any) => r.partner.code)).toEqual(['HX-01', 'SH-01', 'SH-02']);
    const [h, s1, s2] = rows;
    expect(s1).toMatchObject({ ...S1_LENT, loanerUnitValueFen: LOANER_UNIT, totalFen: 1_200_000 + 2 * LOANER_UNIT + 20_000, period: NOW });
    expect(s2).toMatchObject({ ...S2_LENT, totalFen: 800_000 + 2 * LOANER_UNIT + 10_000 });
    expect(h).toMatchObject({ equipmentCount: 0, loanersAllocated: 0, fundOutstandingFen: 0, totalFen: 0 });
    // The month under way is valued now, not at its end.
    expect(new Date(s1.asOf).getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('values a past month as at its end', async () => {
    await inTransaction(t.app.ds, async (em) => {
      const actor = { id: 1, username: 'admin', role: 'ADMIN' as never, repairPartnerId: null, agentId: null };
      await lendEquipment(em, actor, Number(ids.EQH), Number(ids.H), 'winter lending', new Date('2005-01-10T02:00:00Z'));
      await returnEquipment(em, actor, Number(ids.EQH), 'back in March', new Date('2005-03-05T02:00:00Z'));
    });
    const at = async (p: string) => (await ok(LENT, { p, id: ids.H }, await t.token('finance'))).lentValues;
    expect(await at('2004-12')).toMatchObject([{ equipmentCount: 0, totalFen: 0 }]);
    expect(await at('2005-01')).toMatchObject([{ equipmentCount: 1, equipmentValueFen: 500_000, totalFen: 500_000, asOf: '2005-01-31T16:00:00.000Z' }]);
    expect(await at('2005-02')).toMatchObject([{ equipmentCount: 1, equipmentValueFen: 500_000 }]);
    expect(await at('2005-03')).toMatchObject([{ equipmentCount: 0, equipmentValueFen: 0 }]);
    // Partners that joined later are not listed for months before they existed.
    expect((await ok(LENT, { p: '2005-02' }, await t.token('finance'))).lentValues.map((r: any) => r.partner.code)).toEqual(['HX-01']);
  });

  it('shows a REPAIR_PARTNER its own row only', async () => {
    const shop = await t.userToken('REPAIR_PARTNER', { repairPartnerId: ids.S2 });
    const rows = (await ok(LENT, { p: NOW }, shop)).lentValues;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ partner: { code: 'SH-02' }, ...S2_LENT });
    expectError(await t.gql(LENT, { p: NOW, id: ids.S1 }, shop), 'NOT_FOUND');
  });

  it('refuses other roles, a future month and a bad period', async () => {
    expectError(await t.gql(LENT, { p: NOW }, await t.token('auditor')), 'FORBIDDEN');
    expectError(await t.gql(LENT, { p: '2999-01' }, await t.token('finance')), 'BAD_USER_INPUT', 'period');
    expectError(await t.gql(LENT, { p: 'May 2005' }, await t.token('finance')), 'BAD_USER_INPUT', 'period');
  });

  it('runs the same statements for one partner or all of them', async () => {
    enableSqlCounter(t);
    const finance = await t.token('finance');
    t.sql.reset();
    await ok(LENT, { p: NOW, id: ids.S1 }, finance);
    const one = t.sql.count;
    t.sql.reset();
    await ok(LENT, { p: NOW }, finance);
    expect(t.sql.count).toBe(one);
  });
});

describe('partnerStatement', () => {
  it('gives everything the branch gave a partner in a month: cash by type and what it lends', async () => {
    const st = (await ok(STATEMENT, { p: NOW, id: ids.S1 }, await t.token('finance'))).partnerStatement;
    expect(st).toMatchObject({ partner: { code: 'SH-01', name: '沙市通達手機維修' }, period: NOW, premisesProvided: true });
    expect(st.entries.map((e: any) => [e.type, e.amountFen])).toEqual([
      ['WAGE', 100_000],
      ['PREMISES', 150_000],
    ]);
    expect(st.byType).toEqual([
      { key: 'WAGE', amountFen: 100_000, entries: 1 },
      { key: 'PREMISES', amountFen: 150_000, entries: 1 },
    ]);
    const lentTotal = 1_200_000 + 2 * LOANER_UNIT + 20_000;
    expect(st.subsidiesFen).toBe(250_000);
    expect(st.lent).toMatchObject({ ...S1_LENT, totalFen: lentTotal });
    expect(st.totalSupportFen).toBe(250_000 + lentTotal);
  });

  it('gives a month without entries as zero cash', async () => {
    const st = (await ok(STATEMENT, { p: LAST, id: ids.S1 }, await t.token('aftersales'))).partnerStatement;
    expect(st).toMatchObject({ entries: [], byType: [], subsidiesFen: 0 });
  });

  it('lets a REPAIR_PARTNER read its own statement only', async () => {
    const shop = await t.userToken('REPAIR_PARTNER', { repairPartnerId: ids.S2 });
    const own = (await ok(STATEMENT, { p: LAST }, shop)).partnerStatement;
    expect(own).toMatchObject({ partner: { code: 'SH-02' }, subsidiesFen: 7_000 });
    expect((await ok(STATEMENT, { p: NOW, id: ids.S2 }, shop)).partnerStatement.subsidiesFen).toBe(80_000);
    // Another partner's statement does not exist for it, whether the id is real or not.
    const other = expectError(await t.gql(STATEMENT, { p: NOW, id: ids.S1 }, shop), 'NOT_FOUND');
    const ghost = expectError(await t.gql(STATEMENT, { p: NOW, id: '999999' }, shop), 'NOT_FOUND');
    expect(other.message.replace(ids.S1, 'N')).toBe(ghost.message.replace('999999', 'N'));
  });

  it('names what is missing or wrong', async () => {
    const finance = await t.token('finance');
    expectError(await t.gql(STATEMENT, { p: NOW }, finance), 'BAD_USER_INPUT', 'partnerId');
    expectError(await t.gql(STATEMENT, { p: NOW, id: '999999' }, finance), 'NOT_FOUND');
    expectError(await t.gql(STATEMENT, { p: '2005/01', id: ids.S1 }, finance), 'BAD_USER_INPUT', 'period');
    expectError(await t.gql(STATEMENT, { p: '2999-01', id: ids.S1 }, finance), 'BAD_USER_INPUT', 'period');
    expectError(await t.gql(STATEMENT, { p: NOW, id: ids.S1 }, await t.token('staff')), 'FORBIDDEN');
  });
});
