import { periodOf } from '../../src/common/period';
import { SAMPLING } from '../../src/modules/audits/audit.service';
import { drawHash, drawKey } from '../../src/modules/audits/audits.sql';
import { riskPoints } from '../../src/modules/audits/risk.service';
import { expectError, startTestApp, TestApp } from '../helpers/app';
import { addRecords, auditBatch, backdateAgent, batchItems, createAgent, GQL, monthRecords } from './audits.fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

describe('createAuditBatch', () => {
  it('draws flagged records first, then by the seeded key, only from the period', async () => {
    const a = await createAgent(t);
    const b = await createAgent(t);
    const aIds = await addRecords(t, a.id, [...monthRecords(2024, 3, 25), ...monthRecords(2024, 3, 5, { badId: true })]);
    const bIds = await addRecords(t, b.id, monthRecords(2024, 3, 30));
    const other = await addRecords(t, a.id, monthRecords(2024, 4, 10, { badId: true }));
    const flagged = new Set(aIds.slice(25));

    const res = await t.gql(
      GQL.createBatch,
      { i: { period: '2024-03', strategy: 'RANDOM', sampleSize: 12, seed: 42, agentIds: [a.id, b.id] } },
      await t.token('auditor'),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.createAuditBatch).toMatchObject({
      period: '2024-03',
      strategy: 'RANDOM',
      status: 'OPEN',
      seed: 42,
      sampleSize: 12,
      itemCount: 12,
      populationSize: 60,
      flaggedCount: 5,
      excludeAudited: false,
    });
    const items = await batchItems(t, res.data.createAuditBatch.id, await t.token('auditor'));
    expect(items.map((i) => i.drawRank)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const drawn = items.map((i) => Number(i.registration.id));
    // Flagged first (all five), then the unflagged ones in seeded order.
    expect(items.slice(0, 5).every((i) => i.flagged)).toBe(true);
    expect(new Set(drawn.slice(0, 5))).toEqual(flagged);
    expect(drawn.some((id) => other.includes(id))).toBe(false);
    const byKey = (x: number, y: number) => drawHash(y, 42) - drawHash(x, 42) || x - y;
    const expected = [...[...flagged].sort(byKey), ...[...aIds.slice(0, 25), ...bIds].sort(byKey).slice(0, 7)];
    expect(drawn).toEqual(expected);
  });

  it('draws the same records for the same seed and different ones for another seed', async () => {
    const a = await createAgent(t);
    await addRecords(t, a.id, monthRecords(2024, 6, 80));
    const auditor = await t.token('auditor');
    const draw = async (seed: number) => {
      const res = await t.gql(GQL.createBatch, { i: { period: '2024-06', strategy: 'RANDOM', sampleSize: 20, seed } }, auditor);
      expect(res.errors).toBeUndefined();
      return (await batchItems(t, res.data.createAuditBatch.id, auditor)).map((i) => i.registration.id);
    };
    const first = await draw(7);
    expect(await draw(7)).toEqual(first);
    const other = await draw(8);
    expect(other).not.toEqual(first);
    expect(new Set(other)).not.toEqual(new Set(first));
  });

  it('keeps the seed it chose when none is given, and that seed reproduces the draw', async () => {
    const a = await createAgent(t);
    await addRecords(t, a.id, monthRecords(2024, 7, 40));
    const auditor = await t.token('auditor');
    const one = await t.gql(GQL.createBatch, { i: { period: '2024-07', strategy: 'RISK_WEIGHTED', sampleSize: 10 } }, auditor);
    const seed = one.data.createAuditBatch.seed;
    expect(Number.isInteger(seed)).toBe(true);
    const two = await t.gql(GQL.createBatch, { i: { period: '2024-07', strategy: 'RISK_WEIGHTED', sampleSize: 10, seed } }, auditor);
    const ids = async (id: string) => (await batchItems(t, id, auditor)).map((i) => i.registration.id);
    expect(await ids(two.data.createAuditBatch.id)).toEqual(await ids(one.data.createAuditBatch.id));
  });

  it('risk-weighted draws more from the riskier agent, exactly as the weights say', async () => {
    const risky = await createAgent(t);
    const steady = await createAgent(t);
    await backdateAgent(t, steady.id, new Date(Date.now() - 400 * 86400_000));
    await addRecords(t, risky.id, monthRecords(2024, 8, 150));
    await addRecords(t, steady.id, monthRecords(2024, 8, 150));
    const recompute = await t.gql(`mutation { recomputeRiskScores { agents changed } }`, {}, await t.token('auditor'));
    expect(recompute.errors).toBeUndefined();
    const scores = await t.gql(
      `query($a: ID!, $b: ID!){ a: agent(id:$a){ riskScore riskFactors { newnessPoints score } } b: agent(id:$b){ riskScore } }`,
      { a: risky.id, b: steady.id },
      await t.token('auditor'),
    );
    expect(scores.data.a.riskScore).toBe(20);
    expect(scores.data.a.riskFactors).toEqual({ newnessPoints: 20, score: 20 });
    expect(scores.data.b.riskScore).toBe(0);

    const auditor = await t.token('auditor');
    const count = async (strategy: string) => {
      const res = await t.gql(GQL.createBatch, { i: { period: '2024-08', strategy, sampleSize: 60, seed: 2024, agentIds: [risky.id, steady.id] } }, auditor);
      const items = await batchItems(t, res.data.createAuditBatch.id, auditor);
      return { items, risky: items.filter((i) => i.agent.id === risky.id).length };
    };
    const weighted = await count('RISK_WEIGHTED');
    const random = await count('RANDOM');
    // Weight 30 against 10: about three in four draws are the risky agent's.
    expect(weighted.risky).toBeGreaterThanOrEqual(38);
    expect(weighted.risky).toBeGreaterThan(random.risky + 8);
    expect(weighted.items.filter((i) => i.agent.id === risky.id).every((i) => i.riskScoreAtDraw === 20)).toBe(true);
    // The database's draw is the documented key, computed here independently.
    const keyOf = (i: any) => drawKey('RISK_WEIGHTED', Number(i.registration.id), i.riskScoreAtDraw, 2024);
    const keys = weighted.items.map(keyOf);
    expect([...keys].sort((x, y) => y - x)).toEqual(keys);
  });

  it('draws exactly what ordering the whole population would, however few candidates it considers first', async () => {
    const risky = await createAgent(t);
    const steady = await createAgent(t);
    await backdateAgent(t, steady.id, new Date(Date.now() - 400 * 86400_000));
    const ids = [...(await addRecords(t, risky.id, monthRecords(2024, 11, 300))), ...(await addRecords(t, steady.id, monthRecords(2024, 11, 300)))];
    const flagged = await addRecords(t, steady.id, monthRecords(2024, 11, 2, { badId: true }));
    await t.gql(`mutation { recomputeRiskScores { agents } }`, {}, await t.token('auditor'));
    const risk = new Map<number, number>(ids.map((id, i) => [id, i < 300 ? 20 : 0]));
    const auditor = await t.token('auditor');
    for (const strategy of ['RANDOM', 'RISK_WEIGHTED'] as const) {
      const expected = [
        ...flagged.sort((x, y) => drawKey(strategy, y, 0, 99) - drawKey(strategy, x, 0, 99) || x - y),
        ...[...ids].sort((x, y) => drawKey(strategy, y, risk.get(y)!, 99) - drawKey(strategy, x, risk.get(x)!, 99) || x - y).slice(0, 10),
      ];
      // 16 candidates per wanted record first (the default), then as few as one: the draw must
      // notice it may have missed records and widen, and the answer must not change.
      for (const oversample of [16, 1, 0.2]) {
        SAMPLING.oversample = oversample;
        try {
          const res = await t.gql(GQL.createBatch, { i: { period: '2024-11', strategy, sampleSize: 12, seed: 99, agentIds: [risky.id, steady.id] } }, auditor);
          expect(res.errors).toBeUndefined();
          const items = await batchItems(t, res.data.createAuditBatch.id, auditor);
          expect(items.map((i) => Number(i.registration.id))).toEqual(expected);
          for (const i of items) expect(i.drawKey).toBeCloseTo(drawKey(strategy, Number(i.registration.id), i.riskScoreAtDraw, 99), 9);
        } finally {
          SAMPLING.oversample = 16;
        }
      }
    }
  });

  it('limits the sample to agentIds, draws all when the population is small, and can leave out earlier draws', async () => {
    const a = await createAgent(t);
    const b = await createAgent(t);
    await addRecords(t, a.id, monthRecords(2024, 9, 6));
    await addRecords(t, b.id, monthRecords(2024, 9, 6));
    const auditor = await t.token('auditor');
    const only = await t.gql(GQL.createBatch, { i: { period: '2024-09', strategy: 'RANDOM', sampleSize: 100, agentIds: [b.id] } }, auditor);
    expect(only.data.createAuditBatch).toMatchObject({ itemCount: 6, populationSize: 6, agentIds: [b.id] });
    const items = await batchItems(t, only.data.createAuditBatch.id, auditor);
    expect(items.every((i) => i.agent.id === b.id)).toBe(true);

    const fresh = await t.gql(GQL.createBatch, { i: { period: '2024-09', strategy: 'RANDOM', sampleSize: 100, excludeAudited: true } }, auditor);
    expect(fresh.data.createAuditBatch).toMatchObject({ itemCount: 6, populationSize: 6, excludeAudited: true });
    const freshItems = await batchItems(t, fresh.data.createAuditBatch.id, auditor);
    expect(freshItems.every((i) => i.agent.id === a.id)).toBe(true);

    const none = await t.gql(GQL.createBatch, { i: { period: '2024-09', strategy: 'RANDOM', sampleSize: 5, excludeAudited: true, agentIds: [b.id] } }, auditor);
    expectError(none, 'CONFLICT');
  });

  it('leaves out rejected records', async () => {
    const a = await createAgent(t);
    const ids = await addRecords(t, a.id, monthRecords(2024, 10, 4));
    const staff = await t.token('staff');
    const rej = await t.gql(`mutation($id: ID!){ rejectRegistration(id:$id, reason:"證件不符"){ status } }`, { id: String(ids[0]) }, staff);
    expect(rej.data.rejectRegistration.status).toBe('REJECTED');
    const res = await t.gql(GQL.createBatch, { i: { period: '2024-10', strategy: 'RANDOM', sampleSize: 10, agentIds: [a.id] } }, await t.token('auditor'));
    expect(res.data.createAuditBatch.populationSize).toBe(3);
    const items = await batchItems(t, res.data.createAuditBatch.id, await t.token('auditor'));
    expect(items.map((i) => Number(i.registration.id))).not.toContain(ids[0]);
  });

  it('names bad input and writes nothing', async () => {
    const auditor = await t.token('auditor');
    const before = (await t.gql(`{ auditBatches { totalCount } }`, {}, auditor)).data.auditBatches.totalCount;
    const base = { period: '2024-03', strategy: 'RANDOM', sampleSize: 5 };
    expectError(await t.gql(GQL.createBatch, { i: { ...base, period: '2024-13' } }, auditor), 'BAD_USER_INPUT', 'input.period');
    expectError(await t.gql(GQL.createBatch, { i: { ...base, sampleSize: 0 } }, auditor), 'BAD_USER_INPUT', 'input.sampleSize');
    expectError(await t.gql(GQL.createBatch, { i: { ...base, sampleSize: 5001 } }, auditor), 'BAD_USER_INPUT', 'input.sampleSize');
    expectError(await t.gql(GQL.createBatch, { i: { ...base, seed: -1 } }, auditor), 'BAD_USER_INPUT', 'input.seed');
    expectError(await t.gql(GQL.createBatch, { i: { ...base, agentIds: ['999999'] } }, auditor), 'BAD_USER_INPUT', 'input.agentIds.0');
    expectError(await t.gql(GQL.createBatch, { i: { ...base, agentIds: ['x'] } }, auditor), 'BAD_USER_INPUT', 'input.agentIds.0');
    expectError(await t.gql(GQL.createBatch, { i: { ...base, agentIds: [] } }, auditor), 'BAD_USER_INPUT', 'input.agentIds');
    expectError(await t.gql(GQL.createBatch, { i: { ...base, period: '2019-01' } }, auditor), 'CONFLICT');
    expect((await t.gql(`{ auditBatches { totalCount } }`, {}, auditor)).data.auditBatches.totalCount).toBe(before);
  });

  it.each(['AGENCY_STAFF', 'FINANCE', 'AFTERSALES_STAFF'])('is refused to %s', async (role) => {
    const res = await t.gql(GQL.createBatch, { i: { period: '2024-03', strategy: 'RANDOM', sampleSize: 5 } }, await t.userToken(role));
    expectError(res, 'FORBIDDEN');
  });
});

describe('riskScore', () => {
  it('is recomputed when a batch closes, from the recent failure rate, flag rate and age, as documented', async () => {
    const a = await createAgent(t);
    await backdateAgent(t, a.id, new Date(Date.now() - 45 * 86400_000));
    const openedAt = new Date(Date.now() - 10 * 86400_000);
    await addRecords(t, a.id, [...Array.from({ length: 6 }, () => ({ openedAt })), ...Array.from({ length: 4 }, () => ({ openedAt, badId: true }))]);
    let failed = 0;
    await auditBatch(t, { period: periodOf(openedAt).key, strategy: 'RANDOM', sampleSize: 5, agentIds: [a.id], seed: 11 }, () =>
      failed++ < 2 ? [{ type: 'DATA_MISMATCH' }] : null,
    );
    const res = await t.gql(
      `query($id: ID!){ agent(id:$id){ riskScore riskFactors { auditedItems failedItems recentRecords flaggedRecords findingPoints flagPoints newnessPoints score computedAt } } }`,
      { id: a.id },
      await t.token('auditor'),
    );
    const f = res.data.agent.riskFactors;
    expect(f).toMatchObject({ auditedItems: 5, failedItems: 2, recentRecords: 10, flaggedRecords: 4 });
    const expected = riskPoints({ ...f, ageDays: 45 });
    expect(f).toMatchObject(expected);
    expect(expected).toEqual({ findingPoints: 35, flagPoints: 20, newnessPoints: 13, score: 68 });
    expect(res.data.agent.riskScore).toBe(68);
    // riskFactors is for audit staff; the score itself is on every reader's Agent.
    expectError(await t.gql(`query($id: ID!){ agent(id:$id){ riskFactors { score } } }`, { id: a.id }, await t.token('finance')), 'FORBIDDEN');
    expect((await t.gql(`query($id: ID!){ agent(id:$id){ riskScore } }`, { id: a.id }, await t.token('finance'))).data.agent.riskScore).toBe(68);
  });

  it('recomputeRiskScores is for audit and agency staff', async () => {
    expectError(await t.gql(`mutation { recomputeRiskScores { agents } }`, {}, await t.token('finance')), 'FORBIDDEN');
    const res = await t.gql(`mutation { recomputeRiskScores { agents changed } }`, {}, await t.token('staff'));
    expect(res.data.recomputeRiskScores.agents).toBe((await t.gql(`{ agents { totalCount } }`, {}, await t.token('staff'))).data.agents.totalCount);
  });
});
