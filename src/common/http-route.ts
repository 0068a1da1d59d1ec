import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { AppError, BadInputError } from './errors';

/*
 * The plain HTTP routes' side of the error contract (the CSV exports, /status): the same error
 * shape GraphQL answers with, under the HTTP status that matches its code.
 */

const STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_USER_INPUT: 400, CONFLICT: 409 };

/** Plain-route errors in the same shape as GraphQL's, with the matching HTTP status. */
export function sendError(res: Response, err: unknown, log: Logger, what = 'export'): void {
  if (err instanceof AppError) {
    const code = String(err.extensions.code);
    res.status(STATUS[code] ?? 500).json({ errors: [{ message: err.message, extensions: err.extensions }] });
    return;
  }
  log.error({ err }, `${what} failed`);
  res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
}

/** A query parameter given at most once (the CSV routes name a repeated one as bad input). */
export function queryString(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new BadInputError(name, 'must be given once');
  return v;
}
