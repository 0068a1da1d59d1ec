import { EntityManager } from 'typeorm';
import { tenantPartnerOf } from '../../common/auth';
import type { AuthUser } from '../../common/auth';
import { execute, toDbDate } from '../../common/db';
import { BadInputError, ConflictError, isUniqueViolation, NotFoundError } from '../../common/errors';
import { parseId, parseOptionalId } from '../../common/ids';
import { assertFen } from '../../common/money';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { recordChange } from '../changelog/change-log.service';
import { OPEN_REPAIR_STATUSES } from '../repair/repair-order.entity';
import { getOpenRepairOrderForPartner } from '../repair/repair-order.service';
import { requireActivePartner } from '../repair/partner.service';
import { LoanerEventType } from './loaner-event.entity';
import { DepositStatus, LoanerCondition, LoanerLoan } from './loaner-loan.entity';
import { LoanerPhone, LoanerStatus } from './loaner-phone.entity';
import { LendLoanerInput, LoanerLoanFilter } from './loaners.inputs';
import { addEvents } from './loaners.common';
import { optionalText } from '../../common/text';
import { LoanersConflict } from './loaners.errors';

/** The longest a loan may run from now; a due date beyond it is a typing mistake. */
export const MAX_LOAN_DAYS = 180;
const DAY_MS = 24 * 3600 * 1000;

/** Where a loaner goes when it comes back in each condition. */
export const STATUS_AFTER_RETURN: Record<LoanerCondition, LoanerStatus> = {
  [LoanerCondition.GOOD]: LoanerStatus.ALLOCATED,
  [LoanerCondition.DAMAGED]: LoanerStatus.IN_SERVICE,
  [LoanerCondition.LOST]: LoanerStatus.LOST,
};

function assertDueAt(field: string, dueAt: Date, now: Date): Date {
  if (!(dueAt instanceof Date) || Number.isNaN(dueAt.getTime())) throw new BadInputError(field, 'must be a date and time');
  if (dueAt.getTime() <= now.getTime()) throw new BadInputError(field, 'must be in the future');
  if (dueAt.getTime() > now.getTime() + MAX_LOAN_DAYS * DAY_MS) throw new BadInputError(field, `must be within ${MAX_LOAN_DAYS} days`);
  return dueAt;
}

/* ------------------------------------------------------------------ reading */

export async function getLoan(em: EntityManager, actor: AuthUser, idRaw: string | number, field = 'id'): Promise<LoanerLoan> {
  const id = parseId(idRaw, field);
  const own = tenantPartnerOf(actor);
  const loan = await em.getRepository(LoanerLoan).findOne({ where: { id } });
  if (!loan || (own !== null && loan.partnerId !== own)) throw new NotFoundError('LoanerLoan', id);
  return loan;
}

/** Loans, newest first. A partner sees only its own: another partner's by filter is an empty list. */
export function listLoans(em: EntityManager, actor: AuthUser, filter: LoanerLoanFilter | null | undefined, args: ConnectionArgs, now = new Date()) {
  const f = filter ?? {};
  const own = tenantPartnerOf(actor);
  const requested = parseOptionalId(f.partnerId, 'filter.partnerId');
  const loanerId = parseOptionalId(f.loanerId, 'filter.loanerId');
  const repairOrderId = parseOptionalId(f.repairOrderId, 'filter.repairOrderId');
  const qb = em.getRepository(LoanerLoan).createQueryBuilder('l');
  if (own !== null) {
    qb.andWhere('l.partnerId = :own', { own });
    if (requested !== null && requested !== own) qb.andWhere('1 = 0');
  } else if (requested !== null) {
    qb.andWhere('l.partnerId = :requested', { requested });
  }
  if (loanerId !== null) qb.andWhere('l.loanerId = :loanerId', { loanerId });
  if (repairOrderId !== null) qb.andWhere('l.repairOrderId = :repairOrderId', { repairOrderId });
  if (f.customerMsisdn) qb.andWhere('l.customerMsisdn = :msisdn', { msisdn: f.customerMsisdn });
  if (f.open === true) qb.andWhere('l.returnedAt IS NULL');
  if (f.open === false) qb.andWhere('l.returnedAt IS NOT NULL');
  if (f.overdue === true) qb.andWhere('l.returnedAt IS NULL AND l.dueAt < :now', { now: toDbDate(now) });
  if (f.overdue === false) qb.andWhere('(l.returnedAt IS NOT NULL OR l.dueAt >= :now)', { now: toDbDate(now) });
  if (f.repairOrderClosed != null) {
    qb.andWhere('l.returnedAt IS NULL').andWhere(
      `EXISTS (SELECT 1 FROM repair_order o WHERE o.id = l.repairOrderId AND o.status ${f.repairOrderClosed ? 'NOT IN' : 'IN'} (:...openStatuses))`,
      { openStatuses: [...OPEN_REPAIR_STATUSES] },
    );
  }
  return paginate(qb, args, [{ column: 'l.id', value: (n) => n.id, direction: 'DESC' }]);
}

