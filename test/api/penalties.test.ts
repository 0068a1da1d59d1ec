import { expectError, startTestApp, TestApp, expectConflict } from '../helpers/app';
import { addRecords, auditBatch, createAgent, GQL, sh } from './audits.fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const RULES = `{ penaltyRules { type amountFen escalatedAmountFen escalationWindowDays description } }`;
const CREATE = `mutation($i: CreatePenaltyInput!){ createPenalty(input:$i){ id kind status amountFen reason period createdBy { username } } }`;
const CONFIRM = `mutation($id: ID!){ confirmPenalty(id:$id){ id status decidedAt decidedBy { username } } }`;
const WAIVE = `mutation($id: ID!, $r: String!){ waivePenalty(id:$id, reason:$r){ id status waiveReason decidedBy { username } } }`;
const WAIVE_FULL = `mutation($id: ID!, $r: String!){ waivePenalty(id:$id, reason:$r){ id status waiveReason waiverRequestedAt waiverRequestedBy { username } } }`;
const APPROVE_WAIVER = `mutation($id: ID!){ approvePenaltyWaiver(id:$id){ id status } }`;
const APPROVE_WAIVER_FULL = `mutation($id: ID!){ approvePenaltyWaiver(id:$id){ id status waiveReason decidedBy { username } } }`;
const AGENT = `query($id: ID!){ agent(id:$id){ id status statusReason statusHistory { fromStatus toStatus reason actorName } } }`;

async function penaltiesOf(agentId: string, extra: Record<string, unknown> = {}) {
  const res = await t.gql(GQL.penalties, { f: { agentId, ...extra }, first: 200 }, await t.token('staff'));
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.penalties.edges.map((e: any) => e.node).reverse(); // oldest first
}

/** One audit batch over the given records of an agent, every record failing with `type`. */
async function failAll(agentId: string, period: string, type: string) {
  return auditBatch(t, { period, strategy: 'RANDOM', sampleSize: 100, agentIds: [agentId], seed: 3 }, () => [{ type, note: '稽核發現' }]);
}

describe('penalty rules', () => {
  it('are seeded with defaults for every finding type', async () => {
    const res = await t.gql(RULES, {}, await t.token('finance'));
    expect(res.data.penaltyRules.map((r: any) => r.type)).toEqual(['INCOMPLETE_DATA', 'LATE_ENTRY', 'DATA_MISMATCH', 'TARIFF_MISMATCH', 'FAKE_IDENTITY']);
    for (const r of res.data.penaltyRules) {
      expect(r.amountFen).toBeGreaterThan(0);
      expect(r.escalatedAmountFen).toBe(r.amountFen * 2);
      expect(r.escalationWindowDays).toBe(90);
    }
  });

  it('can be changed by ADMIN only; penalties already proposed keep their amount', async () => {
    const a = await createAgent(t);
    await addRecords(t, a.id, [{ openedAt: sh(2022, 1, 10) }]);
    await failAll(a.id, '2022-01', 'TARIFF_MISMATCH');
    const [before] = await penaltiesOf(a.id);
    const rule = (await t.gql(RULES, {}, await t.token('admin'))).data.penaltyRules.find((r: any) => r.type === 'TARIFF_MISMATCH');
    expect(before.amountFen).toBe(rule.amountFen);

    expectError(await t.gql(`mutation { setPenaltyRule(type: TARIFF_MISMATCH, amountFen: 1) { amountFen } }`, {}, await t.token('staff')), 'FORBIDDEN');
    expectError(
      await t.gql(`mutation { setPenaltyRule(type: TARIFF_MISMATCH, amountFen: -5) { amountFen } }`, {}, await t.token('admin')),
      'BAD_USER_INPUT',
      'amountFen',
    );
    const set = await t.gql(
      `mutation { setPenaltyRule(type: TARIFF_MISMATCH, amountFen: 12345, description: "套餐錄錯") { type amountFen description updatedBy { username } } }`,
      {},
      await t.token('admin'),
    );
    expect(set.data.setPenaltyRule).toEqual({ type: 'TARIFF_MISMATCH', amountFen: 12345, description: '套餐錄錯', updatedBy: { username: 'admin' } });

    await addRecords(t, a.id, [{ openedAt: sh(2022, 9, 10) }]);
    await failAll(a.id, '2022-09', 'TARIFF_MISMATCH');
    const [old, fresh] = await penaltiesOf(a.id);
    expect(old.amountFen).toBe(before.amountFen);
    expect(fresh.amountFen).toBe(12345);
    const log = await t.gql(
      `{ changeLog(entityType:"PenaltyRule", entityId:"TARIFF_MISMATCH"){ edges { node { actorName data } } } }`,
      {},
      await t.token('admin'),
    );
    expect(JSON.parse(log.data.changeLog.edges[0].node.data)).toMatchObject({ previousAmountFen: rule.amountFen, amountFen: 12345 });
    await t.gql(`mutation($a: SafeInt!) { setPenaltyRule(type: TARIFF_MISMATCH, amountFen: $a) { amountFen } }`, { a: rule.amountFen }, await t.token('admin'));
  });
});

