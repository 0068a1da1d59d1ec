import type { IncomingMessage } from 'node:http';
import type { Router } from 'express';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config';
import type { AuthUser } from '../common/auth';
import type { Logger } from 'pino';
import type { Role } from '../common/roles';
import { RequestMeta, signalsOf } from '../common/signals';

export interface RouteDeps {
  ds: DataSource;
  config: AppConfig;
  log: Logger;
  /**
   * Reads the bearer token of a plain HTTP request; throws UNAUTHENTICATED like GraphQL does. With
   * the request, a refused token's security event names its request id and address.
   */
  authenticate: (authorization: string | undefined, req?: IncomingMessage) => Promise<AuthUser>;
  /** The request id and client address a route's security event names (exportDownloaded). */
  requestMeta: (req: IncomingMessage) => RequestMeta;
}

/** Says that `user` downloaded all `rows` rows of the export `name` (security log, metrics). */
export function exportDownloaded(deps: RouteDeps, req: IncomingMessage, user: AuthUser, name: string, rows: number): void {
  signalsOf(deps.ds).emit('exportDownloaded', { userId: user.id, username: user.username, export: name, rows, ...deps.requestMeta(req) });
}

/** What a feature folder contributes to the app. Wired together in modules/registry.ts. */
export interface FeatureModule {
  name: string;

  entities: Function[];

  resolvers: Function[];
  /**
   * Who may read the change-log entries of each entity type this feature writes: the same role
   * lists its resolvers authorize reads with (ADMIN always may). A type no module names is ADMIN's only.
   */
  changeLogReaders?: Record<string, readonly Role[]>;
  /**
   * The reasons its CONFLICT errors carry in `extensions.reason`: the string enum of its
   * `<feature>.errors.ts`, named here so one list (registry.ts's modules) holds every module's, and
   * test/unit/conflict-reasons.test.ts can check they are UPPER_SNAKE and documented in docs/errors.md.
   */
  conflictReasons?: Readonly<Record<string, string>>;
  /** Plain HTTP routes (CSV exports), mounted on the app's router. */
  routes?: (router: Router, deps: RouteDeps) => void;
}
