import { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth';
import { execute, forUpdate, toDbDate } from '../../common/db';
import { BadInputError, ConflictError, NotFoundError } from '../../common/errors';
import { parseId } from '../../common/ids';
import { assertFen, toFen } from '../../common/money';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { periodOf } from '../../common/period';
import { optionalText, requiredText } from '../../common/text';
import { recordChange } from '../changelog/change-log.service';
import { DepositEntryKind } from './customer.enums';
import { CreateServiceProviderInput, DepositMovementInput } from './customer.inputs';
import { ServiceProvider, SpDepositEntry } from './service-provider.entity';
import { CustomerConflict } from './customer.errors';
import { SpDepositCheck } from './customer.types';

/** How often a conditional write may lose to a concurrent one before we give up (each retry re-reads). */
const MAX_ATTEMPTS = 20;

async function balances(em: EntityManager, spId: number, lock: boolean): Promise<{ depositFen: number; debtFen: number }> {
  const rows: { depositFen: unknown; debtFen: unknown }[] = await em.query(
    `SELECT depositFen, debtFen FROM service_provider WHERE id = ?${lock ? forUpdate(em) : ''}`,
    [spId],
  );
  if (!rows.length) throw new NotFoundError('ServiceProvider', spId);
  return { depositFen: toFen(rows[0].depositFen), debtFen: toFen(rows[0].debtFen) };
}

async function appendEntry(
  em: EntityManager,
  actor: AuthUser | null,
  e: { spId: number; kind: DepositEntryKind; grossFen: number; amountFen: number; debtFen: number; complaintId?: number | null; note?: string | null },
  now: Date,
): Promise<SpDepositEntry> {
  const { depositFen } = await balances(em, e.spId, true);
  const repo = em.getRepository(SpDepositEntry);
  const row = repo.create({
    complaintId: null,
    note: null,
    ...e,
    balanceAfterFen: depositFen,
    period: periodOf(now).key,
    at: now,
    actorId: actor?.id ?? null,
  });
  await repo.insert(row);
  return row;
}

/**
 * Money out of a deposit (a refund or a fine). The whole amount when the deposit holds it — one
 * conditional UPDATE `depositFen >= amount` — else everything the deposit holds, the rest becoming
 * the SP's debt, by a second conditional UPDATE on the balance just read (`depositFen = read`).
 * A concurrent draw makes either write miss, and we read again: the deposit never goes below zero
 * and no fen is counted twice.
 */
export async function drawDeposit(
  em: EntityManager,
  actor: AuthUser | null,
  spId: number,
  kind: DepositEntryKind.REFUND_DRAW | DepositEntryKind.FINE,
  grossFen: number,
  extra: { complaintId?: number | null; note?: string | null },
  now = new Date(),
): Promise<SpDepositEntry> {
  const at = toDbDate(now);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const full = await execute(em, 'UPDATE service_provider SET depositFen = depositFen - ?, updatedAt = ? WHERE id = ? AND depositFen >= ?', [
      grossFen,
      at,
      spId,
      grossFen,
    ]);
    if (full.affected === 1) return appendEntry(em, actor, { spId, kind, grossFen, amountFen: -grossFen, debtFen: 0, ...extra }, now);
    const { depositFen } = await balances(em, spId, true);
    if (depositFen >= grossFen) continue;
    const shortfall = grossFen - depositFen;
    const part = await execute(em, 'UPDATE service_provider SET depositFen = 0, debtFen = debtFen + ?, updatedAt = ? WHERE id = ? AND depositFen = ?', [
      shortfall,
      at,
      spId,
      depositFen,
    ]);
    if (part.affected === 1) return appendEntry(em, actor, { spId, kind, grossFen, amountFen: -depositFen, debtFen: shortfall, ...extra }, now);
  }
  throw new ConflictError(CustomerConflict.CHANGED_MEANWHILE, `SP ${spId}'s deposit kept changing; try again`, { spId });
}

/** Money in. A TOP_UP first pays off the SP's debt (conditional on the debt just read), the rest is deposit. */
export async function creditDeposit(
  em: EntityManager,
  actor: AuthUser | null,
  spId: number,
  kind: DepositEntryKind,
  grossFen: number,
  note: string | null,
  now: Date,
) {
  const at = toDbDate(now);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { debtFen } = await balances(em, spId, true);
    const repaid = kind === DepositEntryKind.TOP_UP ? Math.min(debtFen, grossFen) : 0;
    const res = await execute(
      em,
      'UPDATE service_provider SET depositFen = depositFen + ?, debtFen = debtFen - ?, updatedAt = ? WHERE id = ? AND debtFen = ?',
      [grossFen - repaid, repaid, at, spId, debtFen],
    );
    if (res.affected === 1) return appendEntry(em, actor, { spId, kind, grossFen, amountFen: grossFen - repaid, debtFen: -repaid, note }, now);
  }
  throw new ConflictError(CustomerConflict.CHANGED_MEANWHILE, `SP ${spId}'s deposit kept changing; try again`, { spId });
}