/** Open loans past due, the longest overdue first; for one partner or the whole branch. */
export function listOverdue(em: EntityManager, actor: AuthUser, partnerIdRaw: string | null | undefined, args: ConnectionArgs, now = new Date()) {
  const own = tenantPartnerOf(actor);
  const requested = parseOptionalId(partnerIdRaw, 'partnerId');
  const qb = em
    .getRepository(LoanerLoan)
    .createQueryBuilder('l')
    .where('l.returnedAt IS NULL')
    .andWhere('l.dueAt < :now', { now: toDbDate(now) });
  if (own !== null) {
    qb.andWhere('l.partnerId = :own', { own });
    if (requested !== null && requested !== own) qb.andWhere('1 = 0');
  } else if (requested !== null) {
    qb.andWhere('l.partnerId = :requested', { requested });
  }
  return paginate(qb, args, [
    { column: 'l.dueAt', value: (n) => n.dueAt },
    { column: 'l.id', value: (n) => n.id },
  ]);
}

/* ------------------------------------------------------------------ lending */

function uniqueKeyOf(err: unknown): 'loaner' | 'order' | null {
  const msg = String((err as { message?: string })?.message ?? '') + String((err as { sqlMessage?: string })?.sqlMessage ?? '');
  if (/uq_loaner_loan_open_order|openRepairOrderId/.test(msg)) return 'order';
  if (/uq_loaner_loan_open_loaner|openLoanerId/.test(msg)) return 'loaner';
  return null;
}

/**
 * A partner lends one of its allocated loaners to the customer of one of its open repair orders.
 * Who wins a race for a loaner is decided by the database, not by what this request read: the
 * status UPDATE is conditional on ALLOCATED (and on the partner), and the loan row's open-loan
 * unique keys refuse a second open loan of the loaner or of the order.
 */
