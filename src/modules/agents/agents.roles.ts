import { Role } from '../../common/roles';

/** Who reads customer records. Finance and after-sales staff have no need for customers' data. */
export const RECORD_READERS = [Role.AGENCY_STAFF, Role.AUDITOR, Role.AGENT];

/** Who reads agents. An AGENT user reads its own agent only. */
export const AGENT_READERS = [Role.AGENCY_STAFF, Role.AUDITOR, Role.FINANCE, Role.AGENT];
