import { startTestApp, TestApp, expectError } from '../helpers/app';
import { grantBrandAuthorization } from '../../src/modules/repair/authorization.service';
import { GrantedVia } from '../../src/modules/repair/brand-authorization.entity';
import { DAY, count, createPartner, grant, isoIn, partnerToken, staffActor, tx } from './repair-fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const GRANT = `mutation($p: ID!, $i: GrantBrandAuthorizationInput!){ grantBrandAuthorization(partnerId:$p, input:$i){
  id certificateNo brand brandCode grantedVia grantorName validFrom validTo status revokedAt partner { id } } }`;
const REVOKE = `mutation($id: ID!, $r: String!){ revokeBrandAuthorization(id:$id, reason:$r){ id status revokedAt revokeReason } }`;
const COVERAGE = `query($r: String, $n: Network){ brandCoverage(regionCode:$r, network:$n){ regionCode network brands { brand brandCode partners { id code } } uncoveredBrands } }`;
const EXPIRING = `query($d: Int!){ expiringAuthorizations(withinDays:$d, first: 200){ totalCount edges { node { id certificateNo validTo partner { id } } } } }`;
const LIST = `query($f: BrandAuthorizationFilter){ brandAuthorizations(filter:$f, first: 200){ totalCount edges { node { id status partner { id } } } } }`;

const CDMA_BRANDS = ['Alcatel', 'Hisense', 'Huawei', 'Kyocera', 'LG', 'Motorola', 'Nokia', 'Samsung', 'ZTE'];

/** A certificate that was valid in the past and has run out: granted through the service as of a year ago. */
async function expiredAuthorization(partnerId: string, brand: string) {
  const actor = await staffActor(t);
  const yearAgo = new Date(Date.now() - 365 * DAY);
  return tx(t, (em) =>
    grantBrandAuthorization(
      em,
      actor,
      Number(partnerId),
      { brand, certificateNo: `OLD-${brand}-${partnerId}`, validFrom: yearAgo, validTo: new Date(Date.now() - 30 * DAY), grantedVia: GrantedVia.MANUFACTURER },
      yearAgo,
    ),
  );
}

describe('grantBrandAuthorization', () => {
  it('records a certificate, valid today', async () => {
    const p = await createPartner(t);
    const res = await t.gql(
      GRANT,
      {
        p: p.id,
        i: {
          brand: 'kyocera',
          certificateNo: ' KY-2005-001 ',
          validFrom: isoIn(-DAY),
          validTo: isoIn(300 * DAY),
          grantedVia: 'DISTRIBUTOR',
          grantorName: '武漢中郵普泰',
        },
      },
      await t.token('aftersales'),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.grantBrandAuthorization).toMatchObject({
      certificateNo: 'KY-2005-001',
      brand: 'Kyocera',
      brandCode: 'KYOCERA',
      grantedVia: 'DISTRIBUTOR',
      grantorName: '武漢中郵普泰',
      status: 'VALID',
      revokedAt: null,
      partner: { id: p.id },
    });
  });

  it('names the bad field and writes nothing', async () => {
    const staff = await t.token('aftersales');
    const p = await createPartner(t);
    const before = await count(t, 'SELECT COUNT(*) AS n FROM brand_authorization');
    const ok = { brand: 'Samsung', certificateNo: 'X-1', validFrom: isoIn(-DAY), validTo: isoIn(100 * DAY), grantedVia: 'MANUFACTURER' };
    const cases: [Record<string, unknown>, string][] = [
      [{ brand: 'Nokla' }, 'input.brand'],
      [{ certificateNo: '' }, 'input.certificateNo'],
      [{ certificateNo: '   ' }, 'input.certificateNo'],
      [{ validTo: isoIn(-2 * DAY) }, 'input.validTo'],
      [{ validFrom: isoIn(-10 * DAY), validTo: isoIn(-5 * DAY) }, 'input.validTo'],
      [{ validTo: isoIn(20 * 365 * DAY) }, 'input.validTo'],
    ];
    for (const [patch, field] of cases) expectError(await t.gql(GRANT, { p: p.id, i: { ...ok, ...patch } }, staff), 'BAD_USER_INPUT', field);
    expectError(await t.gql(GRANT, { p: '99999999', i: ok }, staff), 'NOT_FOUND');
    expect(await count(t, 'SELECT COUNT(*) AS n FROM brand_authorization')).toBe(before);
  });

  it('refuses a certificate number already recorded for the brand, and a terminated partner', async () => {
    const staff = await t.token('aftersales');
    const p = await createPartner(t);
    await grant(t, p.id, 'LG', { certificateNo: 'LG-DUP-1' });
    const dup = expectError(
      await t.gql(
        GRANT,
        { p: p.id, i: { brand: 'LG', certificateNo: 'LG-DUP-1', validFrom: isoIn(0), validTo: isoIn(DAY * 30), grantedVia: 'MANUFACTURER' } },
        staff,
      ),
      'CONFLICT',
    );
    expect(dup.extensions.field).toBe('input.certificateNo');
    // Another brand may use the same number.
    await grant(t, p.id, 'ZTE', { certificateNo: 'LG-DUP-1' });
    const q = await createPartner(t);
    await t.gql(`mutation($id: ID!){ setRepairPartnerStatus(id:$id, status: TERMINATED, reason:"closed"){ id } }`, { id: q.id }, staff);
    expectError(
      await t.gql(
        GRANT,
        { p: q.id, i: { brand: 'LG', certificateNo: 'LG-T-1', validFrom: isoIn(0), validTo: isoIn(DAY * 30), grantedVia: 'MANUFACTURER' } },
        staff,
      ),
      'CONFLICT',
    );
  });

  it('is for after-sales staff only', async () => {
    const p = await createPartner(t);
    const input = { p: p.id, i: { brand: 'LG', certificateNo: 'SELF-1', validFrom: isoIn(0), validTo: isoIn(DAY * 30), grantedVia: 'MANUFACTURER' } };
    expectError(await t.gql(GRANT, input, await partnerToken(t, p.id)), 'FORBIDDEN');
    expectError(await t.gql(GRANT, input, await t.token('finance')), 'FORBIDDEN');
  });
});

describe('revokeBrandAuthorization', () => {
  it('revokes once, with a reason', async () => {
    const staff = await t.token('aftersales');
    const p = await createPartner(t);
    const a = await grant(t, p.id, 'Hisense');
    expectError(await t.gql(REVOKE, { id: a.id, r: '  ' }, staff), 'BAD_USER_INPUT', 'reason');
    const res = await t.gql(REVOKE, { id: a.id, r: 'non-original parts' }, staff);
    expect(res.data.revokeBrandAuthorization).toMatchObject({ status: 'REVOKED', revokeReason: 'non-original parts' });
    expect(res.data.revokeBrandAuthorization.revokedAt).toBeTruthy();
    expectError(await t.gql(REVOKE, { id: a.id, r: 'again' }, staff), 'CONFLICT');
    expectError(await t.gql(REVOKE, { id: '99999999', r: 'x' }, staff), 'NOT_FOUND');
    expectError(await t.gql(REVOKE, { id: a.id, r: 'x' }, await partnerToken(t, p.id)), 'FORBIDDEN');
  });
});

describe('brandCoverage', () => {
  it('lists, per CDMA brand, the active partners authorized today, and the brands nobody covers', async () => {
    const staff = await t.token('aftersales');
    // A fresh region of our own so other tests' partners do not interfere.
    const a = await createPartner(t, { regionCode: 'SHISHOU' });
    const b = await createPartner(t, { regionCode: 'SHISHOU' });
    const c = await createPartner(t, { regionCode: 'SHISHOU' });
    const suspended = await createPartner(t, { regionCode: 'SHISHOU' });
    const elsewhere = await createPartner(t, { regionCode: 'JIANGLING' });
    await grant(t, a.id, 'Samsung');
    await grant(t, b.id, 'Samsung');
    await grant(t, b.id, 'Kyocera');
    const revoked = await grant(t, c.id, 'Motorola');
    await t.gql(REVOKE, { id: revoked.id, r: 'withdrawn' }, staff);
    await expiredAuthorization(c.id, 'LG');
    await grant(t, c.id, 'Nokia', { validFrom: isoIn(10 * DAY), validTo: isoIn(400 * DAY) }); // not yet valid
    await grant(t, suspended.id, 'ZTE');
    await t.gql(`mutation($id: ID!){ setRepairPartnerStatus(id:$id, status: SUSPENDED, reason:"audit"){ id } }`, { id: suspended.id }, staff);
    await grant(t, elsewhere.id, 'Huawei');

    const res = await t.gql(COVERAGE, { r: 'SHISHOU' }, staff);
    expect(res.errors).toBeUndefined();
    const cov = res.data.brandCoverage;
    expect(cov.regionCode).toBe('SHISHOU');
    expect(cov.network).toBe('CDMA');
    expect(cov.brands.map((x: any) => x.brand)).toEqual(CDMA_BRANDS);
    const partnersOf = (brand: string) => cov.brands.find((x: any) => x.brand === brand).partners.map((p: any) => p.id);
    expect(partnersOf('Samsung')).toEqual([a.id, b.id]);
    expect(partnersOf('Kyocera')).toEqual([b.id]);
    expect(cov.uncoveredBrands).toEqual(['Alcatel', 'Hisense', 'Huawei', 'LG', 'Motorola', 'Nokia', 'ZTE']);

    // Across all regions Huawei is covered by the Jiangling partner.
    const all = (await t.gql(COVERAGE, {}, staff)).data.brandCoverage;
    expect(all.regionCode).toBeNull();
    expect(all.brands.find((x: any) => x.brand === 'Huawei').partners.map((p: any) => p.id)).toContain(elsewhere.id);
    expect(all.uncoveredBrands).not.toContain('Huawei');
    expect(all.uncoveredBrands).not.toContain('Samsung');

    // GSM-only brands appear only when GSM is asked for.
    const gsm = (await t.gql(COVERAGE, { r: 'SHISHOU', n: 'GSM' }, staff)).data.brandCoverage;
    expect(gsm.brands.map((x: any) => x.brand)).toEqual(expect.arrayContaining(['Sony Ericsson', 'Siemens', 'Bird', 'Samsung']));
    expect(gsm.brands.map((x: any) => x.brand)).not.toContain('Kyocera');
  });

  it('names an unknown region, and is staff-only', async () => {
    const staff = await t.token('aftersales');
    expectError(await t.gql(COVERAGE, { r: 'ATLANTIS' }, staff), 'BAD_USER_INPUT', 'regionCode');
    const p = await createPartner(t);
    expectError(await t.gql(COVERAGE, {}, await partnerToken(t, p.id)), 'FORBIDDEN');
    expect((await t.gql(COVERAGE, {}, await t.token('finance'))).errors).toBeUndefined();
  });

  it('runs a constant number of statements whatever the number of partners', async () => {
    const staff = await t.token('aftersales');
    t.sql.reset();
    await t.gql(COVERAGE, {}, staff);
    const first = t.sql.count;
    for (let i = 0; i < 3; i++) {
      const p = await createPartner(t, { regionCode: 'JIANGLING' });
      await grant(t, p.id, 'Alcatel');
    }
    t.sql.reset();
    await t.gql(COVERAGE, {}, staff);
    expect(t.sql.count).toBe(first);
  });
});

describe('expiringAuthorizations', () => {
  it('lists what runs out within the days asked and has not been renewed, soonest first', async () => {
    const staff = await t.token('aftersales');
    const p = await createPartner(t);
    const soon = await grant(t, p.id, 'Alcatel', { validTo: isoIn(10 * DAY) });
    const later = await grant(t, p.id, 'Hisense', { validTo: isoIn(40 * DAY) });
    // Renewed: a later-ending certificate for the same brand exists.
    const renewedOld = await grant(t, p.id, 'Huawei', { validTo: isoIn(5 * DAY) });
    await grant(t, p.id, 'Huawei', { validFrom: isoIn(5 * DAY), validTo: isoIn(400 * DAY) });
    // Revoked: nothing to renew.
    const revoked = await grant(t, p.id, 'ZTE', { validTo: isoIn(3 * DAY) });
    await t.gql(REVOKE, { id: revoked.id, r: 'withdrawn' }, staff);
    await expiredAuthorization(p.id, 'Nokia');

    const mine = (ids: any[]) => ids.filter((e: any) => e.node.partner.id === p.id).map((e: any) => e.node.id);
    const in30 = await t.gql(EXPIRING, { d: 30 }, staff);
    expect(in30.errors).toBeUndefined();
    expect(mine(in30.data.expiringAuthorizations.edges)).toEqual([soon.id]);
    const in60 = await t.gql(EXPIRING, { d: 60 }, staff);
    expect(mine(in60.data.expiringAuthorizations.edges)).toEqual([soon.id, later.id]);
    expect(mine(in60.data.expiringAuthorizations.edges)).not.toContain(renewedOld.id);

    // The partner sees its own; another partner sees none of them.
    const own = await t.gql(EXPIRING, { d: 60 }, await partnerToken(t, p.id));
    expect(own.data.expiringAuthorizations.edges.map((e: any) => e.node.id)).toEqual([soon.id, later.id]);
    const q = await createPartner(t);
    const other = await t.gql(EXPIRING, { d: 366 }, await partnerToken(t, q.id));
    expect(other.data.expiringAuthorizations.totalCount).toBe(0);
  });

  it('takes 1 to 366 days', async () => {
    const staff = await t.token('aftersales');
    expectError(await t.gql(EXPIRING, { d: 0 }, staff), 'BAD_USER_INPUT', 'withinDays');
    expectError(await t.gql(EXPIRING, { d: 367 }, staff), 'BAD_USER_INPUT', 'withinDays');
    expectError(await t.gql(EXPIRING, { d: -3 }, staff), 'BAD_USER_INPUT', 'withinDays');
  });
});

describe('reading authorizations', () => {
  it("a partner reads only its own; another partner's by id is NOT_FOUND, by filter FORBIDDEN", async () => {
    const a = await createPartner(t);
    const b = await createPartner(t);
    const mineAuth = await grant(t, a.id, 'Samsung');
    const theirs = await grant(t, b.id, 'Samsung');
    const token = await partnerToken(t, a.id);
    const list = await t.gql(LIST, {}, token);
    expect(list.data.brandAuthorizations.edges.map((e: any) => e.node.id)).toEqual([mineAuth.id]);
    expectError(await t.gql(`query($id: ID!){ brandAuthorization(id:$id){ id } }`, { id: theirs.id }, token), 'NOT_FOUND');
    expect((await t.gql(`query($id: ID!){ brandAuthorization(id:$id){ id } }`, { id: mineAuth.id }, token)).data.brandAuthorization.id).toBe(mineAuth.id);
    expectError(await t.gql(LIST, { f: { partnerId: b.id } }, token), 'NOT_FOUND');
  });

  it('filters by status and brand', async () => {
    const staff = await t.token('aftersales');
    const p = await createPartner(t);
    const valid = await grant(t, p.id, 'Kyocera');
    const future = await grant(t, p.id, 'LG', { validFrom: isoIn(5 * DAY) });
    const old = await expiredAuthorization(p.id, 'Motorola');
    const gone = await grant(t, p.id, 'ZTE');
    await t.gql(REVOKE, { id: gone.id, r: 'withdrawn' }, staff);
    const ids = async (status: string) =>
      (await t.gql(LIST, { f: { partnerId: p.id, status } }, staff)).data.brandAuthorizations.edges.map((e: any) => e.node.id);
    expect(await ids('VALID')).toEqual([valid.id]);
    expect(await ids('NOT_YET_VALID')).toEqual([future.id]);
    expect(await ids('EXPIRED')).toEqual([String(old.id)]);
    expect(await ids('REVOKED')).toEqual([gone.id]);
    const byBrand = await t.gql(LIST, { f: { partnerId: p.id, brand: 'KYOCERA' } }, staff);
    expect(byBrand.data.brandAuthorizations.edges.map((e: any) => e.node.id)).toEqual([valid.id]);
  });
});
