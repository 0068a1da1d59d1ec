import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { AuthUser } from './common/auth';
import type { AppConfig } from './config';
import type { Loaders } from './modules/registry';

export interface Context {
  /** null until the request carries a valid bearer token. */
  user: AuthUser | null;
  /** Why a token that was sent was refused (expired, forged); raised by any operation that needs a user. */
  authError: Error | null;
  requestId: string;
  ip: string;
  ds: DataSource;
  config: AppConfig;
  log: Logger;
  loaders: Loaders;
}