describe('closing a batch proposes penalties', () => {
  it('one per failed finding, at the rule amount, linked to its finding, batch and period; none for a PASS', async () => {
    const a = await createAgent(t);
    const ids = await addRecords(t, a.id, [{ openedAt: sh(2021, 3, 3) }, { openedAt: sh(2021, 3, 4) }, { openedAt: sh(2021, 3, 5) }]);
    const { batch } = await auditBatch(t, { period: '2021-03', strategy: 'RANDOM', sampleSize: 10, agentIds: [a.id] }, (item) =>
      Number(item.registration.id) === ids[0]
        ? [{ type: 'INCOMPLETE_DATA' }, { type: 'LATE_ENTRY', note: '晚了三天' }]
        : Number(item.registration.id) === ids[1]
          ? [{ type: 'DATA_MISMATCH' }]
          : null,
    );
    const rules = new Map((await t.gql(RULES, {}, await t.token('staff'))).data.penaltyRules.map((r: any) => [r.type, r.amountFen]));
    const list = await penaltiesOf(a.id, { batchId: batch.id });
    expect(list).toHaveLength(3);
    for (const p of list) {
      expect(p).toMatchObject({
        kind: 'AUDIT',
        status: 'PROPOSED',
        period: '2021-03',
        escalated: false,
        occurrence: 1,
        settledPeriod: null,
        agent: { id: a.id },
        createdBy: { username: 'auditor' },
      });
      expect(p.amountFen).toBe(rules.get(p.findingType));
      expect(p.baseAmountFen).toBe(p.amountFen);
      expect(p.finding.type).toBe(p.findingType);
    }
    expect(list.find((p: any) => p.findingType === 'LATE_ENTRY').reason).toMatch(/晚了三天/);
  });

  it('doubles the third and later finding of one type within 90 days, across batches, and not beyond 90 days', async () => {
    const a = await createAgent(t);
    // Records opened 1 Jan, 20 Feb, 25 Mar (within 90 days), then 1 Sep (far from the others).
    await addRecords(t, a.id, [{ openedAt: sh(2020, 1, 1) }, { openedAt: sh(2020, 2, 20) }]);
    await failAll(a.id, '2020-01', 'LATE_ENTRY');
    await failAll(a.id, '2020-02', 'LATE_ENTRY');
    await addRecords(t, a.id, [{ openedAt: sh(2020, 3, 25) }, { openedAt: sh(2020, 3, 26) }]);
    await failAll(a.id, '2020-03', 'LATE_ENTRY');
    await addRecords(t, a.id, [{ openedAt: sh(2020, 9, 1) }]);
    await failAll(a.id, '2020-09', 'LATE_ENTRY');
    // Another type counts on its own.
    await addRecords(t, a.id, [{ openedAt: sh(2020, 10, 1) }]);
    await failAll(a.id, '2020-10', 'INCOMPLETE_DATA');

    const list = await penaltiesOf(a.id);
    const late = list.filter((p: any) => p.findingType === 'LATE_ENTRY');
    expect(late.map((p: any) => [p.occurrence, p.escalated])).toEqual([
      [1, false],
      [2, false],
      [3, true],
      [4, true],
      [1, false],
    ]);
    expect(late[2].amountFen).toBe(late[0].amountFen * 2);
    expect(late[2].baseAmountFen).toBe(late[0].amountFen);
    expect(late[2].reason).toMatch(/finding 3 of this type within 90 days/);
    expect(late[4].amountFen).toBe(late[0].amountFen);
    expect(list.find((p: any) => p.findingType === 'INCOMPLETE_DATA')).toMatchObject({ occurrence: 1, escalated: false });
  });

  it('does not penalise a record twice for the same finding when a later batch draws it again', async () => {
    const a = await createAgent(t);
    await addRecords(t, a.id, [{ openedAt: sh(2019, 5, 5) }]);
    await failAll(a.id, '2019-05', 'DATA_MISMATCH');
    await auditBatch(t, { period: '2019-05', strategy: 'RANDOM', sampleSize: 5, agentIds: [a.id] }, () => [{ type: 'DATA_MISMATCH' }, { type: 'LATE_ENTRY' }]);
    const list = await penaltiesOf(a.id);
    expect(list.map((p: any) => p.findingType)).toEqual(['DATA_MISMATCH', 'LATE_ENTRY']);
  });
});

