import { expectError, startTestApp, TestApp, expectConflict } from '../helpers/app';
import { imeiFromBody, meidWithCheckDigit } from '../../src/common/validators/serial';
import { allocatedLoaners, createPartner, nextImei, nextMeid, registerLoaners } from './loaner-fixtures';

let t: TestApp;
let staff: string;
beforeAll(async () => {
  t = await startTestApp();
  staff = await t.token('aftersales');
});
afterAll(() => t.stop());

const REGISTER = `mutation($i:[LoanerPhoneInput!]!){ registerLoanerPhones(input:$i){
  registered rejected results { index loaner { id serial serialKind brand model status partner { id } } errors { field message } } } }`;
const ALLOCATE = `mutation($p:ID!,$ids:[ID!]!){ allocateLoaners(partnerId:$p, loanerIds:$ids){ id status allocatedAt partner { id code } } }`;
const TAKE_BACK = `mutation($ids:[ID!]!,$r:String){ takeBackLoaners(loanerIds:$ids, reason:$r){ id status partner { id } } }`;
const PHONES = `query($f:LoanerPhoneFilter,$first:Int,$after:String){ loanerPhones(filter:$f, first:$first, after:$after){
  totalCount pageInfo { hasNextPage endCursor } edges { node { id serial status partner { id } } } } }`;
const PHONE = `query($id:ID!){ loanerPhone(id:$id){ id serial status partner { id } } }`;
const HISTORY = `query($id:ID!){ loanerHistory(loanerId:$id){ totalCount edges { node { type fromStatus toStatus actorName note partner { id } } } } }`;

async function countRows(table: string): Promise<number> {
  const rows = await t.app.ds.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(rows[0].n);
}

