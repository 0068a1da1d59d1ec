/** Why a subsidy write is CONFLICT (`extensions.reason`); documented in docs/errors.md. */
export enum SubsidiesConflict {
  /** The partner already has a WAGE entry for the period: correct it with reverseSubsidy. */
  WAGE_ALREADY_RECORDED = 'WAGE_ALREADY_RECORDED',
  /** The subsidy is itself a reversal: it cannot be reversed. */
  IS_A_REVERSAL = 'IS_A_REVERSAL',
  /** The subsidy has already been reversed. */
  ALREADY_REVERSED = 'ALREADY_REVERSED',
}
