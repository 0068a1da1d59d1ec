import { registerEnumType } from 'type-graphql';

export enum Role {
  ADMIN = 'ADMIN',
  AGENCY_STAFF = 'AGENCY_STAFF',
  AUDITOR = 'AUDITOR',
  AFTERSALES_STAFF = 'AFTERSALES_STAFF',
  FINANCE = 'FINANCE',
  REPAIR_PARTNER = 'REPAIR_PARTNER',
  AGENT = 'AGENT',
  /** The complaint desk (客戶服務部): callbacks, complaints, compensation, SP deposits, roaming waivers. */
  CUSTOMER_SERVICE = 'CUSTOMER_SERVICE',
}
registerEnumType(Role, { name: 'Role' });

export const ALL_ROLES = Object.values(Role);
/** Every role of the branch's own staff (not the outside tenants). */
export const STAFF_ROLES = [Role.ADMIN, Role.AGENCY_STAFF, Role.AUDITOR, Role.AFTERSALES_STAFF, Role.FINANCE, Role.CUSTOMER_SERVICE];