describe('automatic suspension', () => {
  it('suspends an agent at its third FAKE_IDENTITY finding within 90 days, says why, and logs it as the system', async () => {
    const a = await createAgent(t);
    await addRecords(t, a.id, [{ openedAt: sh(2018, 1, 10) }, { openedAt: sh(2018, 2, 10) }]);
    await failAll(a.id, '2018-01', 'FAKE_IDENTITY');
    await failAll(a.id, '2018-02', 'FAKE_IDENTITY');
    const staff = await t.token('staff');
    expect((await t.gql(AGENT, { id: a.id }, staff)).data.agent.status).toBe('ACTIVE');

    await addRecords(t, a.id, [{ openedAt: sh(2018, 3, 10) }]);
    await failAll(a.id, '2018-03', 'FAKE_IDENTITY');
    const agent = (await t.gql(AGENT, { id: a.id }, staff)).data.agent;
    expect(agent.status).toBe('SUSPENDED');
    expect(agent.statusReason).toMatch(/FAKE_IDENTITY findings on records opened within 90 days/);
    expect(agent.statusHistory[0]).toMatchObject({ fromStatus: 'ACTIVE', toStatus: 'SUSPENDED', actorName: null });
    const log = await t.gql(
      `query($id: ID){ changeLog(entityType:"Agent", entityId:$id){ edges { node { action actorName data } } } }`,
      { id: a.id },
      await t.token('admin'),
    );
    const entry = log.data.changeLog.edges.map((e: any) => e.node).find((n: any) => n.action === 'autoSuspendAgent');
    expect(entry.actorName).toBeNull();
    expect(JSON.parse(entry.data)).toMatchObject({ from: 'ACTIVE', to: 'SUSPENDED' });
    expect(JSON.parse(entry.data).reason).toMatch(/closed by auditor/);
    const fake = (await penaltiesOf(a.id)).filter((p: any) => p.findingType === 'FAKE_IDENTITY');
    expect(fake.map((p: any) => p.escalated)).toEqual([false, false, true]);

    // A suspended agent may no longer submit records.
    const submit = await t.gql(
      `mutation($a: ID!){ submitRegistrations(agentId:$a, records:[{ msisdn:"13300000001", network:"CDMA", customerName:"x", idType:"PASSPORT", idNumber:"E12345678", tariffPlanCode:"CDMA-RYT", openedAt:"2024-01-01T10:00:00+08:00" }]){ accepted } }`,
      { a: a.id },
      staff,
    );
    expectError(submit, 'CONFLICT');
  });

  it('leaves the agent active with two findings, or three spread over more than 90 days', async () => {
    const two = await createAgent(t);
    await addRecords(t, two.id, [{ openedAt: sh(2017, 1, 10) }, { openedAt: sh(2017, 1, 11) }]);
    await failAll(two.id, '2017-01', 'FAKE_IDENTITY');
    const spread = await createAgent(t);
    await addRecords(t, spread.id, [{ openedAt: sh(2017, 1, 1) }, { openedAt: sh(2017, 3, 1) }, { openedAt: sh(2017, 5, 1) }]);
    for (const p of ['2017-01', '2017-03', '2017-05']) await failAll(spread.id, p, 'FAKE_IDENTITY');
    const staff = await t.token('staff');
    expect((await t.gql(AGENT, { id: two.id }, staff)).data.agent.status).toBe('ACTIVE');
    expect((await t.gql(AGENT, { id: spread.id }, staff)).data.agent.status).toBe('ACTIVE');
  });
});

