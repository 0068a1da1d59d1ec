import { EntityManager } from 'typeorm';
import type { AppConfig } from '../src/config';
import { intBetween, pick, seededRandom } from '../src/common/random';
import { SHANGHAI_OFFSET_MS } from '../src/common/period';
import { imeiFromBody } from '../src/common/validators/serial';
import { LoanerEvent, LoanerEventType } from '../src/modules/loaners/loaner-event.entity';
import { DepositStatus, LoanerCondition, LoanerLoan } from '../src/modules/loaners/loaner-loan.entity';
import { LoanerPhone, LoanerSerialKind, LoanerStatus } from '../src/modules/loaners/loaner-phone.entity';

/** Reference data every database needs (tests included): the loaner pool has none. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export async function seedLoanersReference(em: EntityManager, config: AppConfig): Promise<void> {}

/** The document's 350 loaner phones (備機), and how many of them each demo partner holds. */
export const DEMO_LOANER_COUNT = 350;
export const DEMO_LOANER_SHARES: Record<string, number> = { 'RP-01': 70, 'RP-02': 70, 'RP-03': 55, 'RP-04': 55, 'RP-05': 50, 'RP-06': 50 };

/** Handsets a 2005 CDMA branch would keep as loaners (MEID), and a few GSM ones (IMEI) for GSM customers. */
const LOANER_MODELS: { brand: string; model: string; kind: LoanerSerialKind; code: string }[] = [
  { brand: 'Samsung', model: 'SCH-X199', kind: LoanerSerialKind.MEID, code: 'A0000011' },
  { brand: 'Samsung', model: 'SCH-X339', kind: LoanerSerialKind.MEID, code: 'A0000012' },
  { brand: 'Motorola', model: 'C289', kind: LoanerSerialKind.MEID, code: 'A0000021' },
  { brand: 'LG', model: 'LG-KX206', kind: LoanerSerialKind.MEID, code: 'A1000031' },
  { brand: 'Kyocera', model: 'KZ-820', kind: LoanerSerialKind.MEID, code: 'A1000041' },
  { brand: 'ZTE', model: 'C370', kind: LoanerSerialKind.MEID, code: 'A1000051' },
  { brand: 'Huawei', model: 'C2285', kind: LoanerSerialKind.MEID, code: 'A1000061' },
  { brand: 'Hisense', model: 'C108', kind: LoanerSerialKind.MEID, code: 'A1000071' },
  { brand: 'Nokia', model: '3100', kind: LoanerSerialKind.IMEI, code: '35422300' },
  { brand: 'Motorola', model: 'E398', kind: LoanerSerialKind.IMEI, code: '35467100' },
];

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const CHUNK = 200;

function shanghai(y: number, m: number, d: number, h = 9): Date {
  return new Date(Date.UTC(y, m - 1, d, h) - SHANGHAI_OFFSET_MS);
}

/** The pool was bought before the first partner opened (the repair demo's first partner joins 2024-01-08). */
const REGISTERED_AT = shanghai(2024, 1, 2, 10);
const OPEN_STATUSES = ['RECEIVED', 'DIAGNOSED', 'IN_REPAIR', 'READY'];

async function insertChunks(em: EntityManager, entity: new () => object, rows: object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await em
      .createQueryBuilder()
      .insert()
      .into(entity)
      .values(rows.slice(i, i + CHUNK))
      .execute();
  }
}

async function maxId(em: EntityManager, table: string): Promise<number> {
  const rows: { m: unknown }[] = await em.query(`SELECT MAX(id) AS m FROM ${table}`);
  return Number(rows[0].m ?? 0);
}

function toDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  const s = String(v);
  return new Date(s.includes('T') ? s : `${s.replace(' ', 'T')}Z`);
}

interface Order {
  id: number;
  partnerId: number;
  status: string;
  msisdn: string;
  openedAt: Date;
  closedAt: Date | null;
}

type EventRow = Omit<LoanerEvent, 'id' | 'loanerRef'> & { seq: number };

/**
 * The 350 loaners, allocated across the six demo partners when each joined, with a loan history
 * against the partners' returned repair orders (a few came back damaged, one was lost), and loans
 * open now against open orders: most due in the coming days, a few overdue, and two still out
 * although the repair order was returned. Deterministic: a seeded PRNG; the registration,
 * allocation and past loans sit in the repair demo's fixed history, while the open loans are
 * counted from `now` so that the overdue list shows a few loans whenever the demo is seeded.
 * Partners or orders that are missing (a module not seeded) are skipped.
 */

