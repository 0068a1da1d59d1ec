/** Why a loaner write is CONFLICT (`extensions.reason`); documented in docs/errors.md. */
export enum LoanersConflict {
  /** The repair partner is not ACTIVE: loaners go to active partners only. */
  PARTNER_NOT_ACTIVE = 'PARTNER_NOT_ACTIVE',
  /** The loaner is not allocated to the repair order's partner. */
  LOANER_NOT_WITH_PARTNER = 'LOANER_NOT_WITH_PARTNER',
  /** The loaner is already on loan: lend another one. */
  LOANER_ALREADY_ON_LOAN = 'LOANER_ALREADY_ON_LOAN',
  /** The loaner is not ALLOCATED (`status`): only an allocated loaner can be lent. */
  LOANER_NOT_ALLOCATED = 'LOANER_NOT_ALLOCATED',
  /** The repair order already has a loaner out: return it first. */
  ORDER_HAS_LOANER = 'ORDER_HAS_LOANER',
  /** The loan was already returned: it can no longer be returned or extended. */
  LOAN_ALREADY_RETURNED = 'LOAN_ALREADY_RETURNED',
  /** Some of the loaners are not in a status this move starts from (`loanerIds`); nothing moved. */
  TRANSITION_NOT_ALLOWED = 'TRANSITION_NOT_ALLOWED',
  /** Another request changed these loaners (or registered one of the serials) first; nothing was written: send it again. */
  CHANGED_MEANWHILE = 'CHANGED_MEANWHILE',
}
