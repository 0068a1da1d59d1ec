import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { expectError, GqlResult, startTestApp, TestApp } from '../helpers/app';
import { count, createPartner, expectLedgersBalance, issue, outcome, stockedPart } from './parts-fixtures';

/**
 * The fund policy (limit, default per-partner cap, partners' own caps) lives in the database:
 * changed by FINANCE/ADMIN with a change-log entry, read by every process. Here two app instances
 * share one database (MariaDB: two createApp on one database name; SQLite: one file) though their
 * environments name different limits, and issues through both keep the limit and every cap.
 */
const POLICY = `{ fundPolicy { limitFen defaultPartnerCapFen changedAt changedBy partnerCaps { partnerId capFen partner { id } } } }`;
const SET = `mutation($i: FundPolicyInput!){ setFundPolicy(input:$i){ limitFen defaultPartnerCapFen changedBy } }`;
const CAP = `mutation($p:ID!,$c:SafeInt){ setPartnerFundCap(partnerId:$p, capFen:$c){ partnerId capFen effectiveCapFen } }`;
const FUND = `{ revolvingFund { limitFen defaultPartnerCapFen outstandingFen availableFen } }`;

const LIMIT_A = 60_000;
const LIMIT_B = 999_999;
let dir: string | null = null;
let t: TestApp;
let b: TestApp;
let finance: string;

/** The same database through a second app instance whose environment names another limit. */
async function secondInstance(first: TestApp): Promise<TestApp> {
  const env = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', SEED: 'none', PORT: '0', RATE_LIMITS: 'false' } as Record<string, string | undefined>;
  let databaseName: string | undefined;
  if (first.isMysql) {
    databaseName = String((await first.app.ds.query('SELECT DATABASE() AS d'))[0].d);
    Object.assign(env, { DATABASE_URL: process.env.TEST_DATABASE_URL, RUN_MIGRATIONS: 'true' });
  }
  const config = loadConfig(env, {
    ...(first.isMysql ? {} : { database: first.config.database }),
    jwtSecret: first.config.jwtSecret,
    partsFundLimitFen: LIMIT_B,
    partsFundDefaultCapFen: 1,
  });
  const app = await createApp(config, { databaseName });
  const gql: TestApp['gql'] = async (query, variables = {}, token = null) => {
    const req = request(app.server).post('/graphql').set('content-type', 'application/json');
    if (token) req.set('authorization', `Bearer ${token}`);
    const res = await req.send({ query, variables });
    return { status: res.status, data: res.body?.data, errors: res.body?.errors, body: res.body };
  };
  // Tokens from the first instance (the replicas share JWT_SECRET).
  return { ...first, app, config, gql, stop: () => app.stop() };
}

