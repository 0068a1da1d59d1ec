import http from 'node:http';
import { toDbDate } from '../../src/common/db';
import { startTestApp, TestApp } from '../helpers/app';
import { GENERATE, parseCsv, TOTALS } from './subsidies.fixtures';

/** Enough partners that five months of wages (1,300 rows) cross the export's 1,000-row pages. */
const PARTNERS = 260;
const MONTHS = ['2004-08', '2004-09', '2004-10', '2004-11', '2004-12'];

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  const rows = Array.from({ length: PARTNERS }, (_, i) => [`BX-${String(i + 1).padStart(3, '0')}`, `荊州第${i + 1}維修點`, (i % 8) + 1, 10_000 + i * 37]);
  // Partner fixtures go in directly (the repair module owns their API); the register is built through ours.
  await t.app.ds.query(
    `INSERT INTO repair_partner (code, name, regionId, address, premisesProvided, monthlyWageSubsidyFen, status, createdAt)
     VALUES ${rows.map(() => '(?, ?, ?, NULL, 0, ?, ?, ?)').join(', ')}`,
    rows.flatMap((r) => [...r, 'ACTIVE', toDbDate(new Date('2004-01-01T00:00:00Z'))]),
  );
  const finance = await t.token('finance');
  for (const p of MONTHS) expect((await t.gql(GENERATE, { p }, finance)).data.generateWageSubsidies.created).toBe(PARTNERS);
});
afterAll(() => t.stop());

it('streams every row once, in order, across pages, summing to the totals', async () => {
  const res = await t
    .http()
    .get(`/exports/subsidies.csv?from=${MONTHS[0]}&to=${MONTHS[MONTHS.length - 1]}`)
    .set('authorization', `Bearer ${await t.token('finance')}`)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  expect(res.status).toBe(200);
  const rows = parseCsv(res.body);
  expect(rows).toHaveLength(PARTNERS * MONTHS.length);
  expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  const order = rows.map((r) => `${r.period}#${r.id.padStart(10, '0')}`);
  expect([...order].sort()).toEqual(order);

  const perMonth = PARTNERS * 10_000 + (37 * PARTNERS * (PARTNERS - 1)) / 2;
  const totals = await t.gql(TOTALS, { f: MONTHS[0], t: MONTHS[MONTHS.length - 1], g: 'PERIOD' }, await t.token('finance'));
  expect(totals.data.subsidyTotals.map((r: any) => r.amountFen)).toEqual(MONTHS.map(() => perMonth));
  const sums = new Map<string, number>();
  for (const r of rows) sums.set(r.period, (sums.get(r.period) ?? 0) + Number(r.amountFen));
  expect(MONTHS.map((m) => sums.get(m))).toEqual(MONTHS.map(() => perMonth));
});

it('stops cleanly when the client hangs up mid-download, and keeps serving', async () => {
  const token = await t.token('finance');
  await new Promise<void>((resolve, reject) => {
    const req = http.get(
      `${t.app.url}/exports/subsidies.csv?from=${MONTHS[0]}&to=${MONTHS[MONTHS.length - 1]}`,
      { headers: { authorization: `Bearer ${token}` } },
      (res) => {
        expect(res.statusCode).toBe(200);
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      },
    );
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
  });
  const again = await t.gql(TOTALS, { f: MONTHS[0], t: MONTHS[0], g: 'TYPE' }, token);
  expect(again.data.subsidyTotals[0]).toMatchObject({ key: 'WAGE', entries: PARTNERS });
});
