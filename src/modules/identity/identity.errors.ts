/** Why an identity write is CONFLICT (`extensions.reason`); documented in docs/errors.md. */
export enum IdentityConflict {
  /** The username is taken: choose another (`field` names it). */
  ALREADY_EXISTS = 'ALREADY_EXISTS',
  /** The last active ADMIN cannot be disabled or demoted: make another user ADMIN first. */
  LAST_ACTIVE_ADMIN = 'LAST_ACTIVE_ADMIN',
}
