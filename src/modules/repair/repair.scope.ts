import type { AuthUser } from '../../common/auth';
import { tenantPartnerOf } from '../../common/auth';
import { ForbiddenError, NotFoundError } from '../../common/errors';
import { Role } from '../../common/roles';

/** Who reads the repair network's data: after-sales staff, finance (subsidies) and partners (their own). */
export const REPAIR_READ_ROLES = [Role.AFTERSALES_STAFF, Role.FINANCE, Role.REPAIR_PARTNER];
/** Network-wide reports (coverage, price index): staff only, since they show other partners. */
export const REPAIR_REPORT_ROLES = [Role.AFTERSALES_STAFF, Role.FINANCE];


/** Another partner's object reads as missing: a tenant must not learn that it exists. */
export function assertVisible(user: AuthUser, ownerPartnerId: number | null | undefined, entity: string, id: number | string): void {
  const own = tenantPartnerOf(user);
  if (own != null && ownerPartnerId !== own) throw new NotFoundError(entity, id);
}

export function isAftersalesStaff(user: AuthUser): boolean {
  return user.role === Role.AFTERSALES_STAFF || user.role === Role.ADMIN;
}
