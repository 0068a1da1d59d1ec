import { Role } from '../../common/roles';

/** Who reads the repair network's data: after-sales staff, finance (subsidies) and partners (their own). */
export const REPAIR_READ_ROLES = [Role.AFTERSALES_STAFF, Role.FINANCE, Role.REPAIR_PARTNER];

/** Network-wide reports (coverage, price index): staff only, since they show other partners. */
export const REPAIR_REPORT_ROLES = [Role.AFTERSALES_STAFF, Role.FINANCE];
