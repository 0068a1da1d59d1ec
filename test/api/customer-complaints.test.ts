import { startTestApp, TestApp, expectError, expectConflict } from '../helpers/app';
import { createPartner, partnerToken } from './repair-fixtures';
import { nextMsisdn } from './registrations.fixtures';
import { activeLine, createAgent, openComplaint, secondDesk, startAndResolve } from './customer.fixtures';

const HOUR = 3600_000;
const SH = 8 * HOUR;
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

/** 00:30 on the 1st of the current Shanghai month (of the previous one when that is not yet past): in UTC, still the month before. */
function firstOfMonthJustAfterMidnight(): Date {
  const local = new Date(Date.now() + SH);
  let at = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1, 0, 30) - SH);
  if (at.getTime() > Date.now() - HOUR) at = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1, 0, 30) - SH);
  return at;
}

const OVERDUE = `query($at: DateTime){ overdueComplaints(first: 200, asOf:$at){ edges { node { id } } } }`;
const overdueIds = async (at: Date) =>
  (await t.gql(OVERDUE, { at: at.toISOString() }, await t.token('service'))).data.overdueComplaints.edges.map((e: any) => e.node.id);

describe('complaints', () => {
  it('is due 24 hours after receipt, in the Shanghai month it was received, and overdue only after that', async () => {
    const receivedAt = firstOfMonthJustAfterMidnight();
    const res = await openComplaint(t, {
      msisdn: nextMsisdn('189'),
      category: 'NETWORK',
      description: '信號差',
      receivedAt: receivedAt.toISOString(),
      regionCode: 'SHASHI',
    });
    expect(res.errors).toBeUndefined();
    const c = res.data.openComplaint;
    expect(c.state).toBe('OPEN');
    expect(new Date(c.dueAt).getTime() - new Date(c.receivedAt).getTime()).toBe(24 * HOUR);
    // Received 00:30 Shanghai on the 1st = 16:30 UTC the day before: the Shanghai month counts.
    const shanghaiMonth = new Date(receivedAt.getTime() + SH).toISOString().slice(0, 7);
    expect(receivedAt.toISOString().slice(0, 7)).not.toBe(shanghaiMonth);
    expect(c.period).toBe(shanghaiMonth);

    const due = new Date(c.dueAt);
    expect(await overdueIds(new Date(due.getTime() - 1000))).not.toContain(c.id);
    expect(await overdueIds(new Date(due.getTime() + 1000))).toContain(c.id);
    // Not before it was received, nor once resolved.
    expect(await overdueIds(new Date(receivedAt.getTime() - HOUR))).not.toContain(c.id);
    expect((await startAndResolve(t, c.id, { outcome: 'NOT_UPHELD', note: '基站正常' })).errors).toBeUndefined();
    expect(await overdueIds(new Date(due.getTime() + 1000))).not.toContain(c.id);
  });

  it('a complaint received late in the Shanghai evening is due the next evening, across the day boundary', async () => {
    const local = new Date(Date.now() + SH);
    const evening = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - 3, 23, 30) - SH);
    const c = (
      await openComplaint(t, { msisdn: nextMsisdn('189'), category: 'SERVICE', description: '排隊', receivedAt: evening.toISOString(), regionCode: 'JIANLI' })
    ).data.openComplaint;
    const dueLocal = new Date(new Date(c.dueAt).getTime() + SH).toISOString();
    expect(dueLocal.slice(11, 16)).toBe('23:30');
    expect(new Date(dueLocal).getUTCDate()).toBe(new Date(evening.getTime() + SH + 24 * HOUR).getUTCDate());
    // Midnight of the next Shanghai day has passed but the 24 hours have not.
    const nextMidnight = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - 2, 0, 0) - SH);
    expect(await overdueIds(new Date(nextMidnight.getTime() + HOUR))).not.toContain(c.id);
    expect(await overdueIds(new Date(new Date(c.dueAt).getTime() + 60_000))).toContain(c.id);
  });

  it('moves forward only: OPEN → IN_PROGRESS → RESOLVED → CLOSED', async () => {
    const service = await t.token('service');
    const c = (await openComplaint(t, { msisdn: nextMsisdn('189'), category: 'SERVICE', description: '態度差', regionCode: 'SHASHI' })).data.openComplaint;
    const START = `mutation($id: ID!){ startComplaint(id:$id){ state } }`;
    const RESOLVE = `mutation($id: ID!, $i: ResolveComplaintInput!){ resolveComplaint(id:$id, input:$i){ state outcome resolutionNote } }`;
    const CLOSE = `mutation($id: ID!){ closeComplaint(id:$id){ state closedAt } }`;
    expectConflict(await t.gql(RESOLVE, { id: c.id, i: { outcome: 'NOT_UPHELD', note: 'x' } }, service), 'TRANSITION_NOT_ALLOWED');
    expectError(await t.gql(CLOSE, { id: c.id }, service), 'CONFLICT');
    expect((await t.gql(START, { id: c.id }, service)).data.startComplaint.state).toBe('IN_PROGRESS');
    expectError(await t.gql(START, { id: c.id }, service), 'CONFLICT');
    expectError(await t.gql(RESOLVE, { id: c.id, i: { outcome: 'NOT_UPHELD', note: '  ' } }, service), 'BAD_USER_INPUT', 'input.note');
    expectError(await t.gql(CLOSE, { id: c.id }, service), 'CONFLICT');
    const resolved = await t.gql(RESOLVE, { id: c.id, i: { outcome: 'NOT_UPHELD', note: '已解釋' } }, service);
    expect(resolved.data.resolveComplaint).toEqual({ state: 'RESOLVED', outcome: 'NOT_UPHELD', resolutionNote: '已解釋' });
    expectError(await t.gql(RESOLVE, { id: c.id, i: { outcome: 'UPHELD', note: 'again' } }, service), 'CONFLICT');
    expect((await t.gql(CLOSE, { id: c.id }, service)).data.closeComplaint.state).toBe('CLOSED');
    expectError(await t.gql(START, { id: c.id }, service), 'CONFLICT');
    expectError(await t.gql(CLOSE, { id: c.id }, service), 'CONFLICT');
    expectError(await t.gql(START, { id: '999999' }, service), 'NOT_FOUND');
  });

  it('refuses bad input naming the field, writing nothing', async () => {
    const before = (await t.gql(`{ complaints(first: 1){ edges { node { id } } } }`, {}, await t.token('service'))).data.complaints.edges[0]?.node.id ?? null;
    expectError(await openComplaint(t, { msisdn: '12345', category: 'SERVICE', description: 'x', regionCode: 'SHASHI' }), 'BAD_USER_INPUT', 'input.msisdn');
    expectError(await openComplaint(t, { msisdn: nextMsisdn('189'), category: 'AGENT_CONDUCT', description: 'x' }), 'BAD_USER_INPUT', 'input.msisdn');
    expectError(
      await openComplaint(t, { msisdn: nextMsisdn('189'), category: 'SP_CHARGE', description: 'x', disputedAmountFen: 500, regionCode: 'SHASHI' }),
      'BAD_USER_INPUT',
      'input.spId',
    );
    expectError(
      await openComplaint(t, { msisdn: nextMsisdn('189'), category: 'REPAIR', description: 'x', regionCode: 'SHASHI' }),
      'BAD_USER_INPUT',
      'input.repairPartnerId',
    );
    expectError(
      await openComplaint(t, { msisdn: nextMsisdn('189'), category: 'ROAMING_CHARGE', description: 'x', regionCode: 'SHASHI' }),
      'BAD_USER_INPUT',
      'input.disputedAmountFen',
    );
    expectError(await openComplaint(t, { msisdn: nextMsisdn('189'), category: 'SERVICE', description: 'x' }), 'BAD_USER_INPUT', 'input.regionCode');
    const future = new Date(Date.now() + 3 * HOUR).toISOString();
    expectError(
      await openComplaint(t, { msisdn: nextMsisdn('189'), category: 'SERVICE', description: 'x', regionCode: 'SHASHI', receivedAt: future }),
      'BAD_USER_INPUT',
      'input.receivedAt',
    );
    const after = (await t.gql(`{ complaints(first: 1){ edges { node { id } } } }`, {}, await t.token('service'))).data.complaints.edges[0]?.node.id ?? null;
    expect(after).toBe(before);
  });

  it('per category and month: count, median and p90 time to resolution, share within 24 hours', async () => {
    const ages = [2, 10, 30, 5, 40];
    const made: { period: string; seconds: number }[] = [];
    for (const h of ages) {
      const c = (
        await openComplaint(t, {
          msisdn: nextMsisdn('189'),
          category: 'ROAMING_CHARGE',
          description: '漫遊',
          disputedAmountFen: 300,
          regionCode: 'SHISHOU',
          receivedAt: new Date(Date.now() - h * HOUR).toISOString(),
        })
      ).data.openComplaint;
      const r = await startAndResolve(t, c.id, { outcome: 'NOT_UPHELD', note: '本地通話' });
      made.push({ period: c.period, seconds: r.data.resolveComplaint.resolutionSeconds });
    }
    // One more, never resolved: counted, not resolved, not within 24 hours.
    const open = (
      await openComplaint(t, { msisdn: nextMsisdn('189'), category: 'ROAMING_CHARGE', description: '漫遊', disputedAmountFen: 300, regionCode: 'SHISHOU' })
    ).data.openComplaint;
    for (const period of new Set([...made.map((m) => m.period), open.period])) {
      const mine = made
        .filter((m) => m.period === period)
        .map((m) => m.seconds)
        .sort((a, b) => a - b);
      const count = mine.length + (open.period === period ? 1 : 0);
      const stats = await t.gql(
        `query($p: String!){ complaintStats(period:$p){ category count resolved medianSeconds p90Seconds within24h shareWithin24h } }`,
        { p: period },
        await t.token('auditor'),
      );
      expect(stats.errors).toBeUndefined();
      const row = stats.data.complaintStats.find((s: any) => s.category === 'ROAMING_CHARGE');
      const within = mine.filter((s) => s <= 86_400).length;
      expect(row).toEqual({
        category: 'ROAMING_CHARGE',
        count,
        resolved: mine.length,
        medianSeconds: mine.length ? mine[Math.ceil(0.5 * mine.length) - 1] : null,
        p90Seconds: mine.length ? mine[Math.ceil(0.9 * mine.length) - 1] : null,
        within24h: within,
        shareWithin24h: Math.round((within / count) * 10000) / 10000,
      });
    }
    // The ages straddle 24 hours: both kinds were counted.
    expect(made.filter((m) => m.seconds <= 86_400).length).toBe(3);
  });

  it('an upheld AGENT_CONDUCT complaint: a finding against the agent, compensation proposed and confirmed by a second person', async () => {
    const agent = await createAgent(t);
    const line = await activeLine(t, agent.id);
    const c = (await openComplaint(t, { msisdn: line.msisdn, category: 'AGENT_CONDUCT', description: '多收選號費 20 元', disputedAmountFen: 2_000 })).data
      .openComplaint;
    expect(c.agent.id).toBe(agent.id);
    const r = await startAndResolve(t, c.id, { outcome: 'UPHELD', note: '代辦點承認多收' });
    expect(r.errors).toBeUndefined();
    const resolved = r.data.resolveComplaint;
    expect(resolved.finding.type).toBe('TARIFF_MISMATCH');
    expect(resolved.compensation).toMatchObject({ status: 'PROPOSED', basis: 'MULTIPLE', multiplier: 1, amountFen: 2_000, period: null });

    // The penalty the audits rules give, on the agent.
    const pen = await t.gql(
      `query($f: PenaltyFilter){ penalties(filter:$f){ edges { node { findingType amountFen finding { complaint { id } } } } } }`,
      { f: { agentId: agent.id } },
      await t.token('staff'),
    );
    expect(pen.data.penalties.edges.map((e: any) => e.node)).toEqual([
      { findingType: 'TARIFF_MISMATCH', amountFen: 5_000, finding: { complaint: { id: c.id } } },
    ]);

    // Four eyes.
    const CONFIRM = `mutation($id: ID!){ confirmCompensation(id:$id){ status period decidedBy { username } } }`;
    const CLOSE = `mutation($id: ID!){ closeComplaint(id:$id){ state } }`;
    expectError(await t.gql(CONFIRM, { id: resolved.compensation.id }, await t.token('service')), 'FORBIDDEN');
    expectConflict(await t.gql(CLOSE, { id: c.id }, await t.token('service')), 'COMPENSATION_UNDECIDED');
    const other = await secondDesk(t);
    const ok = await t.gql(CONFIRM, { id: resolved.compensation.id }, other);
    expect(ok.errors).toBeUndefined();
    expect(ok.data.confirmCompensation.status).toBe('CONFIRMED');
    expect(ok.data.confirmCompensation.period).toMatch(/^\d{4}-\d{2}$/);
    expectConflict(await t.gql(CONFIRM, { id: resolved.compensation.id }, other), 'TRANSITION_NOT_ALLOWED');
    expect((await t.gql(CLOSE, { id: c.id }, await t.token('service'))).data.closeComplaint.state).toBe('CLOSED');
  });

  it('a rejected compensation needs a reason and a second person too', async () => {
    const c = (await openComplaint(t, { msisdn: nextMsisdn('189'), category: 'SERVICE', description: '態度', regionCode: 'SHASHI' })).data.openComplaint;
    const comp = (await startAndResolve(t, c.id, { outcome: 'UPHELD', note: '屬實' })).data.resolveComplaint.compensation;
    expect(comp).toMatchObject({ status: 'PROPOSED', basis: 'FIXED', amountFen: 2_000 });
    const REJECT = `mutation($id: ID!, $r: String!){ rejectCompensation(id:$id, reason:$r){ status rejectReason } }`;
    expectError(await t.gql(REJECT, { id: comp.id, r: '客戶放棄' }, await t.token('service')), 'FORBIDDEN');
    const other = await secondDesk(t);
    expectError(await t.gql(REJECT, { id: comp.id, r: ' ' }, other), 'BAD_USER_INPUT', 'reason');
    expect((await t.gql(REJECT, { id: comp.id, r: '客戶放棄' }, other)).data.rejectCompensation).toEqual({ status: 'REJECTED', rejectReason: '客戶放棄' });
  });

  it("the rule book is ADMIN's, with history; a proposal keeps the amount it was made at", async () => {
    const SET = `mutation($i: CompensationRuleInput!){ setCompensationRule(input:$i){ category basis amountFen multiplier updatedBy { username } } }`;
    expectError(await t.gql(SET, { i: { category: 'NETWORK', basis: 'FIXED', amountFen: 5_000 } }, await t.token('service')), 'FORBIDDEN');
    expectError(await t.gql(SET, { i: { category: 'NETWORK', basis: 'FIXED' } }, await t.token('admin')), 'BAD_USER_INPUT', 'input.amountFen');
    expectError(
      await t.gql(SET, { i: { category: 'SP_CHARGE', basis: 'MULTIPLE', multiplier: 1 } }, await t.token('admin')),
      'BAD_USER_INPUT',
      'input.multiplier',
    );
    const c = (await openComplaint(t, { msisdn: nextMsisdn('189'), category: 'NETWORK', description: '掉話', regionCode: 'HONGHU' })).data.openComplaint;
    const comp = (await startAndResolve(t, c.id, { outcome: 'UPHELD', note: '屬實' })).data.resolveComplaint.compensation;
    expect(comp.amountFen).toBe(2_000);
    const set = await t.gql(SET, { i: { category: 'NETWORK', basis: 'FIXED', amountFen: 5_000, description: '50 元話費' } }, await t.token('admin'));
    expect(set.data.setCompensationRule).toEqual({ category: 'NETWORK', basis: 'FIXED', amountFen: 5_000, multiplier: 0, updatedBy: { username: 'admin' } });
    const hist = await t.gql(`{ compensationRuleHistory(category: NETWORK){ amountFen changedBy { username } } }`, {}, await t.token('auditor'));
    expect(hist.data.compensationRuleHistory).toEqual([
      { amountFen: 5_000, changedBy: { username: 'admin' } },
      { amountFen: 2_000, changedBy: null },
    ]);
    const again = await t.gql(`query($id: ID!){ complaint(id:$id){ compensation { amountFen } } }`, { id: c.id }, await t.token('service'));
    expect(again.data.complaint.compensation.amountFen).toBe(2_000);
  });

  it('tenants: an agent sees complaints about itself without what the customer said; a partner only upheld ones about itself, also in its statement', async () => {
    const agent = await createAgent(t);
    const otherAgent = await createAgent(t);
    const line = await activeLine(t, agent.id);
    const otherLine = await activeLine(t, otherAgent.id);
    const mine = (await openComplaint(t, { msisdn: line.msisdn, category: 'FALSE_RECORD', description: '證件不是我的' })).data.openComplaint;
    const theirs = (await openComplaint(t, { msisdn: otherLine.msisdn, category: 'FALSE_RECORD', description: '證件不是我的' })).data.openComplaint;
    const agentToken = await t.userToken('AGENT', { agentId: agent.id });
    const LIST = `query($f: ComplaintFilter){ complaints(first: 50, filter:$f){ edges { node { id description category } } } }`;
    const seen = (await t.gql(LIST, {}, agentToken)).data.complaints.edges.map((e: any) => e.node);
    expect(seen).toEqual([{ id: mine.id, description: null, category: 'FALSE_RECORD' }]);
    expectError(await t.gql(`query($id: ID!){ complaint(id:$id){ id } }`, { id: theirs.id }, agentToken), 'NOT_FOUND');

    const partner = await createPartner(t);
    const otherPartner = await createPartner(t);
    const upheld = (await openComplaint(t, { msisdn: nextMsisdn('189'), category: 'REPAIR', description: '修了三次', repairPartnerId: partner.id })).data
      .openComplaint;
    const rejected = (await openComplaint(t, { msisdn: nextMsisdn('189'), category: 'REPAIR', description: '太慢', repairPartnerId: partner.id })).data
      .openComplaint;
    const elsewhere = (await openComplaint(t, { msisdn: nextMsisdn('189'), category: 'REPAIR', description: '修壞了', repairPartnerId: otherPartner.id })).data
      .openComplaint;
    await startAndResolve(t, upheld.id, { outcome: 'UPHELD', note: '返修' });
    await startAndResolve(t, rejected.id, { outcome: 'NOT_UPHELD', note: '在承諾時限內' });
    await startAndResolve(t, elsewhere.id, { outcome: 'UPHELD', note: '返修' });
    const shop = await partnerToken(t, partner.id);
    const partnerSees = (await t.gql(LIST, {}, shop)).data.complaints.edges.map((e: any) => e.node.id);
    expect(partnerSees).toEqual([upheld.id]);
    expectError(await t.gql(`query($id: ID!){ complaint(id:$id){ id } }`, { id: rejected.id }, shop), 'NOT_FOUND');
    expectError(await t.gql(LIST, {}, await t.token('finance')), 'FORBIDDEN');

    const period = new Date(Date.now() + SH).toISOString().slice(0, 7);
    const st = await t.gql(`query($p: String!){ partnerStatement(period:$p){ upheldComplaints { id category outcome description } } }`, { p: period }, shop);
    expect(st.errors).toBeUndefined();
    expect(st.data.partnerStatement.upheldComplaints).toEqual([{ id: upheld.id, category: 'REPAIR', outcome: 'UPHELD', description: null }]);
    const fin = await t.gql(
      `query($p: String!, $id: ID){ partnerStatement(period:$p, partnerId:$id){ upheldComplaints { id } } }`,
      { p: period, id: partner.id },
      await t.token('finance'),
    );
    expect(fin.data.partnerStatement.upheldComplaints).toEqual([{ id: upheld.id }]);
  });
});
