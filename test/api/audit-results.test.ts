import { expectError, startTestApp, TestApp, expectConflict } from '../helpers/app';
import { addRecords, batchItems, createAgent, GQL, monthRecords } from './audits.fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

async function newBatch(period: string, n: number, year = 2023) {
  const a = await createAgent(t);
  const month = Number(period.slice(5));
  await addRecords(t, a.id, monthRecords(year, month, n));
  const auditor = await t.token('auditor');
  const res = await t.gql(GQL.createBatch, { i: { period, strategy: 'RANDOM', sampleSize: n, agentIds: [a.id], seed: 1 } }, auditor);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return { agent: a, batch: res.data.createAuditBatch, items: await batchItems(t, res.data.createAuditBatch.id, auditor) };
}

describe('recordAuditResult', () => {
  it('records PASS, and FAIL with findings and notes, and can re-record until the batch closes', async () => {
    const { batch, items } = await newBatch('2023-01', 3);
    const auditor = await t.token('auditor');
    const pass = await t.gql(GQL.record, { id: items[0].id, o: 'PASS' }, auditor);
    expect(pass.errors).toBeUndefined();
    expect(pass.data.recordAuditResult).toMatchObject({ outcome: 'PASS', findings: [], auditor: { username: 'auditor' } });
    expect(pass.data.recordAuditResult.auditedAt).toBeTruthy();

    const fail = await t.gql(
      GQL.record,
      { id: items[1].id, o: 'FAIL', f: [{ type: 'TARIFF_MISMATCH', note: ' 客戶選的是39元套餐 ' }, { type: 'LATE_ENTRY' }] },
      auditor,
    );
    expect(fail.errors).toBeUndefined();
    expect(fail.data.recordAuditResult.findings).toEqual([
      { type: 'TARIFF_MISMATCH', note: '客戶選的是39元套餐' },
      { type: 'LATE_ENTRY', note: null },
    ]);

    // Re-record: the second auditor's result replaces the first, findings included.
    const other = await t.userToken('AUDITOR');
    const again = await t.gql(GQL.record, { id: items[1].id, o: 'FAIL', f: [{ type: 'DATA_MISMATCH', note: '姓名不符' }] }, other);
    expect(again.data.recordAuditResult.findings).toEqual([{ type: 'DATA_MISMATCH', note: '姓名不符' }]);
    expect(again.data.recordAuditResult.auditor.username).not.toBe('auditor');
    const back = await t.gql(GQL.record, { id: items[0].id, o: 'FAIL', f: [{ type: 'INCOMPLETE_DATA' }] }, auditor);
    expect(back.data.recordAuditResult.outcome).toBe('FAIL');
    const toPass = await t.gql(GQL.record, { id: items[0].id, o: 'PASS' }, auditor);
    expect(toPass.data.recordAuditResult.findings).toEqual([]);

    const view = await t.gql(GQL.batchItems, { id: batch.id }, auditor);
    expect(view.data.auditBatch.progress).toEqual({ recorded: 2, pending: 1, passed: 1, failed: 1, findings: 1 });
    const pending = await t.gql(GQL.batchItems, { id: batch.id, f: { pending: true } }, auditor);
    expect(pending.data.auditBatch.items.edges.map((e: any) => e.node.id)).toEqual([items[2].id]);
    const failed = await t.gql(GQL.batchItems, { id: batch.id, f: { outcome: 'FAIL' } }, auditor);
    expect(failed.data.auditBatch.items.totalCount).toBe(1);
  });

  it('names bad input and changes nothing', async () => {
    const { items } = await newBatch('2023-02', 1);
    const auditor = await t.token('auditor');
    expectError(await t.gql(GQL.record, { id: items[0].id, o: 'FAIL' }, auditor), 'BAD_USER_INPUT', 'findings');
    expectError(await t.gql(GQL.record, { id: items[0].id, o: 'FAIL', f: [] }, auditor), 'BAD_USER_INPUT', 'findings');
    expectError(await t.gql(GQL.record, { id: items[0].id, o: 'PASS', f: [{ type: 'LATE_ENTRY' }] }, auditor), 'BAD_USER_INPUT', 'findings');
    expectError(
      await t.gql(GQL.record, { id: items[0].id, o: 'FAIL', f: [{ type: 'LATE_ENTRY' }, { type: 'LATE_ENTRY' }] }, auditor),
      'BAD_USER_INPUT',
      'findings.1.type',
    );
    expectError(await t.gql(GQL.record, { id: items[0].id, o: 'FAIL', f: [{ type: 'LATE_ENTRY', note: 'x'.repeat(1001) }] }, auditor), 'BAD_USER_INPUT');
    expectError(await t.gql(GQL.record, { id: 'abc', o: 'PASS' }, auditor), 'BAD_USER_INPUT', 'itemId');
    expectError(await t.gql(GQL.record, { id: '99999999', o: 'PASS' }, auditor), 'NOT_FOUND');
    const view = await batchItems(
      t,
      (await t.gql(`query($id: ID!){ auditItem(id:$id){ batch { id } } }`, { id: items[0].id }, auditor)).data.auditItem.batch.id,
      auditor,
    );
    expect(view[0].outcome).toBeNull();
  });

  it.each(['AGENCY_STAFF', 'FINANCE'])('is refused to %s', async (role) => {
    const { items } = await newBatch('2023-03', 1);
    expectError(await t.gql(GQL.record, { id: items[0].id, o: 'PASS' }, await t.userToken(role)), 'FORBIDDEN');
  });
});

