import { withCheckChar } from '../../src/common/validators/id-card';
import type { TestApp } from '../helpers/app';

export const SUBMIT = `mutation($a: ID!, $r: [RegistrationInput!]!){ submitRegistrations(agentId:$a, records:$r){
  accepted rejected results { index errors { field message } registration { id msisdn network customerName idType idNumberMasked tariffPlanCode status flags openedAt submittedAt activatedAt activationSeconds agent { id code } } } } }`;

let agentSeq = 0;
export async function createAgent(t: TestApp, over: Record<string, unknown> = {}): Promise<{ id: string; code: string }> {
  const code = `RG-${++agentSeq}`;
  const res = await t.gql(
    `mutation($i: CreateAgentInput!){ createAgent(input:$i){ id code } }`,
    { i: { code, name: `登記測試 ${agentSeq}`, kind: 'OUTLET', regionCode: 'SHASHI', commissionPerActivationFen: 2500, ...over } },
    await t.token('staff'),
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.createAgent;
}

let n = 0;
export function nextMsisdn(prefix = '133'): string {
  return `${prefix}${String(++n).padStart(8, '0')}`;
}

/** A valid 18-character resident id number born on `birth` (YYYYMMDD), with sequence `seq`. */
export function residentId(birth = '19800101', seq = n % 1000, region = '421002'): string {
  return withCheckChar(`${region}${birth}${String(seq).padStart(3, '0')}`);
}

let idSeq = 0;
export function freshId(): string {
  idSeq++;
  return residentId(`19${60 + (idSeq % 40)}0${1 + (idSeq % 9)}1${idSeq % 10}`, idSeq % 1000);
}

export function hoursAgo(h: number): string {
  return new Date(Date.now() - h * 3600_000).toISOString();
}

export function record(over: Record<string, unknown> = {}) {
  return {
    msisdn: nextMsisdn(),
    network: 'CDMA',
    customerName: '張偉',
    idType: 'RESIDENT_ID',
    idNumber: freshId(),
    tariffPlanCode: 'CDMA-XSK-39',
    openedAt: hoursAgo(1),
    ...over,
  };
}

export async function submit(t: TestApp, agentId: string, records: unknown[], token?: string) {
  return t.gql(SUBMIT, { a: agentId, r: records }, token ?? (await t.token('staff')));
}

/** Submit and return the stored registrations (throws when any record was rejected). */
export async function submitOk(t: TestApp, agentId: string, records: unknown[], token?: string) {
  const res = await submit(t, agentId, records, token);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  const bad = res.data.submitRegistrations.results.find((r: any) => !r.registration);
  if (bad) throw new Error(JSON.stringify(bad));
  return res.data.submitRegistrations.results.map((r: any) => r.registration);
}
