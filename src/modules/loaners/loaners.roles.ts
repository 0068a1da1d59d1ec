import { Role } from '../../common/roles';

/** Who reads the pool: after-sales staff run it, finance values it, partners see their own shelf. */
export const LOANER_READERS = [Role.AFTERSALES_STAFF, Role.FINANCE, Role.REPAIR_PARTNER];

export const LOAN_ROLES = [Role.AFTERSALES_STAFF, Role.REPAIR_PARTNER];
