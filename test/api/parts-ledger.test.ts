import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkLedgers } from '../../src/modules/parts/ledger-check';
import { startTestApp, TestApp } from '../helpers/app';
import { createPartner, expectLedgersBalance, issue, openOrder, outcome, stockedPart } from './parts-fixtures';

/**
 * The ledger check: after a busy mixed workload both ledgers balance, the check catches every kind
 * of break, and `npm run check:ledger` exits 0 or 1 accordingly. On SQLite the app runs on a file
 * here, so that the command (another process) can read the same database.
 */
let t: TestApp;
let dir: string | undefined;
beforeAll(async () => {
  if (process.env.TEST_DATABASE_URL) {
    t = await startTestApp();
  } else {
    dir = mkdtempSync(join(tmpdir(), 'parts-ledger-'));
    t = await startTestApp({ database: { type: 'sqlite', path: join(dir, 'ledger.sqlite') } });
  }
});
afterAll(async () => {
  await t.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function databaseUrl(): string {
  const o = t.app.ds.options as { url?: string; database?: string };
  return t.isMysql ? String(o.url) : `sqlite:${String(o.database)}`;
}

function runCheck(): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [require.resolve('ts-node/dist/bin.js'), '--swc', 'scripts/check-ledger.ts'],
      { cwd: join(__dirname, '../..'), env: { ...process.env, DATABASE_URL: databaseUrl(), NODE_ENV: 'test', LOG_LEVEL: 'silent' }, timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

async function busyDay() {
  const staff = await t.token('aftersales');
  const finance = await t.token('finance');
  const partners = [await createPartner(t), await createPartner(t), await createPartner(t)];
  const parts = [await stockedPart(t, 30, 1200), await stockedPart(t, 30, 450), await stockedPart(t, 8, 9900)];
  const orders = await Promise.all(partners.map((p) => openOrder(t, p.id)));
  const ops: Promise<unknown>[] = [];
  for (let i = 0; i < 36; i++) {
    const p = partners[i % 3];
    const part = parts[i % 3];
    switch (i % 6) {
      case 0:
      case 1:
      case 2:
        ops.push(
          issue(t, p.id, [
            { partId: part.id, quantity: 1 + (i % 2) },
            { partId: parts[(i + 1) % 3].id, quantity: 1 },
          ]),
        );
        break;
      case 3:
        ops.push(
          t.gql(
            `mutation($i:ConsumePartsInput!){ consumeParts(input:$i){ id } }`,
            { i: { repairOrderId: orders[i % 3], lines: [{ partId: part.id, quantity: 1 }] } },
            staff,
          ),
        );
        break;
      case 4:
        ops.push(
          t.gql(`mutation($i:ReturnPartsInput!){ returnParts(input:$i){ id } }`, { i: { partnerId: p.id, lines: [{ partId: part.id, quantity: 1 }] } }, staff),
        );
        break;
      default:
        ops.push(t.gql(`mutation($p:ID!){ recordFundRepayment(partnerId:$p, amountFen: 500){ id } }`, { p: p.id }, finance));
    }
  }
  const results = (await Promise.all(ops)) as Parameters<typeof outcome>[0][];
  const codes = results.map(outcome);
  expect(codes.every((c) => c === 'OK' || c === 'CONFLICT')).toBe(true);
  expect(codes.filter((c) => c === 'OK').length).toBeGreaterThan(10);
  const centre = (await t.gql(`{ locations(filter:{kind: CENTRE}){ edges { node { id } } } }`, {}, staff)).data.locations.edges[0].node.id;
  const st = await t.gql(
    `mutation($i:StocktakeInput!){ recordStocktake(input:$i){ id } }`,
    {
      i: {
        locationId: centre,
        note: 'spot check',
        lines: [
          { partId: parts[0].id, countedQuantity: 3 },
          { partId: parts[1].id, countedQuantity: 40 },
        ],
      },
    },
    staff,
  );
  expect(st.errors).toBeUndefined();
  return { partners, parts };
}

it('both ledgers balance after a busy day of concurrent issues, consumption, returns, repayments and a count', async () => {
  await busyDay();
  const report = await checkLedgers(t.app.ds, { fundLimitFen: t.config.partsFundLimitFen });
  expect(report.problems).toEqual([]);
  expect(report.ok).toBe(true);
  expect(report.stats.movements).toBeGreaterThan(20);
  expect(report.stats.entries).toBeGreaterThan(5);
});

it('catches a level out of step with its movements and a stray movement', async () => {
  const { parts } = await busyDay();
  const ds = t.app.ds;
  const [level] = await ds.query(`SELECT id, partId, locationId, onHand FROM stock_level WHERE partId = ? ORDER BY id LIMIT 1`, [Number(parts[0].id)]);
  await ds.query(`UPDATE stock_level SET onHand = onHand + 1 WHERE id = ?`, [level.id]);
  let report = await checkLedgers(ds);
  expect(report.ok).toBe(false);
  expect(report.problems).toEqual([
    `stock: part ${level.partId} at location ${level.locationId}: level ${Number(level.onHand) + 1}, movements sum to ${Number(level.onHand)}`,
  ]);
  await ds.query(`UPDATE stock_level SET onHand = onHand - 1 WHERE id = ?`, [level.id]);
  await expectLedgersBalance(t);

  const partner = await createPartner(t);
  const [shelf] = await ds.query(`SELECT id FROM stock_location WHERE partnerId = ?`, [Number(partner.id)]);
  await ds.query(
    `INSERT INTO stock_movement (partId, locationId, kind, quantity, unitCostFen, documentType, documentId, reason, actorId, actorName, at) VALUES (?, ?, 'ADJUSTMENT', 2, 0, 'STOCKTAKE', 0, 'tamper', NULL, NULL, '2025-01-01 00:00:00.000')`,
    [Number(parts[1].id), shelf.id],
  );
  report = await checkLedgers(ds);
  expect(report.problems).toEqual([`stock: part ${parts[1].id} at location ${shelf.id}: level missing, movements sum to 2`]);
  await ds.query(`DELETE FROM stock_movement WHERE reason = 'tamper'`);
  await expectLedgersBalance(t);
});

it('catches a fund account, the fund row or an issue out of step with the fund ledger', async () => {
  const { partners } = await busyDay();
  const ds = t.app.ds;
  const p = Number(partners[0].id);
  await ds.query(`UPDATE fund_account SET outstandingFen = outstandingFen + 1, drawnFen = drawnFen + 1 WHERE partnerId = ?`, [p]);
  await ds.query(`UPDATE parts_fund SET outstandingFen = outstandingFen + 1`);
  let report = await checkLedgers(ds);
  expect(report.ok).toBe(false);
  expect(report.problems.some((x) => x.startsWith(`fund: partner ${p} account says`))).toBe(true);
  expect(report.problems.some((x) => x.startsWith('fund: the fund says outstanding'))).toBe(true);
  await ds.query(`UPDATE fund_account SET outstandingFen = outstandingFen - 1, drawnFen = drawnFen - 1 WHERE partnerId = ?`, [p]);
  await ds.query(`UPDATE parts_fund SET outstandingFen = outstandingFen - 1`);
  await expectLedgersBalance(t);

  const [doc] = await ds.query(`SELECT id FROM parts_issue ORDER BY id DESC LIMIT 1`);
  await ds.query(`UPDATE parts_issue SET totalFen = totalFen + 100 WHERE id = ?`, [doc.id]);
  report = await checkLedgers(ds);
  expect(report.problems).toHaveLength(1);
  expect(report.problems[0]).toMatch(new RegExp(`^fund: issue ${doc.id} totals`));
  await ds.query(`UPDATE parts_issue SET totalFen = totalFen - 100 WHERE id = ?`, [doc.id]);
  await expectLedgersBalance(t);
});

it('npm run check:ledger exits 0 on a sound database and 1 with the broken pair named', async () => {
  await busyDay();
  const good = await runCheck();
  expect(good.out).toMatch(/OK: every level equals the sum of its movements/);
  expect(good.code).toBe(0);

  const ds = t.app.ds;
  const [level] = await ds.query(`SELECT id, partId, locationId FROM stock_level WHERE onHand > 0 ORDER BY id LIMIT 1`);
  await ds.query(`UPDATE stock_level SET onHand = onHand - 1 WHERE id = ?`, [level.id]);
  try {
    const bad = await runCheck();
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(`stock: part ${level.partId} at location ${level.locationId}`);
  } finally {
    await ds.query(`UPDATE stock_level SET onHand = onHand + 1 WHERE id = ?`, [level.id]);
  }
});
