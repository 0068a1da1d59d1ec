import type { Router } from 'express';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config';
import type { AuthUser } from '../common/auth';
import type { Logger } from 'pino';
import type { Role } from '../common/roles';

export interface RouteDeps {
  ds: DataSource;
  config: AppConfig;
  log: Logger;
  /** Reads the bearer token of a plain HTTP request; throws UNAUTHENTICATED like GraphQL does. */
  authenticate: (authorization: string | undefined) => Promise<AuthUser>;
}

/** What a feature folder contributes to the app. Wired together in modules/registry.ts. */
export interface FeatureModule {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
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
