import { createHash, timingSafeEqual } from 'node:crypto';
import http, { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource, EventSubscriber } from 'typeorm';
import type { EntitySubscriberInterface } from 'typeorm';
import type { AfterQueryEvent } from 'typeorm/subscriber/event/QueryEvent';
import { DocumentNode, GraphQLSchema, Kind, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import type { Logger } from 'pino';
import { bearerToken } from './auth';
import { ERROR_CODES } from './errors';
import { poolFigures } from '../runtime/sql/pool-stats';
import { timePreparedReads } from '../runtime/sql/prepared';
import { signalsOf } from './signals';
import { requestCost } from './query-limits';

/**
 * Prometheus metrics (prom-client), one Registry per app: tests and the cluster's servers run
 * several apps in one process, and prom-client's global registry would mix their figures (and
 * refuse the second app's metric names). Docs: docs/operations.md lists every metric and what to
 * alert on; docs/grafana/agentnet.json draws them.
 *
 * What is counted where:
 * - GraphQL operations (count, latency, cost) by an Apollo plugin, which both HTTP paths reach
 *   (src/runtime/http/fast-post.ts's path calls executeHTTPGraphQLRequest as the Express integration does);
 *   response sizes where the body is written (the answer's Content-Length, on both paths).
 * - Statements by a TypeORM subscriber (TypeORM times every statement for its afterQuery event
 *   already, so this costs one histogram observation), and readPrepared's own clock.
 * - Logins, refused tokens, refusals, retries and imports from the app's signal bus (signals.ts),
 *   said where they happen; the code that emits knows nothing of this file.
 * - The pool by collect() callbacks at scrape time: no timers.
 *
 * Label values come from fixed sets only: the operation label is a root field of the schema (or
 * `other`), outcomes are the error codes of errors.ts, and the free-text labels heard on the bus
 * (limit, reason) are cut to short names and at most MAX_LABEL_VALUES distinct values each.
 */
export const METRIC_PREFIX = 'agentnet_';

/** Distinct values one free-text label may take before the rest read `other`. */
const MAX_LABEL_VALUES = 20;

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const STATEMENT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30];
const SIZE_BUCKETS = [256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216];
const COST_BUCKETS = [1, 5, 25, 100, 500, 2500, 10000, 60000];

/** A label fed from outside a fixed set: short plain names only, a bounded number of them. */
function boundedLabel(): (value: string | undefined) => string {
  const seen = new Set<string>();
  return (value) => {
    if (!value || !/^[A-Za-z][\w-]{0,31}$/.test(value)) return 'other';
    if (seen.has(value)) return value;
    if (seen.size >= MAX_LABEL_VALUES) return 'other';
    seen.add(value);
    return value;
  };
}

const CODES = new Set<string>(ERROR_CODES);

/** The first error's code (from the fixed set), or `ok`. */
function outcomeOf(ctx: GraphQLRequestContext<object>): string {
  const body = ctx.response?.body;
  const errors = body?.kind === 'single' ? body.singleResult.errors : ctx.errors;
  if (!errors?.length) return 'ok';
  const code = (errors[0] as { extensions?: { code?: unknown } }).extensions?.code;
  return typeof code === 'string' && CODES.has(code) ? code : 'INTERNAL_SERVER_ERROR';
}

/** The name of the operation's first root field (through fragments), or undefined. */
function firstRootField(set: SelectionSetNode, document: DocumentNode | undefined, depth = 0): string | undefined {
  if (depth > 5) return undefined;
  const sel = set.selections[0];
  if (!sel) return undefined;
  if (sel.kind === Kind.FIELD) return sel.name.value;
  if (sel.kind === Kind.INLINE_FRAGMENT) return firstRootField(sel.selectionSet, document, depth + 1);
  const frag = document?.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === sel.name.value);
  return frag && frag.kind === Kind.FRAGMENT_DEFINITION ? firstRootField(frag.selectionSet, document, depth + 1) : undefined;
}

/**
 * The operation label: the root field the operation asks for first (`agents`, `login`,
 * `submitRegistrations`), from the schema's fixed list; introspection reads `introspection`;
 * anything not resolved (a parse or validation failure) or unknown reads `other`. The client's own
 * operation name is not used: any client may send any name.
 */