export async function seedLoanersDemo(em: EntityManager, config: AppConfig, now = new Date()): Promise<void> {
  if ((await maxId(em, 'loaner_phone')) > 0) return;
  const rand = seededRandom('loaners-demo');

  const codes = Object.keys(DEMO_LOANER_SHARES);
  const partnerRows: { id: unknown; code: string; createdAt: unknown }[] = await em.query(
    `SELECT id, code, createdAt FROM repair_partner WHERE code IN (${codes.map(() => '?').join(', ')})`,
    codes,
  );
  const partners = codes
    .map((code) => partnerRows.find((p) => p.code === code))
    .filter((p): p is NonNullable<typeof p> => !!p)
    .map((p) => ({ id: Number(p.id), code: p.code, joinedAt: toDate(p.createdAt)! }));

  // Serials: per model, consecutive serial numbers under its manufacturer code, so all are distinct.
  const perModel = new Map<string, number>();
  let nextLoanerId = (await maxId(em, 'loaner_phone')) + 1;
  const loaners: (Omit<LoanerPhone, 'partnerRef'> & { out: boolean; busyUntil: number })[] = [];
  for (let n = 0; n < DEMO_LOANER_COUNT; n++) {
    const m = n % 7 === 6 ? LOANER_MODELS[8 + (n % 2)] : LOANER_MODELS[intBetween(rand, 0, 7)];
    const k = (perModel.get(m.code) ?? 0) + 1;
    perModel.set(m.code, k);
    const serial =
      m.kind === LoanerSerialKind.MEID
        ? `${m.code}${(0x100000 + k * 97).toString(16).toUpperCase().padStart(6, '0')}`
        : imeiFromBody(`${m.code}${String(300000 + k * 13).padStart(6, '0')}`);
    loaners.push({
      id: nextLoanerId++,
      serial,
      serialKind: m.kind,
      brand: m.brand,
      model: m.model,
      status: LoanerStatus.IN_POOL,
      partnerId: null,
      registeredAt: REGISTERED_AT,
      allocatedAt: null,
      statusChangedAt: REGISTERED_AT,
      out: false,
      busyUntil: 0,
    });
  }

  let seq = 0;
  const events: EventRow[] = [];
  const event = (e: Omit<EventRow, 'seq' | 'actorId' | 'note'> & { note?: string | null }) => events.push({ actorId: null, note: null, ...e, seq: seq++ });
  for (const l of loaners) {
    event({
      loanerId: l.id,
      type: LoanerEventType.REGISTERED,
      fromStatus: null,
      toStatus: LoanerStatus.IN_POOL,
      partnerId: null,
      loanId: null,
      at: REGISTERED_AT,
      actorName: 'aftersales',
    });
  }

  // Each partner receives its share on the day it joined.
  const byPartner = new Map<number, typeof loaners>();
  let cursor = 0;
  for (const p of partners) {
    const share = loaners.slice(cursor, cursor + DEMO_LOANER_SHARES[p.code]);
    cursor += share.length;
    const at = new Date(p.joinedAt.getTime() + 2 * HOUR);
    for (const l of share) {
      Object.assign(l, { status: LoanerStatus.ALLOCATED, partnerId: p.id, allocatedAt: at, statusChangedAt: at });
      event({
        loanerId: l.id,
        type: LoanerEventType.ALLOCATED,
        fromStatus: LoanerStatus.IN_POOL,
        toStatus: LoanerStatus.ALLOCATED,
        partnerId: p.id,
        loanId: null,
        at,
        actorName: 'aftersales',
      });
    }
    byPartner.set(p.id, share);
  }

  const orders: Order[] = [];
  if (partners.length) {
    const ids = partners.map((p) => p.id);
    const rows: { id: unknown; partnerId: unknown; status: string; customerMsisdn: string; openedAt: unknown; closedAt: unknown }[] = await em.query(
      `SELECT id, partnerId, status, customerMsisdn, openedAt, closedAt FROM repair_order WHERE partnerId IN (${ids.map(() => '?').join(', ')}) ORDER BY openedAt, id`,
      ids,
    );
    for (const r of rows) {
      orders.push({
        id: Number(r.id),
        partnerId: Number(r.partnerId),
        status: r.status,
        msisdn: r.customerMsisdn,
        openedAt: toDate(r.openedAt)!,
        closedAt: toDate(r.closedAt),
      });
    }
  }

  const shopUser = (partnerId: number) => {
    const code = partners.find((p) => p.id === partnerId)?.code;
    return code === 'RP-01' ? 'shop1' : code === 'RP-02' ? 'shop2' : 'aftersales';
  };
  /** A loaner of the partner free at `from` (back from its last loan, not in service or lost). */
  const freeLoaner = (partnerId: number, from: number) => {
    const shelf = byPartner.get(partnerId) ?? [];
    const free = shelf.filter((l) => !l.out && l.busyUntil < from);
    return free.length ? pick(rand, free) : null;
  };
  const deposit = () => intBetween(rand, 4, 10) * 5_000;

  let nextLoanId = (await maxId(em, 'loaner_loan')) + 1;
  const loans: Omit<LoanerLoan, 'loanerRef' | 'partnerRef' | 'repairOrderRef'>[] = [];
  const lend = (order: Order, l: (typeof loaners)[number], lentAt: Date, dueAt: Date, depositFen: number) => {
    const loan = {
      id: nextLoanId++,
      loanerId: l.id,
      partnerId: order.partnerId,
      repairOrderId: order.id,
      customerMsisdn: order.msisdn,
      depositFen,
      depositStatus: DepositStatus.HELD,
      depositRefundedFen: 0,
      depositKeptFen: 0,
      lentAt,
      dueAt,
      returnedAt: null as Date | null,
      returnCondition: null as LoanerCondition | null,
      returnNote: null as string | null,
      openLoanerId: l.id as number | null,
      openRepairOrderId: order.id as number | null,
      lentById: null,
      returnedById: null,
    };
    loans.push(loan);
    Object.assign(l, { status: LoanerStatus.ON_LOAN, statusChangedAt: lentAt });
    event({
      loanerId: l.id,
      type: LoanerEventType.LENT,
      fromStatus: LoanerStatus.ALLOCATED,
      toStatus: LoanerStatus.ON_LOAN,
      partnerId: order.partnerId,
      loanId: loan.id,
      at: lentAt,
      actorName: shopUser(order.partnerId),
    });
    return loan;
  };

  // Past loans: about one returned order in four had a loaner, returned with the handset.
  let damaged = 0;
  let lost = 0;
  const returned = orders.filter((o) => o.status === 'RETURNED' && o.closedAt);
  const recentReturned = returned.slice(-2);
  for (const order of returned.slice(0, -2)) {
    if (rand() >= 0.25) continue;
    const lentAt = new Date(order.openedAt.getTime() + HOUR);
    const back = Math.max(order.closedAt!.getTime(), lentAt.getTime() + DAY);
    const l = freeLoaner(order.partnerId, lentAt.getTime());
    if (!l) continue;
    const loan = lend(order, l, lentAt, new Date(lentAt.getTime() + intBetween(rand, 7, 14) * DAY), deposit());
    const roll = rand();
    const condition = roll < 0.05 && damaged < 3 ? LoanerCondition.DAMAGED : roll > 0.985 && lost < 1 ? LoanerCondition.LOST : LoanerCondition.GOOD;
    const to =
      condition === LoanerCondition.GOOD ? LoanerStatus.ALLOCATED : condition === LoanerCondition.DAMAGED ? LoanerStatus.IN_SERVICE : LoanerStatus.LOST;
    if (condition === LoanerCondition.DAMAGED) damaged++;
    if (condition === LoanerCondition.LOST) lost++;
    const kept = condition === LoanerCondition.LOST ? loan.depositFen : condition === LoanerCondition.DAMAGED && damaged === 1 ? 5_000 : 0;
    const returnedAt = new Date(back);
    Object.assign(loan, {
      returnedAt,
      returnCondition: condition,
      returnNote: condition === LoanerCondition.GOOD ? null : condition === LoanerCondition.DAMAGED ? '屏幕碎裂' : '客戶遺失',
      depositKeptFen: kept,
      depositRefundedFen: loan.depositFen - kept,
      depositStatus: kept === 0 ? DepositStatus.REFUNDED : kept === loan.depositFen ? DepositStatus.KEPT : DepositStatus.PARTLY_KEPT,
      openLoanerId: null,
      openRepairOrderId: null,
    });
    Object.assign(l, { status: to, statusChangedAt: returnedAt, busyUntil: back, out: to !== LoanerStatus.ALLOCATED });
    event({
      loanerId: l.id,
      type: LoanerEventType.RETURNED,
      fromStatus: LoanerStatus.ON_LOAN,
      toStatus: to,
      partnerId: order.partnerId,
      loanId: loan.id,
      at: returnedAt,
      actorName: shopUser(order.partnerId),
      note: `returned ${condition}`,
    });
  }

  // Open now: two of three open orders have a loaner out, due over the coming days; three overdue.
  const nowMs = now.getTime();
  const withLoaner = orders.filter((o) => OPEN_STATUSES.includes(o.status) && rand() < 0.67);
  for (const [k, order] of withLoaner.entries()) {
    const late = k % 4 === 1 && k < 12;
    const lentAt = new Date(nowMs - (late ? intBetween(rand, 12, 16) : intBetween(rand, 1, 6)) * DAY - intBetween(rand, 1, 8) * HOUR);
    const dueAt = late ? new Date(nowMs - intBetween(rand, 1, 4) * DAY) : new Date(lentAt.getTime() + intBetween(rand, 7, 14) * DAY);
    const l = freeLoaner(order.partnerId, lentAt.getTime());
    if (!l) continue;
    lend(order, l, lentAt, dueAt, deposit());
    l.out = true;
  }
  // The handset went back to the customer, the loaner did not: the order shows it outstanding.
  for (const order of recentReturned) {
    const lentAt = new Date(nowMs - intBetween(rand, 15, 20) * DAY);
    const l = freeLoaner(order.partnerId, lentAt.getTime());
    if (!l) continue;
    lend(order, l, lentAt, new Date(nowMs - intBetween(rand, 2, 6) * DAY), deposit());
    l.out = true;
  }

  await insertChunks(
    em,
    LoanerPhone,
    loaners.map(({ out: _o, busyUntil: _b, ...l }) => l),
  );
  await insertChunks(em, LoanerLoan, loans);
  // History rows in time order, so that ids follow time for every loaner.
  events.sort((a, b) => a.at.getTime() - b.at.getTime() || a.seq - b.seq);
  await insertChunks(
    em,
    LoanerEvent,
    events.map(({ seq: _s, ...e }) => e),
  );
}
