import { expectError, startTestApp, TestApp, expectConflict } from '../helpers/app';
import { addRecords, auditBatch, createAgent, GQL, sh } from './audits.fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const SETTLE = `mutation($p: String!){ settleCommissions(period:$p){ period status statementCount activations grossFen penaltiesFen penaltyCount carriedInFen netFen carriedOutFen settledAt settledBy { username } closedAt } }`;
const CLOSE = `mutation($p: String!){ closeCommissionPeriod(period:$p){ period status statementCount netFen closedAt closedBy { username } } }`;
const STATEMENTS = `query($p: String, $a: ID, $first: Int, $after: String){ commissionStatements(period:$p, agentId:$a, first:$first, after:$after){ totalCount pageInfo { hasNextPage endCursor }
  edges { node { id period agent { id } activations commissionPerActivationFen grossFen penaltiesFen penaltyCount carriedInFen netFen carriedOutFen carriedIntoPeriod status closedAt
    penalties { id amountFen status settledPeriod } } } } }`;
const CONFIRM = `mutation($id: ID!){ confirmPenalty(id:$id){ id status } }`;
const WAIVE = `mutation($id: ID!, $r: String!){ waivePenalty(id:$id, reason:$r){ id status } }`;
const APPROVE_WAIVER = `mutation($id: ID!){ approvePenaltyWaiver(id:$id){ id status } }`;
/** A CONFIRMED penalty is waived by two people: one requests, another approves. */
async function waiveConfirmed(id: string, reason: string): Promise<void> {
  expect((await t.gql(WAIVE, { id, r: reason }, await t.token('staff'))).data.waivePenalty.status).toBe('CONFIRMED');
  const res = await t.gql(APPROVE_WAIVER, { id }, await t.userToken('AGENCY_STAFF'));
  expect(res.data.approvePenaltyWaiver.status).toBe('WAIVED');
}

async function settle(period: string) {
  const res = await t.gql(SETTLE, { p: period }, await t.token('finance'));
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.settleCommissions;
}
async function close(period: string) {
  const res = await t.gql(CLOSE, { p: period }, await t.token('finance'));
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.closeCommissionPeriod;
}
async function statement(period: string, agentId: string) {
  const res = await t.gql(STATEMENTS, { p: period, a: agentId }, await t.token('finance'));
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.commissionStatements.edges[0]?.node;
}
async function allStatements(period: string) {
  const res = await t.gql(STATEMENTS, { p: period, first: 200 }, await t.token('finance'));
  return res.data.commissionStatements.edges.map((e: any) => e.node);
}
async function agentCount() {
  return (await t.gql(`{ agents { totalCount } }`, {}, await t.token('staff'))).data.agents.totalCount;
}
/** Audit penalties for an agent's records of a period: one finding of `type` per record. */
async function auditPenalties(agentId: string, period: string, type = 'INCOMPLETE_DATA'): Promise<any[]> {
  const { batch } = await auditBatch(t, { period, strategy: 'RANDOM', sampleSize: 50, agentIds: [agentId] }, () => [{ type }]);
  const res = await t.gql(GQL.penalties, { f: { batchId: batch.id }, first: 50 }, await t.token('staff'));
  return res.data.penalties.edges.map((e: any) => e.node).reverse();
}

