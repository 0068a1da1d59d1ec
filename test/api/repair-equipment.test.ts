import { startTestApp, TestApp, expectError, expectConflict } from '../helpers/app';
import { count, createPartner, partnerToken } from './repair-fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const REGISTER = `mutation($i: RegisterEquipmentInput!){ registerEquipment(input:$i){ id assetTag kind description valueFen status custodian { id } } }`;
const LEND = `mutation($e: ID!, $p: ID!, $n: String){ lendEquipment(equipmentId:$e, partnerId:$p, note:$n){ id status lentAt custodian { id code } } }`;
const RETURN = `mutation($e: ID!, $n: String){ returnEquipment(equipmentId:$e, note:$n){ id status lentAt custodian { id } } }`;
const ITEM = `query($id: ID!){ equipmentItem(id:$id){ id assetTag status custodian { id } custody { partner { id } valueFen lentAt lentBy returnedAt returnedBy note } } }`;
const LIST = `query($f: EquipmentFilter){ equipment(filter:$f, first: 200){ totalCount edges { node { id assetTag status custodian { id } } } } }`;

let tagSeq = 0;
async function register(valueFen = 500_000): Promise<string> {
  const res = await t.gql(REGISTER, { i: { assetTag: `eq-${++tagSeq}`, kind: 'BGA rework station', valueFen } }, await t.token('aftersales'));
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.registerEquipment.id;
}

describe('registerEquipment', () => {
  it('registers an item, available, with its tag upper-cased', async () => {
    const res = await t.gql(
      REGISTER,
      { i: { assetTag: 'eq-2005-01', kind: 'Software programmer', valueFen: 420000, description: 'CDMA flash box' } },
      await t.token('aftersales'),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.registerEquipment).toMatchObject({
      assetTag: 'EQ-2005-01',
      kind: 'Software programmer',
      valueFen: 420000,
      status: 'AVAILABLE',
      custodian: null,
    });
  });

  it('names the bad field, refuses a duplicate tag, and writes nothing', async () => {
    const staff = await t.token('aftersales');
    const before = await count(t, 'SELECT COUNT(*) AS n FROM equipment');
    const ok = { assetTag: 'EQ-BAD-1', kind: 'Microscope', valueFen: 100000 };
    for (const [patch, field] of [
      [{ assetTag: 'has space' }, 'input.assetTag'],
      [{ kind: '' }, 'input.kind'],
      [{ valueFen: 0 }, 'input.valueFen'],
      [{ valueFen: -100 }, 'input.valueFen'],
      [{ valueFen: 100_000_001 }, 'input.valueFen'],
    ] as const) {
      expectError(await t.gql(REGISTER, { i: { ...ok, ...patch } }, staff), 'BAD_USER_INPUT', field);
    }
    expect(await count(t, 'SELECT COUNT(*) AS n FROM equipment')).toBe(before);
    await t.gql(REGISTER, { i: ok }, staff);
    const dup = expectConflict(await t.gql(REGISTER, { i: { ...ok, assetTag: 'eq-bad-1' } }, staff), 'ALREADY_EXISTS');
    expect(dup.extensions.field).toBe('input.assetTag');
    expect(await count(t, 'SELECT COUNT(*) AS n FROM equipment')).toBe(before + 1);
  });

  it('is for after-sales staff only', async () => {
    const p = await createPartner(t);
    expectError(await t.gql(REGISTER, { i: { assetTag: 'EQ-X', kind: 'x', valueFen: 1 } }, await partnerToken(t, p.id)), 'FORBIDDEN');
    expectError(await t.gql(REGISTER, { i: { assetTag: 'EQ-X', kind: 'x', valueFen: 1 } }, await t.token('finance')), 'FORBIDDEN');
  });
});