describe('confirming and waiving', () => {
  it('needs a second person to confirm a manual penalty', async () => {
    const a = await createAgent(t);
    const staff = await t.token('staff');
    const created = await t.gql(CREATE, { i: { agentId: a.id, amountFen: 8000, reason: ' 未按規定張貼資費公告 ' } }, staff);
    expect(created.data.createPenalty).toMatchObject({
      kind: 'MANUAL',
      status: 'PROPOSED',
      amountFen: 8000,
      reason: '未按規定張貼資費公告',
      createdBy: { username: 'staff' },
    });
    const id = created.data.createPenalty.id;
    const own = expectError(await t.gql(CONFIRM, { id }, staff), 'FORBIDDEN');
    expect(own.message).toMatch(/Four eyes/);
    // Not even an admin may confirm one they created.
    const byAdmin = (await t.gql(CREATE, { i: { agentId: a.id, amountFen: 100, reason: 'r' } }, await t.token('admin'))).data.createPenalty.id;
    expectError(await t.gql(CONFIRM, { id: byAdmin }, await t.token('admin')), 'FORBIDDEN');

    const second = await t.userToken('AGENCY_STAFF');
    const ok = await t.gql(CONFIRM, { id }, second);
    expect(ok.errors).toBeUndefined();
    expect(ok.data.confirmPenalty.status).toBe('CONFIRMED');
    expect(ok.data.confirmPenalty.decidedBy.username).not.toBe('staff');
    expectError(await t.gql(CONFIRM, { id }, second), 'CONFLICT');
  });

  it('lets the closer of a batch confirm audit penalties, and waives with a reason', async () => {
    const a = await createAgent(t);
    await addRecords(t, a.id, [{ openedAt: sh(2016, 4, 4) }, { openedAt: sh(2016, 4, 5) }]);
    await failAll(a.id, '2016-04', 'INCOMPLETE_DATA');
    const [p1, p2] = await penaltiesOf(a.id);
    const staff = await t.token('staff');
    expect((await t.gql(CONFIRM, { id: p1.id }, staff)).data.confirmPenalty.status).toBe('CONFIRMED');
    expectError(await t.gql(WAIVE, { id: p2.id, r: '   ' }, staff), 'BAD_USER_INPUT', 'reason');
    const waived = await t.gql(WAIVE, { id: p2.id, r: '客戶補交了資料' }, staff);
    expect(waived.data.waivePenalty).toMatchObject({ status: 'WAIVED', waiveReason: '客戶補交了資料', decidedBy: { username: 'staff' } });
    expectError(await t.gql(CONFIRM, { id: p2.id }, staff), 'CONFLICT');
    expectError(await t.gql(WAIVE, { id: p2.id, r: 'again' }, staff), 'CONFLICT');
    // A confirmed penalty can still be waived until a closed period applies it, by two people.
    expect((await t.gql(WAIVE, { id: p1.id, r: '申訴成立' }, staff)).data.waivePenalty.status).toBe('CONFIRMED');
    expect((await t.gql(APPROVE_WAIVER, { id: p1.id }, await t.userToken('AGENCY_STAFF'))).data.approvePenaltyWaiver.status).toBe('WAIVED');
    expectError(await t.gql(CONFIRM, { id: '99999999' }, staff), 'NOT_FOUND');
  });

  it('four eyes on waiving a confirmed penalty: one person requests, another approves; nobody waives alone', async () => {
    const a = await createAgent(t);
    await addRecords(t, a.id, [{ openedAt: sh(2016, 6, 4) }, { openedAt: sh(2016, 6, 5) }]);
    await failAll(a.id, '2016-06', 'LATE_ENTRY');
    const [p1, p2] = await penaltiesOf(a.id);
    const staff = await t.token('staff');
    const other = await t.userToken('AGENCY_STAFF');
    // Confirmed by one person; the other may not waive it alone: the waiver is only requested.
    expect((await t.gql(CONFIRM, { id: p1.id }, staff)).data.confirmPenalty.status).toBe('CONFIRMED');
    const requested = await t.gql(WAIVE_FULL, { id: p1.id, r: '客戶申訴' }, other);
    expect(requested.errors).toBeUndefined();
    expect(requested.data.waivePenalty).toMatchObject({
      status: 'CONFIRMED',
      waiveReason: '客戶申訴',
      waiverRequestedBy: { username: expect.stringMatching(/^agency_staff_/) },
    });
    expect(requested.data.waivePenalty.waiverRequestedAt).toBeTruthy();
    // The requester cannot approve their own request, nor request again.
    const own = expectError(await t.gql(APPROVE_WAIVER, { id: p1.id }, other), 'FORBIDDEN');
    expect(own.message).toMatch(/Four eyes/);
    expectConflict(await t.gql(WAIVE, { id: p1.id, r: 'again' }, other), 'WAIVER_ALREADY_REQUESTED');
    expect((await penaltiesOf(a.id))[0].status).toBe('CONFIRMED');
    // A second person approves (here the confirmer: the request and the approval are two people).
    const approved = await t.gql(APPROVE_WAIVER_FULL, { id: p1.id }, staff);
    expect(approved.data.approvePenaltyWaiver).toMatchObject({ status: 'WAIVED', waiveReason: '客戶申訴', decidedBy: { username: 'staff' } });
    expectError(await t.gql(APPROVE_WAIVER, { id: p1.id }, other), 'CONFLICT');
    // Approving with no request is CONFLICT; a PROPOSED penalty is waived at once by one person.
    await t.gql(CONFIRM, { id: p2.id }, staff);
    expectConflict(await t.gql(APPROVE_WAIVER, { id: p2.id }, other), 'NO_WAIVER_REQUESTED');
    const log = await t.gql(`query($id: ID){ changeLog(entityType:"Penalty", entityId:$id){ edges { node { action actorName } } } }`, { id: p1.id }, staff);
    expect(log.data.changeLog.edges.map((e: any) => e.node.action)).toEqual(['approvePenaltyWaiver', 'requestPenaltyWaiver', 'confirmPenalty']);
    // Concurrent approvals by two others: exactly one wins.
    expect((await t.gql(WAIVE, { id: p2.id, r: 'dup' }, staff)).data.waivePenalty.status).toBe('CONFIRMED');
    const third = await t.userToken('AGENCY_STAFF');
    const both = await Promise.all([t.gql(APPROVE_WAIVER, { id: p2.id }, other), t.gql(APPROVE_WAIVER, { id: p2.id }, third)]);
    expect(both.filter((r) => !r.errors)).toHaveLength(1);
    expect(both.filter((r) => r.errors?.[0].extensions.code === 'CONFLICT')).toHaveLength(1);
  });

  it('names bad input of createPenalty and writes nothing', async () => {
    const a = await createAgent(t);
    const staff = await t.token('staff');
    expectError(await t.gql(CREATE, { i: { agentId: a.id, amountFen: 0, reason: 'r' } }, staff), 'BAD_USER_INPUT', 'input.amountFen');
    expectError(await t.gql(CREATE, { i: { agentId: a.id, amountFen: -100, reason: 'r' } }, staff), 'BAD_USER_INPUT', 'input.amountFen');
    expectError(await t.gql(CREATE, { i: { agentId: a.id, amountFen: 100, reason: '  ' } }, staff), 'BAD_USER_INPUT', 'input.reason');
    expectError(await t.gql(CREATE, { i: { agentId: '99999999', amountFen: 100, reason: 'r' } }, staff), 'BAD_USER_INPUT', 'input.agentId');
    expect(await penaltiesOf(a.id)).toEqual([]);
  });

  it.each([
    ['AUDITOR', 'createPenalty'],
    ['FINANCE', 'confirmPenalty'],
    ['AGENT', 'waivePenalty'],
  ])('%s may not %s', async (role, what) => {
    const a = await createAgent(t);
    const p = (await t.gql(CREATE, { i: { agentId: a.id, amountFen: 100, reason: 'r' } }, await t.token('staff'))).data.createPenalty.id;
    const token = await t.userToken(role, role === 'AGENT' ? { agentId: a.id } : {});
    const res =
      what === 'createPenalty'
        ? await t.gql(CREATE, { i: { agentId: a.id, amountFen: 100, reason: 'r' } }, token)
        : what === 'confirmPenalty'
          ? await t.gql(CONFIRM, { id: p }, token)
          : await t.gql(WAIVE, { id: p, r: 'r' }, token);
    expectError(res, 'FORBIDDEN');
  });
});

