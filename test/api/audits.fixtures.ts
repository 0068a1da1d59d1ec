/**
 * Fixtures for the audits, penalties and commission tests. Agents are created through the API
 * (createAgent); customer records go through the agents module's own ingest service (the same
 * validation, encryption and flagging as submitRegistrations) with history timestamps, because
 * these tests need records opened, submitted and activated in chosen past months. Everything about
 * audits, penalties and commission itself goes through the GraphQL API.
 */
import { SHANGHAI_OFFSET_MS } from '../../src/common/period';
import { inTransaction } from '../../src/common/tx';
import { withCheckChar } from '../../src/common/validators/id-card';
import { identityCipher } from '../../src/modules/agents/identity-crypto';
import { PreparedRecord, prepareRecord, storeRecords } from '../../src/modules/agents/registration-ingest';
import { TARIFF_PLANS } from '../../seeds/agents';
import { toDbDate } from '../../src/common/db';
import type { TestApp } from '../helpers/app';

/** An instant given in Asia/Shanghai wall-clock time. */
export function sh(year: number, month: number, day: number, hour = 10, minute = 0, second = 0): Date {
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second) - SHANGHAI_OFFSET_MS);
}

let agentSeq = 0;
export async function createAgent(
  t: TestApp,
  over: { commissionPerActivationFen?: number; regionCode?: string; kind?: string } = {},
): Promise<{ id: string; code: string }> {
  const code = `AU-${process.pid % 1000}-${++agentSeq}`;
  const res = await t.gql(
    `mutation($i: CreateAgentInput!){ createAgent(input:$i){ id code } }`,
    {
      i: {
        code,
        name: `稽核測試代辦點 ${agentSeq}`,
        kind: over.kind ?? 'OUTLET',
        regionCode: over.regionCode ?? 'SHASHI',
        commissionPerActivationFen: over.commissionPerActivationFen ?? 2500,
      },
    },
    await t.token('staff'),
  );
  if (res.errors) throw new Error(`createAgent: ${JSON.stringify(res.errors)}`);
  return res.data.createAgent;
}

export interface RecordSpec {
  openedAt: Date;
  /** Default: five minutes after openedAt (not a late entry). */
  submittedAt?: Date;
  /** Set: the line is ACTIVE, activated then. */
  activatedAt?: Date | null;
  /** A wrong check character: the record is flagged INVALID_ID_CHECKSUM. */
  badId?: boolean;
}

let recordSeq = 0;
function nextIdentity(): { msisdn: string; idNumber: string } {
  const n = ++recordSeq + (process.pid % 97) * 100_000;
  const birth = new Date(Date.UTC(1960, 0, 1) + (n % 9000) * 86400_000);
  const ymd = birth.toISOString().slice(0, 10).replace(/-/g, '');
  const idNumber = withCheckChar(`421002${ymd}${String(Math.floor(n / 9000) % 1000).padStart(3, '0')}`);
  return { msisdn: `139${String(n).padStart(8, '0')}`, idNumber };
}

/** Store records for an agent; returns their registration ids in the order given. */
export async function addRecords(t: TestApp, agentId: string | number, specs: RecordSpec[]): Promise<number[]> {
  const { prepared, msisdns } = prepareRecords(t, agentId, specs);
  for (let i = 0; i < prepared.length; i += 1000) {
    const outcomes = await inTransaction(t.app.ds, (em) => storeRecords(em, prepared.slice(i, i + 1000), (j) => `fixture ${i + j}`));
    const bad = outcomes.find((o) => o.kind !== 'inserted');
    if (bad) throw new Error(`fixture record not stored: ${JSON.stringify(bad)}`);
  }
  return registrationIds(t, msisdns);
}

/** The registration ids of these numbers, in their order. */
export async function registrationIds(t: TestApp, msisdns: string[]): Promise<number[]> {
  const rows: { id: number; msisdn: string }[] = [];
  for (let i = 0; i < msisdns.length; i += 500) {
    const part = msisdns.slice(i, i + 500);
    rows.push(...(await t.app.ds.query(`SELECT id, msisdn FROM registration WHERE msisdn IN (${part.map(() => '?').join(',')})`, part)));
  }
  const byMsisdn = new Map(rows.map((r) => [r.msisdn, Number(r.id)]));
  return msisdns.map((m) => byMsisdn.get(m)!);
}