describe('lending and returning', () => {
  it('lends to one partner at a time, with the custody history of who did what', async () => {
    const staff = await t.token('aftersales');
    const a = await createPartner(t);
    const b = await createPartner(t);
    const id = await register(680_000);
    const lent = await t.gql(LEND, { e: id, p: a.id, n: 'for the new hall' }, staff);
    expect(lent.data.lendEquipment).toMatchObject({ status: 'LENT', custodian: { id: a.id } });
    const again = expectConflict(await t.gql(LEND, { e: id, p: b.id }, staff), 'EQUIPMENT_ALREADY_LENT');
    expect(again.message).toContain(a.code);
    expectError(await t.gql(LEND, { e: id, p: a.id }, staff), 'CONFLICT');
    const back = await t.gql(RETURN, { e: id }, staff);
    expect(back.data.returnEquipment).toMatchObject({ status: 'AVAILABLE', lentAt: null, custodian: null });
    expectConflict(await t.gql(RETURN, { e: id }, staff), 'EQUIPMENT_NOT_LENT');
    await t.gql(LEND, { e: id, p: b.id }, staff);

    const item = (await t.gql(ITEM, { id }, staff)).data.equipmentItem;
    expect(item.custody).toHaveLength(2);
    expect(item.custody[0]).toMatchObject({ partner: { id: b.id }, valueFen: 680000, lentBy: 'aftersales', returnedAt: null, returnedBy: null });
    expect(item.custody[1]).toMatchObject({
      partner: { id: a.id },
      valueFen: 680000,
      lentBy: 'aftersales',
      returnedBy: 'aftersales',
      note: 'for the new hall',
    });
    expect(new Date(item.custody[1].returnedAt).getTime()).toBeLessThanOrEqual(new Date(item.custody[0].lentAt).getTime());
    // Subsidies read custody rows: exactly one open row per item.
    expect(await count(t, 'SELECT COUNT(*) AS n FROM equipment_custody WHERE equipmentId = ? AND returnedAt IS NULL', [id])).toBe(1);
  });

  it('refuses unknown items and partners, and partners that are not active', async () => {
    const staff = await t.token('aftersales');
    const p = await createPartner(t);
    const id = await register();
    expectError(await t.gql(LEND, { e: '99999999', p: p.id }, staff), 'NOT_FOUND');
    expectError(await t.gql(LEND, { e: id, p: '99999999' }, staff), 'NOT_FOUND');
    expectError(await t.gql(RETURN, { e: '99999999' }, staff), 'NOT_FOUND');
    expectError(await t.gql(LEND, { e: 'abc', p: p.id }, staff), 'BAD_USER_INPUT', 'equipmentId');
    await t.gql(`mutation($id: ID!){ setRepairPartnerStatus(id:$id, status: SUSPENDED, reason:"audit"){ id } }`, { id: p.id }, staff);
    expectConflict(await t.gql(LEND, { e: id, p: p.id }, staff), 'PARTNER_NOT_ACTIVE');
    expect((await t.gql(ITEM, { id }, staff)).data.equipmentItem.status).toBe('AVAILABLE');
    expect(await count(t, 'SELECT COUNT(*) AS n FROM equipment_custody WHERE equipmentId = ?', [id])).toBe(0);
  });

  it('lending and returning are for after-sales staff', async () => {
    const p = await createPartner(t);
    const id = await register();
    const token = await partnerToken(t, p.id);
    expectError(await t.gql(LEND, { e: id, p: p.id }, token), 'FORBIDDEN');
    await t.gql(LEND, { e: id, p: p.id }, await t.token('aftersales'));
    expectError(await t.gql(RETURN, { e: id }, token), 'FORBIDDEN');
  });
});

