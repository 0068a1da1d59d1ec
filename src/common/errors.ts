import { GraphQLError, GraphQLFormattedError, GraphQLSchema, getNamedType, isInputObjectType, isListType, getNullableType } from 'graphql';

/** The codes of the public contract; anything else reaching a client is an internal error. */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'INTERNAL_SERVER_ERROR',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'TOO_MANY_REQUESTS',
  'RETRY_LATER',
] as const;

export class AppError extends GraphQLError {
  constructor(message: string, code: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extensions } });
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Authentication required: send Authorization: Bearer <token> from login') {
    super(message, 'UNAUTHENTICATED');
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Your role may not do this', extensions: Record<string, unknown> = {}) {
    super(message, 'FORBIDDEN', extensions);
  }

  /** A role not among those allowed: the message and `extensions.allowedRoles` say who may (ADMIN always may). */
  static forRoles(role: string, allowed: readonly string[]): ForbiddenError {
    const may = [...new Set([...allowed, 'ADMIN'])];
    return new ForbiddenError(`Role ${role} may not do this; roles that may: ${may.join(', ')}`, { allowedRoles: may });
  }
}

export class NotFoundError extends AppError {
  constructor(entity: string, id?: string | number) {
    super(id === undefined ? `${entity} not found` : `${entity} ${id} not found`, 'NOT_FOUND', { entity });
  }
}

/** Bad input: always names the offending field (a dotted path such as "records.3.msisdn"). */
export class BadInputError extends AppError {
  constructor(field: string, message: string) {
    super(`${field}: ${message}`, 'BAD_USER_INPUT', { field });
  }
}

/**
 * Why a CONFLICT happened, for a program to act on: a value of the string enum its module owns in
 * `src/modules/<feature>/<feature>.errors.ts` (e.g. `AgentsConflict.CHANGED_MEANWHILE`), registered
 * as that module's `conflictReasons` and documented in docs/errors.md. Typed as a string because
 * common/ cannot name the modules' enums; test/unit/conflict-reasons.test.ts checks that every
 * ConflictError construction passes one of the registered enums.
 */
export type ConflictReason = string;

/**
 * Conflicts the error formatter itself reports (a unique key the service's own check did not
 * catch, e.g. two requests inserting the same code at once), whichever module the write was in.
 */
export enum CommonConflict {
  ALREADY_EXISTS = 'ALREADY_EXISTS',
}

/**
 * A business rule said no: not enough stock, loaner already out, period closed, fund exhausted.
 * The reason comes first and is required, so that every CONFLICT tells a client what happened in a
 * word it can switch on (`extensions.reason`), next to the message a person reads. `details` add
 * what the client needs to act (the field, the current status, the shortfall); they cannot set
 * `reason` themselves.
 */
export class ConflictError extends AppError {
  readonly reason: ConflictReason;

  constructor(reason: ConflictReason, message: string, details: Record<string, unknown> & { reason?: never } = {}) {
    // reason right after code, and no detail can overwrite it.
    super(message, 'CONFLICT', Object.assign({ reason }, details, { reason }));
    this.reason = reason;
  }
}

export class TooManyRequestsError extends AppError {
  constructor(message: string, retryAfterSeconds: number) {
    super(message, 'TOO_MANY_REQUESTS', { retryAfterSeconds });
  }
}

/**
 * The transaction kept losing to concurrent writers (deadlocks, Galera certification conflicts)
 * and ran out of attempts (src/common/retry.ts). Nothing was written: the same request may be sent
 * again as is.
 */
export class RetryLaterError extends AppError {
  constructor(attempts: number, reason: string, retryAfterSeconds = 1) {
    const why = reason === 'wsrepNotReady' ? 'The database node is not ready' : 'The database was busy with conflicting writes';
    super(`${why} (${attempts} attempts); nothing was changed, send the request again`, 'RETRY_LATER', {
      reason,
      retryAfterSeconds,
    });
  }
}

/** Is this a unique-key violation from MySQL/MariaDB or SQLite? */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; driverError?: { code?: string } } | undefined;
  const code = e?.code ?? e?.driverError?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string }; message?: string } | undefined;
  const code = e?.code ?? e?.driverError?.code ?? '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'PROTOCOL_CONNECTION_LOST', 'ETIMEDOUT', 'EPIPE', 'ER_SERVER_SHUTDOWN', 'DB_TIMEOUT'].includes(code) ||
    /connect ECONNREFUSED|Connection lost|closed state|Pool is closed|Can't add new command when connection is in closed state/i.test(e?.message ?? '')
  );
}

interface ValidationErrorLike {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationErrorLike[];
}

function firstValidationError(errs: ValidationErrorLike[], prefix = ''): { field: string; message: string } | null {
  for (const e of errs) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints && Object.keys(e.constraints).length) {
      return { field: path, message: Object.values(e.constraints)[0] };
    }
    if (e.children?.length) {
      const inner = firstValidationError(e.children, path);
      if (inner) return inner;
    }
  }
  return null;
}

