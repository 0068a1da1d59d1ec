import type { ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { GraphQLError, Kind, SelectionSetNode } from 'graphql';
import type Redis from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterMySQL, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { LimitsConfig } from '../config';
import type { Context } from './context';
import type { AuthUser } from './auth';
import { signalsOf } from './signals';

/**
 * Request budgets per user and per client address, with rate-limiter-flexible: counters in this
 * process (the embedded SQLite default), in the MySQL database or in Redis (shared by every
 * replica). One counter is charged per request (the user's when it carries a valid token, else the
 * address's), so the database store adds one statement per request; imports, settlement, exports
 * and login have budgets of their own, charged on top. Requests of one user in flight at once are
 * capped per replica. A refusal is HTTP 429 with Retry-After and the code TOO_MANY_REQUESTS.
 *
 * When the shared store cannot answer within STORE_TIMEOUT_MS (Redis or the database down),
 * counting goes on in memory (rate-limiter-flexible's insurance limiter) rather than refusing or
 * holding every request.
 */
const STORE_TIMEOUT_MS = 500;

/** Root fields with their own budget: bulk imports, settlement. Login is counted per address. */
const EXPENSIVE_FIELDS = new Set([
  'Mutation.submitRegistrations',
  'Mutation.registerLoanerPhones',
  'Mutation.settleCommissions',
  'Mutation.closeCommissionPeriod',
]);

export interface Refusal {
  message: string;
  retryAfterSeconds: number;
}

export interface RateLimits {
  /** Charge a request to its user (or address): a refusal, or the release to call once it is answered. */
  admit(user: AuthUser | null, address: string): Promise<{ refusal: Refusal } | { release: () => void }>;
  /** Charge an expensive operation (imports, settlement, exports) to its user. */
  expensive(user: AuthUser, what: string): Promise<Refusal | null>;
  /** Charge a login attempt to its address. */
  login(address: string): Promise<Refusal | null>;
  stop(): Promise<void>;
}

function refusalFrom(res: unknown, what: string): Refusal | null {
  if (res instanceof RateLimiterRes) {
    const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    return { message: `Too many requests: ${what}; try again in ${retryAfterSeconds} s`, retryAfterSeconds };
  }
  // The store failed and the insurance limiter too: admit (the limits must not become the outage).
  return null;
}

export function createRateLimits(limits: LimitsConfig, ds: DataSource, log: Logger): RateLimits {
  const duration = limits.rateWindowSeconds;
  let redis: Redis | undefined;
  const make = (name: string, points: number): RateLimiterAbstract => {
    const keyPrefix = limits.rateLimitKeyPrefix ? `${limits.rateLimitKeyPrefix}:${name}` : name;
    const insuranceLimiter = new RateLimiterMemory({ keyPrefix, points, duration });
    if (limits.rateLimitStore === 'redis') {
      if (!redis) {
        // ioredis is loaded only when Redis is the store (RATE_LIMIT_STORE=redis). One client, one
        // error listener, for the four limiters.
        redis = new (require('ioredis') as typeof import('ioredis')).default(limits.redisUrl!, {
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          lazyConnect: false,
        });
        redis.on('error', (err) => log.warn({ err: err.message }, 'rate limit store (Redis) unavailable'));
      }
      return new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration, insuranceLimiter });
    }
    if (limits.rateLimitStore === 'database') {
      const pool = (ds.driver as unknown as { pool: unknown }).pool;
      return new RateLimiterMySQL(
        // The table is the migrations' (1796200000000-RateLimitTable), not created by the library.
        {
          storeClient: pool,
          storeType: 'pool',
          dbName: String(ds.driver.database),
          tableName: 'rate_limit',
          tableCreated: true,
          keyPrefix,
          points,
          duration,
          insuranceLimiter,
        },
        (err?: Error) => err && log.warn({ err: err.message }, 'rate limit store could not start'),
      );
    }
    return new RateLimiterMemory({ keyPrefix, points, duration });
  };
  const perUser = make('user', limits.userRequests);
  const perAddress = make('addr', limits.addressRequests);
  const expensive = make('expensive', limits.expensiveRequests);
  const logins = make('login', limits.loginRequests);
  const inFlight = new Map<number, number>();
  const signals = signalsOf(ds);
  /** Says a refusal on the app's signal bus (the metrics count it by limit), and returns it. */
  const refused = (refusal: Refusal | null, limit: string, who: { userId?: number; address?: string }): Refusal | null => {
    if (refusal) signals.emit('refused', { limit, ...who });
    return refusal;
  };

  const consume = async (limiter: RateLimiterAbstract, key: string, what: string): Promise<Refusal | null> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        limiter.consume(key),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('rate limit store timeout')), STORE_TIMEOUT_MS);
        }),
      ]);
      return null;
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) log.warn({ err: (res as Error)?.message }, 'rate limit store failed; request admitted');
      return refusalFrom(res, what);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    async admit(user, address) {
      if (user) {
        const now = inFlight.get(user.id) ?? 0;
        if (now >= limits.userConcurrency) {
          signals.emit('refused', { limit: 'userConcurrency', userId: user.id, address });
          return {
            refusal: {
              message: `Too many requests: at most ${limits.userConcurrency} of one user's requests run at once; try again in 1 s`,
              retryAfterSeconds: 1,
            },
          };
        }
        inFlight.set(user.id, now + 1);
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          const left = (inFlight.get(user.id) ?? 1) - 1;
          if (left <= 0) inFlight.delete(user.id);
          else inFlight.set(user.id, left);
        };
        const refusal = refused(await consume(perUser, String(user.id), `at most ${limits.userRequests} requests per user in ${duration} s`), 'userRate', {
          userId: user.id,
          address,
        });
        if (refusal) {
          release();
          return { refusal };
        }
        return { release };
      }
      const refusal = refused(await consume(perAddress, address, `at most ${limits.addressRequests} requests per address in ${duration} s`), 'addressRate', {
        address,
      });
      return refusal ? { refusal } : { release: () => undefined };
    },
    expensive: async (user, what) =>
      refused(await consume(expensive, String(user.id), `at most ${limits.expensiveRequests} ${what} per user in ${duration} s`), 'expensive', {
        userId: user.id,
      }),
    login: async (address) =>
      refused(await consume(logins, address, `at most ${limits.loginRequests} logins per address in ${duration} s`), 'login', { address }),
    async stop() {
      if (redis) await redis.quit().catch(() => redis?.disconnect());
    },
  };
}