describe('the one-custodian rule under concurrency', () => {
  it('of 10 concurrent lends of one item to 10 partners exactly one wins; the rest are CONFLICT', async () => {
    const staff = await t.token('aftersales');
    const partners = await Promise.all(Array.from({ length: 10 }, () => createPartner(t)));
    for (let round = 0; round < 3; round++) {
      const id = await register();
      const results = await Promise.all(partners.map((p) => t.gql(LEND, { e: id, p: p.id }, staff)));
      const winners = results.filter((r) => !r.errors);
      const losers = results.filter((r) => r.errors);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(9);
      for (const r of losers) expect(r.errors![0].extensions.code).toBe('CONFLICT');
      const winner = winners[0].data.lendEquipment.custodian.id;
      const rows: { custodianPartnerId: number }[] = await t.app.ds.query('SELECT custodianPartnerId FROM equipment WHERE id = ?', [id]);
      expect(String(rows[0].custodianPartnerId)).toBe(winner);
      const custody: { partnerId: number }[] = await t.app.ds.query('SELECT partnerId FROM equipment_custody WHERE equipmentId = ?', [id]);
      expect(custody.map((c) => String(c.partnerId))).toEqual([winner]);
      expect(await count(t, "SELECT COUNT(*) AS n FROM change_log WHERE action = 'lendEquipment' AND entityId = ?", [id])).toBe(1);
    }
  });

  it('of concurrent returns of one item exactly one wins', async () => {
    const staff = await t.token('aftersales');
    const p = await createPartner(t);
    const id = await register();
    await t.gql(LEND, { e: id, p: p.id }, staff);
    const results = await Promise.all(Array.from({ length: 6 }, () => t.gql(RETURN, { e: id }, staff)));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    for (const r of results.filter((x) => x.errors)) expect(r.errors![0].extensions.code).toBe('CONFLICT');
    expect(await count(t, 'SELECT COUNT(*) AS n FROM equipment_custody WHERE equipmentId = ? AND returnedAt IS NOT NULL', [id])).toBe(1);
  });

  it('concurrent lends and returns never leave two open custodies', async () => {
    const staff = await t.token('aftersales');
    const partners = await Promise.all(Array.from({ length: 4 }, () => createPartner(t)));
    const id = await register();
    const calls = [];
    for (let i = 0; i < 12; i++) {
      calls.push(i % 3 === 2 ? t.gql(RETURN, { e: id }, staff) : t.gql(LEND, { e: id, p: partners[i % 4].id }, staff));
    }
    await Promise.all(calls);
    const open = await count(t, 'SELECT COUNT(*) AS n FROM equipment_custody WHERE equipmentId = ? AND returnedAt IS NULL', [id]);
    const rows: { custodianPartnerId: number | null }[] = await t.app.ds.query('SELECT custodianPartnerId FROM equipment WHERE id = ?', [id]);
    expect(open).toBe(rows[0].custodianPartnerId == null ? 0 : 1);
  });
});

describe('what a partner sees', () => {
  it('only the equipment it holds now, and only its own custody periods', async () => {
    const staff = await t.token('aftersales');
    const a = await createPartner(t);
    const b = await createPartner(t);
    const shared = await register();
    const bOnly = await register();
    const spare = await register();
    await t.gql(LEND, { e: shared, p: b.id }, staff);
    await t.gql(RETURN, { e: shared }, staff);
    await t.gql(LEND, { e: shared, p: a.id }, staff);
    await t.gql(LEND, { e: bOnly, p: b.id }, staff);

    const token = await partnerToken(t, a.id);
    const list = await t.gql(LIST, {}, token);
    expect(list.data.equipment.edges.map((e: any) => e.node.id)).toEqual([shared]);
    const item = (await t.gql(ITEM, { id: shared }, token)).data.equipmentItem;
    expect(item.custody.map((c: any) => c.partner.id)).toEqual([a.id]);
    expectError(await t.gql(ITEM, { id: bOnly }, token), 'NOT_FOUND');
    expectError(await t.gql(ITEM, { id: spare }, token), 'NOT_FOUND');
    expectError(await t.gql(LIST, { f: { custodianPartnerId: b.id } }, token), 'NOT_FOUND');
    const own = await t.gql(`query($id: ID!){ repairPartner(id:$id){ equipment { id } } }`, { id: a.id }, token);
    expect(own.data.repairPartner.equipment.map((e: any) => e.id)).toEqual([shared]);

    // Staff see everything, and filter.
    const lent = await t.gql(LIST, { f: { custodianPartnerId: b.id } }, staff);
    expect(lent.data.equipment.edges.map((e: any) => e.node.id)).toEqual([bOnly]);
    const available = await t.gql(LIST, { f: { status: 'AVAILABLE' } }, staff);
    expect(available.data.equipment.edges.map((e: any) => e.node.id)).toContain(spare);
    expect(available.data.equipment.edges.map((e: any) => e.node.id)).not.toContain(shared);
  });
});