describe('settleCommissions', () => {
  it('counts activations by the Shanghai month, deducts confirmed penalties only, and gives the same result when re-run', async () => {
    const a = await createAgent(t, { commissionPerActivationFen: 2500 });
    await addRecords(t, a.id, [
      { openedAt: sh(2014, 12, 31, 20), submittedAt: sh(2014, 12, 31, 20, 30), activatedAt: sh(2014, 12, 31, 23, 59) }, // December
      { openedAt: sh(2014, 12, 31, 23), submittedAt: sh(2014, 12, 31, 23, 30), activatedAt: sh(2015, 1, 1, 0, 10) }, // 31 Dec 16:10 UTC: January in Shanghai
      { openedAt: sh(2015, 1, 15), activatedAt: sh(2015, 1, 15, 11) },
      { openedAt: sh(2015, 1, 31, 22), activatedAt: sh(2015, 1, 31, 23, 50) },
      { openedAt: sh(2015, 1, 31, 23), activatedAt: sh(2015, 2, 1, 0, 5) }, // February
      { openedAt: sh(2015, 1, 20) }, // never activated
    ]);
    const [p1, p2, p3] = await auditPenalties(a.id, '2015-01');
    const staff = await t.token('staff');
    await t.gql(CONFIRM, { id: p1.id }, staff);
    await t.gql(CONFIRM, { id: p2.id }, staff);
    await waiveConfirmed(p2.id, '申訴成立');
    // p3 stays PROPOSED.
    const result = await settle('2015-01');
    expect(result).toMatchObject({ period: '2015-01', status: 'OPEN', statementCount: await agentCount(), settledBy: { username: 'finance' }, closedAt: null });
    const s = await statement('2015-01', a.id);
    expect(s).toMatchObject({
      id: `2015-01:${a.id}`,
      period: '2015-01',
      activations: 3,
      commissionPerActivationFen: 2500,
      grossFen: 7500,
      penaltiesFen: p1.amountFen,
      penaltyCount: 1,
      carriedInFen: 0,
      netFen: 7500 - p1.amountFen,
      carriedOutFen: 0,
      status: 'OPEN',
    });
    expect(s.penalties).toEqual([{ id: p1.id, amountFen: p1.amountFen, status: 'CONFIRMED', settledPeriod: '2015-01' }]);
    const link = await t.gql(`query($id: ID!){ penalty(id:$id){ statement { id netFen } } }`, { id: p1.id }, staff);
    expect(link.data.penalty.statement).toEqual({ id: s.id, netFen: s.netFen });

    // Totals are the sum of the statements.
    const all = await allStatements('2015-01');
    expect(all).toHaveLength(result.statementCount);
    for (const key of ['activations', 'grossFen', 'penaltiesFen', 'netFen', 'carriedOutFen'] as const) {
      expect(result[key]).toBe(all.reduce((sum: number, x: any) => sum + x[key], 0));
    }

    // Re-running changes nothing.
    const again = await settle('2015-01');
    expect({ ...again, settledAt: null }).toEqual({ ...result, settledAt: null });
    expect(await statement('2015-01', a.id)).toEqual(s);

    // p3 confirmed later joins on the next run; p1 waived leaves it.
    await t.gql(CONFIRM, { id: p3.id }, staff);
    await waiveConfirmed(p1.id, '誤判');
    await settle('2015-01');
    const third = await statement('2015-01', a.id);
    expect(third).toMatchObject({ penaltiesFen: p3.amountFen, penaltyCount: 1, netFen: 7500 - p3.amountFen });
    expect(third.penalties.map((p: any) => p.id)).toEqual([p3.id]);
  });

  it('carries a shortfall into the next periods and freezes a closed period', async () => {
    const b = await createAgent(t, { commissionPerActivationFen: 1000 });
    await addRecords(t, b.id, [
      { openedAt: sh(2013, 1, 5), activatedAt: sh(2013, 1, 5, 12) },
      { openedAt: sh(2013, 1, 6), activatedAt: sh(2013, 1, 6, 12) },
    ]);
    const [fake] = await auditPenalties(b.id, '2013-01', 'FAKE_IDENTITY');
    const [incomplete] = await auditPenalties(b.id, '2013-01', 'INCOMPLETE_DATA');
    const staff = await t.token('staff');
    await t.gql(CONFIRM, { id: fake.id }, staff);

    // January: 2 × 10 yuan against a fake-identity penalty.
    const jan = await close('2013-01');
    expect(jan).toMatchObject({ period: '2013-01', status: 'CLOSED', closedBy: { username: 'finance' } });
    const sJan = await statement('2013-01', b.id);
    const shortfall = fake.amountFen - 2000;
    expect(sJan).toMatchObject({ grossFen: 2000, penaltiesFen: fake.amountFen, netFen: 0, carriedOutFen: shortfall, status: 'CLOSED' });
    expect(sJan.closedAt).toBeTruthy();
    expect(sJan.penalties).toEqual([{ id: fake.id, amountFen: fake.amountFen, status: 'APPLIED', settledPeriod: '2013-01' }]);

    // Frozen: no settling, closing or waiving what it applied.
    expectConflict(await t.gql(SETTLE, { p: '2013-01' }, await t.token('finance')), 'PERIOD_CLOSED');
    expectConflict(await t.gql(CLOSE, { p: '2013-01' }, await t.token('finance')), 'PERIOD_CLOSED');
    expectConflict(await t.gql(WAIVE, { id: fake.id, r: 'too late' }, staff), 'TRANSITION_NOT_ALLOWED');
    expect(await statement('2013-01', b.id)).toEqual({ ...sJan, carriedIntoPeriod: null });

    // A January penalty confirmed after January closed goes to the next period settled.
    await t.gql(CONFIRM, { id: incomplete.id }, staff);
    await addRecords(
      t,
      b.id,
      Array.from({ length: 10 }, (_, i) => ({ openedAt: sh(2013, 2, 1 + i), activatedAt: sh(2013, 2, 1 + i, 15) })),
    );
    await settle('2013-02');
    const sFeb = await statement('2013-02', b.id);
    expect(sFeb).toMatchObject({
      activations: 10,
      grossFen: 10000,
      carriedInFen: -shortfall,
      penaltiesFen: incomplete.amountFen,
      netFen: Math.max(0, 10000 - shortfall - incomplete.amountFen),
      carriedOutFen: Math.max(0, shortfall + incomplete.amountFen - 10000),
    });
    expect(sFeb.penalties.map((p: any) => p.id)).toEqual([incomplete.id]);
    expect((await statement('2013-01', b.id)).carriedIntoPeriod).toBe('2013-02');
    // Re-settling February takes the shortfall once.
    await settle('2013-02');
    expect(await statement('2013-02', b.id)).toEqual(sFeb);
    await close('2013-02');

    await addRecords(
      t,
      b.id,
      Array.from({ length: 60 }, (_, i) => ({ openedAt: sh(2013, 3, 1 + (i % 28)), activatedAt: sh(2013, 3, 1 + (i % 28), 16) })),
    );
    await settle('2013-03');
    const sMar = await statement('2013-03', b.id);
    expect(sMar).toMatchObject({ grossFen: 60000, carriedInFen: -sFeb.carriedOutFen, netFen: 60000 - sFeb.carriedOutFen, carriedOutFen: 0 });
    // Every fen of the fake-identity penalty is accounted for: paid out of three periods' commission.
    expect(sJan.grossFen + sFeb.grossFen + sMar.grossFen - sJan.netFen - sFeb.netFen - sMar.netFen).toBe(fake.amountFen + incomplete.amountFen);
    await close('2013-03');
  });

  it('never deducts a penalty twice, whatever order periods are settled in', async () => {
    const c = await createAgent(t, { commissionPerActivationFen: 3000 });
    await addRecords(t, c.id, [{ openedAt: sh(2012, 5, 5), activatedAt: sh(2012, 5, 5, 12) }]);
    const [p] = await auditPenalties(c.id, '2012-05', 'LATE_ENTRY');
    await t.gql(CONFIRM, { id: p.id }, await t.token('staff'));
    await settle('2012-07');
    await settle('2012-05');
    await settle('2012-07');
    await settle('2012-06');
    const deducted = [];
    for (const period of ['2012-05', '2012-06', '2012-07']) deducted.push((await statement(period, c.id)).penaltiesFen);
    expect(deducted).toEqual([0, 0, p.amountFen]);
    const may = await statement('2012-05', c.id);
    expect(may).toMatchObject({ activations: 1, grossFen: 3000, netFen: 3000 });
    for (const period of ['2012-05', '2012-06', '2012-07']) await close(period);
  });

  it('settles concurrently without duplicates', async () => {
    await createAgent(t);
    const results = await Promise.all([settle('2011-11'), settle('2011-11'), settle('2011-11')]);
    const n = await agentCount();
    for (const r of results) expect(r.statementCount).toBe(n);
    expect(await allStatements('2011-11')).toHaveLength(n);
    await close('2011-11');
  });

  it('names a bad period and refuses other roles', async () => {
    const finance = await t.token('finance');
    expectError(await t.gql(SETTLE, { p: '2024-1' }, finance), 'BAD_USER_INPUT', 'period');
    expectError(await t.gql(CLOSE, { p: '24-01' }, finance), 'BAD_USER_INPUT', 'period');
    for (const role of ['AGENCY_STAFF', 'AUDITOR']) {
      const token = await t.userToken(role);
      expectError(await t.gql(SETTLE, { p: '2010-01' }, token), 'FORBIDDEN');
      expectError(await t.gql(CLOSE, { p: '2010-01' }, token), 'FORBIDDEN');
    }
    expectError(await t.gql(`query($p: String!){ commissionPeriod(period:$p){ status } }`, { p: '2010-01' }, finance), 'NOT_FOUND');
  });

  it('is logged, and lists settled periods newest first', async () => {
    await settle('2010-02');
    await close('2010-02');
    const log = await t.gql(
      `{ changeLog(entityType:"CommissionPeriod", entityId:"2010-02"){ edges { node { action actorName } } } }`,
      {},
      await t.token('admin'),
    );
    expect(log.data.changeLog.edges.map((e: any) => e.node)).toEqual([
      { action: 'closeCommissionPeriod', actorName: 'finance' },
      { action: 'settleCommissions', actorName: 'finance' },
    ]);
    const periods = await t.gql(`{ commissionPeriods(first: 200){ edges { node { period status } } } }`, {}, await t.token('finance'));
    const keys = periods.data.commissionPeriods.edges.map((e: any) => e.node.period);
    expect(keys).toEqual([...keys].sort().reverse());
    expect(periods.data.commissionPeriods.edges.find((e: any) => e.node.period === '2010-02').node.status).toBe('CLOSED');
  });
});