describe('reading penalties', () => {
  it('an AGENT sees its own penalties only, by list, by id and on its agent', async () => {
    const mine = await createAgent(t);
    const theirs = await createAgent(t);
    const staff = await t.token('staff');
    const p1 = (await t.gql(CREATE, { i: { agentId: mine.id, amountFen: 300, reason: 'mine' } }, staff)).data.createPenalty.id;
    const p2 = (await t.gql(CREATE, { i: { agentId: theirs.id, amountFen: 400, reason: 'theirs' } }, staff)).data.createPenalty.id;
    const token = await t.userToken('AGENT', { agentId: mine.id });
    const list = await t.gql(`{ penalties { totalCount edges { node { id agent { id } } } } }`, {}, token);
    expect(list.data.penalties.edges.map((e: any) => e.node.id)).toEqual([p1]);
    expectError(await t.gql(`query($a: ID){ penalties(filter: { agentId: $a }) { totalCount } }`, { a: theirs.id }, token), 'NOT_FOUND');
    expectError(await t.gql(`query($id: ID!){ penalty(id:$id){ id } }`, { id: p2 }, token), 'NOT_FOUND');
    expect((await t.gql(`query($id: ID!){ penalty(id:$id){ id amountFen } }`, { id: p1 }, token)).data.penalty).toEqual({ id: p1, amountFen: 300 });
    const nested = await t.gql(
      `query($id: ID!){ agent(id:$id){ penalties(status: PROPOSED){ totalCount edges { node { id reason } } } } }`,
      { id: mine.id },
      token,
    );
    expect(nested.data.agent.penalties).toEqual({ totalCount: 1, edges: [{ node: { id: p1, reason: 'mine' } }] });
  });

  it('Agent.penalties and Agent.commissionStatements cost the same number of statements for 2 penalties as for 20', async () => {
    const staff = await t.token('staff');
    const few = await createAgent(t);
    const many = await Promise.all(Array.from({ length: 4 }, () => createAgent(t)));
    for (let i = 0; i < 2; i++) await t.gql(CREATE, { i: { agentId: few.id, amountFen: 100 + i, reason: `few ${i}` } }, staff);
    for (let i = 0; i < 20; i++) await t.gql(CREATE, { i: { agentId: many[i % 4].id, amountFen: 200 + i, reason: `many ${i}` } }, staff);
    const q = `query($f: PenaltyFilter){ penalties(filter:$f, first: 50){ edges { node { id agent { code
      penalties(first: 3){ totalCount pageInfo { hasNextPage } edges { node { id amountFen } } }
      commissionStatements(first: 2){ totalCount edges { node { period } } } } } } } }`;
    const count = async (agentIds: string[]) => {
      let total = 0;
      for (const agentId of agentIds) {
        t.sql.reset();
        const res = await t.gql(q, { f: { agentId } }, staff);
        expect(res.errors).toBeUndefined();
        total = Math.max(total, t.sql.count);
      }
      return total;
    };
    t.sql.reset();
    const all = await t.gql(
      `{ penalties(first: 50, filter: { kind: MANUAL }){ edges { node { agent { id penalties(first: 3){ totalCount edges { node { id } } } commissionStatements { totalCount } } } } } }`,
      {},
      staff,
    );
    expect(all.errors).toBeUndefined();
    const manyAgents = t.sql.count;
    const one = await count([few.id]);
    expect(one).toBeGreaterThan(3); // the counter sees the statements
    expect(manyAgents).toBe(one);
    const nested = all.data.penalties.edges.filter((e: any) => many.some((m) => m.id === e.node.agent.id));
    for (const e of nested) {
      expect(e.node.agent.penalties.totalCount).toBe(5);
      expect(e.node.agent.penalties.edges).toHaveLength(3);
    }
  });
});

describe('concurrency', () => {
  it('two people confirming, or two waiving, one penalty at once: exactly one wins', async () => {
    const a = await createAgent(t);
    const staff = await t.token('staff');
    const second = await t.userToken('AGENCY_STAFF');
    const third = await t.userToken('AGENCY_STAFF');
    for (let round = 0; round < 4; round++) {
      const id = (await t.gql(CREATE, { i: { agentId: a.id, amountFen: 500, reason: `round ${round}` } }, staff)).data.createPenalty.id;
      const race =
        round % 2
          ? [t.gql(CONFIRM, { id }, second), t.gql(CONFIRM, { id }, third)]
          : [t.gql(WAIVE, { id, r: '重複' }, second), t.gql(WAIVE, { id, r: '重複' }, third)];
      const results = await Promise.all(race);
      expect(results.filter((r) => !r.errors)).toHaveLength(1);
      for (const r of results.filter((x) => x.errors)) expect(r.errors![0].extensions.code).toBe('CONFLICT');
      const log = await t.gql(`query($id: ID){ changeLog(entityType:"Penalty", entityId:$id){ totalCount } }`, { id }, await t.token('admin'));
      expect(log.data.changeLog.totalCount).toBe(2); // created, then one decision
    }
  });
});