beforeAll(async () => {
  if (!process.env.TEST_DATABASE_URL) dir = mkdtempSync(join(tmpdir(), 'fund-policy-'));
  t = await startTestApp({
    partsFundLimitFen: LIMIT_A,
    partsFundDefaultCapFen: 20_000,
    ...(dir ? { database: { type: 'sqlite' as const, path: join(dir, 'db.sqlite') } } : {}),
  });
  b = await secondInstance(t);
  finance = await t.token('finance');
});
afterAll(async () => {
  await b?.stop();
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('is seeded once from the environment and then read by every process from the database', async () => {
  // The second instance's PARTS_FUND_LIMIT_FEN (999,999) did not overwrite the stored policy.
  for (const app of [t, b]) {
    const res = await app.gql(POLICY, {}, finance);
    expect(res.data.fundPolicy).toMatchObject({ limitFen: LIMIT_A, defaultPartnerCapFen: 20_000, changedAt: null, changedBy: null });
    expect((await app.gql(FUND, {}, finance)).data.revolvingFund).toMatchObject({ limitFen: LIMIT_A, defaultPartnerCapFen: 20_000 });
  }
  // A change through one instance is what the other reads at once.
  const set = await b.gql(SET, { i: { limitFen: 50_000 } }, finance);
  expect(set.data.setFundPolicy).toEqual({ limitFen: 50_000, defaultPartnerCapFen: 20_000, changedBy: 'finance' });
  expect((await t.gql(FUND, {}, finance)).data.revolvingFund.limitFen).toBe(50_000);
  const back = await t.gql(SET, { i: { limitFen: LIMIT_A, defaultPartnerCapFen: 20_000 } }, await t.token('admin'));
  expect(back.data.setFundPolicy).toMatchObject({ limitFen: LIMIT_A, changedBy: 'admin' });
  expect((await b.gql(POLICY, {}, finance)).data.fundPolicy.changedBy).toBe('admin');
});

it('is changed by FINANCE and ADMIN only, with clear errors for bad input and a change-log entry', async () => {
  const aftersales = await t.token('aftersales');
  const forbidden = expectError(await t.gql(SET, { i: { limitFen: 1 } }, aftersales), 'FORBIDDEN');
  expect(forbidden.message).toContain('FINANCE');
  expectError(await t.gql(SET, { i: { limitFen: -1 } }, finance), 'BAD_USER_INPUT', 'input.limitFen');
  expectError(await t.gql(SET, { i: { limitFen: null } }, finance), 'BAD_USER_INPUT', 'input.limitFen');
  expectError(await t.gql(SET, { i: { defaultPartnerCapFen: -5 } }, finance), 'BAD_USER_INPUT', 'input.defaultPartnerCapFen');
  expectError(await t.gql(SET, { i: {} }, finance), 'BAD_USER_INPUT', 'input');
  expect((await t.gql(POLICY, {}, finance)).data.fundPolicy).toMatchObject({ limitFen: LIMIT_A, defaultPartnerCapFen: 20_000 });

  const changes = await t.gql(`{ changeLog(entityType: "FundPolicy", first: 10){ edges { node { action actorName data } } } }`, {}, finance);
  const [latest] = changes.data.changeLog.edges.map((e: any) => e.node);
  expect(latest).toMatchObject({ action: 'setFundPolicy', actorName: 'admin' });
  expect(JSON.parse(latest.data)).toEqual({
    before: { limitFen: 50_000, defaultPartnerCapFen: 20_000 },
    after: { limitFen: LIMIT_A, defaultPartnerCapFen: 20_000 },
  });
  // Agency staff read nothing of the fund, nor its entries.
  expectError(await t.gql(POLICY, {}, await t.token('staff')), 'FORBIDDEN');
  expectError(await t.gql(`{ changeLog(entityType: "FundPolicy"){ totalCount } }`, {}, await t.token('staff')), 'FORBIDDEN');
});

it('holds every partner to its cap (its own, else the default) and the fund to its limit, under concurrent issues from two instances', async () => {
  const part = await stockedPart(t, 400, 1_000);
  const capped = await createPartner(t); // own cap 5,000
  const plain = [await createPartner(t), await createPartner(t), await createPartner(t), await createPartner(t)]; // the default, 20,000
  expect((await t.gql(CAP, { p: capped.id, c: 5_000 }, finance)).data.setPartnerFundCap).toMatchObject({ capFen: 5_000, effectiveCapFen: 5_000 });
  const policy = (await b.gql(POLICY, {}, finance)).data.fundPolicy;
  expect(policy.partnerCaps).toContainEqual({ partnerId: capped.id, capFen: 5_000, partner: { id: capped.id } });

  // 10 issues of 1,000 for the capped partner, 25 for each of the others: 110 attempts, half through each instance.
  const attempts: { partnerId: string; via: TestApp }[] = [];
  for (let i = 0; i < 10; i++) attempts.push({ partnerId: capped.id, via: i % 2 ? b : t });
  for (let i = 0; i < 100; i++) attempts.push({ partnerId: plain[i % 4].id, via: i % 2 ? b : t });
  const run = (a: { partnerId: string; via: TestApp }) => issue(a.via, a.partnerId, [{ partId: part.id, quantity: 1 }]);
  // SQLite has one writer per file: a second process's write waits on the file lock, so the two
  // instances take turns there; MariaDB runs them all at once.
  const results: GqlResult[] = t.isMysql ? await Promise.all(attempts.map(run)) : [];
  if (!t.isMysql) for (const a of attempts) results.push(await run(a));
  expect(results.filter((r) => !['OK', 'CONFLICT'].includes(outcome(r))).map((r) => r.errors)).toEqual([]);

  const owed = async (partnerId: string) =>
    Number((await t.app.ds.query('SELECT outstandingFen FROM fund_account WHERE partnerId = ?', [Number(partnerId)]))[0].outstandingFen);
  expect(await owed(capped.id)).toBe(5_000);
  // The four others want 25,000 each: 20,000 each is their cap, 80,000 in all, but the limit (60,000, minus 5,000 drawn) stops them at 55,000 together.
  const others = await Promise.all(plain.map((p) => owed(p.id)));
  for (const o of others) expect(o).toBeLessThanOrEqual(20_000);
  expect(others.reduce((s, o) => s + o, 0)).toBe(LIMIT_A - 5_000);
  expect((await b.gql(FUND, {}, finance)).data.revolvingFund).toMatchObject({ limitFen: LIMIT_A, outstandingFen: LIMIT_A, availableFen: 0 });
  const refusals = results.filter((r) => r.errors).map((r) => r.errors![0].extensions.reason);
  expect(refusals.filter((r) => r === 'PARTNER_CAP_EXCEEDED').length).toBeGreaterThanOrEqual(5);
  expect(refusals.filter((r) => r === 'FUND_EXHAUSTED').length).toBeGreaterThan(0);
  expect(await count(t, `SELECT COUNT(*) AS n FROM parts_issue`)).toBe(60);
  await expectLedgersBalance(t);
});

it('lets a repair partner issue parts to itself only within its cap, never on the limit alone', async () => {
  await t.gql(SET, { i: { limitFen: 10_000_000, defaultPartnerCapFen: 3_000 } }, finance);
  const part = await stockedPart(t, 50, 1_000);
  const shop = await createPartner(t);
  const shopToken = await t.userToken('REPAIR_PARTNER', { repairPartnerId: shop.id });
  const self = (via: TestApp, quantity: number) =>
    via.gql(`mutation($i:IssuePartsInput!){ issueParts(input:$i){ id totalFen } }`, { i: { lines: [{ partId: part.id, quantity }] } }, shopToken);
  expect((await self(t, 2)).errors).toBeUndefined();
  expect((await self(b, 1)).errors).toBeUndefined();
  const over = expectError(await self(t, 1), 'CONFLICT');
  expect(over.extensions).toMatchObject({ reason: 'PARTNER_CAP_EXCEEDED', requestedFen: 1_000, availableFen: 0 });

  // No cap at all (no own cap, no default): the shop may not issue to itself; staff still may.
  await t.gql(SET, { i: { defaultPartnerCapFen: null } }, finance);
  const other = await createPartner(t);
  const otherToken = await t.userToken('REPAIR_PARTNER', { repairPartnerId: other.id });
  const noCap = expectError(
    await b.gql(`mutation($i:IssuePartsInput!){ issueParts(input:$i){ id } }`, { i: { lines: [{ partId: part.id, quantity: 1 }] } }, otherToken),
    'FORBIDDEN',
  );
  expect(noCap.message).toMatch(/only under a fund cap.*AFTERSALES_STAFF/);
  expect((await issue(t, other.id, [{ partId: part.id, quantity: 1 }])).errors).toBeUndefined();
  // With a cap of its own it may again, within it.
  await t.gql(CAP, { p: other.id, c: 2_000 }, finance);
  expect(
    (await b.gql(`mutation($i:IssuePartsInput!){ issueParts(input:$i){ id } }`, { i: { lines: [{ partId: part.id, quantity: 1 }] } }, otherToken)).errors,
  ).toBeUndefined();
  expectError(
    await t.gql(`mutation($i:IssuePartsInput!){ issueParts(input:$i){ id } }`, { i: { lines: [{ partId: part.id, quantity: 1 }] } }, otherToken),
    'CONFLICT',
  );
  // A partner reads the policy with its own cap only.
  const seen = (await t.gql(POLICY, {}, otherToken)).data.fundPolicy;
  expect(seen.partnerCaps.map((c: any) => c.partnerId)).toEqual([other.id]);
  await expectLedgersBalance(t);
});
