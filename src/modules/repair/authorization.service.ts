import { EntityManager } from 'typeorm';
import { Network } from '../../common/network';
import { AuthUser, scopePartner, tenantPartnerOf } from '../../common/auth';
import { execute, toDbDate } from '../../common/db';
import { BadInputError, ConflictError, NotFoundError, isUniqueViolation } from '../../common/errors';
import { parseOptionalId } from '../../common/ids';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { recordChange } from '../changelog/change-log.service';
import { regionByCode } from '../regions/region.service';
import { AuthorizationStatus, BrandAuthorization, authorizationStatus } from './brand-authorization.entity';
import { HandsetBrand } from './handset.entity';
import { brandByCodeOrName } from './handset.service';
import { findPartner } from './partner.service';
import { PartnerStatus } from './repair-partner.entity';
import { BrandAuthorizationFilter, GrantBrandAuthorizationInput } from './repair.inputs';
import { BrandCoverage } from './repair.types';
import { assertVisible } from './repair.scope';
import { RepairConflict } from './repair.errors';

const DAY_MS = 24 * 3600 * 1000;
/** Certificates run a year or two; ten years is a typo. */
const MAX_VALIDITY_MS = 10 * 366 * DAY_MS;
export const MAX_EXPIRING_DAYS = 366;

export async function grantBrandAuthorization(
  em: EntityManager,
  actor: AuthUser,
  partnerId: number,
  input: GrantBrandAuthorizationInput,
  now = new Date(),
): Promise<BrandAuthorization> {
  const brand = await brandByCodeOrName(em, input.brand, 'input.brand');
  const certificateNo = input.certificateNo.trim();
  if (!certificateNo) throw new BadInputError('input.certificateNo', 'must not be blank');
  const { validFrom, validTo } = input;
  if (!(validTo.getTime() > validFrom.getTime())) throw new BadInputError('input.validTo', 'must be after validFrom');
  if (validTo.getTime() - validFrom.getTime() > MAX_VALIDITY_MS) throw new BadInputError('input.validTo', 'must be within ten years of validFrom');
  if (validTo.getTime() <= now.getTime()) throw new BadInputError('input.validTo', 'is in the past: the certificate has already expired');
  const partner = await findPartner(em, partnerId);
  if (!partner) throw new NotFoundError('RepairPartner', partnerId);
  if (partner.status === PartnerStatus.TERMINATED) {
    throw new ConflictError(RepairConflict.PARTNER_TERMINATED, `Partner ${partner.code} is TERMINATED: it cannot be authorized`, { partnerId });
  }
  const repo = em.getRepository(BrandAuthorization);
  const auth = repo.create({
    partnerId,
    brandId: brand.id,
    certificateNo,
    grantedVia: input.grantedVia,
    grantorName: input.grantorName?.trim() || null,
    validFrom,
    validTo,
    revokedAt: null,
    revokeReason: null,
    revokedById: null,
    grantedById: actor.id,
    createdAt: now,
  });
  try {
    await repo.insert(auth);
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new ConflictError(RepairConflict.ALREADY_EXISTS, `${brand.name} certificate ${certificateNo} is already recorded`, {
        field: 'input.certificateNo',
      });
    }
    throw err;
  }
  await recordChange(em, actor, {
    action: 'grantBrandAuthorization',
    entityType: 'BrandAuthorization',
    entityId: auth.id,
    data: { partnerId, brandId: brand.id, brand: brand.name, certificateNo, grantedVia: input.grantedVia, validFrom, validTo },
  });
  return auth;
}

