import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { Request, Router } from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { pinoHttp } from 'pino-http';
import { DataSource } from 'typeorm';
import { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { AppConfig } from './config';
import type { Context } from './context';
import { AuthUser, verifyToken } from './common/auth';
import { makeErrorFormatter, UnauthenticatedError } from './common/errors';
import { SqlCounter } from './common/sql-counter';
import { createDataSource, resolveFlavor } from './data-source';
import { createLogger } from './logger';
import { createLoaders, modules } from './modules/registry';
import { getSchema } from './schema';
import { seedIfEmpty } from '../seeds';
import { QUERY_LIMITS, queryLimitPlugins, queryLimitRules } from './common/query-limits';
import { requireTokenPlugin } from './common/require-token';
import { jitGateway } from './common/jit-executor';

export interface CreateAppOptions {
  /** Use this database instead of the URL's (tests: a database per test file). */
  databaseName?: string;
  /** Count SQL statements (statement-count tests). */
  sqlCounter?: SqlCounter;
  logger?: Logger;
}

export interface App {
  url: string;
  port: number;
  server: http.Server;
  ds: DataSource;
  schema: GraphQLSchema;
  log: Logger;
  stop: () => Promise<void>;
}

function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  return m ? m[1].trim() : null;
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('database timeout'), { code: 'DB_TIMEOUT' })), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function createApp(givenConfig: AppConfig, options: CreateAppOptions = {}): Promise<App> {
  const config = await resolveFlavor(givenConfig);
  const log = options.logger ?? createLogger(config.logLevel);
  for (const w of config.warnings) log.warn(w);

  if (config.database.type === 'sqlite' && config.database.path !== ':memory:') {
    mkdirSync(dirname(config.database.path), { recursive: true });
  }
  const ds = createDataSource(config, { databaseName: options.databaseName, logger: options.sqlCounter });
  await ds.initialize();
  await seedIfEmpty(ds, config, log);

  const schema = await getSchema();
  const exposeInternals = config.nodeEnv === 'development';
  const app = express();
  app.disable('x-powered-by');
  // Answers are POSTed queries and per-user data, never revalidated by a cache: Express's default
  // ETag hashed every response body (SHA-1 over the 25 kB agents page) for nothing.
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  const httpServer = http.createServer(app);
  let shuttingDown = false;

  const apollo = new ApolloServer<Context>({
    ...(config.graphqlJit ? { gateway: jitGateway(schema) } : { schema }),
    introspection: config.nodeEnv !== 'production',
    includeStacktraceInErrorResponses: exposeInternals,
    formatError: makeErrorFormatter({ exposeInternals, schema, log: (err) => log.error({ err }, 'unexpected error') }),
    validationRules: queryLimitRules(),
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
    // Clients authenticate with a bearer header, never a cookie, so a cross-site request cannot
    // act as a user; the preflight rule would only refuse plain GET queries the spec allows.
    csrfPrevention: false,
    allowBatchedHttpRequests: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // No HTTP caching of answers (they depend on the bearer token); without this Apollo wraps
      // every field resolver to compute cache hints, which the profile showed per field.
      ApolloServerPluginCacheControlDisabled(),
      config.nodeEnv === 'production' ? ApolloServerPluginLandingPageDisabled() : ApolloServerPluginLandingPageLocalDefault({ embed: true }),
      ...queryLimitPlugins(schema),
      requireTokenPlugin,
    ],
  });
  await apollo.start();

  app.use(
    pinoHttp({
      logger: log,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/ready' },
    }),
  );

  app.get('/health', (_req, res) => {
    res.status(shuttingDown ? 503 : 200).json({ status: shuttingDown ? 'stopping' : 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    try {
      if (shuttingDown) throw new Error('stopping');
      await withTimeout(ds.query('SELECT 1'), Math.min(2000, config.dbTimeoutMs));
      res.status(200).json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'not ready' });
    }
  });

  const authenticate = async (authorization: string | undefined): Promise<AuthUser> => {
    const token = bearer(authorization);
    if (!token) throw new UnauthenticatedError();
    return verifyToken(token, config.jwtSecret);
  };
  app.use(
    '/graphql',
    express.json({ limit: '1mb', type: ['application/json', 'application/graphql-response+json'] }),
    (req, res, next) => {
      if (Array.isArray(req.body) && req.body.length > QUERY_LIMITS.maxBatch) {
        res.status(400).json({
          errors: [{ message: `A batch may hold at most ${QUERY_LIMITS.maxBatch} operations`, extensions: { code: 'BAD_USER_INPUT', field: 'body' } }],
        });
        return;
      }
      next();
    },
    expressMiddleware(apollo, {
      context: async ({ req }): Promise<Context> => {
        const r = req as Request & { id?: string };
        let user: AuthUser | null = null;
        let authError: Error | null = null;
        const token = bearer(req.headers.authorization);
        if (token) {
          try {
            user = await verifyToken(token, config.jwtSecret);
          } catch (err) {
            authError = err as Error;
          }
        }
        return {
          user,
          authError,
          requestId: String(r.id ?? randomUUID()),
          ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
          ds,
          config,
          log: (r as unknown as { log?: Logger }).log ?? log,
          loaders: createLoaders(ds),
        };
      },
    }),
  );

  // The modules' plain HTTP routes (CSV exports) after /graphql, so GraphQL requests, nearly all of
  // the traffic, do not walk through their router first.
  const router = Router();
  for (const m of modules) m.routes?.(router, { ds, config, log, authenticate });
  app.use(router);

  await new Promise<void>((resolve) => httpServer.listen(config.port, resolve));
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      shuttingDown = true;
      await apollo.stop(); // stops taking requests and waits for those in flight (drain plugin)
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      if (ds.isInitialized) await ds.destroy();
    })());

  return { url, port, server: httpServer, ds, schema, log, stop };
}
