import { EntityManager } from 'typeorm';
import { tenantPartnerOf } from '../../common/auth';
import type { AuthUser } from '../../common/auth';
import { execute, toDbDate } from '../../common/db';
import { BadInputError, ConflictError, NotFoundError, isUniqueViolation } from '../../common/errors';
import { parseId } from '../../common/ids';
import { idOrKey } from '../../common/lookup';
import { assertFen } from '../../common/money';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { recordChange } from '../changelog/change-log.service';
import { createPartnerLocation } from '../parts/location.service';
import { regionByCode } from '../regions/region.service';
import { PartnerContact } from './partner-contact.entity';
import { CreateRepairPartnerInput, PartnerContactInput, RepairPartnerFilter, UpdateRepairPartnerInput } from './repair.inputs';
import { PartnerStatus, RepairPartner } from './repair-partner.entity';
import { assertVisible } from './repair.scope';
import { RepairConflict } from './repair.errors';

/** A wage subsidy above this is surely a typo (the whole network gets 6,000 yuan a month). */
export const MAX_MONTHLY_WAGE_SUBSIDY_FEN = 10_000_000;

function assertWage(field: string, v: number): number {
  assertFen(field, v);
  if (v > MAX_MONTHLY_WAGE_SUBSIDY_FEN) throw new BadInputError(field, `must be at most ${MAX_MONTHLY_WAGE_SUBSIDY_FEN} fen a month`);
  return v;
}

function trimOrNull(v: string | null | undefined): string | null {
  const s = (v ?? '').trim();
  return s ? s : null;
}

function contactRows(partnerId: number, contacts: PartnerContactInput[], field: string): Partial<PartnerContact>[] {
  const primaries = contacts.filter((c) => c.primary).length;
  if (primaries > 1) throw new BadInputError(field, 'at most one contact may be primary');
  return contacts.map((c, i) => {
    const name = c.name.trim();
    if (!name) throw new BadInputError(`${field}.${i}.name`, 'must not be blank');
    return {
      partnerId,
      name,
      phone: c.phone.trim(),
      title: trimOrNull(c.title),
      // With no primary named, the first listed is the one to call.
      primary: primaries ? !!c.primary : i === 0,
    };
  });
}

export async function findPartner(em: EntityManager, id: number): Promise<RepairPartner | null> {
  return em.getRepository(RepairPartner).findOne({ where: { id } });
}

/** The partner, or NOT_FOUND (also for another tenant's partner). */
export async function getRepairPartner(em: EntityManager, user: AuthUser, id: number): Promise<RepairPartner> {
  assertVisible(user, id, 'RepairPartner', id);
  const partner = await findPartner(em, id);
  if (!partner) throw new NotFoundError('RepairPartner', id);
  return partner;
}

/** The repairPartner query: by id or by code; another tenant's partner is NOT_FOUND like a missing one. */
export async function getRepairPartnerByIdOrCode(
  em: EntityManager,
  user: AuthUser,
  id: string | null | undefined,
  code: string | null | undefined,
): Promise<RepairPartner> {
  const key = idOrKey(id, 'code', code);
  if (key.by === 'id') return getRepairPartner(em, user, parseId(key.value, 'id'));
  const partner = await em.getRepository(RepairPartner).findOne({ where: { code: key.value } });
  if (!partner) throw new NotFoundError('RepairPartner', key.value);
  assertVisible(user, partner.id, 'RepairPartner', key.value);
  return partner;
}

/** For writes that name a partner: NOT_FOUND when missing, CONFLICT unless it is active. */
export async function requireActivePartner(em: EntityManager, id: number, what: string): Promise<RepairPartner> {
  const partner = await findPartner(em, id);
  if (!partner) throw new NotFoundError('RepairPartner', id);
  if (partner.status !== PartnerStatus.ACTIVE) {
    throw new ConflictError(RepairConflict.PARTNER_NOT_ACTIVE, `Partner ${partner.code} is ${partner.status}: ${what}`, {
      partnerId: id,
      status: partner.status,
    });
  }
  return partner;
}

export async function listRepairPartners(em: EntityManager, user: AuthUser, filter: RepairPartnerFilter = {}, args: ConnectionArgs) {
  const qb = em.getRepository(RepairPartner).createQueryBuilder('p');
  const own = tenantPartnerOf(user);
  if (own != null) qb.andWhere('p.id = :own', { own });
  if (filter.regionCode) {
    const region = await regionByCode(em, filter.regionCode, 'filter.regionCode');
    qb.andWhere('p.regionId = :regionId', { regionId: region.id });
  }
  if (filter.status) qb.andWhere('p.status = :status', { status: filter.status });
  if (filter.search?.trim()) {
    qb.andWhere('(p.code LIKE :q OR p.name LIKE :q)', { q: `%${filter.search.trim().replace(/[%_\\]/g, '')}%` });
  }
  return paginate(qb, args);
}

