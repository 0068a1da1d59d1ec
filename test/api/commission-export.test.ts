import { parse } from 'csv-parse/sync';
import { startTestApp, TestApp } from '../helpers/app';
import { addRecords, auditBatch, createAgent, GQL, sh } from './audits.fixtures';

let t: TestApp;
let mine: { id: string; code: string };
let other: { id: string; code: string };
let penaltyFen: number;

beforeAll(async () => {
  t = await startTestApp();
  mine = await createAgent(t, { commissionPerActivationFen: 2345 });
  other = await createAgent(t, { commissionPerActivationFen: 1000 });
  await addRecords(t, mine.id, [
    { openedAt: sh(2016, 3, 1), activatedAt: sh(2016, 3, 1, 12) },
    { openedAt: sh(2016, 3, 2), activatedAt: sh(2016, 3, 2, 12) },
    { openedAt: sh(2016, 3, 3), activatedAt: sh(2016, 3, 3, 12) },
  ]);
  const { batch } = await auditBatch(t, { period: '2016-03', strategy: 'RANDOM', sampleSize: 1, agentIds: [mine.id], seed: 9 }, () => [
    { type: 'DATA_MISMATCH' },
  ]);
  const staff = await t.token('staff');
  const p = (await t.gql(GQL.penalties, { f: { batchId: batch.id } }, staff)).data.penalties.edges[0].node;
  await t.gql(`mutation($id: ID!){ confirmPenalty(id:$id){ id } }`, { id: p.id }, staff);
  penaltyFen = p.amountFen;
  const res = await t.gql(`mutation { settleCommissions(period: "2016-03") { statementCount } }`, {}, await t.token('finance'));
  if (res.errors) throw new Error(JSON.stringify(res.errors));
});
afterAll(() => t.stop());

const URL = '/exports/commission-statements.csv';

function rows(text: string): Record<string, string>[] {
  return parse(text.replace(/^\uFEFF/, ''), { columns: true });
}

describe('GET /exports/commission-statements.csv', () => {
  it('is UTF-8 with a BOM, one row per statement, amounts in fen and in yuan with two decimals', async () => {
    const res = await t
      .http()
      .get(URL)
      .query({ period: '2016-03' })
      .set('authorization', `Bearer ${await t.token('finance')}`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="commission-statements-2016-03.csv"');
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = body.toString('utf8');
    const list = rows(text);
    const count = (await t.gql(`{ agents { totalCount } }`, {}, await t.token('staff'))).data.agents.totalCount;
    expect(list).toHaveLength(count);
    const row = list.find((r) => r.agentCode === mine.code)!;
    const gross = 3 * 2345;
    const net = gross - penaltyFen;
    const yuan = (f: number) => `${Math.floor(f / 100)}.${String(f % 100).padStart(2, '0')}`;
    expect(row).toMatchObject({
      period: '2016-03',
      agentName: expect.stringContaining('稽核測試代辦點'),
      regionCode: 'SHASHI',
      activations: '3',
      commissionPerActivationFen: '2345',
      commissionPerActivationYuan: '23.45',
      grossFen: String(gross),
      grossYuan: yuan(gross),
      penaltiesFen: String(penaltyFen),
      penaltiesYuan: yuan(penaltyFen),
      carriedInFen: '0',
      carriedInYuan: '0.00',
      netFen: String(net),
      netYuan: yuan(net),
      penaltyCount: '1',
      status: 'OPEN',
      closedAt: '',
    });
    // Instants as in every export: ISO 8601 in Shanghai time with its offset, the same instant as the API's.
    expect(row.settledAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    const api = await t.gql(
      `query($a: ID){ commissionStatements(period: "2016-03", agentId: $a){ edges { node { settledAt } } } }`,
      { a: mine.id },
      await t.token('finance'),
    );
    const settledAt = api.data.commissionStatements.edges[0].node.settledAt;
    expect(new Date(row.settledAt).getTime()).toBe(Math.floor(new Date(settledAt).getTime() / 1000) * 1000);
    // The header: camelCase, each amount in fen then yuan.
    expect(text.slice(1).split('\r\n')[0]).toBe(
      'period,agentCode,agentName,regionCode,activations,commissionPerActivationFen,commissionPerActivationYuan,grossFen,grossYuan,penaltiesFen,penaltiesYuan,carriedInFen,carriedInYuan,netFen,netYuan,carriedOutFen,carriedOutYuan,penaltyCount,status,settledAt,closedAt',
    );
  });

  it('gives an AGENT its own row only, and refuses it another agent', async () => {
    const token = await t.userToken('AGENT', { agentId: mine.id });
    const res = await t.http().get(URL).query({ period: '2016-03' }).set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(rows(res.text).map((r) => r.agentCode)).toEqual([mine.code]);
    const other_ = await t.http().get(URL).query({ period: '2016-03', agentId: other.id }).set('authorization', `Bearer ${token}`);
    expect(other_.status).toBe(404);
    expect(other_.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('lets staff ask for one agent', async () => {
    const res = await t
      .http()
      .get(URL)
      .query({ period: '2016-03', agentId: other.id })
      .set('authorization', `Bearer ${await t.token('staff')}`);
    expect(rows(res.text).map((r) => r.agentCode)).toEqual([other.code]);
  });

  it('answers 401 without a token, 403 to other roles, 400 for a bad period and 404 for a period never settled', async () => {
    expect((await t.http().get(URL).query({ period: '2016-03' })).status).toBe(401);
    const bad = await t.http().get(URL).query({ period: '2016-03' }).set('authorization', 'Bearer nonsense');
    expect(bad.status).toBe(401);
    expect(bad.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const auditor = await t
      .http()
      .get(URL)
      .query({ period: '2016-03' })
      .set('authorization', `Bearer ${await t.token('auditor')}`);
    expect(auditor.status).toBe(403);
    const period = await t
      .http()
      .get(URL)
      .query({ period: '2016-3' })
      .set('authorization', `Bearer ${await t.token('finance')}`);
    expect(period.status).toBe(400);
    expect(period.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'period' });
    expect(
      (
        await t
          .http()
          .get(URL)
          .set('authorization', `Bearer ${await t.token('finance')}`)
      ).status,
    ).toBe(400);
    expect(
      (
        await t
          .http()
          .get(URL)
          .query({ period: '1999-01' })
          .set('authorization', `Bearer ${await t.token('finance')}`)
      ).status,
    ).toBe(404);
  });
});