export async function revokeBrandAuthorization(
  em: EntityManager,
  actor: AuthUser,
  id: number,
  reasonRaw: string,
  now = new Date(),
): Promise<BrandAuthorization> {
  const reason = (reasonRaw ?? '').trim();
  if (!reason) throw new BadInputError('reason', 'is required');
  if (reason.length > 255) throw new BadInputError('reason', 'must be at most 255 characters');
  const repo = em.getRepository(BrandAuthorization);
  const auth = await repo.findOne({ where: { id } });
  if (!auth) throw new NotFoundError('BrandAuthorization', id);
  const { affected } = await execute(em, 'UPDATE brand_authorization SET revokedAt = ?, revokeReason = ?, revokedById = ? WHERE id = ? AND revokedAt IS NULL', [
    toDbDate(now),
    reason,
    actor.id,
    id,
  ]);
  if (affected !== 1) throw new ConflictError(RepairConflict.ALREADY_REVOKED, `Authorization ${id} is already revoked`, { authorizationId: id });
  await recordChange(em, actor, { action: 'revokeBrandAuthorization', entityType: 'BrandAuthorization', entityId: id, data: { reason } });
  return { ...auth, revokedAt: now, revokeReason: reason, revokedById: actor.id } as BrandAuthorization;
}

export async function getBrandAuthorization(em: EntityManager, user: AuthUser, id: number): Promise<BrandAuthorization> {
  const auth = await em.getRepository(BrandAuthorization).findOne({ where: { id } });
  if (!auth) throw new NotFoundError('BrandAuthorization', id);
  assertVisible(user, auth.partnerId, 'BrandAuthorization', id);
  return auth;
}

export async function listBrandAuthorizations(
  em: EntityManager,
  user: AuthUser,
  filter: BrandAuthorizationFilter = {},
  args: ConnectionArgs,
  now = new Date(),
) {
  const qb = em.getRepository(BrandAuthorization).createQueryBuilder('a');
  const partnerId = scopePartner(user, parseOptionalId(filter.partnerId, 'filter.partnerId'));
  if (partnerId != null) qb.andWhere('a.partnerId = :partnerId', { partnerId });
  if (filter.brand) qb.andWhere('a.brandId = :brandId', { brandId: (await brandByCodeOrName(em, filter.brand, 'filter.brand')).id });
  const at = toDbDate(now);
  switch (filter.status) {
    case AuthorizationStatus.VALID:
      qb.andWhere('a.revokedAt IS NULL AND a.validFrom <= :at AND a.validTo > :at', { at });
      break;
    case AuthorizationStatus.NOT_YET_VALID:
      qb.andWhere('a.revokedAt IS NULL AND a.validFrom > :at', { at });
      break;
    case AuthorizationStatus.EXPIRED:
      qb.andWhere('a.revokedAt IS NULL AND a.validTo <= :at', { at });
      break;
    case AuthorizationStatus.REVOKED:
      qb.andWhere('a.revokedAt IS NOT NULL');
      break;
  }
  return paginate(qb, args);
}

export interface AuthorizationCheck {
  authorization: BrandAuthorization | null;
  /** Why there is none valid now, in words a shop understands. */
  reason: string | null;
}

/** The partner's authorization for the brand valid at `now` (the one running longest), or why there is none. */
export async function checkAuthorization(em: EntityManager, partnerId: number, brand: HandsetBrand, now = new Date()): Promise<AuthorizationCheck> {
  const all = await em.getRepository(BrandAuthorization).find({ where: { partnerId, brandId: brand.id }, order: { validTo: 'DESC', id: 'DESC' } });
  const valid = all.filter((a) => authorizationStatus(a, now) === AuthorizationStatus.VALID);
  if (valid.length) return { authorization: valid[0], reason: null };
  if (!all.length) return { authorization: null, reason: `holds no ${brand.name} repair authorization` };
  const latest = all[0];
  const status = authorizationStatus(latest, now);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const reason =
    status === AuthorizationStatus.REVOKED
      ? `${brand.name} authorization ${latest.certificateNo} was revoked on ${day(latest.revokedAt!)}: ${latest.revokeReason}`
      : status === AuthorizationStatus.NOT_YET_VALID
        ? `${brand.name} authorization ${latest.certificateNo} is valid only from ${latest.validFrom.toISOString()}`
        : `${brand.name} authorization ${latest.certificateNo} expired on ${latest.validTo.toISOString()}`;
  return { authorization: null, reason };
}

