import { startTestApp, TestApp, expectError } from '../helpers/app';
import { createPartner, partnerToken } from './repair-fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const BRANDS = `query($n: Network){ handsetBrands(network:$n){ code name networks models { name network brand { code } } } }`;
const CREATE_BRAND = `mutation($i: CreateHandsetBrandInput!){ createHandsetBrand(input:$i){ id code name networks } }`;
const CREATE_MODEL = `mutation($i: CreateHandsetModelInput!){ createHandsetModel(input:$i){ id name network brand { code name } } }`;

describe('handset brands and models', () => {
  it('are seeded with the brands a 2005 CDMA network sold, CDMA and GSM', async () => {
    const res = await t.gql(BRANDS, {}, await t.token('aftersales'));
    expect(res.errors).toBeUndefined();
    const brands = res.data.handsetBrands;
    expect(brands.map((b: any) => b.name)).toEqual(
      expect.arrayContaining(['Samsung', 'Motorola', 'LG', 'Kyocera', 'Nokia', 'ZTE', 'Huawei', 'Hisense', 'Alcatel']),
    );
    const samsung = brands.find((b: any) => b.code === 'SAMSUNG');
    expect(samsung.networks).toEqual(['CDMA', 'GSM']);
    expect(samsung.models.find((m: any) => m.name === 'SCH-X199')).toEqual({ name: 'SCH-X199', network: 'CDMA', brand: { code: 'SAMSUNG' } });
    const cdma = (await t.gql(BRANDS, { n: 'CDMA' }, await t.token('aftersales'))).data.handsetBrands;
    expect(cdma.map((b: any) => b.name)).not.toContain('Sony Ericsson');
    expect(cdma).toHaveLength(9);
  });

  it('any signed-in user reads them (shops and agents sell handsets)', async () => {
    const p = await createPartner(t);
    expect((await t.gql(BRANDS, {}, await partnerToken(t, p.id))).errors).toBeUndefined();
    expect((await t.gql(BRANDS, {}, await t.token('staff'))).errors).toBeUndefined();
    expectError(await t.gql(BRANDS, {}), 'UNAUTHENTICATED');
  });

  it('after-sales staff add a brand and its models; duplicates are CONFLICT', async () => {
    const staff = await t.token('aftersales');
    const b = await t.gql(CREATE_BRAND, { i: { code: 'COOLPAD', name: 'Coolpad' } }, staff);
    expect(b.data.createHandsetBrand).toMatchObject({ code: 'COOLPAD', name: 'Coolpad', networks: [] });
    expectError(await t.gql(CREATE_BRAND, { i: { code: 'COOLPAD2', name: 'coolpad' } }, staff), 'CONFLICT');
    expectError(await t.gql(CREATE_BRAND, { i: { code: 'samsung', name: 'X' } }, staff), 'BAD_USER_INPUT', 'input.code');
    const m = await t.gql(CREATE_MODEL, { i: { brand: 'coolpad', name: '828', network: 'CDMA' } }, staff);
    expect(m.data.createHandsetModel).toMatchObject({ name: '828', network: 'CDMA', brand: { code: 'COOLPAD', name: 'Coolpad' } });
    expectError(await t.gql(CREATE_MODEL, { i: { brand: 'Coolpad', name: '828', network: 'GSM' } }, staff), 'CONFLICT');
    expectError(await t.gql(CREATE_MODEL, { i: { brand: 'Nobody', name: 'X1', network: 'GSM' } }, staff), 'BAD_USER_INPUT', 'input.brand');
    const p = await createPartner(t);
    expectError(await t.gql(CREATE_BRAND, { i: { code: 'TCL', name: 'TCL' } }, await partnerToken(t, p.id)), 'FORBIDDEN');
    // A brand with a CDMA model now counts in the coverage report.
    const cov = await t.gql(`{ brandCoverage { uncoveredBrands } }`, {}, staff);
    expect(cov.data.brandCoverage.uncoveredBrands).toContain('Coolpad');
  });
});