describe('reading statements', () => {
  it('FINANCE and agency staff read all; an AGENT only its own; others are refused', async () => {
    const mine = await createAgent(t);
    const theirs = await createAgent(t);
    await settle('2009-04');
    const token = await t.userToken('AGENT', { agentId: mine.id });
    const own = await t.gql(STATEMENTS, { p: '2009-04' }, token);
    expect(own.data.commissionStatements.edges.map((e: any) => e.node.agent.id)).toEqual([mine.id]);
    expectError(await t.gql(STATEMENTS, { p: '2009-04', a: theirs.id }, token), 'NOT_FOUND');
    const viaAgent = await t.gql(
      `query($id: ID!){ agent(id:$id){ commissionStatements { totalCount edges { node { period netFen } } } } }`,
      { id: mine.id },
      token,
    );
    expect(viaAgent.data.agent.commissionStatements.edges[0].node.period).toBe('2009-04');
    expect((await t.gql(STATEMENTS, { p: '2009-04', a: theirs.id }, await t.token('staff'))).data.commissionStatements.totalCount).toBe(1);
    expectError(await t.gql(STATEMENTS, { p: '2009-04' }, await t.token('auditor')), 'FORBIDDEN');
    expectError(await t.gql(STATEMENTS, { p: '2009-4' }, await t.token('finance')), 'BAD_USER_INPUT', 'period');
    await close('2009-04');
  });

  it('pages through statements without repeats', async () => {
    await settle('2009-06');
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: any = await t.gql(STATEMENTS, { p: '2009-06', first: 4, after }, await t.token('finance'));
      const conn = res.data.commissionStatements;
      seen.push(...conn.edges.map((e: any) => e.node.id));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(await agentCount());
    expect(new Set(seen).size).toBe(seen.length);
    await close('2009-06');
  });
});

