import { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth';
import { execute, toDbDate } from '../../common/db';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../common/errors';
import { parseId } from '../../common/ids';
import { assertFen } from '../../common/money';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { periodOf } from '../../common/period';
import { optionalText, requiredText } from '../../common/text';
import { recordChange } from '../changelog/change-log.service';
import { Complaint } from './complaint.entity';
import { Compensation, CompensationRule, CompensationRuleChange } from './compensation.entity';
import { CompensationBasis, CompensationStatus, ComplaintCategory, DepositEntryKind } from './customer.enums';
import { CompensationFilter, CompensationRuleInput } from './customer.inputs';
import { drawDeposit } from './sp.service';
import { CustomerConflict } from './customer.errors';

/** The rule book the seeds start from (the report names the SP rule: double refund, paid first). */
export const DEFAULT_COMPENSATION_RULES: {
  category: ComplaintCategory;
  basis: CompensationBasis;
  amountFen: number;
  multiplier: number;
  description: string;
}[] = [
  {
    category: ComplaintCategory.AGENT_CONDUCT,
    basis: CompensationBasis.MULTIPLE,
    amountFen: 0,
    multiplier: 1,
    description: 'What the agent overcharged, returned',
  },
  { category: ComplaintCategory.FALSE_RECORD, basis: CompensationBasis.FIXED, amountFen: 5_000, multiplier: 0, description: '50 yuan call credit' },
  {
    category: ComplaintCategory.SP_CHARGE,
    basis: CompensationBasis.MULTIPLE,
    amountFen: 0,
    multiplier: 2,
    description: '雙倍返還,先行賠付: twice the wrongful charge, paid at once from the SP deposit',
  },
  {
    category: ComplaintCategory.ROAMING_CHARGE,
    basis: CompensationBasis.FIXED,
    amountFen: 1_000,
    multiplier: 0,
    description: '10 yuan call credit (the charge itself is waived)',
  },
  { category: ComplaintCategory.REPAIR, basis: CompensationBasis.FIXED, amountFen: 3_000, multiplier: 0, description: '30 yuan call credit' },
  { category: ComplaintCategory.NETWORK, basis: CompensationBasis.FIXED, amountFen: 2_000, multiplier: 0, description: '20 yuan call credit' },
  { category: ComplaintCategory.SERVICE, basis: CompensationBasis.FIXED, amountFen: 2_000, multiplier: 0, description: '20 yuan call credit' },
];

export async function listCompensationRules(em: EntityManager): Promise<CompensationRule[]> {
  const order = Object.values(ComplaintCategory);
  return (await em.getRepository(CompensationRule).find()).sort((a, b) => order.indexOf(a.category) - order.indexOf(b.category));
}

export function compensationRuleHistory(em: EntityManager, category: ComplaintCategory | null | undefined): Promise<CompensationRuleChange[]> {
  return em.getRepository(CompensationRuleChange).find({ where: category ? { category } : {}, order: { id: 'DESC' } });
}

/** ADMIN changes a rule; the old version stays in the history. Compensation already proposed keeps its amount. */
export async function setCompensationRule(
  em: EntityManager,
  actor: AuthUser | null,
  input: CompensationRuleInput,
  now = new Date(),
): Promise<CompensationRule> {
  const description = optionalText('input.description', input.description, 255) ?? '';
  let amountFen = 0;
  let multiplier = 0;
  if (input.basis === CompensationBasis.FIXED) {
    if (input.amountFen == null) throw new BadInputError('input.amountFen', 'is required for a FIXED rule');
    amountFen = assertFen('input.amountFen', input.amountFen);
    if (input.category === ComplaintCategory.SP_CHARGE)
      throw new BadInputError('input.basis', 'SP_CHARGE refunds a multiple of the wrongful charge (at least twice it)');
  } else {
    if (input.multiplier == null || !Number.isInteger(input.multiplier) || input.multiplier < 1 || input.multiplier > 10) {
      throw new BadInputError('input.multiplier', 'must be a whole number from 1 to 10 for a MULTIPLE rule');
    }
    if (input.category === ComplaintCategory.SP_CHARGE && input.multiplier < 2)
      throw new BadInputError('input.multiplier', 'SP_CHARGE refunds at least twice the wrongful charge');
    multiplier = input.multiplier;
  }
  const repo = em.getRepository(CompensationRule);
  const before = await repo.findOne({ where: { category: input.category } });
  const row = { category: input.category, basis: input.basis, amountFen, multiplier, description, updatedAt: now, updatedById: actor?.id ?? null };
  if (before) await repo.update({ category: input.category }, row);
  else await repo.insert(row);
  await em
    .getRepository(CompensationRuleChange)
    .insert({ category: input.category, basis: input.basis, amountFen, multiplier, description, changedAt: now, changedById: actor?.id ?? null });
  if (actor) {
    await recordChange(em, actor, {
      action: 'setCompensationRule',
      entityType: 'CompensationRule',
      entityId: input.category,
      data: {
        before: before ? { basis: before.basis, amountFen: before.amountFen, multiplier: before.multiplier } : null,
        basis: input.basis,
        amountFen,
        multiplier,
      },
    });
  }
  return (await repo.findOne({ where: { category: input.category } }))!;
}

/**
 * An upheld complaint's compensation at the rule's current terms (none when they come to 0 fen).
 * SP_CHARGE is paid first (先行賠付): confirmed at once and drawn from the SP's deposit; everything
 * else waits for a second person to confirm it.
 */
export async function proposeCompensation(em: EntityManager, actor: AuthUser, complaint: Complaint, now: Date): Promise<Compensation | null> {
  const rule = await em.getRepository(CompensationRule).findOne({ where: { category: complaint.category } });
  if (!rule)
    throw new ConflictError(CustomerConflict.NO_COMPENSATION_RULE, `No compensation rule for ${complaint.category}: set one with setCompensationRule`, {
      category: complaint.category,
    });
  const amountFen = rule.basis === CompensationBasis.FIXED ? rule.amountFen : rule.multiplier * (complaint.disputedAmountFen ?? 0);
  if (amountFen <= 0) return null;
  const paidFirst = complaint.category === ComplaintCategory.SP_CHARGE;
  const repo = em.getRepository(Compensation);
  const comp = await repo.save(
    repo.create({
      complaintId: complaint.id,
      category: complaint.category,
      basis: rule.basis,
      multiplier: rule.basis === CompensationBasis.MULTIPLE ? rule.multiplier : 0,
      amountFen,
      status: paidFirst ? CompensationStatus.CONFIRMED : CompensationStatus.PROPOSED,
      regionId: complaint.regionId,
      spId: complaint.spId,
      fromDepositFen: 0,
      advancedFen: 0,
      period: paidFirst ? periodOf(now).key : null,
      proposedAt: now,
      proposedById: actor.id,
      decidedAt: paidFirst ? now : null,
      decidedById: paidFirst ? actor.id : null,
      rejectReason: null,
    }),
  );
  if (paidFirst) {
    const entry = await drawDeposit(
      em,
      actor,
      complaint.spId!,
      DepositEntryKind.REFUND_DRAW,
      amountFen,
      { complaintId: complaint.id, note: `Double refund, complaint ${complaint.id} (${complaint.msisdn})` },
      now,
    );
    comp.fromDepositFen = -entry.amountFen;
    comp.advancedFen = entry.debtFen;
    await repo.update({ id: comp.id }, { fromDepositFen: comp.fromDepositFen, advancedFen: comp.advancedFen });
  }
  await recordChange(em, actor, {
    action: paidFirst ? 'paySpRefund' : 'proposeCompensation',
    entityType: 'Compensation',
    entityId: comp.id,
    data: { complaintId: complaint.id, amountFen, status: comp.status, fromDepositFen: comp.fromDepositFen, advancedFen: comp.advancedFen },
  });
  return comp;
}

async function explain(em: EntityManager, id: number, action: string, actor: AuthUser): Promise<never> {
  const c = await em.getRepository(Compensation).findOne({ where: { id } });
  if (!c) throw new NotFoundError('Compensation', id);
  if (c.status === CompensationStatus.PROPOSED && c.proposedById === actor.id) {
    throw new ForbiddenError('Four eyes: compensation must be decided by someone other than the person who proposed it');
  }
  throw new ConflictError(CustomerConflict.TRANSITION_NOT_ALLOWED, `Compensation ${id} is ${c.status}: it cannot be ${action}`, { status: c.status });
}

/** PROPOSED → CONFIRMED (paid), by someone other than the proposer: the condition is in the UPDATE itself. */
export async function confirmCompensation(em: EntityManager, actor: AuthUser, idRaw: string, now = new Date()): Promise<Compensation> {
  const id = parseId(idRaw, 'id');
  const res = await execute(
    em,
    `UPDATE compensation SET status = 'CONFIRMED', decidedAt = ?, decidedById = ?, period = ? WHERE id = ? AND status = 'PROPOSED' AND (proposedById IS NULL OR proposedById <> ?)`,
    [toDbDate(now), actor.id, periodOf(now).key, id, actor.id],
  );
  if (res.affected !== 1) await explain(em, id, 'confirmed', actor);
  await recordChange(em, actor, { action: 'confirmCompensation', entityType: 'Compensation', entityId: id, data: { status: CompensationStatus.CONFIRMED } });
  return (await em.getRepository(Compensation).findOne({ where: { id } }))!;
}

/** PROPOSED → REJECTED with a reason, also by a second person. */
export async function rejectCompensation(em: EntityManager, actor: AuthUser, idRaw: string, reasonRaw: string, now = new Date()): Promise<Compensation> {
  const id = parseId(idRaw, 'id');
  const reason = requiredText('reason', reasonRaw, 500);
  const res = await execute(
    em,
    `UPDATE compensation SET status = 'REJECTED', decidedAt = ?, decidedById = ?, rejectReason = ? WHERE id = ? AND status = 'PROPOSED' AND (proposedById IS NULL OR proposedById <> ?)`,
    [toDbDate(now), actor.id, reason, id, actor.id],
  );
  if (res.affected !== 1) await explain(em, id, 'rejected', actor);
  await recordChange(em, actor, {
    action: 'rejectCompensation',
    entityType: 'Compensation',
    entityId: id,
    data: { status: CompensationStatus.REJECTED, reason },
  });
  return (await em.getRepository(Compensation).findOne({ where: { id } }))!;
}

export function listCompensations(em: EntityManager, filter: CompensationFilter | undefined, args: ConnectionArgs) {
  const qb = em.getRepository(Compensation).createQueryBuilder('c');
  if (filter?.status) qb.andWhere('c.status = :status', { status: filter.status });
  if (filter?.category) qb.andWhere('c.category = :category', { category: filter.category });
  return paginate(qb, args, [{ column: 'c.id', value: (c) => c.id, direction: 'DESC' }]);
}