export async function lendLoaner(em: EntityManager, actor: AuthUser, input: LendLoanerInput): Promise<LoanerLoan> {
  const now = new Date();
  const loanerId = parseId(input.loanerId, 'input.loanerId');
  const repairOrderId = parseId(input.repairOrderId, 'input.repairOrderId');
  const depositFen = assertFen('input.depositFen', input.depositFen);
  const dueAt = assertDueAt('input.dueAt', input.dueAt, now);
  const own = tenantPartnerOf(actor);

  // Locked on MySQL until commit, so the order cannot be closed while its loaner goes out.
  const order = await getOpenRepairOrderForPartner(em, repairOrderId, own, { lock: true });
  // A suspended partner still takes loaners back, but lends no more.
  await requireActivePartner(em, order.partnerId, 'it cannot lend loaners');
  const loaner = await em.getRepository(LoanerPhone).findOne({ where: { id: loanerId } });
  if (!loaner || (own !== null && loaner.partnerId !== own)) throw new NotFoundError('LoanerPhone', loanerId);
  if (loaner.partnerId !== order.partnerId) {
    throw new ConflictError(LoanersConflict.LOANER_NOT_WITH_PARTNER, `Loaner ${loaner.serial} is not allocated to the repair order's partner`, {
      loanerId: String(loanerId),
    });
  }

  const { affected } = await execute(em, `UPDATE loaner_phone SET status = ?, statusChangedAt = ? WHERE id = ? AND status = ? AND partnerId = ?`, [
    LoanerStatus.ON_LOAN,
    toDbDate(now),
    loanerId,
    LoanerStatus.ALLOCATED,
    order.partnerId,
  ]);
  if (affected !== 1) {
    const status = loaner.status === LoanerStatus.ALLOCATED ? LoanerStatus.ON_LOAN : loaner.status;
    throw new ConflictError(
      status === LoanerStatus.ON_LOAN ? LoanersConflict.LOANER_ALREADY_ON_LOAN : LoanersConflict.LOANER_NOT_ALLOCATED,
      status === LoanerStatus.ON_LOAN
        ? `Loaner ${loaner.serial} is already on loan`
        : `Loaner ${loaner.serial} is ${status}: only an allocated loaner can be lent`,
      { loanerId: String(loanerId), status },
    );
  }

  const repo = em.getRepository(LoanerLoan);
  const loan = repo.create({
    loanerId,
    partnerId: order.partnerId,
    repairOrderId,
    customerMsisdn: input.customerMsisdn ?? order.customerMsisdn,
    depositFen,
    depositStatus: DepositStatus.HELD,
    depositRefundedFen: 0,
    depositKeptFen: 0,
    lentAt: now,
    dueAt,
    returnedAt: null,
    returnCondition: null,
    returnNote: null,
    openLoanerId: loanerId,
    openRepairOrderId: repairOrderId,
    lentById: actor.id,
    returnedById: null,
  });
  try {
    await repo.insert(loan);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    if (uniqueKeyOf(err) === 'order') {
      throw new ConflictError(LoanersConflict.ORDER_HAS_LOANER, `Repair order ${repairOrderId} already has a loaner out: return it first`, {
        repairOrderId: String(repairOrderId),
      });
    }
    throw new ConflictError(LoanersConflict.LOANER_ALREADY_ON_LOAN, `Loaner ${loaner.serial} is already on loan`, { loanerId: String(loanerId) });
  }

  await addEvents(
    em,
    actor,
    [
      {
        loanerId,
        type: LoanerEventType.LENT,
        fromStatus: LoanerStatus.ALLOCATED,
        toStatus: LoanerStatus.ON_LOAN,
        partnerId: order.partnerId,
        loanId: loan.id,
        note: null,
      },
    ],
    now,
  );
  await recordChange(em, actor, {
    action: 'lendLoaner',
    entityType: 'LoanerLoan',
    entityId: loan.id,
    data: { loanerId, serial: loaner.serial, partnerId: order.partnerId, repairOrderId, depositFen, dueAt },
  });
  return loan;
}

/* ------------------------------------------------------------------ returning */

export interface ReturnOptions {
  depositKeptFen?: number | null;
  note?: string | null;
}

/** What happens to the deposit: GOOD refunds it all, LOST keeps it all, DAMAGED keeps what the partner says (default none). */
function settleDeposit(loan: LoanerLoan, condition: LoanerCondition, keptRaw: number | null | undefined) {
  const deposit = loan.depositFen;
  let kept: number;
  if (condition === LoanerCondition.GOOD) {
    if (keptRaw != null && keptRaw !== 0) throw new BadInputError('depositKeptFen', 'a loaner returned in good condition gets its whole deposit back');
    kept = 0;
  } else if (condition === LoanerCondition.LOST) {
    if (keptRaw != null && keptRaw !== deposit) throw new BadInputError('depositKeptFen', `a lost loaner keeps the whole deposit (${deposit} fen)`);
    kept = deposit;
  } else {
    kept = assertFen('depositKeptFen', keptRaw ?? 0);
    if (kept > deposit) throw new BadInputError('depositKeptFen', `must not exceed the deposit (${deposit} fen)`);
  }
  const refunded = deposit - kept;
  const status = deposit === 0 || kept === 0 ? DepositStatus.REFUNDED : refunded === 0 ? DepositStatus.KEPT : DepositStatus.PARTLY_KEPT;
  return { kept, refunded, status };
}

