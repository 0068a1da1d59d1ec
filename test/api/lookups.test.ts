import { startTestApp, TestApp, expectError } from '../helpers/app';
import { createPartner, partnerToken } from './repair-fixtures';
import { createPart } from './parts-fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

/** Every Query field that returns one object by a key: nullable, so a miss does not blank the rest of `data`. */
const SINGLE_LOOKUPS = [
  'agent',
  'auditBatch',
  'auditItem',
  'brandAuthorization',
  'callback',
  'commissionPeriod',
  'complaint',
  'equipmentItem',
  'loanerLoan',
  'loanerPhone',
  'location',
  'part',
  'partsIssue',
  'penalty',
  'purchaseReceipt',
  'registration',
  'repairOrder',
  'repairPartner',
  'serviceProvider',
  'subsidy',
];

describe('single-object lookups', () => {
  it('are all nullable in the schema', async () => {
    const res = await t.gql(`{ __type(name: "Query") { fields { name args { name } type { kind } } } }`, {}, await t.token('staff'));
    const fields: { name: string; args: { name: string }[]; type: { kind: string } }[] = res.data.__type.fields;
    for (const name of SINGLE_LOOKUPS) {
      const f = fields.find((x) => x.name === name);
      expect([name, f?.type.kind]).toEqual([name, 'OBJECT']);
    }
    // Any other Query taking a lone id is a single lookup too and must be in the list above.
    const byIdOnly = fields.filter((f) => f.args.some((a) => a.name === 'id') && f.args.length <= 3).map((f) => f.name);
    for (const name of byIdOnly) expect(SINGLE_LOOKUPS).toContain(name);
  });

  it('a missing object is null with NOT_FOUND, and the rest of the answer stays', async () => {
    const staff = await t.token('staff');
    const res = await t.gql(`{ missing: agent(id: "999999") { id } agents(first: 1) { totalCount } }`, {}, staff);
    expect(res.status).toBe(200);
    expect(res.data.missing).toBeNull();
    expect(typeof res.data.agents.totalCount).toBe('number');
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].extensions.code).toBe('NOT_FOUND');
    expect(res.errors![0].path).toEqual(['missing']);

    const admin = await t.token('admin');
    for (const q of [
      'repairOrder(id: "999999") { id }',
      'part(id: "999999") { id }',
      'penalty(id: "999999") { id }',
      'commissionPeriod(period: "1999-01") { period }',
    ]) {
      const r = await t.gql(`{ x: ${q} }`, {}, admin);
      expect({ q, data: r.data }).toEqual({ q, data: { x: null } });
      expect(r.errors![0].extensions.code).toBe('NOT_FOUND');
    }
  });
});

describe('lookups by code', () => {
  it('agent(code:) finds the agent (any case), agent(id:) still works', async () => {
    const staff = await t.token('staff');
    const created = await t.gql(
      `mutation($i: CreateAgentInput!){ createAgent(input:$i){ id code } }`,
      { i: { code: 'LK-A1', name: 'Lookup agent', kind: 'OUTLET', regionCode: 'SHASHI', commissionPerActivationFen: 2500 } },
      staff,
    );
    const { id } = created.data.createAgent;
    const byCode = await t.gql(`query($c: String){ agent(code: $c) { id code } }`, { c: 'lk-a1' }, staff);
    expect(byCode.data.agent).toEqual({ id, code: 'LK-A1' });
    const byId = await t.gql(`query($id: ID!){ agent(id: $id) { code } }`, { id }, staff);
    expect(byId.data.agent.code).toBe('LK-A1');
    const missing = await t.gql(`{ agent(code: "NO-SUCH") { id } }`, {}, staff);
    expect(missing.data).toEqual({ agent: null });
    expectError(missing, 'NOT_FOUND');
  });

  it('an AGENT finds only itself by code', async () => {
    const staff = await t.token('staff');
    const mk = async (code: string) =>
      (
        await t.gql(
          `mutation($i: CreateAgentInput!){ createAgent(input:$i){ id } }`,
          { i: { code, name: code, kind: 'OUTLET', regionCode: 'SHASHI', commissionPerActivationFen: 1 } },
          staff,
        )
      ).data.createAgent.id;
    const mine = await mk('LK-OWN');
    await mk('LK-OTHER');
    const agentToken = await t.userToken('AGENT', { agentId: mine });
    expect((await t.gql(`{ agent(code: "LK-OWN") { id } }`, {}, agentToken)).data.agent).toEqual({ id: mine });
    const other = await t.gql(`{ agent(code: "LK-OTHER") { id } }`, {}, agentToken);
    expect(other.data.agent).toBeNull();
    expectError(other, 'NOT_FOUND');
  });

  it('repairPartner(code:) finds the partner; another partner sees NOT_FOUND', async () => {
    const a = await createPartner(t);
    const b = await createPartner(t);
    const staff = await t.token('aftersales');
    expect((await t.gql(`query($c: String){ repairPartner(code: $c) { id code } }`, { c: a.code }, staff)).data.repairPartner).toEqual({
      id: a.id,
      code: a.code,
    });
    const asB = await t.gql(`query($c: String){ repairPartner(code: $c) { id } }`, { c: a.code }, await partnerToken(t, b.id));
    expect(asB.data.repairPartner).toBeNull();
    expectError(asB, 'NOT_FOUND');
  });

  it('part(sku:) finds the part (any case)', async () => {
    const p = await createPart(t, { sku: 'LK-SKU-1' });
    const admin = await t.token('admin');
    expect((await t.gql(`{ part(sku: "lk-sku-1") { id sku } }`, {}, admin)).data.part).toEqual({ id: p.id, sku: 'LK-SKU-1' });
    const missing = await t.gql(`{ part(sku: "NOPE-1") { id } }`, {}, admin);
    expect(missing.data.part).toBeNull();
    expectError(missing, 'NOT_FOUND');
  });

  it('exactly one of id and code: both or neither is BAD_USER_INPUT naming the field', async () => {
    const admin = await t.token('admin');
    expectError(await t.gql(`{ agent { id } }`, {}, admin), 'BAD_USER_INPUT', 'id');
    expectError(await t.gql(`{ agent(id: "1", code: "X") { id } }`, {}, admin), 'BAD_USER_INPUT', 'code');
    expectError(await t.gql(`{ repairPartner { id } }`, {}, admin), 'BAD_USER_INPUT', 'id');
    expectError(await t.gql(`{ part(id: "1", sku: "X") { id } }`, {}, admin), 'BAD_USER_INPUT', 'sku');
    expectError(await t.gql(`{ part(sku: "  ") { id } }`, {}, admin), 'BAD_USER_INPUT', 'sku');
  });
});
