/**
 * Fixtures for the repair tests, built through the API (and, where a test needs time to pass,
 * through the services with an explicit `now`).
 */
import { inTransaction } from '../../src/common/tx';
import type { AuthUser } from '../../src/common/auth';
import { Role } from '../../src/common/roles';
import { imeiFromBody, meidWithCheckDigit } from '../../src/common/validators/serial';
import type { TestApp } from '../helpers/app';

let seq = 0;
const filePrefix = String(process.pid % 1000).padStart(3, '0');

export const DAY = 24 * 3600 * 1000;
export const HOUR = 3600 * 1000;

export function nextMeid(): string {
  return meidWithCheckDigit(`A0${filePrefix}${String(++seq).padStart(9, '0')}`);
}

export function nextImei(): string {
  return imeiFromBody(`35${filePrefix}${String(++seq).padStart(9, '0')}`);
}

export function nextMsisdn(): string {
  return `133${String(10_000_000 + ++seq).slice(-8)}`;
}

export const CREATE_PARTNER = `mutation($i: CreateRepairPartnerInput!){ createRepairPartner(input:$i){ id code name status region { code } } }`;
export const GRANT = `mutation($p: ID!, $i: GrantBrandAuthorizationInput!){ grantBrandAuthorization(partnerId:$p, input:$i){ id status certificateNo brand } }`;
export const OPEN = `mutation($i: OpenRepairOrderInput!){ openRepairOrder(input:$i){ id status brand model network serial outOfAuthorization authorizationId partner { id } } }`;
export const SET_STATUS = `mutation($id: ID!, $s: RepairOrderStatus!, $price: SafeInt){ setRepairOrderStatus(id:$id, status:$s, priceChargedFen:$price){ id status priceChargedFen } }`;

export interface Partner {
  id: string;
  code: string;
}

export async function createPartner(t: TestApp, opts: { regionCode?: string; name?: string; wage?: number } = {}): Promise<Partner> {
  const n = ++seq;
  const code = `RP-T${n}`;
  const res = await t.gql(
    CREATE_PARTNER,
    { i: { code, name: opts.name ?? `Test shop ${n}`, regionCode: opts.regionCode ?? 'SHASHI', monthlyWageSubsidyFen: opts.wage ?? 100000 } },
    await t.token('aftersales'),
  );
  if (res.errors) throw new Error(`createRepairPartner failed: ${JSON.stringify(res.errors)}`);
  return { id: res.data.createRepairPartner.id, code };
}

export function isoIn(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}

export async function grant(
  t: TestApp,
  partnerId: string,
  brand: string,
  opts: { validFrom?: string; validTo?: string; certificateNo?: string } = {},
): Promise<{ id: string; status: string }> {
  const res = await t.gql(
    GRANT,
    {
      p: partnerId,
      i: {
        brand,
        certificateNo: opts.certificateNo ?? `CERT-${++seq}`,
        validFrom: opts.validFrom ?? isoIn(-DAY),
        validTo: opts.validTo ?? isoIn(365 * DAY),
        grantedVia: 'DISTRIBUTOR',
        grantorName: 'Wuhan distributor',
      },
    },
    await t.token('aftersales'),
  );
  if (res.errors) throw new Error(`grantBrandAuthorization failed: ${JSON.stringify(res.errors)}`);
  return res.data.grantBrandAuthorization;
}

/** A partner user (REPAIR_PARTNER bound to the partner), logged in. */
export function partnerToken(t: TestApp, partnerId: string): Promise<string> {
  return t.userToken('REPAIR_PARTNER', { repairPartnerId: partnerId });
}

export function orderInput(extra: Record<string, unknown> = {}) {
  return { customerMsisdn: nextMsisdn(), brand: 'Samsung', model: 'SCH-X199', serial: nextMeid(), fault: 'no display', ...extra };
}

export async function openOrder(t: TestApp, token: string, extra: Record<string, unknown> = {}): Promise<{ id: string; status: string }> {
  const res = await t.gql(OPEN, { i: orderInput(extra) }, token);
  if (res.errors) throw new Error(`openRepairOrder failed: ${JSON.stringify(res.errors)}`);
  return res.data.openRepairOrder;
}

/** The seeded after-sales staff user, as the services see it (for fixtures run through services). */
export async function staffActor(t: TestApp): Promise<AuthUser> {
  const rows: { id: number }[] = await t.app.ds.query(`SELECT id FROM app_user WHERE username = 'aftersales'`);
  return { id: Number(rows[0].id), username: 'aftersales', role: Role.AFTERSALES_STAFF, repairPartnerId: null, agentId: null };
}

export function tx<T>(t: TestApp, fn: Parameters<typeof inTransaction<T>>[1]): Promise<T> {
  return inTransaction(t.app.ds, fn);
}

export async function count(t: TestApp, sql: string, params: unknown[] = []): Promise<number> {
  const rows: { n: number | string }[] = await t.app.ds.query(sql, params);
  return Number(rows[0].n);
}