export function operationLabeller(schema: GraphQLSchema): (operation: OperationDefinitionNode | undefined, document: DocumentNode | undefined) => string {
  const roots = new Set<string>();
  for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    for (const name of Object.keys(type?.getFields() ?? {})) roots.add(name);
  }
  return (operation, document) => {
    if (!operation) return 'other';
    const name = firstRootField(operation.selectionSet, document);
    if (!name) return 'other';
    if (name.startsWith('__')) return 'introspection';
    return roots.has(name) ? name : 'other';
  };
}

export interface AppMetrics {
  readonly registry: Registry;
  /** The Apollo plugin counting operations. */
  readonly plugin: ApolloServerPlugin<object>;
  /** Call once a GraphQL answer is written: its Content-Length goes to the size histogram. */
  responded(res: ServerResponse): void;
  /** A statement's duration (ms) and whether it succeeded. */
  statement(ms: number, ok: boolean): void;
  /** A pooled MySQL connection dropped (guardMysqlPool): a statement timeout or no answer at all. */
  connectionDropped(reason: 'statement_timeout' | 'no_answer'): void;
  /** The text exposition, as Prometheus scrapes it. */
  scrape(): Promise<{ contentType: string; body: string }>;
  stop(): void;
}

const byDataSource = new WeakMap<DataSource, AppMetrics>();

/** The app's metrics, when they are on. */
export function metricsOf(ds: DataSource): AppMetrics | undefined {
  return byDataSource.get(ds);
}