describe('registerLoanerPhones', () => {
  it('registers IMEIs and MEIDs into the pool, canonicalising the serial', async () => {
    const imei = imeiFromBody('35209911000001');
    const meid = 'a1000012345678';
    const res = await t.gql(
      REGISTER,
      {
        i: [
          { serial: `${imei.slice(0, 2)}-${imei.slice(2, 8)}-${imei.slice(8, 14)}-${imei[14]}`, brand: 'nokia', model: '3100' },
          { serial: meidWithCheckDigit(meid), brand: ' KYOCERA ', model: 'kz-820' },
          { serial: nextMeid(), brand: 'Samsung', model: 'SCH-X9000' },
        ],
      },
      staff,
    );
    expect(res.errors).toBeUndefined();
    const p = res.data.registerLoanerPhones;
    expect(p).toMatchObject({ registered: 3, rejected: 0 });
    expect(p.results[0].loaner).toMatchObject({ serial: imei, serialKind: 'IMEI', brand: 'Nokia', model: '3100', status: 'IN_POOL', partner: null });
    // Brand and model as the handset catalogue spells them; a model it does not know is kept as typed.
    expect(p.results[1].loaner).toMatchObject({ serial: 'A1000012345678', serialKind: 'MEID', brand: 'Kyocera', model: 'KZ-820' });
    expect(p.results[2].loaner).toMatchObject({ brand: 'Samsung', model: 'SCH-X9000' });
  });

  it('rejects bad serials item by item with the reason, and registers the rest', async () => {
    const good = nextImei();
    const badImei = good.slice(0, 14) + String((Number(good[14]) + 1) % 10);
    const goodMeid = nextMeid();
    const before = await countRows('loaner_phone');
    const res = await t.gql(
      REGISTER,
      {
        i: [
          { serial: good, brand: 'Motorola', model: 'E398' },
          { serial: badImei, brand: 'Motorola', model: 'E398' },
          { serial: '12345', brand: 'Motorola', model: 'E398' },
          { serial: 'A1000012G45678', brand: 'LG', model: 'C910' },
          { serial: meidWithCheckDigit(goodMeid).slice(0, 14) + (meidWithCheckDigit(goodMeid)[14] === 'F' ? 'E' : 'F'), brand: 'LG', model: 'C910' },
          { serial: nextImei(), brand: '', model: 'C910' },
          { serial: nextImei(), brand: 'LG', model: '   ' },
          { serial: nextMeid(), brand: 'Nokla', model: '2280' },
          { serial: nextImei(), brand: 'Samsung', model: 'SCH-X199' },
          { serial: nextMeid(), brand: 'NOKIA', model: '3100' },
        ],
      },
      staff,
    );
    expect(res.errors).toBeUndefined();
    const p = res.data.registerLoanerPhones;
    expect(p).toMatchObject({ registered: 1, rejected: 9 });
    expect(p.results[0].errors).toEqual([]);
    expect(p.results[0].loaner.serial).toBe(good);
    const errs = p.results.map((r: any) => r.errors);
    expect(errs[1]).toEqual([{ field: 'input.1.serial', message: expect.stringMatching(/IMEI: the check digit should be \d/) }]);
    expect(errs[2]).toEqual([{ field: 'input.2.serial', message: expect.stringMatching(/5 digits/) }]);
    expect(errs[3][0]).toMatchObject({ field: 'input.3.serial', message: expect.stringMatching(/hex/) });
    expect(errs[4][0]).toMatchObject({ field: 'input.4.serial', message: expect.stringMatching(/MEID: the check digit should be/) });
    expect(errs[5]).toEqual([{ field: 'input.5.brand', message: 'is required' }]);
    expect(errs[6]).toEqual([{ field: 'input.6.model', message: 'is required' }]);
    expect(errs[7]).toEqual([{ field: 'input.7.brand', message: 'unknown handset brand "Nokla" (see handsetBrands)' }]);
    expect(errs[8]).toEqual([{ field: 'input.8.serial', message: 'Samsung SCH-X199 is a CDMA handset, so its serial is a MEID' }]);
    expect(errs[9]).toEqual([{ field: 'input.9.serial', message: 'Nokia 3100 is a GSM handset, so its serial is an IMEI' }]);
    expect(p.results.slice(1).every((r: any) => r.loaner === null)).toBe(true);
    expect(await countRows('loaner_phone')).toBe(before + 1);
  });

  it('rejects a serial already registered, or listed twice (a MEID with and without its check digit is one handset)', async () => {
    const [id] = await registerLoaners(t, 1);
    const existing = (await t.gql(PHONE, { id }, staff)).data.loanerPhone.serial;
    const meid = nextMeid();
    const res = await t.gql(
      REGISTER,
      {
        i: [
          { serial: existing, brand: 'Kyocera', model: 'KX-9' },
          { serial: meid, brand: 'Kyocera', model: 'KX-9' },
          { serial: meidWithCheckDigit(meid), brand: 'Kyocera', model: 'KX-9' },
        ],
      },
      staff,
    );
    const p = res.data.registerLoanerPhones;
    expect(p).toMatchObject({ registered: 1, rejected: 2 });
    expect(p.results[0].errors[0]).toEqual({ field: 'input.0.serial', message: 'a loaner with this serial is already registered' });
    expect(p.results[1].loaner.serial).toBe(meid);
    expect(p.results[2].errors[0]).toEqual({ field: 'input.2.serial', message: 'is the same handset as input.1.serial' });
  });

  it('refuses an empty or oversized call, and roles other than after-sales', async () => {
    expectError(await t.gql(REGISTER, { i: [] }, staff), 'BAD_USER_INPUT', 'input');
    const many = Array.from({ length: 1001 }, () => ({ serial: nextImei(), brand: 'A', model: 'B' }));
    expectError(await t.gql(REGISTER, { i: many }, staff), 'BAD_USER_INPUT', 'input');
    for (const user of ['finance', 'auditor', 'staff']) {
      expectError(await t.gql(REGISTER, { i: [{ serial: nextImei(), brand: 'A', model: 'B' }] }, await t.token(user)), 'FORBIDDEN');
    }
    const p = await createPartner(t);
    const shop = await t.userToken('REPAIR_PARTNER', { repairPartnerId: p.id });
    expectError(await t.gql(REGISTER, { i: [{ serial: nextImei(), brand: 'A', model: 'B' }] }, shop), 'FORBIDDEN');
    expectError(await t.gql(REGISTER, { i: [{ serial: nextImei(), brand: 'A', model: 'B' }] }), 'UNAUTHENTICATED');
  });

  it("registers the document's 350 handsets in one call, with a change-log entry each", async () => {
    const items = Array.from({ length: 350 }, (_, i) =>
      i % 3 ? { serial: nextMeid(), brand: 'Hisense', model: 'C108' } : { serial: nextImei(), brand: 'Nokia', model: '3100' },
    );
    const logBefore = await countRows('change_log');
    const res = await t.gql(REGISTER, { i: items }, staff);
    expect(res.errors).toBeUndefined();
    expect(res.data.registerLoanerPhones).toMatchObject({ registered: 350, rejected: 0 });
    expect(await countRows('change_log')).toBe(logBefore + 350);
  });
});

