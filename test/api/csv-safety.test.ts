/**
 * Every CSV export is safe to open in a spreadsheet (issue 18): text whose first visible character
 * starts a formula is neutralised even behind NULs, control characters and spaces; cells with
 * separators are quoted; amounts stay numbers, negative ones included. The import's rejects file
 * is covered in registrations-import.test.ts.
 */
import { startTestApp, TestApp } from '../helpers/app';
import { addRecords, createAgent, sh } from './audits.fixtures';
import { createPartner, parseCsv, record, REVERSE } from './subsidies.fixtures';

let t: TestApp;
let agent: { id: string; code: string };

const HOSTILE = {
  nul: '\u0000=1+1',
  semicolon: 'x;=1+1',
  controls: '\u0001\u001f =cmd|/c calc',
  plus: '+86 店',
};

beforeAll(async () => {
  t = await startTestApp();
  const partner = await createPartner(t, { code: 'CSV-01', name: HOSTILE.semicolon, regionId: 1, monthlyWageSubsidyFen: 10_000 });
  const finance = await t.token('finance');
  const first = await record(t, finance, { partnerId: partner, type: 'OTHER', period: '2006-02', amountFen: 1_250, note: HOSTILE.nul });
  await record(t, finance, { partnerId: partner, type: 'OTHER', period: '2006-02', amountFen: 700, note: HOSTILE.controls });
  // A reversal: a negative amount, which must stay a number.
  const rev = await t.gql(REVERSE, { id: first.id, r: HOSTILE.plus }, finance);
  expect(rev.errors).toBeUndefined();

  agent = await createAgent(t, { commissionPerActivationFen: 1000 });
  // Names from elsewhere (an old system's data) can hold what the API would not let in.
  await t.app.ds.query('UPDATE agent SET name = ? WHERE id = ?', [HOSTILE.nul, Number(agent.id)]);
  await addRecords(t, agent.id, [{ openedAt: sh(2016, 5, 2), activatedAt: sh(2016, 5, 2, 12) }]);
  const settled = await t.gql(`mutation { settleCommissions(period: "2016-05") { statementCount } }`, {}, finance);
  expect(settled.errors).toBeUndefined();
});
afterAll(() => t.stop());

async function get(path: string): Promise<Buffer> {
  const res = await t
    .http()
    .get(path)
    .set('authorization', `Bearer ${await t.token('finance')}`)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  expect(res.status).toBe(200);
  return res.body as Buffer;
}

describe('subsidies.csv', () => {
  it('neutralises formulas behind NULs and controls, quotes ; cells, keeps negative amounts numbers', async () => {
    const body = await get('/exports/subsidies.csv?from=2006-02&to=2006-02');
    const text = body.toString('utf8');
    const rows = parseCsv(body);
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.partnerName)).toEqual([HOSTILE.semicolon, HOSTILE.semicolon, HOSTILE.semicolon]);
    expect(text).toContain(`"${HOSTILE.semicolon}"`);
    expect(rows[0].note).toBe(`'${HOSTILE.nul}`);
    expect(rows[1].note).toBe(`'${HOSTILE.controls}`);
    expect(rows[2]).toMatchObject({ amountFen: '-1250', amountYuan: '-12.50' });
    expect(rows[2].note).toBe(`'${HOSTILE.plus}`);
    // The raw line: the amounts are bare numbers, not '-1250.
    const reversal = text.split('\r\n').find((l) => l.includes('-1250'))!;
    expect(reversal).toMatch(/,-1250,-12\.50,/);
    // No cell of any row starts, after invisible characters, with a formula character.
    for (const r of rows)
      for (const v of Object.values(r)) if (!/^-?\d+(\.\d+)?$/.test(v)) expect(v.replace(/^[\s\u0000-\u001f]+/, '')).not.toMatch(/^[=+\-@]/);
  });
});

describe('commission-statements.csv', () => {
  it('neutralises an agent name with a NUL before =', async () => {
    const body = await get('/exports/commission-statements.csv?period=2016-05');
    const row = parseCsv(body).find((r) => r.agentCode === agent.code)!;
    expect(row.agentName).toBe(`'${HOSTILE.nul}`);
    expect(row).toMatchObject({ activations: '1', grossFen: '1000', grossYuan: '10.00' });
  });
});
