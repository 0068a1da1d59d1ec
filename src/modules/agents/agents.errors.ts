/** Why an agents write is CONFLICT (`extensions.reason`); documented in docs/errors.md. */
export enum AgentsConflict {
  /** An agent with this code exists: choose another (`field` names it). */
  ALREADY_EXISTS = 'ALREADY_EXISTS',
  /** The agent already has the status asked for: nothing to do. */
  ALREADY_IN_STATUS = 'ALREADY_IN_STATUS',
  /** The agent's or record's status does not allow this change (`status` is the current one); termination is final. */
  TRANSITION_NOT_ALLOWED = 'TRANSITION_NOT_ALLOWED',
  /** Another request changed the agent or record (or took a number of the batch) first: read it again and retry. */
  CHANGED_MEANWHILE = 'CHANGED_MEANWHILE',
  /** Only an ACTIVE agent may submit records (`status` is the agent's). */
  AGENT_NOT_ACTIVE = 'AGENT_NOT_ACTIVE',
  /** Records are encrypted under a key ID_ENCRYPTION_KEYS no longer holds: an operator must restore the key. */
  ENCRYPTION_KEY_MISSING = 'ENCRYPTION_KEY_MISSING',
}
