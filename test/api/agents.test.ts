import { startTestApp, TestApp, expectError, expectConflict } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const AGENT_FIELDS = `id code name kind status statusReason statusChangedAt region { code } contactName contactPhone commissionPerActivationFen riskScore createdAt updatedAt`;
const CREATE = `mutation($i: CreateAgentInput!){ createAgent(input:$i){ ${AGENT_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $i: UpdateAgentInput!){ updateAgent(id:$id, input:$i){ ${AGENT_FIELDS} } }`;
const STATUS = `mutation($id: ID!, $s: AgentStatus!, $r: String!){ setAgentStatus(id:$id, status:$s, reason:$r){ id status statusReason statusHistory { fromStatus toStatus reason actorName } } }`;
const LIST = `query($f: AgentFilter, $first: Int, $after: String){ agents(filter:$f, first:$first, after:$after){ totalCount pageInfo { hasNextPage endCursor } edges { node { code kind status region { code } } } } }`;

let seq = 0;
async function createAgent(over: Record<string, unknown> = {}) {
  const code = `T-${(++seq).toString().padStart(3, '0')}-${Date.now().toString(36).slice(-4)}`;
  const res = await t.gql(
    CREATE,
    { i: { code, name: `測試代辦點 ${seq}`, kind: 'OUTLET', regionCode: 'SHASHI', commissionPerActivationFen: 2500, ...over } },
    await t.token('staff'),
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.createAgent;
}

describe('createAgent', () => {
  it('creates an active agent with its region, upper-casing the code, and logs it', async () => {
    const res = await t.gql(
      CREATE,
      {
        i: {
          code: 'agt-7001',
          name: ' 荊州 北京路通訊店 ',
          kind: 'DEALER',
          regionCode: 'JINGZHOU',
          contactName: '王偉',
          contactPhone: '0716-8123456',
          commissionPerActivationFen: 3000,
        },
      },
      await t.token('staff'),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.createAgent).toMatchObject({
      code: 'AGT-7001',
      name: '荊州 北京路通訊店',
      kind: 'DEALER',
      status: 'ACTIVE',
      region: { code: 'JINGZHOU' },
      contactPhone: '0716-8123456',
      commissionPerActivationFen: 3000,
      // A brand-new agent scores 20 for newness from its creation (audits README), not 0 until a recomputation.
      riskScore: 20,
      statusReason: null,
    });
    const risk = await t.gql(
      `query($id: ID!){ agent(id:$id){ riskScore riskFactors { auditedItems failedItems recentRecords flaggedRecords findingPoints flagPoints newnessPoints score } } }`,
      { id: res.data.createAgent.id },
      await t.token('auditor'),
    );
    expect(risk.data.agent).toEqual({
      riskScore: 20,
      riskFactors: { auditedItems: 0, failedItems: 0, recentRecords: 0, flaggedRecords: 0, findingPoints: 0, flagPoints: 0, newnessPoints: 20, score: 20 },
    });
    const log = await t.gql(
      `query($id: ID){ changeLog(entityType:"Agent", entityId:$id){ edges { node { action actorName data } } } }`,
      { id: res.data.createAgent.id },
      await t.token('admin'),
    );
    expect(log.data.changeLog.edges[0].node).toMatchObject({ action: 'createAgent', actorName: 'staff' });
  });

  it('refuses a taken code with CONFLICT', async () => {
    const a = await createAgent();
    const res = await t.gql(
      CREATE,
      { i: { code: a.code.toLowerCase(), name: 'x', kind: 'OUTLET', regionCode: 'SHASHI', commissionPerActivationFen: 1 } },
      await t.token('staff'),
    );
    expectConflict(res, 'ALREADY_EXISTS');
  });

  it('names the bad field and writes nothing', async () => {
    const staff = await t.token('staff');
    const base = { code: 'AGT-BAD1', name: 'n', kind: 'OUTLET', regionCode: 'SHASHI', commissionPerActivationFen: 100 };
    expectError(await t.gql(CREATE, { i: { ...base, code: 'x' } }, staff), 'BAD_USER_INPUT', 'input.code');
    expectError(await t.gql(CREATE, { i: { ...base, code: 'AGT 01' } }, staff), 'BAD_USER_INPUT', 'input.code');
    expectError(await t.gql(CREATE, { i: { ...base, name: '' } }, staff), 'BAD_USER_INPUT', 'input.name');
    expectError(await t.gql(CREATE, { i: { ...base, name: '   ' } }, staff), 'BAD_USER_INPUT', 'input.name');
    expectError(await t.gql(CREATE, { i: { ...base, regionCode: 'WUHAN' } }, staff), 'BAD_USER_INPUT', 'input.regionCode');
    expectError(await t.gql(CREATE, { i: { ...base, commissionPerActivationFen: -1 } }, staff), 'BAD_USER_INPUT', 'input.commissionPerActivationFen');
    expectError(await t.gql(CREATE, { i: { ...base, contactPhone: 'call me' } }, staff), 'BAD_USER_INPUT', 'input.contactPhone');
    const res = await t.gql(LIST, { f: { search: 'AGT-BAD1' } }, staff);
    expect(res.data.agents.totalCount).toBe(0);
  });

  it.each(['AUDITOR', 'FINANCE', 'AFTERSALES_STAFF'])('is refused to %s', async (role) => {
    const res = await t.gql(
      CREATE,
      { i: { code: `AGT-R-${role.slice(0, 3)}`, name: 'n', kind: 'OUTLET', regionCode: 'SHASHI', commissionPerActivationFen: 1 } },
      await t.userToken(role),
    );
    expectError(res, 'FORBIDDEN');
  });
});

describe('updateAgent', () => {
  it('changes only what is given, keeps the code, and logs before/after', async () => {
    const a = await createAgent({ contactName: '李娜' });
    const res = await t.gql(
      UPDATE,
      { id: a.id, i: { name: '新名字', regionCode: 'HONGHU', commissionPerActivationFen: 2800, contactName: null } },
      await t.token('staff'),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.updateAgent).toMatchObject({
      code: a.code,
      name: '新名字',
      region: { code: 'HONGHU' },
      commissionPerActivationFen: 2800,
      kind: 'OUTLET',
      contactName: null,
    });
    expect(res.data.updateAgent.updatedAt).toBeTruthy();
    const again = await t.gql(`query($id: ID!){ agent(id:$id){ name region { code } } }`, { id: a.id }, await t.token('staff'));
    expect(again.data.agent).toEqual({ name: '新名字', region: { code: 'HONGHU' } });
    const log = await t.gql(
      `query($id: ID){ changeLog(entityType:"Agent", entityId:$id){ edges { node { action data } } } }`,
      { id: a.id },
      await t.token('admin'),
    );
    const entry = log.data.changeLog.edges.find((e: any) => e.node.action === 'updateAgent').node;
    expect(JSON.parse(entry.data)).toMatchObject({
      before: { name: a.name, commissionPerActivationFen: 2500 },
      after: { name: '新名字', commissionPerActivationFen: 2800 },
    });
  });

  it('answers NOT_FOUND for an unknown agent and BAD_USER_INPUT for a bad id', async () => {
    expectError(await t.gql(UPDATE, { id: '999999', i: { name: 'x' } }, await t.token('staff')), 'NOT_FOUND');
    expectError(await t.gql(UPDATE, { id: 'abc', i: { name: 'x' } }, await t.token('staff')), 'BAD_USER_INPUT', 'id');
  });
});

describe('setAgentStatus', () => {
  it('requires a reason and keeps it with the history', async () => {
    const a = await createAgent();
    const staff = await t.token('staff');
    expectError(await t.gql(STATUS, { id: a.id, s: 'SUSPENDED', r: '  ' }, staff), 'BAD_USER_INPUT', 'reason');
    const s1 = await t.gql(STATUS, { id: a.id, s: 'SUSPENDED', r: '虛假開戶待查' }, staff);
    expect(s1.errors).toBeUndefined();
    expect(s1.data.setAgentStatus).toMatchObject({ status: 'SUSPENDED', statusReason: '虛假開戶待查' });
    const s2 = await t.gql(STATUS, { id: a.id, s: 'ACTIVE', r: 'cleared after review' }, staff);
    expect(s2.data.setAgentStatus.statusHistory).toEqual([
      { fromStatus: 'SUSPENDED', toStatus: 'ACTIVE', reason: 'cleared after review', actorName: 'staff' },
      { fromStatus: 'ACTIVE', toStatus: 'SUSPENDED', reason: '虛假開戶待查', actorName: 'staff' },
    ]);
  });

  it('refuses a change to the same status and any change after termination', async () => {
    const a = await createAgent();
    const staff = await t.token('staff');
    expectConflict(await t.gql(STATUS, { id: a.id, s: 'ACTIVE', r: 'again' }, staff), 'ALREADY_IN_STATUS');
    expect((await t.gql(STATUS, { id: a.id, s: 'TERMINATED', r: 'contract ended' }, staff)).data.setAgentStatus.status).toBe('TERMINATED');
    const err = expectConflict(await t.gql(STATUS, { id: a.id, s: 'ACTIVE', r: 'back' }, staff), 'TRANSITION_NOT_ALLOWED');
    expect(err.message).toMatch(/final/);
  });

  it('lets one of two concurrent changes win', async () => {
    const a = await createAgent();
    const staff = await t.token('staff');
    const [x, y] = await Promise.all([
      t.gql(STATUS, { id: a.id, s: 'SUSPENDED', r: 'one' }, staff),
      t.gql(STATUS, { id: a.id, s: 'TERMINATED', r: 'two' }, staff),
    ]);
    const ok = [x, y].filter((r) => !r.errors);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    const history = await t.gql(`query($id: ID!){ agent(id:$id){ status statusHistory { toStatus } } }`, { id: a.id }, staff);
    expect(history.data.agent.statusHistory).toHaveLength(ok.length);
  });
});

describe('agents list', () => {
  beforeAll(async () => {
    await createAgent({ kind: 'FRANCHISE_HALL', regionCode: 'SONGZI', name: '松滋 合作營業廳 甲' });
    await createAgent({ kind: 'FRANCHISE_HALL', regionCode: 'SONGZI', name: '松滋 合作營業廳 乙' });
    const c = await createAgent({ kind: 'DEALER', regionCode: 'SONGZI', name: '松滋 代理 丙' });
    await t.gql(STATUS, { id: c.id, s: 'SUSPENDED', r: 'late records' }, await t.token('staff'));
  });

  it('filters by region, kind, status and search, sorted by code', async () => {
    const staff = await t.token('staff');
    const bySongzi = await t.gql(LIST, { f: { regionCode: 'SONGZI' } }, staff);
    expect(bySongzi.data.agents.totalCount).toBe(3);
    const codes = bySongzi.data.agents.edges.map((e: any) => e.node.code);
    expect([...codes].sort()).toEqual(codes);
    expect((await t.gql(LIST, { f: { regionCode: 'SONGZI', kind: 'FRANCHISE_HALL' } }, staff)).data.agents.totalCount).toBe(2);
    expect((await t.gql(LIST, { f: { regionCode: 'SONGZI', status: 'SUSPENDED' } }, staff)).data.agents.edges.map((e: any) => e.node.kind)).toEqual(['DEALER']);
    expect((await t.gql(LIST, { f: { search: '合作營業廳 乙' } }, staff)).data.agents.totalCount).toBe(1);
    expect((await t.gql(LIST, { f: { search: '%' } }, staff)).data.agents.totalCount).toBe(0);
    expectError(await t.gql(LIST, { f: { regionCode: 'NOWHERE' } }, staff), 'BAD_USER_INPUT', 'filter.regionCode');
  });

  it('pages with cursors without skipping or repeating', async () => {
    const staff = await t.token('staff');
    const all = await t.gql(LIST, { first: 200 }, staff);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await t.gql(LIST, { first: 2, after }, staff);
      seen.push(...page.data.agents.edges.map((e: any) => e.node.code));
      if (!page.data.agents.pageInfo.hasNextPage) break;
      after = page.data.agents.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.data.agents.edges.map((e: any) => e.node.code));
    expectError(await t.gql(LIST, { first: 201 }, staff), 'BAD_USER_INPUT', 'first');
  });

  it('is not readable by repair partners or without a token', async () => {
    expectError(await t.gql(LIST, {}), 'UNAUTHENTICATED');
    expectError(await t.gql(LIST, {}, await t.userToken('AFTERSALES_STAFF')), 'FORBIDDEN');
  });
});