export async function createRepairPartner(em: EntityManager, actor: AuthUser, input: CreateRepairPartnerInput): Promise<RepairPartner> {
  const region = await regionByCode(em, input.regionCode, 'input.regionCode');
  const name = input.name.trim();
  if (!name) throw new BadInputError('input.name', 'must not be blank');
  const wage = assertWage('input.monthlyWageSubsidyFen', input.monthlyWageSubsidyFen ?? 0);
  const repo = em.getRepository(RepairPartner);
  if (await repo.findOne({ where: { code: input.code } })) {
    throw new ConflictError(RepairConflict.ALREADY_EXISTS, `A repair partner with code ${input.code} exists`, { field: 'input.code' });
  }
  const now = new Date();
  const partner = repo.create({
    code: input.code,
    name,
    regionId: region.id,
    address: trimOrNull(input.address),
    premisesProvided: !!input.premisesProvided,
    monthlyWageSubsidyFen: wage,
    status: PartnerStatus.ACTIVE,
    statusReason: null,
    statusChangedAt: now,
    createdAt: now,
  });
  try {
    await repo.insert(partner);
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError(RepairConflict.ALREADY_EXISTS, `A repair partner with code ${input.code} exists`, { field: 'input.code' });
    throw err;
  }
  const contacts = contactRows(partner.id, input.contacts ?? [], 'input.contacts');
  if (contacts.length) await em.getRepository(PartnerContact).insert(contacts);
  // The parts centre keeps a shelf per partner; it must exist as soon as the partner does.
  const location = await createPartnerLocation(em, partner.id, partner.name);
  await recordChange(em, actor, {
    action: 'createRepairPartner',
    entityType: 'RepairPartner',
    entityId: partner.id,
    data: { ...input, regionId: region.id, stockLocationId: location.id },
  });
  return partner;
}

export async function updateRepairPartner(em: EntityManager, actor: AuthUser, id: number, input: UpdateRepairPartnerInput): Promise<RepairPartner> {
  const repo = em.getRepository(RepairPartner);
  const partner = await repo.findOne({ where: { id } });
  if (!partner) throw new NotFoundError('RepairPartner', id);
  const changes: Partial<RepairPartner> = {};
  if (input.name != null) {
    const name = input.name.trim();
    if (!name) throw new BadInputError('input.name', 'must not be blank');
    changes.name = name;
  }
  if (input.regionCode != null) changes.regionId = (await regionByCode(em, input.regionCode, 'input.regionCode')).id;
  if (input.address !== undefined) changes.address = trimOrNull(input.address);
  if (input.premisesProvided != null) changes.premisesProvided = input.premisesProvided;
  if (input.monthlyWageSubsidyFen != null) changes.monthlyWageSubsidyFen = assertWage('input.monthlyWageSubsidyFen', input.monthlyWageSubsidyFen);
  let contacts: Partial<PartnerContact>[] | null = null;
  if (input.contacts != null) contacts = contactRows(id, input.contacts, 'input.contacts');
  if (Object.keys(changes).length) await repo.update({ id }, changes);
  if (contacts) {
    await em.getRepository(PartnerContact).delete({ partnerId: id });
    if (contacts.length) await em.getRepository(PartnerContact).insert(contacts);
  }
  await recordChange(em, actor, { action: 'updateRepairPartner', entityType: 'RepairPartner', entityId: id, data: input });
  return { ...partner, ...changes } as RepairPartner;
}

const STATUS_MOVES: Record<PartnerStatus, PartnerStatus[]> = {
  [PartnerStatus.ACTIVE]: [PartnerStatus.SUSPENDED, PartnerStatus.TERMINATED],
  [PartnerStatus.SUSPENDED]: [PartnerStatus.ACTIVE, PartnerStatus.TERMINATED],
  [PartnerStatus.TERMINATED]: [],
};

export async function setRepairPartnerStatus(
  em: EntityManager,
  actor: AuthUser,
  id: number,
  status: PartnerStatus,
  reasonRaw: string | null | undefined,
): Promise<RepairPartner> {
  const reason = trimOrNull(reasonRaw);
  if (reason && reason.length > 255) throw new BadInputError('reason', 'must be at most 255 characters');
  if (!reason && status !== PartnerStatus.ACTIVE) throw new BadInputError('reason', `is required to make a partner ${status}`);
  const partner = await findPartner(em, id);
  if (!partner) throw new NotFoundError('RepairPartner', id);
  if (!STATUS_MOVES[partner.status].includes(status)) {
    throw new ConflictError(RepairConflict.TRANSITION_NOT_ALLOWED, `Partner ${partner.code} is ${partner.status} and cannot become ${status}`, {
      from: partner.status,
      to: status,
    });
  }
  if (status === PartnerStatus.TERMINATED) {
    const held: { n: number | string }[] = await em.query('SELECT COUNT(*) AS n FROM equipment WHERE custodianPartnerId = ?', [id]);
    if (Number(held[0].n) > 0) {
      throw new ConflictError(
        RepairConflict.PARTNER_HOLDS_EQUIPMENT,
        `Partner ${partner.code} still holds ${held[0].n} item(s) of lent equipment: take them back first`,
        { equipment: Number(held[0].n) },
      );
    }
  }
  const now = new Date();
  const { affected } = await execute(em, 'UPDATE repair_partner SET status = ?, statusReason = ?, statusChangedAt = ? WHERE id = ? AND status = ?', [
    status,
    reason,
    toDbDate(now),
    id,
    partner.status,
  ]);
  if (affected !== 1) throw new ConflictError(RepairConflict.CHANGED_MEANWHILE, `Partner ${partner.code} changed status meanwhile: reload and retry`);
  await recordChange(em, actor, {
    action: 'setRepairPartnerStatus',
    entityType: 'RepairPartner',
    entityId: id,
    data: { from: partner.status, to: status, reason },
  });
  return { ...partner, status, statusReason: reason, statusChangedAt: now } as RepairPartner;
}