/** Records for an agent, validated and encrypted as the import does, not yet stored (storeRecords). */
export function prepareRecords(t: TestApp, agentId: string | number, specs: RecordSpec[]): { prepared: PreparedRecord[]; msisdns: string[] } {
  const env = { cipher: identityCipher(t.config), plans: new Map(TARIFF_PLANS.map((p) => [p.code, p])), now: new Date(), history: true };
  const msisdns: string[] = [];
  const prepared = specs.map((s) => {
    const { msisdn, idNumber } = nextIdentity();
    msisdns.push(msisdn);
    const id = s.badId ? idNumber.slice(0, 17) + (idNumber[17] === '0' ? '1' : '0') : idNumber;
    const rec = prepareRecord(
      Number(agentId),
      {
        msisdn,
        network: 'CDMA',
        customerName: '測試客戶',
        idType: 'RESIDENT_ID',
        idNumber: id,
        tariffPlanCode: 'CDMA-XSK-39',
        openedAt: s.openedAt.toISOString(),
        submittedAt: (s.submittedAt ?? new Date(s.openedAt.getTime() + 5 * 60_000)).toISOString(),
        activatedAt: s.activatedAt ? s.activatedAt.toISOString() : null,
      },
      env,
    );
    if (rec.errors.length) throw new Error(`fixture record refused: ${JSON.stringify(rec.errors)}`);
    return rec;
  });
  return { prepared, msisdns };
}

/** `n` records opened in a Shanghai month, spread over its days. */
export function monthRecords(year: number, month: number, n: number, extra: Partial<RecordSpec> = {}): RecordSpec[] {
  return Array.from({ length: n }, (_, i) => ({ openedAt: sh(year, month, 1 + (i % 27), 9 + (i % 9), i % 60), ...extra }));
}

/** An agent that has traded for a while: its createdAt moved back (no API sets it, by design). */
export async function backdateAgent(t: TestApp, agentId: string | number, createdAt: Date): Promise<void> {
  await t.app.ds.query('UPDATE agent SET createdAt = ? WHERE id = ?', [toDbDate(createdAt), Number(agentId)]);
}

export const GQL = {
  createBatch: `mutation($i: CreateAuditBatchInput!){ createAuditBatch(input:$i){ id period strategy status seed sampleSize itemCount populationSize flaggedCount agentIds excludeAudited } }`,
  batchItems: `query($id: ID!, $first: Int, $after: String, $f: AuditItemFilter){ auditBatch(id:$id){ id status itemCount
      progress { recorded pending passed failed findings }
      items(first:$first, after:$after, filter:$f){ totalCount pageInfo { hasNextPage endCursor }
        edges { node { id drawRank flagged drawKey riskScoreAtDraw outcome auditedAt registration { id } agent { id } findings { id type note } } } } } }`,
  record: `mutation($id: ID!, $o: AuditOutcome!, $f: [FindingInput!]){ recordAuditResult(itemId:$id, outcome:$o, findings:$f){ id outcome auditedAt auditor { username } findings { type note } } }`,
  close: `mutation($id: ID!){ closeAuditBatch(id:$id){ id status closedAt closedBy { username } } }`,
  penalties: `query($f: PenaltyFilter, $first: Int){ penalties(filter:$f, first:$first){ totalCount edges { node {
      id kind status amountFen baseAmountFen escalated occurrence findingType reason period settledPeriod offenceAt
      agent { id } finding { id type } createdBy { username } decidedBy { username } waiveReason } } } }`,
};

/** All items of a batch (up to 200), in draw order. */
export async function batchItems(t: TestApp, batchId: string, token: string): Promise<any[]> {
  const res = await t.gql(GQL.batchItems, { id: batchId, first: 200 }, token);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.auditBatch.items.edges.map((e: any) => e.node);
}

/** Draw a batch and record every item: FAIL with the findings `fail(item)` returns, else PASS. Closes it unless told not to. */
export async function auditBatch(
  t: TestApp,
  input: Record<string, unknown>,
  fail: (item: any) => { type: string; note?: string }[] | null,
  { close = true } = {},
): Promise<{ batch: any; items: any[] }> {
  const auditor = await t.token('auditor');
  const created = await t.gql(GQL.createBatch, { i: input }, auditor);
  if (created.errors) throw new Error(`createAuditBatch: ${JSON.stringify(created.errors)}`);
  const batch = created.data.createAuditBatch;
  const items = await batchItems(t, batch.id, auditor);
  for (const item of items) {
    const findings = fail(item);
    const res = await t.gql(GQL.record, { id: item.id, o: findings ? 'FAIL' : 'PASS', f: findings }, auditor);
    if (res.errors) throw new Error(`recordAuditResult: ${JSON.stringify(res.errors)}`);
  }
  if (close) {
    const res = await t.gql(GQL.close, { id: batch.id }, auditor);
    if (res.errors) throw new Error(`closeAuditBatch: ${JSON.stringify(res.errors)}`);
  }
  return { batch, items };
}
