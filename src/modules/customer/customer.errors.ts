/** Why a customer-service write is CONFLICT (`extensions.reason`); documented in docs/errors.md. */
export enum CustomerConflict {
  /** A service provider with this code exists: choose another (`field` names it). */
  ALREADY_EXISTS = 'ALREADY_EXISTS',
  /** The number's roaming charges of that period were already waived by hand (`waiverId`). */
  ALREADY_WAIVED = 'ALREADY_WAIVED',
  /** The complaint's state or the compensation's status does not allow this (`state` / `status` is the current one). */
  TRANSITION_NOT_ALLOWED = 'TRANSITION_NOT_ALLOWED',
  /** The complaint's compensation is still PROPOSED: confirm or reject it before closing. */
  COMPENSATION_UNDECIDED = 'COMPENSATION_UNDECIDED',
  /** The complaint's category has no compensation rule: set one with setCompensationRule. */
  NO_COMPENSATION_RULE = 'NO_COMPENSATION_RULE',
  /** The SP's deposit kept changing under concurrent writes: send the request again. */
  CHANGED_MEANWHILE = 'CHANGED_MEANWHILE',
  /** The callback was already made (`outcome`). */
  CALLBACK_ALREADY_MADE = 'CALLBACK_ALREADY_MADE',
}
