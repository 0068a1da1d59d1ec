/**
 * Fixtures for the loaner tests. Repair partners and repair orders belong to the repair module;
 * until its createRepairPartner / openRepairOrder API is available these rows are inserted directly
 * (the only rows the loaner tests do not build through the API).
 */
import { RepairOrder } from '../../src/modules/repair/repair-order.entity';
import { RepairPartner } from '../../src/modules/repair/repair-partner.entity';
import { imeiFromBody, meidWithCheckDigit } from '../../src/common/validators/serial';
import type { TestApp } from '../helpers/app';

let seq = 0;

export async function createPartner(t: TestApp, opts: { status?: string } = {}): Promise<{ id: number; code: string }> {
  const n = ++seq;
  const code = `TP-${process.pid % 10000}-${n}`;
  const now = new Date();
  const repo = t.app.ds.getRepository(RepairPartner);
  const row = { code, name: `Test shop ${n}`, regionId: 1, address: null, premisesProvided: true, monthlyWageSubsidyFen: 0, status: opts.status ?? 'ACTIVE', statusChangedAt: now, createdAt: now };
  const r = await repo.insert(row as unknown as RepairPartner);
  return { id: Number(r.identifiers[0].id), code };
}

export async function openOrder(t: TestApp, partnerId: number, opts: { msisdn?: string; status?: string } = {}): Promise<{ id: number; msisdn: string }> {
  const n = ++seq;
  const msisdn = opts.msisdn ?? `133${String(10000000 + n).slice(-8)}`;
  const now = new Date();
  const row = {
    partnerId,
    customerMsisdn: msisdn,
    brand: 'Samsung',
    model: 'SCH-X199',
    network: 'CDMA',
    serial: meidWithCheckDigit((0xa1000000000000 + n).toString(16)),
    fault: 'does not power on',
    underWarranty: false,
    status: opts.status ?? 'RECEIVED',
    openedAt: now,
    statusChangedAt: now,
  };
  const r = await t.app.ds.getRepository(RepairOrder).insert(row as unknown as RepairOrder);
  return { id: Number(r.identifiers[0].id), msisdn };
}

export async function setOrderStatus(t: TestApp, orderId: number, status: string): Promise<void> {
  await t.app.ds.getRepository(RepairOrder).update({ id: orderId }, { status } as Partial<RepairOrder>);
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
  const items = Array.from({ length: n }, (_, i) => ({ serial: i % 2 ? nextMeid() : nextImei(), brand: 'Kyocera', model: 'KX-1' }));
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
