import { startTestApp, TestApp, expectError } from '../helpers/app';
import { count, createPartner, grant, partnerToken } from './repair-fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const CREATE = `mutation($i: CreateRepairPartnerInput!){ createRepairPartner(input:$i){
  id code name address premisesProvided monthlyWageSubsidyFen status region { code } contacts { name phone title primary } } }`;
const ONE = `query($id: ID!){ repairPartner(id:$id){ id code name status statusReason region { code } contacts { name primary } } }`;
const LIST = `query($f: RepairPartnerFilter, $first: Int, $after: String){ repairPartners(filter:$f, first:$first, after:$after){
  totalCount pageInfo { hasNextPage endCursor } edges { node { id code } } } }`;
const STATUS = `mutation($id: ID!, $s: PartnerStatus!, $r: String){ setRepairPartnerStatus(id:$id, status:$s, reason:$r){ id status statusReason } }`;

describe('createRepairPartner', () => {
  it('creates a partner with its contacts and its parts shelf, and logs the change', async () => {
    const staff = await t.token('aftersales');
    const res = await t.gql(
      CREATE,
      {
        i: {
          code: 'RP-91',
          name: '松滋順達手機維修部',
          regionCode: 'SONGZI',
          address: '新江口鎮 聯通營業廳內',
          premisesProvided: true,
          monthlyWageSubsidyFen: 100000,
          contacts: [
            { name: '張偉', phone: '13307160303', title: 'owner' },
            { name: '張師傅', phone: '0716-6220303', title: 'technician', primary: true },
          ],
        },
      },
      staff,
    );
    expect(res.errors).toBeUndefined();
    const p = res.data.createRepairPartner;
    expect(p).toMatchObject({ code: 'RP-91', status: 'ACTIVE', premisesProvided: true, monthlyWageSubsidyFen: 100000, region: { code: 'SONGZI' } });
    // The primary contact is listed first.
    expect(p.contacts.map((c: any) => [c.name, c.primary])).toEqual([
      ['張師傅', true],
      ['張偉', false],
    ]);
    expect(await count(t, `SELECT COUNT(*) AS n FROM stock_location WHERE partnerId = ? AND kind = 'PARTNER'`, [p.id])).toBe(1);
    const log = await t.gql(
      `query($id: ID){ changeLog(entityType:"RepairPartner", entityId:$id){ edges { node { action actorName } } } }`,
      { id: p.id },
      await t.token('admin'),
    );
    expect(log.data.changeLog.edges[0].node).toEqual({ action: 'createRepairPartner', actorName: 'aftersales' });
  });

  it('names the bad field and writes nothing', async () => {
    const staff = await t.token('aftersales');
    const before = await count(t, 'SELECT COUNT(*) AS n FROM repair_partner');
    const shelvesBefore = await count(t, 'SELECT COUNT(*) AS n FROM stock_location');
    const ok = { code: 'RP-92', name: 'Shop', regionCode: 'SHASHI' };
    const cases: [Record<string, unknown>, string][] = [
      [{ code: 'rp-92' }, 'input.code'],
      [{ name: '' }, 'input.name'],
      [{ name: '   ' }, 'input.name'],
      [{ regionCode: 'ATLANTIS' }, 'input.regionCode'],
      [{ monthlyWageSubsidyFen: -1 }, 'input.monthlyWageSubsidyFen'],
      [{ monthlyWageSubsidyFen: 10_000_001 }, 'input.monthlyWageSubsidyFen'],
      [{ contacts: [{ name: 'A', phone: 'call me' }] }, 'input.contacts.0.phone'],
      [
        {
          contacts: [
            { name: 'A', phone: '123456', primary: true },
            { name: 'B', phone: '123457', primary: true },
          ],
        },
        'input.contacts',
      ],
    ];
    for (const [patch, field] of cases) {
      expectError(await t.gql(CREATE, { i: { ...ok, ...patch } }, staff), 'BAD_USER_INPUT', field);
    }
    expect(await count(t, 'SELECT COUNT(*) AS n FROM repair_partner')).toBe(before);
    expect(await count(t, 'SELECT COUNT(*) AS n FROM stock_location')).toBe(shelvesBefore);
  });

  it('refuses a code in use with CONFLICT, and gives no second shelf', async () => {
    const p = await createPartner(t);
    const shelvesBefore = await count(t, 'SELECT COUNT(*) AS n FROM stock_location');
    const err = expectError(await t.gql(CREATE, { i: { code: p.code, name: 'Copy', regionCode: 'SHASHI' } }, await t.token('aftersales')), 'CONFLICT');
    expect(err.extensions.field).toBe('input.code');
    expect(await count(t, 'SELECT COUNT(*) AS n FROM stock_location')).toBe(shelvesBefore);
  });

  it('is for after-sales staff only', async () => {
    const p = await createPartner(t);
    const input = { i: { code: 'RP-93', name: 'Shop', regionCode: 'SHASHI' } };
    expectError(await t.gql(CREATE, input, await partnerToken(t, p.id)), 'FORBIDDEN');
    expectError(await t.gql(CREATE, input, await t.token('finance')), 'FORBIDDEN');
    expectError(await t.gql(CREATE, input), 'UNAUTHENTICATED');
    // Auditors and agency staff have no business with the repair network at all.
    expectError(await t.gql(LIST, {}, await t.token('auditor')), 'FORBIDDEN');
    expectError(await t.gql(LIST, {}, await t.token('staff')), 'FORBIDDEN');
  });
});

describe('reading partners', () => {
  it('a REPAIR_PARTNER reads its own partner only; another one is NOT_FOUND', async () => {
    const a = await createPartner(t);
    const b = await createPartner(t);
    const token = await partnerToken(t, a.id);
    const own = await t.gql(ONE, { id: a.id }, token);
    expect(own.data.repairPartner).toMatchObject({ id: a.id, code: a.code });
    const other = await t.gql(ONE, { id: b.id }, token);
    expectError(other, 'NOT_FOUND');
    expect(other.errors![0].message).not.toContain(b.code);
    const list = await t.gql(LIST, { first: 200 }, token);
    expect(list.data.repairPartners.totalCount).toBe(1);
    expect(list.data.repairPartners.edges.map((e: any) => e.node.id)).toEqual([a.id]);
    // A filter cannot widen the view.
    const filtered = await t.gql(LIST, { f: { search: b.code } }, token);
    expect(filtered.data.repairPartners.totalCount).toBe(0);
    expectError(await t.gql(ONE, { id: '99999999' }, token), 'NOT_FOUND');
  });

  it('filters by region, status and search, and pages by cursor', async () => {
    const staff = await t.token('aftersales');
    const h1 = await createPartner(t, { regionCode: 'HONGHU', name: 'Honghu Alpha' });
    const h2 = await createPartner(t, { regionCode: 'HONGHU', name: 'Honghu Beta' });
    const h3 = await createPartner(t, { regionCode: 'HONGHU', name: 'Honghu Gamma' });
    await t.gql(STATUS, { id: h2.id, s: 'SUSPENDED', r: 'late reports' }, staff);
    const region = await t.gql(LIST, { f: { regionCode: 'HONGHU' } }, staff);
    expect(region.data.repairPartners.edges.map((e: any) => e.node.id)).toEqual([h1.id, h2.id, h3.id]);
    const active = await t.gql(LIST, { f: { regionCode: 'HONGHU', status: 'ACTIVE' } }, staff);
    expect(active.data.repairPartners.edges.map((e: any) => e.node.id)).toEqual([h1.id, h3.id]);
    const search = await t.gql(LIST, { f: { search: 'Gamma' } }, staff);
    expect(search.data.repairPartners.edges.map((e: any) => e.node.id)).toEqual([h3.id]);
    const page1 = await t.gql(LIST, { f: { regionCode: 'HONGHU' }, first: 2 }, staff);
    expect(page1.data.repairPartners.pageInfo.hasNextPage).toBe(true);
    const page2 = await t.gql(LIST, { f: { regionCode: 'HONGHU' }, first: 2, after: page1.data.repairPartners.pageInfo.endCursor }, staff);
    expect(page2.data.repairPartners.edges.map((e: any) => e.node.id)).toEqual([h3.id]);
    expectError(await t.gql(LIST, { first: 201 }, staff), 'BAD_USER_INPUT', 'first');
    expectError(await t.gql(LIST, { f: { regionCode: 'NOWHERE' } }, staff), 'BAD_USER_INPUT', 'filter.regionCode');
  });

  it('finance reads partners (subsidies need them)', async () => {
    const p = await createPartner(t);
    const res = await t.gql(ONE, { id: p.id }, await t.token('finance'));
    expect(res.data.repairPartner.code).toBe(p.code);
  });
});

describe('updating partners', () => {
  const UPDATE = `mutation($id: ID!, $i: UpdateRepairPartnerInput!){ updateRepairPartner(id:$id, input:$i){ id name monthlyWageSubsidyFen region { code } contacts { name phone primary } } }`;

  it('changes the fields given and replaces the contacts', async () => {
    const staff = await t.token('aftersales');
    const p = await createPartner(t);
    await t.gql(UPDATE, { id: p.id, i: { contacts: [{ name: 'Old', phone: '111111' }] } }, staff);
    const res = await t.gql(
      UPDATE,
      { id: p.id, i: { name: 'Renamed', regionCode: 'JIANLI', monthlyWageSubsidyFen: 80000, contacts: [{ name: 'New', phone: '222222' }] } },
      staff,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.updateRepairPartner).toMatchObject({
      name: 'Renamed',
      monthlyWageSubsidyFen: 80000,
      region: { code: 'JIANLI' },
      contacts: [{ name: 'New', phone: '222222', primary: true }],
    });
    expectError(await t.gql(UPDATE, { id: '99999999', i: { name: 'x' } }, staff), 'NOT_FOUND');
    expectError(await t.gql(UPDATE, { id: p.id, i: { monthlyWageSubsidyFen: -5 } }, staff), 'BAD_USER_INPUT', 'input.monthlyWageSubsidyFen');
    expectError(await t.gql(UPDATE, { id: p.id, i: { name: 'x' } }, await partnerToken(t, p.id)), 'FORBIDDEN');
  });
});

describe('partner status', () => {
  it('suspends with a reason, reactivates, terminates for good', async () => {
    const staff = await t.token('aftersales');
    const p = await createPartner(t);
    expectError(await t.gql(STATUS, { id: p.id, s: 'SUSPENDED' }, staff), 'BAD_USER_INPUT', 'reason');
    expectError(await t.gql(STATUS, { id: p.id, s: 'ACTIVE' }, staff), 'CONFLICT');
    const s = await t.gql(STATUS, { id: p.id, s: 'SUSPENDED', r: 'customer complaints' }, staff);
    expect(s.data.setRepairPartnerStatus).toMatchObject({ status: 'SUSPENDED', statusReason: 'customer complaints' });
    expect((await t.gql(STATUS, { id: p.id, s: 'ACTIVE' }, staff)).data.setRepairPartnerStatus.status).toBe('ACTIVE');
    expect((await t.gql(STATUS, { id: p.id, s: 'TERMINATED', r: 'closed the shop' }, staff)).data.setRepairPartnerStatus.status).toBe('TERMINATED');
    expectError(await t.gql(STATUS, { id: p.id, s: 'ACTIVE' }, staff), 'CONFLICT');
  });

  it('will not terminate a partner that still holds lent equipment', async () => {
    const staff = await t.token('aftersales');
    const p = await createPartner(t);
    const eq = await t.gql(`mutation{ registerEquipment(input:{ assetTag:"EQ-PT-1", kind:"BGA rework station", valueFen: 500000 }){ id } }`, {}, staff);
    await t.gql(`mutation($e: ID!, $p: ID!){ lendEquipment(equipmentId:$e, partnerId:$p){ id } }`, { e: eq.data.registerEquipment.id, p: p.id }, staff);
    const err = expectError(await t.gql(STATUS, { id: p.id, s: 'TERMINATED', r: 'closing' }, staff), 'CONFLICT');
    expect(err.message).toMatch(/equipment/);
    await t.gql(`mutation($e: ID!){ returnEquipment(equipmentId:$e){ id } }`, { e: eq.data.registerEquipment.id }, staff);
    expect((await t.gql(STATUS, { id: p.id, s: 'TERMINATED', r: 'closing' }, staff)).data.setRepairPartnerStatus.status).toBe('TERMINATED');
  });
});

describe('nested partner lists', () => {
  const NESTED = `query($f: RepairPartnerFilter){ repairPartners(filter:$f, first: 200){ edges { node {
    id code region { code name }
    contacts { name }
    authorizations { certificateNo brand status partner { code region { code } } }
    prices { serviceType priceFen serviceName partner { code } history { priceFen } }
    equipment { assetTag custodian { code } custody { lentBy partner { code } } }
  } } } }`;

  async function richPartner(n: number) {
    const staff = await t.token('aftersales');
    const p = await createPartner(t, { regionCode: 'GONGAN' });
    await t.gql(
      `mutation($id: ID!){ updateRepairPartner(id:$id, input:{ contacts:[{ name:"A", phone:"123456" }, { name:"B", phone:"654321" }] }){ id } }`,
      { id: p.id },
      staff,
    );
    await grant(t, p.id, 'Samsung');
    await grant(t, p.id, 'Kyocera');
    await t.gql(
      `mutation($p: ID!){ a: setRepairPrice(partnerId:$p, serviceType:"SCREEN", priceFen: 15000){ id } b: setRepairPrice(partnerId:$p, serviceType:"BATTERY", priceFen: 5000){ id } }`,
      { p: p.id },
      staff,
    );
    const eq = await t.gql(
      `mutation($tag: String!){ registerEquipment(input:{ assetTag:$tag, kind:"Programmer", valueFen: 300000 }){ id } }`,
      { tag: `EQ-N-${n}` },
      staff,
    );
    await t.gql(`mutation($e: ID!, $p: ID!){ lendEquipment(equipmentId:$e, partnerId:$p){ id } }`, { e: eq.data.registerEquipment.id, p: p.id }, staff);
    return p;
  }

  it('runs the same number of SQL statements for 2 partners as for 6', async () => {
    const staff = await t.token('aftersales');
    for (let i = 0; i < 2; i++) await richPartner(i);
    t.sql.reset();
    const small = await t.gql(NESTED, { f: { regionCode: 'GONGAN' } }, staff);
    const smallCount = t.sql.count;
    expect(small.errors).toBeUndefined();
    expect(small.data.repairPartners.edges).toHaveLength(2);
    for (let i = 2; i < 6; i++) await richPartner(i);
    t.sql.reset();
    const big = await t.gql(NESTED, { f: { regionCode: 'GONGAN' } }, staff);
    const bigCount = t.sql.count;
    expect(big.errors).toBeUndefined();
    expect(big.data.repairPartners.edges).toHaveLength(6);
    const node = big.data.repairPartners.edges[5].node;
    expect(node.authorizations).toHaveLength(2);
    expect(node.prices).toHaveLength(2);
    expect(node.equipment[0].custody[0].partner.code).toBe(node.code);
    expect(bigCount).toBe(smallCount);
  });
});