describe('allocateLoaners and takeBackLoaners', () => {
  it('allocates pool loaners to a partner and takes them back, recording history', async () => {
    const p = await createPartner(t);
    const ids = await registerLoaners(t, 3);
    const res = await t.gql(ALLOCATE, { p: String(p.id), ids }, staff);
    expect(res.errors).toBeUndefined();
    expect(res.data.allocateLoaners.map((l: any) => l.id)).toEqual(ids);
    expect(res.data.allocateLoaners.every((l: any) => l.status === 'ALLOCATED' && l.partner.id === String(p.id) && l.allocatedAt)).toBe(true);

    const back = await t.gql(TAKE_BACK, { ids: [ids[0]], r: 'shop closing for renovation' }, staff);
    expect(back.data.takeBackLoaners).toEqual([{ id: ids[0], status: 'IN_POOL', partner: null }]);

    const h = await t.gql(HISTORY, { id: ids[0] }, staff);
    expect(h.data.loanerHistory.edges.map((e: any) => e.node)).toEqual([
      { type: 'REGISTERED', fromStatus: null, toStatus: 'IN_POOL', actorName: 'aftersales', note: null, partner: null },
      { type: 'ALLOCATED', fromStatus: 'IN_POOL', toStatus: 'ALLOCATED', actorName: 'aftersales', note: null, partner: { id: String(p.id) } },
      {
        type: 'TAKEN_BACK',
        fromStatus: 'ALLOCATED',
        toStatus: 'IN_POOL',
        actorName: 'aftersales',
        note: 'shop closing for renovation',
        partner: { id: String(p.id) },
      },
    ]);
    const log = await t.gql(
      `query($id:ID!){ changeLog(entityType:"LoanerPhone", entityId:$id){ edges { node { action actorName } } } }`,
      { id: ids[0] },
      await t.token('admin'),
    );
    expect(log.data.changeLog.edges.map((e: any) => e.node.action).sort()).toEqual(['allocateLoaner', 'registerLoanerPhone', 'takeBackLoaner']);
  });

  it('is all or nothing: one loaner not in the pool is CONFLICT and nothing moves', async () => {
    const a = await createPartner(t);
    const b = await createPartner(t);
    const taken = await allocatedLoaners(t, a.id, 1);
    const free = await registerLoaners(t, 2);
    const res = await t.gql(ALLOCATE, { p: String(b.id), ids: [free[0], taken[0], free[1]] }, staff);
    const err = expectConflict(res, 'TRANSITION_NOT_ALLOWED');
    expect(err.message).toMatch(/ALLOCATED/);
    expect(err.extensions.loanerIds).toEqual([taken[0]]);
    for (const id of free) expect((await t.gql(PHONE, { id }, staff)).data.loanerPhone).toMatchObject({ status: 'IN_POOL', partner: null });
    expect((await t.gql(PHONE, { id: taken[0] }, staff)).data.loanerPhone.partner.id).toBe(String(a.id));
  });

  it('names bad ids and refuses an unknown or inactive partner', async () => {
    const p = await createPartner(t);
    const [id] = await registerLoaners(t, 1);
    expectError(await t.gql(ALLOCATE, { p: String(p.id), ids: [id, '99999999'] }, staff), 'BAD_USER_INPUT', 'loanerIds.1');
    expectError(await t.gql(ALLOCATE, { p: String(p.id), ids: [id, id] }, staff), 'BAD_USER_INPUT', 'loanerIds.1');
    expectError(await t.gql(ALLOCATE, { p: String(p.id), ids: ['x'] }, staff), 'BAD_USER_INPUT', 'loanerIds.0');
    expectError(await t.gql(ALLOCATE, { p: String(p.id), ids: [] }, staff), 'BAD_USER_INPUT', 'loanerIds');
    expectError(await t.gql(ALLOCATE, { p: '99999999', ids: [id] }, staff), 'NOT_FOUND');
    const suspended = await createPartner(t, { status: 'SUSPENDED' });
    expectConflict(await t.gql(ALLOCATE, { p: String(suspended.id), ids: [id] }, staff), 'PARTNER_NOT_ACTIVE');
    expect((await t.gql(PHONE, { id }, staff)).data.loanerPhone.status).toBe('IN_POOL');
  });

  it('cannot take back a loaner that is not on a shelf', async () => {
    const [id] = await registerLoaners(t, 1);
    expectError(await t.gql(TAKE_BACK, { ids: [id] }, staff), 'CONFLICT');
  });

  it('is refused to partners and finance', async () => {
    const p = await createPartner(t);
    const ids = await registerLoaners(t, 1);
    const shop = await t.userToken('REPAIR_PARTNER', { repairPartnerId: p.id });
    expectError(await t.gql(ALLOCATE, { p: String(p.id), ids }, shop), 'FORBIDDEN');
    expectError(await t.gql(ALLOCATE, { p: String(p.id), ids }, await t.token('finance')), 'FORBIDDEN');
    expectError(await t.gql(TAKE_BACK, { ids }, shop), 'FORBIDDEN');
  });
});