/**
 * Per brand, the active partners holding an authorization valid now (in a region when given), and
 * the brands nobody covers. Two statements, whatever the number of brands and partners.
 */
export async function brandCoverage(
  em: EntityManager,
  regionCode: string | null | undefined,
  network: Network | null | undefined,
  now = new Date(),
): Promise<BrandCoverage> {
  const region = regionCode ? await regionByCode(em, regionCode, 'regionCode') : null;
  const brands: { id: number; code: string; name: string }[] = network
    ? await em.query(
        'SELECT b.id, b.code, b.name FROM handset_brand b WHERE EXISTS (SELECT 1 FROM handset_model m WHERE m.brandId = b.id AND m.network = ?) ORDER BY b.name',
        [network],
      )
    : await em.query('SELECT b.id, b.code, b.name FROM handset_brand b ORDER BY b.name');
  const at = toDbDate(now);
  const params: unknown[] = [at, at, PartnerStatus.ACTIVE];
  let sql = `SELECT DISTINCT a.brandId AS brandId, a.partnerId AS partnerId
               FROM brand_authorization a JOIN repair_partner p ON p.id = a.partnerId
              WHERE a.revokedAt IS NULL AND a.validFrom <= ? AND a.validTo > ? AND p.status = ?`;
  if (region) {
    sql += ' AND p.regionId = ?';
    params.push(region.id);
  }
  const rows: { brandId: number | string; partnerId: number | string }[] = await em.query(`${sql} ORDER BY a.partnerId`, params);
  const byBrand = new Map<number, number[]>();
  for (const r of rows) {
    const list = byBrand.get(Number(r.brandId)) ?? [];
    list.push(Number(r.partnerId));
    byBrand.set(Number(r.brandId), list);
  }
  const entries = brands.map((b) => ({ brand: b.name, brandCode: b.code, partnerIds: byBrand.get(Number(b.id)) ?? [] }));
  return {
    regionCode: region?.code ?? null,
    network: network ?? null,
    asOf: now,
    brands: entries,
    uncoveredBrands: entries.filter((e) => !e.partnerIds.length).map((e) => e.brand),
  };
}

/**
 * Authorizations running out within `withinDays` that nobody has renewed yet (no later-ending
 * authorization of the same partner and brand), soonest first. Terminated partners need no renewal.
 */
export async function expiringAuthorizations(em: EntityManager, user: AuthUser, withinDays: number, args: ConnectionArgs, now = new Date()) {
  if (!Number.isInteger(withinDays) || withinDays < 1 || withinDays > MAX_EXPIRING_DAYS) {
    throw new BadInputError('withinDays', `must be a whole number of days from 1 to ${MAX_EXPIRING_DAYS}`);
  }
  const qb = em
    .getRepository(BrandAuthorization)
    .createQueryBuilder('a')
    .innerJoin('a.partner', 'p')
    .where('a.revokedAt IS NULL AND a.validTo > :now AND a.validTo <= :until AND p.status <> :terminated', {
      now: toDbDate(now),
      until: toDbDate(new Date(now.getTime() + withinDays * DAY_MS)),
      terminated: PartnerStatus.TERMINATED,
    })
    .andWhere(
      `NOT EXISTS (SELECT 1 FROM brand_authorization r WHERE r.partnerId = a.partnerId AND r.brandId = a.brandId
         AND r.revokedAt IS NULL AND r.validTo > a.validTo)`,
    );
  const own = tenantPartnerOf(user);
  if (own != null) qb.andWhere('a.partnerId = :own', { own });
  return paginate(qb, args, [
    { column: 'a.validTo', value: (n) => n.validTo },
    { column: 'a.id', value: (n) => n.id },
  ]);
}