describe('an AGENT user', () => {
  it('sees its own agent only', async () => {
    const mine = await createAgent();
    const other = await createAgent();
    const token = await t.userToken('AGENT', { agentId: mine.id });
    const list = await t.gql(LIST, {}, token);
    expect(list.data.agents.edges.map((e: any) => e.node.code)).toEqual([mine.code]);
    expect((await t.gql(`query($id: ID!){ agent(id:$id){ code } }`, { id: mine.id }, token)).data.agent.code).toBe(mine.code);
    expectError(await t.gql(`query($id: ID!){ agent(id:$id){ code } }`, { id: other.id }, token), 'NOT_FOUND');
    expectError(await t.gql(UPDATE, { id: mine.id, i: { name: 'mine now' } }, token), 'FORBIDDEN');
    expectError(await t.gql(STATUS, { id: mine.id, s: 'SUSPENDED', r: 'x' }, token), 'FORBIDDEN');
  });
});

describe('regions and tariff plans', () => {
  it('lists the eight regions and the seeded plans by network', async () => {
    const res = await t.gql(
      `{ regions { code } tariffPlans { code name network monthlyFeeFen } }`,
      {},
      await t.userToken('AGENT', { agentId: (await createAgent()).id }),
    );
    expect(res.data.regions).toHaveLength(8);
    expect(res.data.tariffPlans.length).toBeGreaterThanOrEqual(6);
    expect(new Set(res.data.tariffPlans.map((p: any) => p.network))).toEqual(new Set(['CDMA', 'GSM']));
  });
});