describe('closeAuditBatch', () => {
  it('refuses while an item has no result, then closes and freezes the results', async () => {
    const { batch, items } = await newBatch('2023-04', 2);
    const auditor = await t.token('auditor');
    await t.gql(GQL.record, { id: items[0].id, o: 'PASS' }, auditor);
    const early = expectConflict(await t.gql(GQL.close, { id: batch.id }, auditor), 'BATCH_INCOMPLETE');
    expect(early.message).toMatch(/1 item/);
    expect(early.extensions.pending).toBe(1);
    expect((await t.gql(GQL.batchItems, { id: batch.id }, auditor)).data.auditBatch.status).toBe('OPEN');

    await t.gql(GQL.record, { id: items[1].id, o: 'PASS' }, auditor);
    const closed = await t.gql(GQL.close, { id: batch.id }, auditor);
    expect(closed.errors).toBeUndefined();
    expect(closed.data.closeAuditBatch).toMatchObject({ status: 'CLOSED', closedBy: { username: 'auditor' } });
    expectConflict(await t.gql(GQL.record, { id: items[0].id, o: 'FAIL', f: [{ type: 'LATE_ENTRY' }] }, auditor), 'BATCH_CLOSED');
    expectConflict(await t.gql(GQL.close, { id: batch.id }, auditor), 'BATCH_CLOSED');
    expectError(await t.gql(GQL.close, { id: '99999999' }, auditor), 'NOT_FOUND');
    const after = await batchItems(t, batch.id, auditor);
    expect(after.map((i) => i.outcome)).toEqual(['PASS', 'PASS']);
  });

  it('is logged with who did it', async () => {
    const { batch, items } = await newBatch('2023-05', 1);
    const auditor = await t.token('auditor');
    await t.gql(GQL.record, { id: items[0].id, o: 'FAIL', f: [{ type: 'INCOMPLETE_DATA' }] }, auditor);
    await t.gql(GQL.close, { id: batch.id }, auditor);
    const log = await t.gql(
      `query($id: ID){ changeLog(entityType:"AuditBatch", entityId:$id){ edges { node { action actorName data } } } }`,
      { id: batch.id },
      await t.token('admin'),
    );
    const actions = log.data.changeLog.edges.map((e: any) => e.node.action);
    expect(actions).toEqual(['closeAuditBatch', 'createAuditBatch']);
    expect(JSON.parse(log.data.changeLog.edges[0].node.data)).toMatchObject({ penaltiesProposed: 1 });
    const itemLog = await t.gql(
      `query($id: ID){ changeLog(entityType:"AuditItem", entityId:$id){ edges { node { action actorName } } } }`,
      { id: items[0].id },
      await t.token('admin'),
    );
    expect(itemLog.data.changeLog.edges[0].node).toEqual({ action: 'recordAuditResult', actorName: 'auditor' });
  });
});

