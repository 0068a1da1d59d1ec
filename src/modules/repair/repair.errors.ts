/** Why a repair-network write is CONFLICT (`extensions.reason`); documented in docs/errors.md. */
export enum RepairConflict {
  /** A brand, model, partner code, certificate or asset tag with this value exists (`field` names it). */
  ALREADY_EXISTS = 'ALREADY_EXISTS',
  /** The partner is not ACTIVE (`status`): it cannot open orders, set prices or receive equipment. */
  PARTNER_NOT_ACTIVE = 'PARTNER_NOT_ACTIVE',
  /** The partner is TERMINATED: it cannot be authorized. */
  PARTNER_TERMINATED = 'PARTNER_TERMINATED',
  /** The partner still holds lent equipment (`equipment`): take it back before terminating. */
  PARTNER_HOLDS_EQUIPMENT = 'PARTNER_HOLDS_EQUIPMENT',
  /** The partner's or repair order's status does not allow this change (`from`, `to`, `allowed`). */
  TRANSITION_NOT_ALLOWED = 'TRANSITION_NOT_ALLOWED',
  /** Another request changed the partner, order, equipment or price first: reload and retry. */
  CHANGED_MEANWHILE = 'CHANGED_MEANWHILE',
  /** The brand authorization is already revoked. */
  ALREADY_REVOKED = 'ALREADY_REVOKED',
  /** The equipment is lent to a partner (`custodianPartnerId`): it must be returned first. */
  EQUIPMENT_ALREADY_LENT = 'EQUIPMENT_ALREADY_LENT',
  /** The equipment is not lent out: there is nothing to return. */
  EQUIPMENT_NOT_LENT = 'EQUIPMENT_NOT_LENT',
  /** The partner holds no valid authorization for the brand (`detail` says why): open the order out of authorization, or authorize the partner. */
  NOT_AUTHORIZED = 'NOT_AUTHORIZED',
  /** The repair order is closed (`status`): it takes no parts, loaners or warranty change. */
  ORDER_CLOSED = 'ORDER_CLOSED',
  /** The repair order already has the warranty status asked for: nothing to do. */
  WARRANTY_ALREADY_SET = 'WARRANTY_ALREADY_SET',
}
