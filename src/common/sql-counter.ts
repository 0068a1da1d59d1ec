import { AbstractLogger, LogLevel, LogMessage } from 'typeorm';

/**
 * The comment (TypeORM's `comment` find option) on a process's own statements that happen to run
 * during some request, at most once per few seconds, whichever request comes first: the session
 * recheck (modules/identity/sessions.ts). The counter leaves them out of the request's count, so
 * a loader test's count does not depend on the clock.
 */
export const HOUSEKEEPING_COMMENT = 'housekeeping';
const HOUSEKEEPING_PREFIX = `/* ${HOUSEKEEPING_COMMENT} */`;

/**
 * Counts the SQL statements the app runs. Tests use it to prove that a nested list query runs a
 * constant number of statements, whatever the list's length.
 */
export class SqlCounter extends AbstractLogger {
  count = 0;
  /** Statements left out of `count`: those marked HOUSEKEEPING_COMMENT. */
  housekeeping = 0;
  statements: string[] = [];
  keep = false;

  constructor() {
    // AbstractLogger drops every message of a kind it was not given here.
    super(['query']);
  }

  protected writeLog(level: LogLevel, message: LogMessage | LogMessage[]): void {
    if (level !== 'query') return;
    const list = Array.isArray(message) ? message : [message];
    for (const m of list) {
      const sql = String(m.message ?? '');
      if (sql.startsWith(HOUSEKEEPING_PREFIX)) {
        this.housekeeping++;
        continue;
      }
      if (/^(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SELECT 1$|SELECT VERSION|PRAGMA)/i.test(sql.trim())) continue;
      this.count++;
      if (this.keep) this.statements.push(sql);
    }
  }

  reset(keep = false): void {
    this.count = 0;
    this.housekeeping = 0;
    this.statements = [];
    this.keep = keep;
  }
}
