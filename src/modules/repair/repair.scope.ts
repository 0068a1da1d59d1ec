import type { AuthUser } from '../../common/auth';
import { tenantPartnerOf } from '../../common/auth';
import { NotFoundError } from '../../common/errors';
import { Role } from '../../common/roles';

/** Another partner's object reads as missing: a tenant must not learn that it exists. */
export function assertVisible(user: AuthUser, ownerPartnerId: number | null | undefined, entity: string, id: number | string): void {
  const own = tenantPartnerOf(user);
  if (own != null && ownerPartnerId !== own) throw new NotFoundError(entity, id);
}

export function isAftersalesStaff(user: AuthUser): boolean {
  return user.role === Role.AFTERSALES_STAFF || user.role === Role.ADMIN;
}
