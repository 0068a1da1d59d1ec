import { EntityManager } from 'typeorm';
import { AuthUser, scopePartner } from '../../common/auth';
import { execute, toDbDate } from '../../common/db';
import { BadInputError, ConflictError, NotFoundError, isUniqueViolation } from '../../common/errors';
import { parseOptionalId } from '../../common/ids';
import { assertFen } from '../../common/money';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { recordChange } from '../changelog/change-log.service';
import { Equipment, EquipmentCustody, EquipmentStatus } from './equipment.entity';
import { findPartner, requireActivePartner } from './partner.service';
import { EquipmentFilter, RegisterEquipmentInput } from './repair.inputs';
import { assertVisible } from './repair.scope';
import { RepairConflict } from './repair.errors';

/** Above this an item is surely mistyped (a rework station cost a few thousand yuan). */
const MAX_EQUIPMENT_VALUE_FEN = 100_000_000;

function trimNote(note: string | null | undefined, field: string): string | null {
  const s = (note ?? '').trim();
  if (s.length > 255) throw new BadInputError(field, 'must be at most 255 characters');
  return s || null;
}

export async function registerEquipment(em: EntityManager, actor: AuthUser, input: RegisterEquipmentInput): Promise<Equipment> {
  const assetTag = input.assetTag.toUpperCase();
  const kind = input.kind.trim();
  if (!kind) throw new BadInputError('input.kind', 'must not be blank');
  assertFen('input.valueFen', input.valueFen, { allowZero: false });
  if (input.valueFen > MAX_EQUIPMENT_VALUE_FEN) throw new BadInputError('input.valueFen', `must be at most ${MAX_EQUIPMENT_VALUE_FEN} fen`);
  const repo = em.getRepository(Equipment);
  const item = repo.create({
    assetTag,
    kind,
    description: input.description?.trim() || null,
    valueFen: input.valueFen,
    custodianPartnerId: null,
    lentAt: null,
    registeredAt: new Date(),
  });
  try {
    await repo.insert(item);
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError(RepairConflict.ALREADY_EXISTS, `Asset tag ${assetTag} is already registered`, { field: 'input.assetTag' });
    throw err;
  }
  await recordChange(em, actor, { action: 'registerEquipment', entityType: 'Equipment', entityId: item.id, data: { ...input, assetTag } });
  return item;
}

/**
 * Lend an item to a partner. The conditional write is what decides a race: of any number of
 * concurrent lenders, exactly one sees its UPDATE change the row; the others get CONFLICT.
 */
export async function lendEquipment(
  em: EntityManager,
  actor: AuthUser,
  equipmentId: number,
  partnerId: number,
  noteRaw?: string | null,
  now = new Date(),
): Promise<Equipment> {
  const note = trimNote(noteRaw, 'note');
  const partner = await requireActivePartner(em, partnerId, 'equipment cannot be lent to it');
  const { affected } = await execute(em, 'UPDATE equipment SET custodianPartnerId = ?, lentAt = ? WHERE id = ? AND custodianPartnerId IS NULL', [
    partnerId,
    toDbDate(now),
    equipmentId,
  ]);
  const item = await em.getRepository(Equipment).findOne({ where: { id: equipmentId } });
  if (!item) throw new NotFoundError('Equipment', equipmentId);
  if (affected !== 1) {
    const holder = item.custodianPartnerId != null ? await findPartner(em, item.custodianPartnerId) : null;
    throw new ConflictError(
      RepairConflict.EQUIPMENT_ALREADY_LENT,
      `Equipment ${item.assetTag} is already lent to ${holder?.code ?? 'another partner'}: it must be returned first`,
      {
        equipmentId,
        custodianPartnerId: item.custodianPartnerId,
      },
    );
  }
  await em.getRepository(EquipmentCustody).insert({
    equipmentId,
    partnerId,
    openEquipmentId: equipmentId,
    valueFen: item.valueFen,
    lentAt: now,
    lentById: actor.id,
    lentBy: actor.username,
    returnedAt: null,
    returnedById: null,
    returnedBy: null,
    note,
  });
  await recordChange(em, actor, {
    action: 'lendEquipment',
    entityType: 'Equipment',
    entityId: equipmentId,
    data: { partnerId, partnerCode: partner.code, assetTag: item.assetTag, valueFen: item.valueFen, note },
  });
  return item;
}

export async function returnEquipment(em: EntityManager, actor: AuthUser, equipmentId: number, noteRaw?: string | null, now = new Date()): Promise<Equipment> {
  const note = trimNote(noteRaw, 'note');
  const item = await em.getRepository(Equipment).findOne({ where: { id: equipmentId } });
  if (!item) throw new NotFoundError('Equipment', equipmentId);
  if (item.custodianPartnerId == null)
    throw new ConflictError(RepairConflict.EQUIPMENT_NOT_LENT, `Equipment ${item.assetTag} is not lent out`, { equipmentId });
  const holder = item.custodianPartnerId;
  const { affected } = await execute(em, 'UPDATE equipment SET custodianPartnerId = NULL, lentAt = NULL WHERE id = ? AND custodianPartnerId = ?', [
    equipmentId,
    holder,
  ]);
  if (affected !== 1)
    throw new ConflictError(RepairConflict.CHANGED_MEANWHILE, `Equipment ${item.assetTag} changed hands meanwhile: reload and retry`, { equipmentId });
  const closed = await execute(
    em,
    `UPDATE equipment_custody SET returnedAt = ?, returnedById = ?, returnedBy = ?, openEquipmentId = NULL,
            note = COALESCE(?, note)
      WHERE openEquipmentId = ? AND partnerId = ?`,
    [toDbDate(now), actor.id, actor.username, note, equipmentId, holder],
  );
  if (closed.affected !== 1) throw new Error(`equipment ${equipmentId} had no open custody row for partner ${holder}`);
  await recordChange(em, actor, { action: 'returnEquipment', entityType: 'Equipment', entityId: equipmentId, data: { partnerId: holder, note } });
  return { ...item, custodianPartnerId: null, lentAt: null } as Equipment;
}

export async function getEquipment(em: EntityManager, user: AuthUser, id: number): Promise<Equipment> {
  const item = await em.getRepository(Equipment).findOne({ where: { id } });
  if (!item) throw new NotFoundError('Equipment', id);
  assertVisible(user, item.custodianPartnerId, 'Equipment', id);
  return item;
}

/** A partner sees only what it holds now. */
export async function listEquipment(em: EntityManager, user: AuthUser, filter: EquipmentFilter = {}, args: ConnectionArgs) {
  const qb = em.getRepository(Equipment).createQueryBuilder('e');
  const custodian = scopePartner(user, parseOptionalId(filter.custodianPartnerId, 'filter.custodianPartnerId'));
  if (custodian != null) qb.andWhere('e.custodianPartnerId = :custodian', { custodian });
  if (filter.status === EquipmentStatus.AVAILABLE) qb.andWhere('e.custodianPartnerId IS NULL');
  if (filter.status === EquipmentStatus.LENT) qb.andWhere('e.custodianPartnerId IS NOT NULL');
  if (filter.kind) qb.andWhere('e.kind = :kind', { kind: filter.kind });
  if (filter.search?.trim()) {
    qb.andWhere('(e.assetTag LIKE :q OR e.description LIKE :q)', { q: `%${filter.search.trim().replace(/[%_\\]/g, '')}%` });
  }
  return paginate(qb, args);
}
