import { loadConfig, ConfigError } from '../../src/config';
import { startTestApp, TestApp, expectError, expectConflict } from '../helpers/app';
import { activeLine, createAgent } from './customer.fixtures';

const DAY = 86_400_000;
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const CALLBACKS = `query($f: CallbackFilter){ callbacks(first: 50, filter:$f){ edges { node { id seq dayOffset dueAt outcome note overdue agent { id } region { code } finding { id type } } } } }`;
const QUEUE = `query($f: CallbackFilter){ callbackQueue(first: 200, filter:$f){ edges { node { id seq dueAt } } } }`;
const RECORD = `mutation($id: ID!, $o: CallbackOutcome!, $n: String){ recordCallbackOutcome(id:$id, outcome:$o, note:$n){ id outcome note finding { id type note } } }`;
const PENALTIES = `query($f: PenaltyFilter){ penalties(first: 50, filter:$f){ edges { node { amountFen findingType status escalated finding { callback { id outcome } } } } } }`;

describe('callbacks', () => {
  it('activating a line schedules three callbacks at days 3, 10 and 25, in the queue once due', async () => {
    const agent = await createAgent(t, { regionCode: 'SONGZI' });
    const line = await activeLine(t, agent.id);
    const service = await t.token('service');
    const res = await t.gql(CALLBACKS, { f: { registrationId: line.id } }, service);
    expect(res.errors).toBeUndefined();
    const nodes = res.data.callbacks.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => [n.seq, n.dayOffset])).toEqual([
      [1, 3],
      [2, 10],
      [3, 25],
    ]);
    const activatedAt = new Date(line.activatedAt).getTime();
    expect(nodes.map((n: any) => new Date(n.dueAt).getTime() - activatedAt)).toEqual([3 * DAY, 10 * DAY, 25 * DAY]);
    expect(nodes.every((n: any) => n.outcome === null && n.agent.id === agent.id && n.region.code === 'SONGZI')).toBe(true);

    // Not yet due today; due four days on (the first only); overdue from the next Shanghai day.
    const ids = (r: any) => r.data.callbackQueue.edges.map((e: any) => e.node.id);
    const now = await t.gql(QUEUE, { f: { agentId: agent.id } }, service);
    expect(ids(now)).toEqual([]);
    const day4 = await t.gql(QUEUE, { f: { agentId: agent.id, asOf: new Date(activatedAt + 4 * DAY).toISOString() } }, service);
    expect(ids(day4)).toEqual([nodes[0].id]);
    const overdue3 = await t.gql(QUEUE, { f: { agentId: agent.id, overdueOnly: true, asOf: new Date(activatedAt + 3 * DAY).toISOString() } }, service);
    expect(ids(overdue3)).toEqual([]);
    const overdue5 = await t.gql(QUEUE, { f: { agentId: agent.id, overdueOnly: true, asOf: new Date(activatedAt + 5 * DAY).toISOString() } }, service);
    expect(ids(overdue5)).toEqual([nodes[0].id]);
    const otherRegion = await t.gql(QUEUE, { f: { regionCode: 'HONGHU', asOf: new Date(activatedAt + 11 * DAY).toISOString() } }, service);
    expect(ids(otherRegion)).not.toContain(nodes[0].id);
    const region = await t.gql(QUEUE, { f: { regionCode: 'SONGZI', asOf: new Date(activatedAt + 11 * DAY).toISOString() } }, service);
    expect(ids(region)).toEqual(expect.arrayContaining([nodes[0].id, nodes[1].id]));
    expect(ids(region)).not.toContain(nodes[2].id);
  });

  it('a denial creates a FAKE_IDENTITY finding against the agent: a penalty at the rule amount and a higher risk score', async () => {
    const agent = await createAgent(t);
    const line = await activeLine(t, agent.id);
    const service = await t.token('service');
    const staff = await t.token('staff');
    const riskQ = `query($id: ID!){ agent(id:$id){ riskScore } }`;
    const before = (await t.gql(riskQ, { id: agent.id }, staff)).data.agent.riskScore;
    const [first] = (await t.gql(CALLBACKS, { f: { registrationId: line.id } }, service)).data.callbacks.edges.map((e: any) => e.node);

    const res = await t.gql(RECORD, { id: first.id, o: 'DENIES_OWNERSHIP', n: '機主稱從未辦理 — private caller note' }, service);
    expect(res.errors).toBeUndefined();
    const cb = res.data.recordCallbackOutcome;
    expect(cb.outcome).toBe('DENIES_OWNERSHIP');
    expect(cb.finding.type).toBe('FAKE_IDENTITY');
    expect(cb.finding.note).not.toContain('private caller note');

    // The penalty at the rule's amount, and the finding links back to the callback.
    const link = await t.gql(PENALTIES, { f: { agentId: agent.id } }, staff);
    expect(link.errors).toBeUndefined();
    expect(link.data.penalties.edges.map((e: any) => e.node)).toEqual([
      {
        amountFen: 50_000,
        findingType: 'FAKE_IDENTITY',
        status: 'PROPOSED',
        escalated: false,
        finding: { callback: { id: first.id, outcome: 'DENIES_OWNERSHIP' } },
      },
    ]);

    // A new agent is scored on creation (20 for newness); recomputed as the finding's batch closed:
    // one failed audit out of one is ⌊125 × 1 ÷ 3⌋ = 41 points, plus the 20.
    expect(before).toBe(20);
    const after = (await t.gql(riskQ, { id: agent.id }, staff)).data.agent.riskScore;
    expect(after).toBe(41 + 20);

    // Written once.
    expectConflict(await t.gql(RECORD, { id: first.id, o: 'CONFIRMED' }, service), 'CALLBACK_ALREADY_MADE');
  });

  it('the third finding of a type within 90 days is escalated (the audits rules apply)', async () => {
    const agent = await createAgent(t);
    const service = await t.token('service');
    for (let i = 0; i < 3; i++) {
      const line = await activeLine(t, agent.id);
      const [first] = (await t.gql(CALLBACKS, { f: { registrationId: line.id } }, service)).data.callbacks.edges.map((e: any) => e.node);
      const res = await t.gql(RECORD, { id: first.id, o: 'DATA_MISMATCH' }, service);
      expect(res.errors).toBeUndefined();
      expect(res.data.recordCallbackOutcome.finding.type).toBe('DATA_MISMATCH');
    }
    const penalties = (await t.gql(PENALTIES, { f: { agentId: agent.id } }, await t.token('staff'))).data.penalties.edges.map((e: any) => e.node);
    expect(penalties.map((p: any) => [p.amountFen, p.escalated]).sort()).toEqual([
      [3_000, false],
      [3_000, false],
      [6_000, true],
    ]);
  });

  it('per agent and month: due, done, reached and the denial rate', async () => {
    const agent = await createAgent(t);
    const service = await t.token('service');
    const outcomes = ['CONFIRMED', 'NO_ANSWER', 'DENIES_OWNERSHIP', 'WRONG_NUMBER'];
    let period = '';
    for (const o of outcomes) {
      const line = await activeLine(t, agent.id);
      const nodes = (await t.gql(CALLBACKS, { f: { registrationId: line.id } }, service)).data.callbacks.edges.map((e: any) => e.node);
      const first = nodes[0];
      const shanghai = new Date(new Date(first.dueAt).getTime() + 8 * 3600_000);
      period = shanghai.toISOString().slice(0, 7);
      expect((await t.gql(RECORD, { id: first.id, o }, service)).errors).toBeUndefined();
    }
    const stats = await t.gql(
      `query($p: String!, $a: ID){ callbackStats(period:$p, agentId:$a){ period due done reached denied denialRate agent { id } } }`,
      { p: period, a: agent.id },
      service,
    );
    expect(stats.errors).toBeUndefined();
    const row = stats.data.callbackStats[0];
    expect(row.agent.id).toBe(agent.id);
    // The first calls all fall in `period`; later calls (days 10, 25) may fall in it too, unmade.
    expect(row.done).toBe(4);
    expect(row.reached).toBe(2);
    expect(row.denied).toBe(1);
    expect(row.denialRate).toBe(0.5);
    expect(row.due).toBeGreaterThanOrEqual(4);
  });

  it("an agent sees its own callbacks without the notes, not another agent's", async () => {
    const mine = await createAgent(t);
    const other = await createAgent(t);
    const service = await t.token('service');
    const line = await activeLine(t, mine.id);
    const otherLine = await activeLine(t, other.id);
    const [cb] = (await t.gql(CALLBACKS, { f: { registrationId: line.id } }, service)).data.callbacks.edges.map((e: any) => e.node);
    await t.gql(RECORD, { id: cb.id, o: 'NO_ANSWER', n: 'called at 10:05' }, service);
    const agentToken = await t.userToken('AGENT', { agentId: mine.id });
    const own = await t.gql(CALLBACKS, { f: { registrationId: line.id } }, agentToken);
    expect(own.errors).toBeUndefined();
    expect(own.data.callbacks.edges[0].node).toMatchObject({ outcome: 'NO_ANSWER', note: null });
    const theirs = await t.gql(CALLBACKS, { f: { registrationId: otherLine.id } }, agentToken);
    expect(theirs.data.callbacks.edges).toEqual([]);
    // Another tenant's agent is NOT_FOUND, as everywhere.
    expectError(await t.gql(CALLBACKS, { f: { agentId: other.id } }, agentToken), 'NOT_FOUND');
    expectError(await t.gql(RECORD, { id: cb.id, o: 'CONFIRMED' }, agentToken), 'FORBIDDEN');
    // Staff see the note.
    expect((await t.gql(CALLBACKS, { f: { registrationId: line.id } }, service)).data.callbacks.edges[0].node.note).toBe('called at 10:05');
  });
});

describe('callback days from the configuration', () => {
  it('follows CALLBACK_DAYS (config.callbackDays) of the app that activates the line', async () => {
    const other = await startTestApp({ callbackDays: [2, 7] });
    try {
      const agent = await createAgent(other);
      const line = await activeLine(other, agent.id);
      const res = await other.gql(CALLBACKS, { f: { registrationId: line.id } }, await other.token('service'));
      const nodes = res.data.callbacks.edges.map((e: any) => e.node);
      expect(nodes.map((n: any) => [n.seq, n.dayOffset, new Date(n.dueAt).getTime() - new Date(line.activatedAt).getTime()])).toEqual([
        [1, 2, 2 * DAY],
        [2, 7, 7 * DAY],
      ]);
    } finally {
      await other.stop();
    }
  });

  it('refuses a malformed CALLBACK_DAYS at start', () => {
    for (const bad of ['0,3', '3,3', '10,3', 'a', '1,2,3,4,5,6', '91']) {
      expect(() => loadConfig({ NODE_ENV: 'test', CALLBACK_DAYS: bad })).toThrow(ConfigError);
    }
    expect(loadConfig({ NODE_ENV: 'test', CALLBACK_DAYS: '1, 30' }).callbackDays).toEqual([1, 30]);
  });
});
