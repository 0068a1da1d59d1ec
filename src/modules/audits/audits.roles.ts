import { Role } from '../../common/roles';

/** Who may do what in this module (ADMIN always passes the @Authorized check). */
export const AUDIT_READERS = [Role.AUDITOR, Role.AGENCY_STAFF];
export const AUDITORS = [Role.AUDITOR];
export const PENALTY_READERS = [Role.AGENCY_STAFF, Role.AUDITOR, Role.FINANCE, Role.AGENT];
export const PENALTY_DECIDERS = [Role.AGENCY_STAFF];
export const STATEMENT_READERS = [Role.FINANCE, Role.AGENCY_STAFF, Role.AGENT];
export const SETTLERS = [Role.FINANCE];
/** Settled periods and their totals. */
export const PERIOD_READERS = [Role.FINANCE, Role.AGENCY_STAFF];
export const RISK_RECOMPUTERS = [Role.AUDITOR, Role.AGENCY_STAFF];
export const STATS_READERS = [Role.AGENCY_STAFF, Role.AUDITOR, Role.FINANCE, Role.AGENT];

export const EXPORT_ROLES = [Role.ADMIN, Role.FINANCE, Role.AGENCY_STAFF, Role.AGENT];