describe('reading the pool', () => {
  it('filters by partner, status, centre, brand and serial prefix, with keyset pages', async () => {
    const p = await createPartner(t);
    const ids = await allocatedLoaners(t, p.id, 5);
    const byPartner = await t.gql(PHONES, { f: { partnerId: String(p.id) }, first: 2 }, staff);
    expect(byPartner.data.loanerPhones.totalCount).toBe(5);
    expect(byPartner.data.loanerPhones.pageInfo.hasNextPage).toBe(true);
    const page2 = await t.gql(PHONES, { f: { partnerId: String(p.id) }, first: 2, after: byPartner.data.loanerPhones.pageInfo.endCursor }, staff);
    const seen = [...byPartner.data.loanerPhones.edges, ...page2.data.loanerPhones.edges].map((e: any) => e.node.id);
    expect(seen).toEqual(ids.slice(0, 4));

    const serial = (await t.gql(PHONE, { id: ids[2] }, staff)).data.loanerPhone.serial;
    const bySerial = await t.gql(PHONES, { f: { serial: serial.slice(0, 14) } }, staff);
    expect(bySerial.data.loanerPhones.edges.map((e: any) => e.node.id)).toContain(ids[2]);
    const exact = await t.gql(PHONES, { f: { serial } }, staff);
    expect(exact.data.loanerPhones.edges.map((e: any) => e.node.id)).toEqual([ids[2]]);

    const pool = await t.gql(PHONES, { f: { atCentre: true, status: 'ALLOCATED' } }, staff);
    expect(pool.data.loanerPhones.totalCount).toBe(0);
    // By brand code or name: the fixture registers CDMA Kyoceras and GSM Nokias in turn.
    const kyocera = await t.gql(PHONES, { f: { brand: 'KYOCERA', partnerId: String(p.id) } }, staff);
    expect(kyocera.data.loanerPhones.totalCount).toBe(2);
    const nokia = await t.gql(PHONES, { f: { brand: 'Nokia', partnerId: String(p.id) } }, staff);
    expect(nokia.data.loanerPhones.totalCount).toBe(3);
    expectError(await t.gql(PHONES, { first: 201 }, staff), 'BAD_USER_INPUT', 'first');
  });

  it("a partner sees only its own loaners: another partner's by id is NOT_FOUND, by filter nothing", async () => {
    const a = await createPartner(t);
    const b = await createPartner(t);
    const mine = await allocatedLoaners(t, a.id, 2);
    const theirs = await allocatedLoaners(t, b.id, 2);
    const [pooled] = await registerLoaners(t, 1);
    const shopA = await t.userToken('REPAIR_PARTNER', { repairPartnerId: a.id });

    const all = await t.gql(PHONES, { first: 200 }, shopA);
    expect(all.data.loanerPhones.edges.map((e: any) => e.node.id)).toEqual(mine);
    expect(all.data.loanerPhones.totalCount).toBe(2);
    const other = await t.gql(PHONES, { f: { partnerId: String(b.id) } }, shopA);
    expect(other.data.loanerPhones).toMatchObject({ totalCount: 0, edges: [] });
    const pool = await t.gql(PHONES, { f: { atCentre: true } }, shopA);
    expect(pool.data.loanerPhones.totalCount).toBe(0);

    expect((await t.gql(PHONE, { id: mine[0] }, shopA)).data.loanerPhone.partner.id).toBe(String(a.id));
    const nf = expectError(await t.gql(PHONE, { id: theirs[0] }, shopA), 'NOT_FOUND');
    // The same answer as for an id that does not exist: existence does not leak.
    expect(nf.message).toBe(`LoanerPhone ${theirs[0]} not found`);
    expectError(await t.gql(PHONE, { id: pooled }, shopA), 'NOT_FOUND');
    expectError(await t.gql(HISTORY, { id: theirs[0] }, shopA), 'NOT_FOUND');

    // Partner B's events on its own loaner are hidden from A even after the loaner moves to A.
    await t.gql(TAKE_BACK, { ids: [theirs[1]] }, staff);
    await t.gql(ALLOCATE, { p: String(a.id), ids: [theirs[1]] }, staff);
    const h = await t.gql(HISTORY, { id: theirs[1] }, shopA);
    expect(h.data.loanerHistory.edges.map((e: any) => [e.node.type, e.node.partner.id])).toEqual([['ALLOCATED', String(a.id)]]);
  });

  it('finance reads the pool but not its history', async () => {
    const fin = await t.token('finance');
    expect((await t.gql(PHONES, { first: 1 }, fin)).errors).toBeUndefined();
    const [id] = await registerLoaners(t, 1);
    expectError(await t.gql(HISTORY, { id }, fin), 'FORBIDDEN');
    expectError(await t.gql(PHONES, { first: 1 }, await t.token('auditor')), 'FORBIDDEN');
  });

  it('summarises the pool by status and per partner', async () => {
    const p = await createPartner(t);
    await allocatedLoaners(t, p.id, 4);
    const q = `{ loanerSummary { total byStatus { status count } partners { partner { id code } total allocated onLoan inService lost overdueLoans depositsHeldFen } } }`;
    const all = await t.gql(q, {}, staff);
    const row = all.data.loanerSummary.partners.find((r: any) => r.partner.id === String(p.id));
    expect(row).toEqual({
      partner: { id: String(p.id), code: p.code },
      total: 4,
      allocated: 4,
      onLoan: 0,
      inService: 0,
      lost: 0,
      overdueLoans: 0,
      depositsHeldFen: 0,
    });
    const total = all.data.loanerSummary.byStatus.reduce((s: number, r: any) => s + r.count, 0);
    expect(total).toBe(all.data.loanerSummary.total);
    expect(total).toBe(await countRows('loaner_phone'));

    const shop = await t.userToken('REPAIR_PARTNER', { repairPartnerId: p.id });
    const own = await t.gql(q, {}, shop);
    expect(own.data.loanerSummary.total).toBe(4);
    expect(own.data.loanerSummary.partners.map((r: any) => r.partner.id)).toEqual([String(p.id)]);
  });
});

describe('service and write-off', () => {
  it('retires pool loaners with a reason; refuses one on a shelf', async () => {
    const p = await createPartner(t);
    const [onShelf] = await allocatedLoaners(t, p.id, 1);
    const [pooled] = await registerLoaners(t, 1);
    const RETIRE = `mutation($ids:[ID!]!,$r:String!){ retireLoaners(loanerIds:$ids, reason:$r){ id status } }`;
    expectError(await t.gql(RETIRE, { ids: [pooled], r: '  ' }, staff), 'BAD_USER_INPUT', 'reason');
    expectError(await t.gql(RETIRE, { ids: [onShelf], r: 'worn out' }, staff), 'CONFLICT');
    expect((await t.gql(RETIRE, { ids: [pooled], r: 'screen cracked beyond repair' }, staff)).data.retireLoaners).toEqual([{ id: pooled, status: 'RETIRED' }]);
    const SERVICE = `mutation($ids:[ID!]!){ completeLoanerService(loanerIds:$ids){ id status } }`;
    expectError(await t.gql(SERVICE, { ids: [pooled] }, staff), 'CONFLICT');
  });
});