describe('reading batches', () => {
  it('lists batches newest first with filters, and pages through items without repeats', async () => {
    const { batch } = await newBatch('2023-06', 7);
    const auditor = await t.token('auditor');
    const list = await t.gql(`{ auditBatches(first: 2, filter: { period: "2023-06", status: OPEN }){ totalCount edges { node { id period } } } }`, {}, auditor);
    expect(list.data.auditBatches.edges[0].node).toEqual({ id: batch.id, period: '2023-06' });
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const res: any = await t.gql(GQL.batchItems, { id: batch.id, first: 3, after }, auditor);
      const conn = res.data.auditBatch.items;
      seen.push(...conn.edges.map((e: any) => e.node.id));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expectError(await t.gql(`{ auditBatches(first: 201){ totalCount } }`, {}, auditor), 'BAD_USER_INPUT', 'first');
  });

  it('is readable by AGENCY_STAFF but not by FINANCE or an AGENT', async () => {
    const { batch, agent } = await newBatch('2023-07', 1);
    expect((await t.gql(`query($id: ID!){ auditBatch(id:$id){ id } }`, { id: batch.id }, await t.token('staff'))).data.auditBatch.id).toBe(batch.id);
    expectError(await t.gql(`query($id: ID!){ auditBatch(id:$id){ id } }`, { id: batch.id }, await t.token('finance')), 'FORBIDDEN');
    const agentUser = await t.userToken('AGENT', { agentId: agent.id });
    expectError(await t.gql(`query($id: ID!){ auditBatch(id:$id){ id } }`, { id: batch.id }, agentUser), 'FORBIDDEN');
  });

  it('runs the same number of SQL statements for 3 items as for 30 (loaders)', async () => {
    const small = await newBatch('2023-08', 3);
    const large = await newBatch('2023-09', 30);
    const auditor = await t.token('auditor');
    for (const b of [small, large]) {
      for (const i of b.items) await t.gql(GQL.record, { id: i.id, o: 'FAIL', f: [{ type: 'DATA_MISMATCH' }] }, auditor);
      await t.gql(GQL.close, { id: b.batch.id }, auditor);
    }
    const q = `query($id: ID!){ auditBatch(id:$id){ createdBy { username } progress { failed }
      items(first: 50){ totalCount edges { node { id registration { id msisdn } agent { code riskScore } auditor { username }
        findings { type penalty { amountFen status agent { code } } } batch { id } } } } } }`;
    const count = async (id: string) => {
      t.sql.reset();
      const res = await t.gql(q, { id }, auditor);
      expect(res.errors).toBeUndefined();
      return t.sql.count;
    };
    const a = await count(small.batch.id);
    const b = await count(large.batch.id);
    expect(a).toBeGreaterThan(5); // the counter sees the statements
    expect(b).toBe(a);
  });
});

describe('concurrency', () => {
  it('a batch is never closed with an item left without a result, nor a finding left without its penalty', async () => {
    const auditor = await t.token('auditor');
    for (let round = 0; round < 4; round++) {
      const { batch, items } = await newBatch(`2012-0${round + 1}`, 2, 2012);
      await t.gql(GQL.record, { id: items[0].id, o: 'PASS' }, auditor);
      const [rec, closed] = await Promise.all([
        t.gql(GQL.record, { id: items[1].id, o: 'FAIL', f: [{ type: 'LATE_ENTRY' }] }, auditor),
        t.gql(GQL.close, { id: batch.id }, auditor),
      ]);
      const view = await t.gql(GQL.batchItems, { id: batch.id }, auditor);
      const penalties = await t.gql(GQL.penalties, { f: { batchId: batch.id } }, auditor);
      if (closed.errors) {
        expect(closed.errors[0].extensions.code).toBe('CONFLICT');
        expect(rec.errors).toBeUndefined();
        expect(view.data.auditBatch.status).toBe('OPEN');
        expect(penalties.data.penalties.totalCount).toBe(0);
      } else {
        // Close won only after the result was in (it waits on the batch row the result bumps).
        expect(rec.errors).toBeUndefined();
        expect(view.data.auditBatch.progress.pending).toBe(0);
        expect(penalties.data.penalties.totalCount).toBe(view.data.auditBatch.progress.findings);
      }
    }
  });

  it('a result re-recorded while the batch closes is either in the penalties or refused', async () => {
    const auditor = await t.token('auditor');
    for (let round = 0; round < 4; round++) {
      const { batch, items } = await newBatch(`2012-0${round + 5}`, 2, 2012);
      for (const i of items) await t.gql(GQL.record, { id: i.id, o: 'PASS' }, auditor);
      const [rec, closed] = await Promise.all([
        t.gql(GQL.record, { id: items[0].id, o: 'FAIL', f: [{ type: 'TARIFF_MISMATCH' }] }, auditor),
        t.gql(GQL.close, { id: batch.id }, auditor),
      ]);
      expect(closed.errors).toBeUndefined();
      const penalties = await t.gql(GQL.penalties, { f: { batchId: batch.id } }, auditor);
      const view = await t.gql(GQL.batchItems, { id: batch.id }, auditor);
      if (rec.errors) {
        expect(rec.errors[0].extensions.code).toBe('CONFLICT');
        expect(view.data.auditBatch.progress.failed).toBe(0);
        expect(penalties.data.penalties.totalCount).toBe(0);
      } else {
        expect(view.data.auditBatch.progress.failed).toBe(1);
        expect(penalties.data.penalties.totalCount).toBe(1);
      }
    }
  });
});
