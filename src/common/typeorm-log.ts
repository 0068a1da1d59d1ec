import type { Logger as PinoLogger } from 'pino';
import { EventSubscriber } from 'typeorm';
import type { EntitySubscriberInterface, Logger as TypeormLogger, QueryRunner } from 'typeorm';
import type { AfterQueryEvent } from 'typeorm/subscriber/event/QueryEvent';
import type { SqlCounter } from './sql-counter';

/** Long statements are cut: a bulk INSERT's text runs to megabytes. */
const MAX_SQL = 1000;
const sqlText = (query: string) => (query.length > MAX_SQL ? `${query.slice(0, MAX_SQL)}…` : query);

/**
 * What TypeORM would print to the console goes to pino instead, and never with the statement's
 * parameters: they hold identity-number hashes, password hashes, phone numbers and names. The SQL
 * text itself holds only placeholders. The SQL counter (tests) still sees every statement.
 */
export class PinoTypeormLogger implements TypeormLogger {
  constructor(
    private readonly out: PinoLogger,
    private readonly counter?: SqlCounter,
  ) {}

  logQuery(query: string, parameters?: unknown[], queryRunner?: QueryRunner): void {
    this.counter?.logQuery(query, parameters, queryRunner);
  }

  logQueryError(error: string | Error, query: string): void {
    // The caller gets the error (and the formatter logs unexpected ones); the driver's message
    // can quote values (a duplicate key's), so only its code and the SQL text are kept here.
    const code = typeof error === 'string' ? undefined : (error as { code?: string }).code;
    this.out.debug({ sql: sqlText(query), code }, 'query failed');
  }

  /** TypeORM's own slow-query hook fires at MySQL's statement timeout; slowQueryLog below logs those too. */
  logQuerySlow(): void {}

  logSchemaBuild(message: string): void {
    this.out.debug({ typeorm: 'schema' }, message);
  }

  logMigration(message: string): void {
    this.out.info({ typeorm: 'migration' }, message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    this.out[level === 'warn' ? 'warn' : 'debug']({ typeorm: level }, String(message));
  }
}

/**
 * A subscriber class (TypeORM instantiates it) that logs every statement slower than
 * `thresholdMs` (DB_SLOW_QUERY_MS) through pino: its SQL text and duration, without parameters.
 */
export function slowQueryLog(log: PinoLogger, thresholdMs: number): new () => EntitySubscriberInterface {
  class SlowQueryLog implements EntitySubscriberInterface {
    afterQuery(event: AfterQueryEvent): void {
      const ms = event.executionTime;
      if (ms === undefined || ms < thresholdMs) return;
      log.warn({ sql: sqlText(event.query), durationMs: ms, ok: event.success }, 'slow query');
    }
  }
  // TypeORM instantiates only the subscriber classes it knows from this decorator.
  EventSubscriber()(SlowQueryLog);
  return SlowQueryLog;
}
