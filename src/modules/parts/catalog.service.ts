import { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth';
import { BadInputError, ConflictError, NotFoundError } from '../../common/errors';
import { parseId } from '../../common/ids';
import { idOrKey } from '../../common/lookup';
import { assertFen } from '../../common/money';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { recordChange } from '../changelog/change-log.service';
import { centreLocationId } from './location.service';
import { Part, PartCategory, PartCompatibleModel } from './part.entity';
import { matchKey } from './parts.common';
import { optionalText, requiredText } from '../../common/text';
import { StockLevel } from './stock-level.entity';
import { Supplier } from './supplier.entity';
import { PartsConflict } from './parts.errors';

export interface CompatibleModelInput {
  brand: string;
  model: string;
}

export interface CreatePartInput {
  sku: string;
  name: string;
  category: PartCategory;
  unitCostFen: number;
  reorderPoint?: number | null;
  compatibleModels?: CompatibleModelInput[] | null;
}

export interface UpdatePartInput {
  name?: string | null;
  category?: PartCategory | null;
  reorderPoint?: number | null;
  /** When given, replaces the list. */
  compatibleModels?: CompatibleModelInput[] | null;
}

const SKU = /^[A-Z0-9][A-Z0-9._-]{1,31}$/;

export function normalizeSku(field: string, raw: string): string {
  const sku = (raw ?? '').trim().toUpperCase();
  if (!SKU.test(sku)) throw new BadInputError(field, 'must be 2 to 32 letters, digits, dots, dashes or underscores');
  return sku;
}

function parseReorderPoint(field: string, v: number | null | undefined): number {
  if (v === null || v === undefined) return 0;
  if (!Number.isInteger(v) || v < 0 || v > 1_000_000) throw new BadInputError(field, 'must be a whole number from 0 to 1000000');
  return v;
}

export function parseCompatibleModels(field: string, list: CompatibleModelInput[] | null | undefined) {
  const out: { brand: string; model: string; brandKey: string; modelKey: string }[] = [];
  const seen = new Set<string>();
  (list ?? []).forEach((m, i) => {
    const brand = requiredText(`${field}.${i}.brand`, m?.brand, 64);
    const model = requiredText(`${field}.${i}.model`, m?.model, 64);
    const brandKey = matchKey(brand);
    const modelKey = matchKey(model);
    if (!brandKey) throw new BadInputError(`${field}.${i}.brand`, 'must contain letters or digits');
    if (!modelKey) throw new BadInputError(`${field}.${i}.model`, 'must contain letters or digits');
    const key = `${brandKey}/${modelKey}`;
    if (seen.has(key)) throw new BadInputError(`${field}.${i}`, `lists ${brand} ${model} twice`);
    seen.add(key);
    out.push({ brand, model, brandKey, modelKey });
  });
  if (out.length > 100) throw new BadInputError(field, 'at most 100 models');
  return out;
}

function assertCategory(field: string, v: unknown): PartCategory {
  if (!Object.values(PartCategory).includes(v as PartCategory)) throw new BadInputError(field, 'is not a part category');
  return v as PartCategory;
}

/**
 * A new part, with its centre stock level at zero: the level carries the part's moving-average
 * cost from the start, and a reorder report sees parts never bought yet.
 */
export async function createPart(em: EntityManager, actor: AuthUser | null, input: CreatePartInput, now = new Date()): Promise<Part> {
  const sku = normalizeSku('input.sku', input.sku);
  const name = requiredText('input.name', input.name, 128);
  const category = assertCategory('input.category', input.category);
  const unitCostFen = assertFen('input.unitCostFen', input.unitCostFen);
  const reorderPoint = parseReorderPoint('input.reorderPoint', input.reorderPoint);
  const models = parseCompatibleModels('input.compatibleModels', input.compatibleModels);

  const repo = em.getRepository(Part);
  if (await repo.findOne({ where: { sku } })) throw new ConflictError(PartsConflict.ALREADY_EXISTS, `A part with SKU ${sku} exists`, { field: 'input.sku' });
  const part = repo.create({ sku, name, category, reorderPoint, createdAt: now });
  await repo.insert(part);
  if (models.length) await em.getRepository(PartCompatibleModel).insert(models.map((m) => ({ ...m, partId: part.id })));
  await em.getRepository(StockLevel).insert({ partId: part.id, locationId: await centreLocationId(em), onHand: 0, unitCostFen, updatedAt: now });
  await recordChange(em, actor, {
    action: 'createPart',
    entityType: 'Part',
    entityId: part.id,
    data: { sku, name, category, unitCostFen, reorderPoint, compatibleModels: models.map((m) => `${m.brand} ${m.model}`) },
  });
  return part;
}

/** Name, category, reorder point, compatible models. The cost is not edited: it moves with receipts. */
export async function updatePart(em: EntityManager, actor: AuthUser, idRaw: string, input: UpdatePartInput): Promise<Part> {
  const id = parseId(idRaw, 'id');
  const repo = em.getRepository(Part);
  const part = await repo.findOne({ where: { id } });
  if (!part) throw new NotFoundError('Part', id);
  const changes: Record<string, unknown> = {};
  if (input.name != null) changes.name = requiredText('input.name', input.name, 128);
  if (input.category != null) changes.category = assertCategory('input.category', input.category);
  if (input.reorderPoint != null) changes.reorderPoint = parseReorderPoint('input.reorderPoint', input.reorderPoint);
  const models = input.compatibleModels != null ? parseCompatibleModels('input.compatibleModels', input.compatibleModels) : null;
  if (Object.keys(changes).length) await repo.update({ id }, changes);
  if (models) {
    await em.getRepository(PartCompatibleModel).delete({ partId: id });
    if (models.length) await em.getRepository(PartCompatibleModel).insert(models.map((m) => ({ ...m, partId: id })));
    changes.compatibleModels = models.map((m) => `${m.brand} ${m.model}`);
  }
  await recordChange(em, actor, { action: 'updatePart', entityType: 'Part', entityId: id, data: changes });
  return { ...part, ...(changes as Partial<Part>) };
}

export async function getPart(em: EntityManager, idRaw: string): Promise<Part> {
  const id = parseId(idRaw, 'id');
  const part = await em.getRepository(Part).findOne({ where: { id } });
  if (!part) throw new NotFoundError('Part', id);
  return part;
}

/** The part query: by id or by SKU (stored upper-case). */
export async function getPartByIdOrSku(em: EntityManager, id: string | null | undefined, sku: string | null | undefined): Promise<Part> {
  const key = idOrKey(id, 'sku', sku);
  if (key.by === 'id') return getPart(em, key.value);
  const wanted = key.value.toUpperCase();
  const part = await em.getRepository(Part).findOne({ where: { sku: wanted } });
  if (!part) throw new NotFoundError('Part', wanted);
  return part;
}

export interface PartFilter {
  search?: string | null;
  category?: PartCategory | null;
  brand?: string | null;
  model?: string | null;
}

export function listParts(em: EntityManager, filter: PartFilter, args: ConnectionArgs) {
  const qb = em.getRepository(Part).createQueryBuilder('p');
  const search = optionalText('filter.search', filter.search, 64);
  if (search) {
    // '!' escapes: a backslash would need different quoting on MySQL and SQLite.
    const pattern = `%${search.replace(/[!%_]/g, (c) => `!${c}`)}%`;
    qb.andWhere(`(p.sku LIKE :skuPattern ESCAPE '!' OR p.name LIKE :pattern ESCAPE '!')`, { pattern, skuPattern: pattern.toUpperCase() });
  }
  if (filter.category) qb.andWhere('p.category = :category', { category: filter.category });
  const brand = optionalText('filter.brand', filter.brand, 64);
  const model = optionalText('filter.model', filter.model, 64);
  if (model && !brand) throw new BadInputError('filter.model', 'needs filter.brand');
  if (brand) {
    const sub = em.getRepository(PartCompatibleModel).createQueryBuilder('m').select('1').where('m.partId = p.id').andWhere('m.brandKey = :brandKey');
    if (model) sub.andWhere('m.modelKey = :modelKey');
    qb.andWhere(`EXISTS (${sub.getQuery()})`, { brandKey: matchKey(brand), modelKey: model ? matchKey(model) : undefined });
  }
  return paginate(qb, args);
}

export interface CreateSupplierInput {
  name: string;
  city: string;
  contactName?: string | null;
  contactPhone?: string | null;
}

export async function createSupplier(em: EntityManager, actor: AuthUser | null, input: CreateSupplierInput, now = new Date()): Promise<Supplier> {
  const name = requiredText('input.name', input.name, 128);
  const city = requiredText('input.city', input.city, 64);
  const contactName = optionalText('input.contactName', input.contactName, 64);
  const contactPhone = optionalText('input.contactPhone', input.contactPhone, 32);
  if (contactPhone && !/^[0-9+() -]{5,32}$/.test(contactPhone)) throw new BadInputError('input.contactPhone', 'is not a phone number');
  const repo = em.getRepository(Supplier);
  if (await repo.findOne({ where: { name } }))
    throw new ConflictError(PartsConflict.ALREADY_EXISTS, `A supplier named ${name} exists`, { field: 'input.name' });
  const supplier = repo.create({ name, city, contactName, contactPhone, createdAt: now });
  await repo.insert(supplier);
  await recordChange(em, actor, { action: 'createSupplier', entityType: 'Supplier', entityId: supplier.id, data: { name, city, contactName } });
  return supplier;
}

export function listSuppliers(em: EntityManager, filter: { city?: string | null }, args: ConnectionArgs) {
  const qb = em.getRepository(Supplier).createQueryBuilder('s');
  if (filter.city) qb.andWhere('s.city = :city', { city: filter.city });
  return paginate(qb, args);
}
