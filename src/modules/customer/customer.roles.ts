import { Role } from '../../common/roles';

/**
 * Who may do what in the customer module (ADMIN always passes the @Authorized check).
 * CUSTOMER_SERVICE works the queues; AUDITOR reads everything; AGENT and REPAIR_PARTNER read what
 * is about themselves (the services narrow it); FINANCE reads the money.
 */
export const DESK = [Role.CUSTOMER_SERVICE];
export const DESK_READERS = [Role.CUSTOMER_SERVICE, Role.AUDITOR];
export const CALLBACK_READERS = [Role.CUSTOMER_SERVICE, Role.AUDITOR, Role.AGENT];
export const COMPLAINT_READERS = [Role.CUSTOMER_SERVICE, Role.AUDITOR, Role.AGENT, Role.REPAIR_PARTNER];
export const MONEY_READERS = [Role.CUSTOMER_SERVICE, Role.AUDITOR, Role.FINANCE];
export const SP_FINERS = [Role.CUSTOMER_SERVICE];