export async function returnLoaner(
  em: EntityManager,
  actor: AuthUser,
  loanIdRaw: string,
  condition: LoanerCondition,
  options: ReturnOptions = {},
): Promise<LoanerLoan> {
  const now = new Date();
  const note = optionalText('note', options.note, 500);
  const loan = await getLoan(em, actor, loanIdRaw, 'loanId');
  if (loan.returnedAt) throw new ConflictError(LoanersConflict.LOAN_ALREADY_RETURNED, `Loan ${loan.id} was already returned`, { loanId: String(loan.id) });
  const deposit = settleDeposit(loan, condition, options.depositKeptFen);

  // Conditional on the loan still being open: of two concurrent returns, one closes it.
  const closed = await execute(
    em,
    `UPDATE loaner_loan
        SET returnedAt = ?, returnCondition = ?, returnNote = ?, returnedById = ?,
            depositStatus = ?, depositRefundedFen = ?, depositKeptFen = ?,
            openLoanerId = NULL, openRepairOrderId = NULL
      WHERE id = ? AND returnedAt IS NULL`,
    [toDbDate(now), condition, note, actor.id, deposit.status, deposit.refunded, deposit.kept, loan.id],
  );
  if (closed.affected !== 1)
    throw new ConflictError(LoanersConflict.LOAN_ALREADY_RETURNED, `Loan ${loan.id} was already returned`, { loanId: String(loan.id) });

  const to = STATUS_AFTER_RETURN[condition];
  const moved = await execute(em, `UPDATE loaner_phone SET status = ?, statusChangedAt = ? WHERE id = ? AND status = ?`, [
    to,
    toDbDate(now),
    loan.loanerId,
    LoanerStatus.ON_LOAN,
  ]);
  // An open loan's loaner is ON_LOAN by construction; anything else is a broken invariant, and the
  // transaction is rolled back rather than leaving the two rows disagreeing.
  if (moved.affected !== 1) throw new Error(`loaner ${loan.loanerId} of open loan ${loan.id} is not ON_LOAN`);

  await addEvents(
    em,
    actor,
    [
      {
        loanerId: loan.loanerId,
        type: LoanerEventType.RETURNED,
        fromStatus: LoanerStatus.ON_LOAN,
        toStatus: to,
        partnerId: loan.partnerId,
        loanId: loan.id,
        note: note ?? `returned ${condition}`,
      },
    ],
    now,
  );
  await recordChange(em, actor, {
    action: 'returnLoaner',
    entityType: 'LoanerLoan',
    entityId: loan.id,
    data: {
      loanerId: loan.loanerId,
      condition,
      loanerStatus: to,
      depositFen: loan.depositFen,
      depositRefundedFen: deposit.refunded,
      depositKeptFen: deposit.kept,
      overdue: loan.dueAt.getTime() < now.getTime(),
      note,
    },
  });
  return em.getRepository(LoanerLoan).findOneOrFail({ where: { id: loan.id } });
}

/** The repair takes longer: the loan gets a new due time. */
export async function extendLoan(em: EntityManager, actor: AuthUser, loanIdRaw: string, dueAtRaw: Date): Promise<LoanerLoan> {
  const now = new Date();
  const loan = await getLoan(em, actor, loanIdRaw, 'loanId');
  if (loan.returnedAt) throw new ConflictError(LoanersConflict.LOAN_ALREADY_RETURNED, `Loan ${loan.id} was already returned`, { loanId: String(loan.id) });
  const dueAt = assertDueAt('dueAt', dueAtRaw, now);
  const r = await execute(em, `UPDATE loaner_loan SET dueAt = ? WHERE id = ? AND returnedAt IS NULL`, [toDbDate(dueAt), loan.id]);
  if (r.affected !== 1) throw new ConflictError(LoanersConflict.LOAN_ALREADY_RETURNED, `Loan ${loan.id} was already returned`, { loanId: String(loan.id) });
  await addEvents(
    em,
    actor,
    [
      {
        loanerId: loan.loanerId,
        type: LoanerEventType.LOAN_EXTENDED,
        fromStatus: LoanerStatus.ON_LOAN,
        toStatus: LoanerStatus.ON_LOAN,
        partnerId: loan.partnerId,
        loanId: loan.id,
        note: `due ${loan.dueAt.toISOString()} → ${dueAt.toISOString()}`,
      },
    ],
    now,
  );
  await recordChange(em, actor, { action: 'extendLoanerLoan', entityType: 'LoanerLoan', entityId: loan.id, data: { from: loan.dueAt, to: dueAt } });
  return em.getRepository(LoanerLoan).findOneOrFail({ where: { id: loan.id } });
}
