import { Role } from '../../common/roles';

/**
 * Who may do what with subsidies (ADMIN always may):
 * - read the register, totals, statements, lent values and the CSV export: FINANCE and
 *   AFTERSALES_STAFF all of it (after-sales staff run the programme the money pays for);
 *   a REPAIR_PARTNER its own rows only;
 * - record a subsidy: FINANCE and AFTERSALES_STAFF (the equipment, loaners and premises they hand out);
 * - generate the month's wage subsidies and reverse entries: FINANCE only (they move money).
 */
export const SUBSIDY_READERS = [Role.FINANCE, Role.AFTERSALES_STAFF, Role.REPAIR_PARTNER];
export const SUBSIDY_RECORDERS = [Role.FINANCE, Role.AFTERSALES_STAFF];
export const SUBSIDY_CONTROLLERS = [Role.FINANCE];
