import type { IncomingMessage } from 'node:http';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { AuthUser } from './auth';
import type { AppConfig } from '../config';
import type { RequestLog } from './request-log';

/**
 * The request's DataLoaders, one object per feature: `ctx.loaders.parts.partById`. Declared empty
 * here and filled in by each feature's `<feature>.loaders.ts` (TypeScript declaration merging:
 * `declare module '../../common/context' { interface Loaders { parts: PartsLoaders } }`), so this
 * layer names no feature and the features do not import each other through it. The registry
 * (modules/registry.ts) builds them, lazily per request, and its type check fails if a feature
 * declares loaders it does not build.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Loaders {}

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
  /** True the first time `what` is claimed in this HTTP request (every operation of a batch shares it). */
  claimOnce?(what: string): boolean;
}

/**
 * A request's context. The client address and the request's child logger are worked out when
 * read (a login reads the one, an error the other): as getters on the prototype, because Apollo
 * copies the context object per operation with Object.assign, which would call own getters.
 */
export class RequestContext implements Context {
  /** Made here, not lazily, so the per-operation copies share it. */
  private readonly claimed = new Set<string>();

  constructor(
    readonly user: AuthUser | null,
    readonly authError: Error | null,
    readonly requestId: string,
    readonly ds: DataSource,
    readonly config: AppConfig,
    readonly loaders: Loaders,
    private readonly req: IncomingMessage,
    private readonly clientAddress: (req: IncomingMessage) => string,
    private readonly requestLog: RequestLog | undefined,
    private readonly appLog: Logger,
  ) {}

  claimOnce(what: string): boolean {
    if (this.claimed.has(what)) return false;
    this.claimed.add(what);
    return true;
  }

  get ip(): string {
    return this.clientAddress(this.req);
  }

  get log(): Logger {
    return this.requestLog?.log ?? this.appLog;
  }
}