/**
 * The one error formatter. Known codes pass through; class-validator failures become
 * BAD_USER_INPUT naming the field; unique-key violations become CONFLICT; anything else
 * is INTERNAL_SERVER_ERROR, and outside development its message, stack and SQL are hidden.
 */
/**
 * class-validator reports a property of the argument's value ("username", "0.msisdn") but not the
 * argument's name; find the root field's argument that has such a property and prefix its name,
 * so the field reads "input.username" or "records.0.msisdn" like the services' own errors.
 */
function argumentPrefix(schema: GraphQLSchema | undefined, path: readonly (string | number)[] | undefined, property: string): string {
  if (!schema || !path || path.length !== 1) return '';
  const fieldName = String(path[0]);
  const field = schema.getMutationType()?.getFields()[fieldName] ?? schema.getQueryType()?.getFields()[fieldName];
  if (!field) return '';
  const head = property.split('.')[0];
  for (const arg of field.args) {
    const type = getNullableType(arg.type);
    const named = getNamedType(arg.type);
    if (isListType(type) && /^\d+$/.test(head)) return `${arg.name}.`;
    if (isInputObjectType(named) && named.getFields()[head]) return `${arg.name}.`;
  }
  return '';
}

/** graphql-js's "Did you mean …?" hints (fields, arguments, types, enum values) name parts of the schema. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

export function makeErrorFormatter(opts: { exposeInternals: boolean; log?: (err: unknown) => void; schema?: GraphQLSchema; hideSuggestions?: boolean }) {
  const format = formatter(opts);
  if (!opts.hideSuggestions) return format;
  // In production the schema is not introspectable, and suggestions would hand it out piece by
  // piece to anyone, token or not: they are cut from every message, whichever executor ran.
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const out = format(formatted, error);
    const message = out.message.replace(SUGGESTION, '');
    return message === out.message ? out : { ...out, message };
  };
}

function formatter(opts: { exposeInternals: boolean; log?: (err: unknown) => void; schema?: GraphQLSchema }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // The error a resolver threw, under however many GraphQL wrappers (graphql-jit adds one).
    let original: unknown = error;
    while ((original as { originalError?: unknown })?.originalError) original = (original as { originalError: unknown }).originalError;
    const ext = (formatted.extensions ?? {}) as Record<string, unknown>;
    let code = ext.code as string | undefined;

    if (code === 'BAD_USER_INPUT' && Array.isArray((ext as { validationErrors?: unknown }).validationErrors)) {
      const first = firstValidationError(ext.validationErrors as ValidationErrorLike[]);
      const field = first ? `${argumentPrefix(opts.schema, formatted.path, first.field)}${first.field}` : 'input';
      return {
        message: first ? `${field}: ${first.message}` : formatted.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: 'BAD_USER_INPUT', field },
      };
    }
    if (isUniqueViolation(original)) {
      return {
        message: 'Conflict: a record with the same unique key already exists',
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: 'CONFLICT', reason: CommonConflict.ALREADY_EXISTS },
      };
    }
    if (code === 'BAD_USER_INPUT' && !ext.field) {
      // Variable coercion: name the variable (and the input field) like our own errors do.
      // graphql-js: 'Field "role" of ...'; graphql-jit: 'Field value.role of ...' or 'value.records[0].msisdn'.
      const m =
        /^Variable "\$(\w+)" got invalid value[^;]*; Field "?(?:value\.)?([\w.[\]]+)"? /.exec(formatted.message) ??
        /^Variable "\$(\w+)"/.exec(formatted.message);
      // graphql-js names a nested value's place itself: 'Variable "$filter" got invalid value "X" at "filter.status"; ...'.
      const at = /^Variable "\$\w+" got invalid value .*? at "([\w.[\]]+)"; /.exec(formatted.message)?.[1]?.replace(/\[(\d+)\]/g, '.$1');
      const inner = m?.[2]?.replace(/\[(\d+)\]/g, '.$1');
      // A client's bad input: no stack, whichever executor ran (a stack here only shows graphql's coercion internals).
      const { stacktrace: _s, ...rest } = ext as Record<string, unknown>;
      if (m) return { ...formatted, extensions: { ...rest, field: at ?? (inner ? `${m[1]}.${inner}` : m[1]) } };
    }
    if (code === 'UNAUTHORIZED') code = 'FORBIDDEN';
    if (code && (ERROR_CODES as readonly string[]).includes(code) && code !== 'INTERNAL_SERVER_ERROR') {
      const { stacktrace: _s, exception: _e, ...rest } = ext as Record<string, unknown>;
      return { ...formatted, extensions: { ...rest, code } };
    }
    opts.log?.(original);
    const unavailable = isConnectionError(original);
    return {
      message: unavailable ? 'The database is unavailable; try again shortly' : opts.exposeInternals ? formatted.message : 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: opts.exposeInternals ? { code: 'INTERNAL_SERVER_ERROR', stacktrace: ext.stacktrace } : { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
