import { EntityManager } from 'typeorm';
import { Network } from '../../common/network';
import type { AuthUser } from '../../common/auth';
import { BadInputError, ConflictError } from '../../common/errors';
import { recordChange } from '../changelog/change-log.service';
import { HandsetBrand, HandsetModel } from './handset.entity';
import { CreateHandsetBrandInput, CreateHandsetModelInput } from './repair.inputs';
import { RepairConflict } from './repair.errors';

/** A brand by its code or its name, ignoring case; BAD_USER_INPUT naming the field when unknown. */
export async function brandByCodeOrName(em: EntityManager, raw: string | null | undefined, field: string): Promise<HandsetBrand> {
  const s = (raw ?? '').trim();
  if (!s) throw new BadInputError(field, 'is required');
  const brand = await em
    .getRepository(HandsetBrand)
    .createQueryBuilder('b')
    .where('b.code = :code OR UPPER(b.name) = :name', { code: s.toUpperCase(), name: s.toUpperCase() })
    .getOne();
  if (!brand) throw new BadInputError(field, `unknown handset brand "${s}" (see handsetBrands)`);
  return brand;
}

export async function modelOfBrand(em: EntityManager, brandId: number, name: string): Promise<HandsetModel | null> {
  return em
    .getRepository(HandsetModel)
    .createQueryBuilder('m')
    .where('m.brandId = :brandId AND UPPER(m.name) = :name', { brandId, name: name.trim().toUpperCase() })
    .getOne();
}

/** Brands by name; with a network, only brands that have a model on it. */
export async function listBrands(em: EntityManager, network?: Network | null): Promise<HandsetBrand[]> {
  const qb = em.getRepository(HandsetBrand).createQueryBuilder('b').orderBy('b.name', 'ASC');
  if (network) qb.where('EXISTS (SELECT 1 FROM handset_model m WHERE m.brandId = b.id AND m.network = :network)', { network });
  return qb.getMany();
}

export async function createHandsetBrand(em: EntityManager, actor: AuthUser, input: CreateHandsetBrandInput): Promise<HandsetBrand> {
  const name = input.name.trim();
  if (!name) throw new BadInputError('input.name', 'must not be blank');
  const clash = await em
    .getRepository(HandsetBrand)
    .createQueryBuilder('b')
    .where('b.code = :code OR UPPER(b.name) = :name', { code: input.code, name: name.toUpperCase() })
    .getOne();
  if (clash)
    throw new ConflictError(RepairConflict.ALREADY_EXISTS, `Brand ${clash.name} (${clash.code}) exists`, {
      field: clash.code === input.code ? 'input.code' : 'input.name',
    });
  const brand = em.getRepository(HandsetBrand).create({ code: input.code, name, createdAt: new Date() });
  await em.getRepository(HandsetBrand).insert(brand);
  await recordChange(em, actor, { action: 'createHandsetBrand', entityType: 'HandsetBrand', entityId: brand.id, data: input });
  return brand;
}

export async function createHandsetModel(em: EntityManager, actor: AuthUser, input: CreateHandsetModelInput): Promise<HandsetModel> {
  const brand = await brandByCodeOrName(em, input.brand, 'input.brand');
  const name = input.name.trim();
  if (!name) throw new BadInputError('input.name', 'must not be blank');
  if (await modelOfBrand(em, brand.id, name)) throw new ConflictError(RepairConflict.ALREADY_EXISTS, `${brand.name} ${name} exists`, { field: 'input.name' });
  const model = em.getRepository(HandsetModel).create({ brandId: brand.id, name, network: input.network, createdAt: new Date() });
  await em.getRepository(HandsetModel).insert(model);
  await recordChange(em, actor, { action: 'createHandsetModel', entityType: 'HandsetModel', entityId: model.id, data: { ...input, brandId: brand.id } });
  return model;
}
