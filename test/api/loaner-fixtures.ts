/**
 * Fixtures for the loaner tests, built through the API: repair partners and repair orders come
 * from the repair module's mutations (orders opened by after-sales staff out of authorization, so
 * no brand authorization is needed), loaners from registerLoanerPhones and allocateLoaners.
 */
import { imeiFromBody, meidWithCheckDigit } from '../../src/common/validators/serial';
import type { TestApp } from '../helpers/app';

let seq = 0;

function must<T>(res: { data: T; errors?: unknown }, what: string): T {
  if (res.errors) throw new Error(`${what} failed: ${JSON.stringify(res.errors)}`);
  return res.data;
}

export async function createPartner(t: TestApp, opts: { status?: 'SUSPENDED' | 'TERMINATED' } = {}): Promise<{ id: number; code: string }> {
  const n = ++seq;
  const code = `TP-${process.pid % 10000}-${n}`;
  const staff = await t.token('aftersales');
  const created = must(
    await t.gql(
      `mutation($i:CreateRepairPartnerInput!){ createRepairPartner(input:$i){ id code } }`,
      { i: { code, name: `Test shop ${n}`, regionCode: 'SHASHI', premisesProvided: true } },
      staff,
    ),
    'createRepairPartner',
  ).createRepairPartner;
  if (opts.status) {
    must(
      await t.gql(
        `mutation($id:ID!,$s:PartnerStatus!){ setRepairPartnerStatus(id:$id, status:$s, reason:"test fixture"){ id } }`,
        { id: created.id, s: opts.status },
        staff,
      ),
      'setRepairPartnerStatus',
    );
  }
  return { id: Number(created.id), code };
}

const PATH_TO: Record<string, string[]> = {
  RECEIVED: [],
  DIAGNOSED: ['DIAGNOSED'],
  IN_REPAIR: ['DIAGNOSED', 'IN_REPAIR'],
  READY: ['DIAGNOSED', 'IN_REPAIR', 'READY'],
  RETURNED: ['DIAGNOSED', 'IN_REPAIR', 'READY', 'RETURNED'],
  CANCELLED: ['CANCELLED'],
};

/** Move a RECEIVED order along the repair module's legal path to `status`. */
export async function setOrderStatus(t: TestApp, orderId: number, status: string): Promise<void> {
  const staff = await t.token('aftersales');
  for (const s of PATH_TO[status]) {
    must(
      await t.gql(`mutation($id:ID!,$s:RepairOrderStatus!){ setRepairOrderStatus(id:$id, status:$s){ id } }`, { id: String(orderId), s }, staff),
      `setRepairOrderStatus ${s}`,
    );
  }
}

export async function openOrder(t: TestApp, partnerId: number, opts: { msisdn?: string; status?: string } = {}): Promise<{ id: number; msisdn: string }> {
  const n = ++seq;
  const msisdn = opts.msisdn ?? `133${String(10000000 + n).slice(-8)}`;
  const input = {
    partnerId: String(partnerId),
    customerMsisdn: msisdn,
    brand: 'SAMSUNG',
    model: 'SCH-X199',
    serial: meidWithCheckDigit((0xa1000000000000 + (process.pid % 10000) * 100000 + n).toString(16)),
    fault: 'does not power on',
    // Under warranty: returning it needs no price.
    underWarranty: true,
    outOfAuthorization: true,
    outOfAuthorizationReason: 'loaner test fixture',
  };
  const order = must(
    await t.gql(`mutation($i:OpenRepairOrderInput!){ openRepairOrder(input:$i){ id } }`, { i: input }, await t.token('aftersales')),
    'openRepairOrder',
  ).openRepairOrder;
  const id = Number(order.id);
  if (opts.status) await setOrderStatus(t, id, opts.status);
  return { id, msisdn };
}

/** Distinct valid serials for this test file: IMEIs from a per-file prefix, MEIDs likewise. */
let serialSeq = 0;
const filePrefix = String(process.pid % 1000).padStart(3, '0');
export function nextImei(): string {
  return imeiFromBody(`86${filePrefix}${String(++serialSeq).padStart(9, '0')}`);
}
export function nextMeid(): string {
  return `A0${filePrefix}${String(++serialSeq).padStart(9, '0')}`;
}

const REGISTER = `mutation($i:[LoanerPhoneInput!]!){ registerLoanerPhones(input:$i){ registered rejected results { index loaner { id serial serialKind status } errors { field message } } } }`;
const ALLOCATE = `mutation($p:ID!,$ids:[ID!]!){ allocateLoaners(partnerId:$p, loanerIds:$ids){ id status } }`;

/** Register `n` loaners through the API and return their ids. */
export async function registerLoaners(t: TestApp, n: number): Promise<string[]> {
  const staff = await t.token('aftersales');
  // A CDMA model carries a MEID, a GSM one an IMEI.
  const items = Array.from({ length: n }, (_, i) =>
    i % 2 ? { serial: nextMeid(), brand: 'Kyocera', model: 'KX-1' } : { serial: nextImei(), brand: 'Nokia', model: '3100' },
  );
  const res = await t.gql(REGISTER, { i: items }, staff);
  if (res.errors || res.data.registerLoanerPhones.registered !== n) throw new Error(`register failed: ${JSON.stringify(res.errors ?? res.data)}`);
  return res.data.registerLoanerPhones.results.map((r: { loaner: { id: string } }) => r.loaner.id);
}

/** Register `n` loaners and allocate them to the partner, through the API. */
export async function allocatedLoaners(t: TestApp, partnerId: number, n: number): Promise<string[]> {
  const ids = await registerLoaners(t, n);
  const res = await t.gql(ALLOCATE, { p: String(partnerId), ids }, await t.token('aftersales'));
  if (res.errors) throw new Error(`allocate failed: ${JSON.stringify(res.errors)}`);
  return ids;
}

export function dueIn(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}

export const DAY = 24 * 3600 * 1000;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
