import 'reflect-metadata';
import { guardMysqlPool } from './runtime/sql/pool-guard';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import http, { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { Router } from 'express';
import proxyaddr from 'proxy-addr';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { DataSource } from 'typeorm';
import { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { AppConfig } from './config';
import { graphiqlOn } from './config';
import { Context, RequestContext } from './common/context';
import { AuthUser, bearerToken, verifyToken } from './common/auth';
import { AppError, ForbiddenError, makeErrorFormatter, UnauthenticatedError } from './common/errors';
import { SqlCounter } from './common/sql-counter';
import { createDataSource, resolveFlavor } from './data-source';
import { isMysql } from './common/db';
import { createLogger } from './logger';
import { createLoaders, modules } from './modules/registry';
import { getSchema } from './schema';
import { seedIfEmpty, warnIfNoAdmin } from '../seeds';
import { seedFundPolicy } from './modules/parts/fund.service';
import { QUERY_LIMITS, queryLimitPlugins, queryLimitRules } from './common/query-limits';
import { requireTokenPlugin } from './common/require-token';
import { jitGateway } from './runtime/execution/jit-executor';
import { graphqlHttp } from './runtime/http/fast-post';
import { runtimeOn } from './runtime/switches';
import { requestLog, startRequestLog } from './common/request-log';
import { mountWorkbench } from './workbench/workbench';
import { setRetryPolicy } from './common/retry';
import { configureGalera } from './common/galera';
import { limitResponses } from './common/response-limits';
import { inputShapeProblem } from './common/input-limits';
import { createRateLimits, isLimitedPath, rateLimitPlugin, sendRefusal } from './common/rate-limits';
import { loginBatchProblem, oneLoginPerOperation } from './modules/identity/login-guard';
import { fullSession, sessionGuard } from './modules/identity/sessions';
import { createMetrics, metricsOf, serveMetrics, startMetricsServer } from './common/metrics';
import { signalsOf, type RequestMeta } from './common/signals';
import { startSecurityLog } from './common/security-events';
import { PoolWatch } from './runtime/sql/pool-stats';
import { RequestStats } from './common/request-stats';
import { serviceStatus } from './common/status';
import { Role } from './common/roles';
import { sendError } from './common/http-route';

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
  /** The metrics port's base URL, when METRICS_PORT serves /metrics apart from the API. */
  metricsUrl?: string;
  stop: () => Promise<void>;
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
  const log = options.logger ?? createLogger(config.logLevel, config.nodeEnv);
  for (const w of config.warnings) log.warn(w);

  if (config.database.type === 'sqlite' && config.database.path !== ':memory:') {
    mkdirSync(dirname(config.database.path), { recursive: true });
  }
  const ds = createDataSource(config, { databaseName: options.databaseName, logger: options.sqlCounter, log });
  await ds.initialize();
  if (isMysql(ds)) {
    guardMysqlPool(ds, config.dbQueryTimeoutMs, (err) => {
      metricsOf(ds)?.connectionDropped(/timed out/.test(err.message) ? 'statement_timeout' : 'no_answer');
      log.warn({ err: err.message }, 'database connection dropped');
    });
  }
  setRetryPolicy(ds, { attempts: config.txRetryAttempts, log });
  await configureGalera(ds, config.wsrepSyncWait, log);
  await seedIfEmpty(ds, config, log);
  await seedFundPolicy(ds, config);
  if (config.nodeEnv === 'production') await warnIfNoAdmin(ds, log);
  // Security events to their own stream (and SECURITY_LOG's file); the pool watched for /ready; the
  // last minute's requests counted for /status.
  const securityLog = startSecurityLog(ds, log, config.securityLog);
  const poolWatch = new PoolWatch(ds);
  const requestStats = new RequestStats();
  const startedAt = new Date();

  const schema = limitResponses(await getSchema());
  const metrics = config.metrics.enabled ? createMetrics(ds, schema) : undefined;
  const exposeInternals = config.nodeEnv === 'development';
  const app = express();
  app.disable('x-powered-by');
  // Answers are POSTed queries and per-user data, never revalidated by a cache: Express's default
  // ETag hashed every response body (SHA-1 over the 25 kB agents page) for nothing.
  app.set('etag', false);
  // Who may say who the client is in X-Forwarded-For: nobody unless TRUST_PROXY names the proxies.
  app.set('trust proxy', config.trustProxy.length ? config.trustProxy : false);
  let fastGraphql: ((req: IncomingMessage, res: http.ServerResponse) => boolean) | undefined;
  const route = (req: IncomingMessage, res: http.ServerResponse) => {
    if (!fastGraphql?.(req, res)) void app(req, res);
  };
  // Rate and concurrency limits (rate-limits.ts): GraphQL and the CSV exports are charged to their
  // user or address before their bodies are read; the exports to the expensive budget as well.
  const rateLimits = config.limits.rateLimits ? createRateLimits(config.limits, ds, log) : undefined;
  const admit = async (req: IncomingMessage, res: http.ServerResponse) => {
    let user: AuthUser | null = null;
    const token = bearerToken(req.headers.authorization);
    if (token) user = await verifyToken(token, config.jwtSecret).catch(() => null);
    const admitted = await rateLimits!.admit(user, clientAddress(req));
    if ('refusal' in admitted) return sendRefusal(res, admitted.refusal);
    res.once('close', admitted.release);
    if (user && req.url?.startsWith('/exports/')) {
      const refusal = await rateLimits!.expensive(user, 'exports');
      if (refusal) return sendRefusal(res, refusal);
    }
    route(req, res);
  };
  const httpServer = http.createServer((req, res) => {
    if (rateLimits && isLimitedPath(req.url)) {
      admit(req, res).catch((err) => {
        log.error({ err }, 'unexpected error admitting a request');
        if (!res.headersSent) res.writeHead(500).end();
      });
    } else route(req, res);
  });
  let shuttingDown = false;

  const apollo = new ApolloServer<Context>({
    ...(config.graphqlJit ? { gateway: jitGateway(schema) } : { schema }),
    introspection: graphiqlOn(config), // and for logged-in users only (require-token.ts)
    includeStacktraceInErrorResponses: exposeInternals,
    formatError: makeErrorFormatter({
      exposeInternals,
      schema,
      hideSuggestions: config.nodeEnv === 'production',
      log: (err) => log.error({ err }, 'unexpected error'),
    }),
    validationRules: [...queryLimitRules(), oneLoginPerOperation],
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
    // Clients authenticate with a bearer header, never a cookie, so a cross-site request cannot
    // act as a user; the preflight rule would only refuse plain GET queries the spec allows.
    csrfPrevention: false,
    allowBatchedHttpRequests: true,
    // index.ts stops the app on SIGINT/SIGTERM and logs it; Apollo's own handlers re-raised the
    // signal after stopping, which killed the process before that line.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // No HTTP caching of answers (they depend on the bearer token); without this Apollo wraps
      // every field resolver to compute cache hints, which the profile showed per field.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(), // browsers get the workbench (src/workbench)
      requireTokenPlugin,
      ...queryLimitPlugins(schema),
      ...(rateLimits ? [rateLimitPlugin(rateLimits)] : []),
      ...(metrics ? [metrics.plugin] : []),
    ],
  });
  await apollo.start();

  // /metrics on the API's port needs METRICS_TOKEN (config.ts); mounted before the request log, so
  // a scrape every few seconds writes no line.
  if (metrics && config.metrics.port === undefined) {
    app.get('/metrics', (req, res, next) => {
      serveMetrics(metrics, config.metrics.token, req, res).catch(next);
    });
  }

  // Every request Express gets (graphqlHttp starts the log of those it takes) has an id and a
  // closing log line (request-log.ts); health checks log nothing.
  app.use((req, res, next) => {
    startRequestLog(log, req, res, { quiet: req.url === '/health' || req.url === '/ready', stats: requestStats });
    next();
  });

  app.get('/health', (_req, res) => {
    res.status(shuttingDown ? 503 : 200).json({ status: shuttingDown ? 'stopping' : 'ok' });
  });
  // Not ready (503, with the reason): stopping, the pool without a free connection for
  // READY_POOL_STARVED_MS (a load balancer moves traffic off a replica whose pool is wedged or
  // exhausted instead of queueing more on it), or the database not answering SELECT 1.
  app.get('/ready', async (_req, res) => {
    if (shuttingDown) return void res.status(503).json({ status: 'not ready', reason: 'stopping' });
    const starvedForMs = poolWatch.starvedForMs();
    if (starvedForMs >= config.readyPoolStarvedMs) return void res.status(503).json({ status: 'not ready', reason: 'pool starved', starvedForMs });
    try {
      await withTimeout(ds.query('SELECT 1'), Math.min(2000, config.dbTimeoutMs));
      res.status(200).json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'not ready', reason: 'database not answering' });
    }
  });

  // Every token is checked against its user's state (disabled, logged out, changed): sessions.ts.
  const sessions = sessionGuard(ds, config.sessionRecheckMs);
  // As Express resolves it (trust proxy above): X-Forwarded-For is read only from TRUST_PROXY's proxies.
  const trustedProxies = proxyaddr.compile(config.trustProxy);
  const clientAddress = (req: IncomingMessage) => proxyaddr(req, trustedProxies) || 'unknown';
  /** The request a security event names (request id and client address). */
  const requestMeta = (req: IncomingMessage | undefined): RequestMeta => (req ? { requestId: requestLog(req)?.id, address: clientAddress(req) } : {});
  const authenticate = async (authorization: string | undefined, req?: IncomingMessage): Promise<AuthUser> => {
    const token = bearerToken(authorization);
    if (!token) throw new UnauthenticatedError();
    return fullSession(await sessions.check(await verifyToken(token, config.jwtSecret), requestMeta(req)));
  };
  // GET /status: an ADMIN's summary of the service (common/status.ts), its token checked as the CSV routes' are.
  app.get('/status', async (req, res) => {
    try {
      const user = await authenticate(req.headers.authorization, req);
      if (user.role !== Role.ADMIN) throw ForbiddenError.forRoles(user.role, [Role.ADMIN]);
      const timed = <T>(p: Promise<T>) => withTimeout(p, Math.min(2000, config.dbTimeoutMs));
      res.setHeader('cache-control', 'no-store');
      res.status(200).json(await serviceStatus({ ds, config, startedAt, stats: requestStats, poolWatch, stopping: () => shuttingDown, timed }));
    } catch (err) {
      sendError(res, err, log, 'status');
    }
  });
  const context = async (req: IncomingMessage): Promise<Context> => {
    let user: AuthUser | null = null;
    let authError: Error | null = null;
    const token = bearerToken(req.headers.authorization);
    if (token) {
      try {
        user = await sessions.check(await verifyToken(token, config.jwtSecret), requestMeta(req));
      } catch (err) {
        // A refused token is the client's to fix; a database that cannot answer the session check
        // is not, and must not read as "log in again": it fails the request as any outage does.
        if (!(err instanceof AppError)) throw err;
        authError = err as Error;
      }
    }
    const reqLog = requestLog(req);
    return new RequestContext(user, authError, reqLog?.id ?? randomUUID(), ds, config, createLoaders(ds), req, clientAddress, reqLog, log);
  };
  mountWorkbench(app, { enabled: graphiqlOn(config), log });
  const GRAPHQL_MEDIA_TYPES = ['application/json', 'application/graphql-response+json'];
  const batchProblem = (body: unknown) =>
    (Array.isArray(body) && body.length > QUERY_LIMITS.maxBatch ? `A batch may hold at most ${QUERY_LIMITS.maxBatch} operations` : null) ??
    loginBatchProblem(body) ??
    inputShapeProblem(body);
  // POSTed JSON requests: straight to Apollo (src/runtime/http/fast-post.ts). The rest (GET queries, compressed
  // bodies, other media types) through Express below, to the same Apollo server.
  if (runtimeOn('fastPost'))
    fastGraphql = graphqlHttp<Context>({
      apollo,
      path: '/graphql',
      mediaTypes: GRAPHQL_MEDIA_TYPES,
      maxBodyBytes: 1024 * 1024,
      checkBody: batchProblem,
      context,
      track: (req, res) => {
        const logged = startRequestLog(log, req, res, { onFinish: false, stats: requestStats });
        return metrics
          ? () => {
              metrics.responded(res);
              logged();
            }
          : logged;
      },
      onError: (err) => log.error({ err }, 'unexpected error answering a GraphQL request'),
      maxRunning: config.graphqlMaxRunning,
      maxWaitMs: config.graphqlMaxWaitMs,
      onShed: (req) => signalsOf(ds).emit('refused', { limit: 'busy', address: clientAddress(req) }),
    });
  if (metrics) app.use('/graphql', (_req, res, next) => (res.once('finish', () => metrics.responded(res)), next()));
  app.use(
    '/graphql',
    express.json({ limit: '1mb', type: GRAPHQL_MEDIA_TYPES }),
    (req, res, next) => {
      const problem = batchProblem(req.body);
      if (problem) {
        res.status(400).json({ errors: [{ message: problem, extensions: { code: 'BAD_USER_INPUT', field: 'body' } }] });
        return;
      }
      next();
    },
    expressMiddleware(apollo, { context: ({ req }) => context(req) }),
  );

  // The modules' plain HTTP routes (CSV exports) after /graphql, so GraphQL requests, nearly all of
  // the traffic, do not walk through their router first.
  const router = Router();
  for (const m of modules) m.routes?.(router, { ds, config, log, authenticate, requestMeta });
  app.use(router);

  await new Promise<void>((resolve) => httpServer.listen(config.port, resolve));
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const metricsServer =
    metrics && config.metrics.port !== undefined
      ? await startMetricsServer(metrics, { host: config.metrics.host, port: config.metrics.port, token: config.metrics.token, log })
      : undefined;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      shuttingDown = true;
      await apollo.stop(); // stops taking requests and waits for those in flight (drain plugin)
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await rateLimits?.stop();
      await metricsServer?.stop();
      metrics?.stop();
      poolWatch.stop();
      securityLog.stop();
      if (ds.isInitialized) await ds.destroy();
    })());

  return { url, port, server: httpServer, ds, schema, log, metricsUrl: metricsServer?.url, stop };
}