/** A refusal as an HTTP answer (the plain routes and the GraphQL path before Apollo). */
export function sendRefusal(res: ServerResponse, refusal: Refusal): void {
  res.statusCode = 429;
  res.setHeader('retry-after', String(refusal.retryAfterSeconds));
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ errors: [{ message: refusal.message, extensions: { code: 'TOO_MANY_REQUESTS', retryAfterSeconds: refusal.retryAfterSeconds } }] }));
}

function refusalError(refusal: Refusal): GraphQLError {
  return new GraphQLError(refusal.message, {
    extensions: {
      code: 'TOO_MANY_REQUESTS',
      retryAfterSeconds: refusal.retryAfterSeconds,
      http: { status: 429, headers: new HeaderMap([['retry-after', String(refusal.retryAfterSeconds)]]) },
    },
  });
}

function rootFieldNames(set: SelectionSetNode, fragments: Record<string, SelectionSetNode>, out: string[] = []): string[] {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) out.push(sel.name.value);
    else if (sel.kind === Kind.INLINE_FRAGMENT) rootFieldNames(sel.selectionSet, fragments, out);
    else if (fragments[sel.name.value]) rootFieldNames(fragments[sel.name.value], fragments, out);
  }
  return out;
}

/** The budgets of expensive operations and of login, charged once an operation is known. */
export function rateLimitPlugin(limits: RateLimits): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document }) {
          if (!operation || operation.operation !== 'mutation') return;
          const fragments: Record<string, SelectionSetNode> = {};
          for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def.selectionSet;
          const fields = rootFieldNames(operation.selectionSet, fragments);
          if (fields.includes('login')) {
            const refusal = await limits.login(contextValue.ip);
            if (refusal) throw refusalError(refusal);
          }
          const user = contextValue.user;
          if (user && fields.some((f) => EXPENSIVE_FIELDS.has(`Mutation.${f}`))) {
            const refusal = await limits.expensive(user, 'imports and settlements');
            if (refusal) throw refusalError(refusal);
          }
        },
      };
    },
  };
}

/** Paths whose requests are charged before they are read. */
export function isLimitedPath(url: string | undefined): boolean {
  return !!url && (url.startsWith('/graphql') || url.startsWith('/exports/'));
}