export function createMetrics(ds: DataSource, schema: GraphQLSchema): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  const p = METRIC_PREFIX;

  const requests = new Counter({
    name: `${p}graphql_requests_total`,
    help: 'GraphQL operations answered, by operation (first root field) and outcome (ok or the error code)',
    labelNames: ['operation', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: `${p}graphql_request_duration_seconds`,
    help: 'Time from an operation reaching Apollo to its answer being ready, by operation and outcome',
    labelNames: ['operation', 'outcome'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const cost = new Histogram({
    name: `${p}graphql_query_cost`,
    help: 'Estimated cost of each operation that passed the token check (objects it can produce), by operation',
    labelNames: ['operation'] as const,
    buckets: COST_BUCKETS,
    registers: [registry],
  });
  const size = new Histogram({
    name: `${p}graphql_response_size_bytes`,
    help: 'Size of each GraphQL HTTP response body (a batch is one response)',
    buckets: SIZE_BUCKETS,
    registers: [registry],
  });
  const statements = new Histogram({
    name: `${p}db_statement_duration_seconds`,
    help: 'SQL statement latency as the driver saw it, by outcome (ok, error)',
    labelNames: ['outcome'] as const,
    buckets: STATEMENT_BUCKETS,
    registers: [registry],
  });
  const dropped = new Counter({
    name: `${p}db_connections_dropped_total`,
    help: 'Pooled database connections dropped: a statement that timed out (DB_QUERY_TIMEOUT_MS) or a command with no answer',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const retries = new Counter({
    name: `${p}db_tx_retries_total`,
    help: 'Transactions re-run after losing a deadlock, a Galera certification conflict or a lock wait, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const exhausted = new Counter({
    name: `${p}db_tx_retries_exhausted_total`,
    help: 'Transactions that ran out of attempts (the client got RETRY_LATER), by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const logins = new Counter({
    name: `${p}logins_total`,
    help: 'Login attempts by outcome: ok, failed (wrong name or password), locked (account or address locked out)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const tokensRefused = new Counter({
    name: `${p}tokens_refused_total`,
    help: 'Valid tokens refused because their session ended (revoked, disabled, role or binding changed), by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const refused = new Counter({
    name: `${p}requests_refused_total`,
    help: 'Requests refused before they ran by a rate, concurrency or cost limit, by limit',
    labelNames: ['limit'] as const,
    registers: [registry],
  });
  const importRows = new Counter({
    name: `${p}import_rows_total`,
    help: 'Registration rows an import has processed (stored, skipped or rejected); rate() gives rows per second',
    registers: [registry],
  });
  const importsRunning = new Gauge({
    name: `${p}imports_running`,
    help: 'Registration imports running in this process',
    registers: [registry],
  });
  // The pool as it is when scraped (pool-stats.ts): nothing samples it in between.
  const poolGauge = (name: string, help: string, read: (f: ReturnType<typeof poolFigures>) => number) =>
    new Gauge({
      name: `${p}db_pool_${name}`,
      help,
      registers: [registry],
      collect() {
        this.set(read(poolFigures(ds)));
      },
    });
  poolGauge('connections_in_use', 'Pooled connections lent to a statement or transaction', (f) => f.inUse);
  poolGauge('connections_idle', 'Open pooled connections waiting for work', (f) => f.idle);
  poolGauge('connections_limit', 'Connections the pool may open (DB_POOL_SIZE; 1 for SQLite)', (f) => f.limit);
  poolGauge('waiting_requests', 'Callers waiting for a pooled connection', (f) => f.waiting);

  const limitLabel = boundedLabel();
  const refusedReason = boundedLabel();
  const retryReason = boundedLabel();
  const bus = signalsOf(ds);
  const LOGIN_OUTCOMES = new Set(['ok', 'failed', 'locked']);
  const off = [
    bus.on('login', (s) => logins.inc({ outcome: LOGIN_OUTCOMES.has(s.outcome) ? s.outcome : 'other' })),
    bus.on('tokenRefused', (s) => tokensRefused.inc({ reason: refusedReason(s.reason) })),
    bus.on('refused', (s) => refused.inc({ limit: limitLabel(s.limit) })),
    bus.on('retry', (s) => (s.exhausted ? exhausted : retries).inc({ reason: retryReason(s.reason) })),
    bus.on('importRows', (s) => {
      if (Number.isFinite(s.rows) && s.rows > 0) importRows.inc(s.rows);
    }),
    bus.on('importRun', (s) => (s.phase === 'start' ? importsRunning.inc() : importsRunning.dec())),
  ];

  const label = operationLabeller(schema);
  const plugin: ApolloServerPlugin<object> = {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse(ctx) {
          const operation = label(ctx.operation ?? undefined, ctx.document);
          const outcome = outcomeOf(ctx as GraphQLRequestContext<object>);
          requests.inc({ operation, outcome });
          duration.observe({ operation, outcome }, (performance.now() - started) / 1000);
          const c = requestCost(ctx.contextValue);
          if (c !== undefined) cost.observe({ operation }, c);
        },
      };
    },
  };

  const metrics: AppMetrics = {
    registry,
    plugin,
    responded(res) {
      const length = Number(res.getHeader('content-length'));
      if (Number.isFinite(length) && length >= 0) size.observe(length);
    },
    statement(ms, ok) {
      statements.observe({ outcome: ok ? 'ok' : 'error' }, ms / 1000);
    },
    connectionDropped(reason) {
      dropped.inc({ reason });
    },
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    stop() {
      for (const f of off) f();
      byDataSource.delete(ds);
      registry.clear();
    },
  };
  byDataSource.set(ds, metrics);
  timePreparedReads(ds, (ms, ok) => metrics.statement(ms, ok));
  return metrics;
}

/**
 * A subscriber class (TypeORM instantiates it, once per DataSource) that puts every statement's
 * duration into its app's histogram. TypeORM measures each statement for afterQuery already; the
 * app's metrics are looked up per event because the DataSource is built before them.
 */
export function statementMetrics(): new () => EntitySubscriberInterface {
  class StatementMetrics implements EntitySubscriberInterface {
    afterQuery(event: AfterQueryEvent): void {
      const m = byDataSource.get(event.connection);
      if (m && event.executionTime !== undefined) m.statement(event.executionTime, event.success);
    }
  }
  EventSubscriber()(StatementMetrics);
  return StatementMetrics;
}

/** Whether the Authorization header carries this bearer token; compared in constant time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const sent = bearerToken(header);
  if (sent === null) return false;
  // Digests of equal length: timingSafeEqual needs that, and the length of the token stays hidden.
  const a = createHash('sha256').update(sent).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/** Answer a scrape: 401 without the token (when one is asked for), else the exposition. */
export async function serveMetrics(metrics: AppMetrics, token: string | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (token && !bearerMatches(req.headers.authorization, token)) {
    res
      .writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="metrics"' })
      .end('401: /metrics needs Authorization: Bearer <METRICS_TOKEN>\n');
    return;
  }
  const { contentType, body } = await metrics.scrape();
  res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
}

/**
 * /metrics on a port of its own (METRICS_PORT on METRICS_HOST), for a scraper inside the host or
 * its private network; nothing else is served there.
 */
export async function startMetricsServer(
  metrics: AppMetrics,
  opts: { host: string; port: number; token?: string; log: Logger },
): Promise<{ url: string; port: number; stop: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404: only GET /metrics here\n');
      return;
    }
    serveMetrics(metrics, opts.token, req, res).catch((err) => {
      opts.log.error({ err }, 'metrics scrape failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  // A scraper that opens a connection and never sends cannot hold it for ever.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