export async function createServiceProvider(em: EntityManager, actor: AuthUser, input: CreateServiceProviderInput): Promise<ServiceProvider> {
  const code = requiredText('input.code', input.code, 32);
  const name = requiredText('input.name', input.name, 100);
  const deposit = input.depositFen == null ? 0 : assertFen('input.depositFen', input.depositFen);
  const now = new Date();
  const repo = em.getRepository(ServiceProvider);
  if (await repo.findOne({ where: { code } }))
    throw new ConflictError(CustomerConflict.ALREADY_EXISTS, `An SP with code ${code} exists`, { field: 'input.code' });
  const sp = await repo.save(repo.create({ code, name, depositFen: 0, debtFen: 0, createdAt: now, updatedAt: null }));
  if (deposit > 0) await creditDeposit(em, actor, sp.id, DepositEntryKind.LODGE, deposit, 'Deposit lodged on registration', now);
  await recordChange(em, actor, { action: 'createServiceProvider', entityType: 'ServiceProvider', entityId: sp.id, data: { code, name, depositFen: deposit } });
  return (await repo.findOne({ where: { id: sp.id } }))!;
}

export async function recordDepositMovement(em: EntityManager, actor: AuthUser, input: DepositMovementInput): Promise<SpDepositEntry> {
  const spId = parseId(input.spId, 'input.spId');
  const amountFen = assertFen('input.amountFen', input.amountFen, { allowZero: false });
  const now = new Date();
  if (!(await em.getRepository(ServiceProvider).findOne({ where: { id: spId } }))) throw new BadInputError('input.spId', `no SP ${spId}`);
  let entry: SpDepositEntry;
  if (input.kind === DepositEntryKind.FINE) {
    const note = requiredText('input.note', input.note, 255);
    entry = await drawDeposit(em, actor, spId, DepositEntryKind.FINE, amountFen, { note }, now);
  } else if (input.kind === DepositEntryKind.LODGE || input.kind === DepositEntryKind.TOP_UP) {
    entry = await creditDeposit(em, actor, spId, input.kind, amountFen, optionalText('input.note', input.note, 255), now);
  } else {
    throw new BadInputError('input.kind', 'REFUND_DRAW is made by upholding an SP_CHARGE complaint');
  }
  await recordChange(em, actor, {
    action: 'recordDepositMovement',
    entityType: 'ServiceProvider',
    entityId: spId,
    data: { entryId: entry.id, kind: entry.kind, grossFen: entry.grossFen, amountFen: entry.amountFen, debtFen: entry.debtFen },
  });
  return entry;
}

export function listServiceProviders(em: EntityManager): Promise<ServiceProvider[]> {
  return em.getRepository(ServiceProvider).find({ order: { code: 'ASC' } });
}

export async function getServiceProvider(em: EntityManager, idRaw: string): Promise<ServiceProvider> {
  const id = parseId(idRaw, 'id');
  const sp = await em.getRepository(ServiceProvider).findOne({ where: { id } });
  if (!sp) throw new NotFoundError('ServiceProvider', id);
  return sp;
}

export function listDepositEntries(em: EntityManager, spId: number, args: ConnectionArgs) {
  const qb = em.getRepository(SpDepositEntry).createQueryBuilder('e').where('e.spId = :spId', { spId });
  return paginate(qb, args, [{ column: 'e.id', value: (e) => e.id, direction: 'DESC' }]);
}

/** Every SP's balances against its ledger's sums: one GROUP BY. */
export async function spDepositCheck(em: EntityManager): Promise<SpDepositCheck[]> {
  const rows: { id: number; depositFen: unknown; debtFen: unknown; ld: unknown; lb: unknown }[] = await em.query(
    `SELECT s.id, s.depositFen, s.debtFen, COALESCE(SUM(e.amountFen), 0) AS ld, COALESCE(SUM(e.debtFen), 0) AS lb
       FROM service_provider s LEFT JOIN sp_deposit_entry e ON e.spId = s.id
      GROUP BY s.id, s.depositFen, s.debtFen ORDER BY s.id`,
  );
  return rows.map((r) => {
    const depositFen = toFen(r.depositFen);
    const debtFen = toFen(r.debtFen);
    const ledgerDepositFen = toFen(r.ld);
    const ledgerDebtFen = toFen(r.lb);
    return { spId: String(r.id), depositFen, debtFen, ledgerDepositFen, ledgerDebtFen, balanced: depositFen === ledgerDepositFen && debtFen === ledgerDebtFen };
  });
}