describe('activationStats', () => {
  it('gives each agent its activations and the median and 90th percentile of submission-to-activation time', async () => {
    const fast = await createAgent(t, { regionCode: 'HONGHU' });
    const slow = await createAgent(t, { regionCode: 'HONGHU' });
    const elsewhere = await createAgent(t, { regionCode: 'GONGAN' });
    const minutes = (agentMinutes: number[], day: number) =>
      agentMinutes.map((m, i) => {
        const submittedAt = sh(2008, 8, day, 9, i);
        return { openedAt: sh(2008, 8, day, 8, i), submittedAt, activatedAt: new Date(submittedAt.getTime() + m * 60_000) };
      });
    await addRecords(t, fast.id, minutes([1, 2, 3, 4], 3)); // median 2.5 min, p90 4 min
    await addRecords(t, slow.id, minutes([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110], 4)); // median 60, p90 100
    await addRecords(t, elsewhere.id, minutes([5], 5));
    await addRecords(t, fast.id, [{ openedAt: sh(2008, 9, 1), activatedAt: sh(2008, 9, 1, 12) }]); // another month
    const q = `query($p: String!, $r: String){ activationStats(period:$p, regionCode:$r){ period regionCode activations medianSeconds p90Seconds agents { agent { id } activations medianSeconds p90Seconds } } }`;
    const res = await t.gql(q, { p: '2008-08', r: 'HONGHU' }, await t.token('staff'));
    expect(res.errors).toBeUndefined();
    expect(res.data.activationStats).toEqual({
      period: '2008-08',
      regionCode: 'HONGHU',
      activations: 15,
      medianSeconds: 40 * 60, // 1 2 3 4 10 20 30 [40] 50 ... 110 minutes
      p90Seconds: 100 * 60, // nearest rank: the 14th of 15
      agents: [
        { agent: { id: fast.id }, activations: 4, medianSeconds: 150, p90Seconds: 240 },
        { agent: { id: slow.id }, activations: 11, medianSeconds: 3600, p90Seconds: 6000 },
      ],
    });
    const own = await t.gql(q, { p: '2008-08' }, await t.userToken('AGENT', { agentId: elsewhere.id }));
    expect(own.data.activationStats.agents).toEqual([{ agent: { id: elsewhere.id }, activations: 1, medianSeconds: 300, p90Seconds: 300 }]);
    expectError(await t.gql(q, { p: '2008-08', r: 'WUHAN' }, await t.token('staff')), 'BAD_USER_INPUT', 'regionCode');
    const empty = await t.gql(q, { p: '2001-01' }, await t.token('staff'));
    expect(empty.data.activationStats).toMatchObject({ activations: 0, medianSeconds: null, p90Seconds: null, agents: [] });
  });
});
