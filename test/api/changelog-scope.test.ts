import { expectError, GqlResult, startTestApp, TestApp } from '../helpers/app';
import { createAgent, record, submitOk } from './registrations.fixtures';
import { createPartner } from './repair-fixtures';

/**
 * The change log shows a role only entries of entity types it may read elsewhere in the API:
 * FINANCE and AFTERSALES_STAFF may not read registrations, so their numbers, agents and flags
 * must not reach them through changeLog either. Tenant-bound roles have no change log.
 */
let t: TestApp;
let regId: string;
let agentId: string;
let partnerId: string;
const LOG = `query($t: String, $id: ID, $a: String){ changeLog(entityType: $t, entityId: $id, first: 200, after: $a){ totalCount pageInfo { hasNextPage endCursor } edges { node { entityType entityId action data } } } }`;

beforeAll(async () => {
  t = await startTestApp();
  const agent = await createAgent(t);
  agentId = agent.id;
  const [reg] = await submitOk(t, agent.id, [record()]);
  regId = reg.id;
  partnerId = (await createPartner(t)).id;
});
afterAll(() => t.stop());

async function allTypes(token: string): Promise<Set<string>> {
  const types = new Set<string>();
  let after: string | null = null;
  for (;;) {
    const res: GqlResult = await t.gql(LOG, { a: after }, token);
    expect(res.errors).toBeUndefined();
    for (const e of res.data.changeLog.edges) types.add(e.node.entityType);
    if (!res.data.changeLog.pageInfo.hasNextPage) return types;
    after = res.data.changeLog.pageInfo.endCursor;
  }
}

it('FINANCE and AFTERSALES_STAFF cannot read Registration entries: FORBIDDEN naming who may, and none in the unfiltered list', async () => {
  for (const user of ['finance', 'aftersales']) {
    const token = await t.token(user);
    const err = expectError(await t.gql(LOG, { t: 'Registration' }, token), 'FORBIDDEN');
    expect(err.message).toMatch(/may not read Registration entries/);
    expect(err.message).toContain('AGENCY_STAFF, AUDITOR, AGENT, ADMIN');
    expectError(await t.gql(LOG, { t: 'Registration', id: regId }, token), 'FORBIDDEN');
    const types = await allTypes(token);
    expect(types.has('Registration')).toBe(false);
  }
  // FINANCE reads agents (AGENT_READERS) but not audit batches; AFTERSALES_STAFF neither agents nor penalties.
  expect((await allTypes(await t.token('finance'))).has('Agent')).toBe(true);
  const aftersales = await allTypes(await t.token('aftersales'));
  expect(aftersales.has('Agent')).toBe(false);
  expect(aftersales.has('RepairPartner')).toBe(true);
  expectError(await t.gql(LOG, { t: 'Agent', id: agentId }, await t.token('aftersales')), 'FORBIDDEN');
});

it('roles that read registrations see their entries; ADMIN sees every type, including those no module declares (User)', async () => {
  for (const user of ['staff', 'auditor', 'admin']) {
    const res = await t.gql(LOG, { t: 'Registration', id: regId }, await t.token(user));
    expect(res.errors).toBeUndefined();
    expect(res.data.changeLog.edges.map((e: any) => e.node.action)).toContain('submitRegistrations');
  }
  const admin = await allTypes(await t.token('admin'));
  for (const type of ['Registration', 'Agent', 'RepairPartner']) expect(admin.has(type)).toBe(true);
  // A User entry (createUser by the test helper) is ADMIN's only.
  await t.userToken('FINANCE');
  expect((await allTypes(await t.token('admin'))).has('User')).toBe(true);
  expect((await allTypes(await t.token('staff'))).has('User')).toBe(false);
  expectError(await t.gql(LOG, { t: 'User' }, await t.token('staff')), 'FORBIDDEN');
});

it('tenant-bound roles (REPAIR_PARTNER, AGENT) read no change log at all', async () => {
  const shop = await t.userToken('REPAIR_PARTNER', { repairPartnerId: partnerId });
  const agent = await t.userToken('AGENT', { agentId });
  for (const token of [shop, agent]) {
    expectError(await t.gql(LOG, {}, token), 'FORBIDDEN');
    expectError(await t.gql(LOG, { t: 'RepairPartner', id: partnerId }, token), 'FORBIDDEN');
    expectError(await t.gql(LOG, { t: 'Registration', id: regId }, token), 'FORBIDDEN');
  }
});
