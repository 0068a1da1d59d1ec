/** Why an audits write is CONFLICT (`extensions.reason`); documented in docs/errors.md. */
export enum AuditsConflict {
  /** A finding type has no penalty rule: set one with setPenaltyRule, then close the batch again. */
  NO_PENALTY_RULE = 'NO_PENALTY_RULE',
  /** The penalty's status does not allow this (`status` is the current one). */
  TRANSITION_NOT_ALLOWED = 'TRANSITION_NOT_ALLOWED',
  /** A waiver of the penalty is already requested: someone other than its requester approves it. */
  WAIVER_ALREADY_REQUESTED = 'WAIVER_ALREADY_REQUESTED',
  /** No waiver was requested for the penalty: request one (waivePenalty) first. */
  NO_WAIVER_REQUESTED = 'NO_WAIVER_REQUESTED',
  /** No record matches the batch's period and filters: nothing to sample. */
  NOTHING_TO_SAMPLE = 'NOTHING_TO_SAMPLE',
  /** The audit batch is closed: its results can no longer change. */
  BATCH_CLOSED = 'BATCH_CLOSED',
  /** Items of the batch have no result yet (`pending`): record every item before closing. */
  BATCH_INCOMPLETE = 'BATCH_INCOMPLETE',
  /** The commission period is closed: its statements can no longer change. */
  PERIOD_CLOSED = 'PERIOD_CLOSED',
  /** The commission period has not begun: settle it from `from`. */
  PERIOD_NOT_BEGUN = 'PERIOD_NOT_BEGUN',
  /** The commission period has not ended: close it from `from` (settling meanwhile is allowed). */
  PERIOD_NOT_ENDED = 'PERIOD_NOT_ENDED',
}
