import { Role } from '../../common/roles';

/** Who reads the parts centre: after-sales staff, finance (the fund), auditors, and partners (scoped). */
export const PARTS_READERS = [Role.AFTERSALES_STAFF, Role.FINANCE, Role.AUDITOR, Role.REPAIR_PARTNER];

/** Who reads the centre's own books (suppliers, purchases, stocktakes): staff, not partners. */
export const CENTRE_READERS = [Role.AFTERSALES_STAFF, Role.FINANCE, Role.AUDITOR];

/** Who runs the centre: catalog, purchases, stocktakes. */
export const PARTS_MANAGERS = [Role.AFTERSALES_STAFF];

/** Who moves parts to and from shops: the centre's staff, and a partner for itself. */
export const PARTS_MOVERS = [Role.AFTERSALES_STAFF, Role.REPAIR_PARTNER];

/** Who reads the revolving fund. */
export const FUND_READERS = [Role.FINANCE, Role.AFTERSALES_STAFF, Role.AUDITOR, Role.REPAIR_PARTNER];

/** Who records repayments and sets caps. */
export const FUND_MANAGERS = [Role.FINANCE];
