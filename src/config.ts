import { randomBytes, createHash } from 'node:crypto';
import { isIP } from 'node:net';
import proxyaddr from 'proxy-addr';
import { parseRuntimeOff } from './runtime/switches';

export type DatabaseConfig =
  | { type: 'sqlite'; path: string }
  | { type: 'mysql'; url: string; /** MariaDB needs TypeORM's mariadb driver mode; detected at start when not given. */ flavor?: 'mysql' | 'mariadb' };

export interface AppConfig {
  port: number;
  nodeEnv: 'development' | 'production' | 'test';
  logLevel: string;
  database: DatabaseConfig;
  /** Run pending migrations at start (MySQL). The SQLite default builds its schema from the entities. */
  runMigrations: boolean;
  /** What to seed into an empty database at start. */
  seed: 'none' | 'reference' | 'demo';
  seedPassword: string;
  jwtSecret: string;
  jwtTtlSeconds: number;
  /** Identity-number encryption: AES-256-GCM keys by key id; new values use activeKeyId. */
  idKeys: Record<string, Buffer>;
  idActiveKeyId: string;
  /** Key for the HMAC-SHA-256 used to compare identity numbers without decrypting them. */
  idHmacKey: Buffer;
  /**
   * The fund policy's first values (the document's 60,000 yuan; a default per-partner cap), written
   * once into the database when its policy is empty. After that the database's policy rules
   * (setFundPolicy): every process reads the same one.
   */
  partsFundLimitFen: number;
  partsFundDefaultCapFen: number;
  /** The value of one loaner phone when finance counts what the branch lends a partner. */
  loanerUnitValueFen: number;
  /** How long connecting to the database may take before failing (ms). */
  dbTimeoutMs: number;
  /** The longest one SQL statement may run on MySQL before its connection is dropped (ms). */
  dbQueryTimeoutMs: number;
  /** Attempts a transaction gets when it loses a deadlock or a Galera certification conflict (src/common/retry.ts). */
  txRetryAttempts: number;
  /** wsrep_sync_wait set on each connection when the database is a Galera node (1: causal reads; 0: off). */
  wsrepSyncWait: number;
  /** Statements slower than this are logged (SQL text and duration, never parameters). */
  dbSlowQueryMs: number;
  /** Execute operations with graphql-jit (compiled once per document); false: graphql-js. */
  graphqlJit: boolean;
  /**
   * POSTed GraphQL requests executed at once by this process; more wait their turn once their bodies
   * are read (src/runtime/http/fast-post.ts, `Gate`). 0: no limit.
   */
  graphqlMaxRunning: number;
  /** How long a request waits for one of those places before it is answered 503 RETRY_LATER (0: no limit). */
  graphqlMaxWaitMs: number;
  /** The clock that date rules (which commission periods have begun or ended) read; tests pass their own. */
  now: () => Date;
  /**
   * The GraphQL workbench (GraphiQL at GET /graphql) and introspection, both for logged-in users
   * (GRAPHIQL); unset: on, except in production (see graphiqlOn).
   */
  graphiql?: boolean;
  /** What one client may ask: query cost, response size and time, request rates (README, "Limits a client meets"). */
  limits: LimitsConfig;
  /** Proxies whose X-Forwarded-For is believed (proxy-addr names, addresses, subnets); empty: none. */
  trustProxy: string[];
  /** How long a process may go on answering from what it last read of a user's state (ms, ≤ 4000). */
  sessionRecheckMs: number;
  /** /ready answers 503 once the database pool has had no free connection for this long (ms). */
  readyPoolStarvedMs: number;
  /** A file the security events are appended to as well (SECURITY_LOG; src/common/security-events.ts). */
  securityLog?: string;
  /** Days after activation a new line's callbacks are due (CALLBACK_DAYS, e.g. "3,10,25"). */
  callbackDays: number[];
  /** Prometheus metrics at GET /metrics (src/common/metrics.ts, docs/operations.md). */
  metrics: MetricsConfig;
  warnings: string[];
}

export interface MetricsConfig {
  /** Instrument and serve: METRICS is not false and a token or a port says how /metrics is protected. */
  enabled: boolean;
  /** Bearer token a scrape must send (METRICS_TOKEN). */
  token?: string;
  /** Serve /metrics on this port of its own instead of the API's (METRICS_PORT; 0: any free port). */
  port?: number;
  /** Address the metrics port listens on (METRICS_HOST). */
  host: string;
}

export interface LimitsConfig {
  /** Largest estimated cost of one operation (objects it can produce, multiplied through nesting). */
  maxCost: number;
  /** Objects one operation's response may hold, counted as they are produced. */
  responseMaxObjects: number;
  /** How long one operation may run (ms). */
  operationTimeoutMs: number;
  /** Requests per user and per address (false: no rate or concurrency limits). */
  rateLimits: boolean;
  /** Where the counters live: this process, the MySQL database, or Redis (shared by replicas). */
  rateLimitStore: 'memory' | 'database' | 'redis';
  redisUrl?: string;
  /** Put before every counter's key (RATE_LIMIT_KEY_PREFIX): several deployments or test runs sharing one Redis keep their own counters. */
  rateLimitKeyPrefix?: string;
  /** Length of every rate window (seconds). */
  rateWindowSeconds: number;
  /** Requests one user may make per window. */
  userRequests: number;
  /** Requests one client address may make per window (with or without a token). */
  addressRequests: number;
  /** Requests of one user in flight at once, per replica. */
  userConcurrency: number;
  /** Imports, settlement and exports one user may run per window. */
  expensiveRequests: number;
  /** Login requests one address may make per window. */
  loginRequests: number;
}

export class ConfigError extends Error {}

/**
 * The problems found so far by loadConfig: every missing or invalid variable is reported in one
 * ConfigError at the end rather than the first alone. Outside loadConfig a problem throws at once.
 */
let problems: string[] | null = null;
function problem(message: string): void {
  if (!problems) throw new ConfigError(message);
  problems.push(message);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function int(env: NodeJS.ProcessEnv, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw)) return (problem(`${name} must be a whole number, got "${raw}"`), def);
  const n = Number(raw);
  if (n < min || n > max) return (problem(`${name} must be between ${min} and ${max}, got ${n}`), def);
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, def: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  problem(`${name} must be true or false, got "${raw}"`);
  return def;
}

/** Keys come as "kid1:base64key,kid2:base64key"; each must decode to 32 bytes. */
function parseKeys(raw: string): Record<string, Buffer> {
  const keys: Record<string, Buffer> = {};
  for (const part of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const i = part.indexOf(':');
    if (i <= 0) {
      problem('ID_ENCRYPTION_KEYS must look like "kid:base64key[,kid:base64key]"');
      continue;
    }
    const kid = part.slice(0, i);
    const key = Buffer.from(part.slice(i + 1), 'base64');
    if (key.length !== 32) problem(`ID_ENCRYPTION_KEYS: key "${kid}" must be 32 bytes (base64)`);
    keys[kid] = key;
  }
  return keys;
}

/** CALLBACK_DAYS: strictly increasing whole days from 1 to 90, at most five of them. */
function callbackDays(env: NodeJS.ProcessEnv): number[] {
  const raw = env.CALLBACK_DAYS || '3,10,25';
  const days = raw.split(',').map((s) => s.trim());
  if (days.length > 5 || days.some((d) => !/^\d+$/.test(d) || Number(d) < 1 || Number(d) > 90)) {
    throw new ConfigError(`CALLBACK_DAYS must be up to five whole days from 1 to 90, comma-separated, got "${raw}"`);
  }
  const out = days.map(Number);
  if (out.some((d, i) => i > 0 && d <= out[i - 1])) throw new ConfigError(`CALLBACK_DAYS must be increasing, got "${raw}"`);
  return out;
}

function devKey(label: string): Buffer {
  return createHash('sha256').update(`agentnet-development-only:${label}`).digest();
}

/** GRAPHIQL when set; otherwise on everywhere but production. */
export function graphiqlOn(config: Pick<AppConfig, 'graphiql' | 'nodeEnv'>): boolean {
  return config.graphiql ?? config.nodeEnv !== 'production';
}

/** TRUST_PROXY: comma-separated proxy-addr names (loopback, linklocal, uniquelocal), addresses or subnets. */
function trustProxy(env: NodeJS.ProcessEnv): string[] {
  const raw = (env.TRUST_PROXY ?? '').trim();
  if (!raw || raw === 'false' || raw === '0') return [];
  const list = raw
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (list.includes('true') || list.includes('*')) {
    problem('TRUST_PROXY must name the proxies (e.g. "loopback" or "10.0.0.0/8"): trusting every sender would let any client choose its address');
    return [];
  }
  try {
    proxyaddr.compile(list);
  } catch (err) {
    problem(`TRUST_PROXY: ${(err as Error).message}`);
    return [];
  }
  return list;
}

/**
 * METRICS, METRICS_TOKEN, METRICS_PORT, METRICS_HOST. On the API's port /metrics always needs the
 * token, in development too: the figures (operations, error rates, pool) tell an attacker what
 * hurts. A port of its own on a private address is the other way, without a token unless one is set.
 * With neither, nothing is instrumented and /metrics is 404.
 */
function metricsConfig(env: NodeJS.ProcessEnv, nodeEnv: string, warnings: string[]): MetricsConfig {
  const on = bool(env, 'METRICS', true);
  const token = env.METRICS_TOKEN || undefined;
  if (token !== undefined && (token.length < 16 || token.length > 256 || !/^[\x21-\x7e]+$/.test(token))) {
    problem('METRICS_TOKEN must be 16 to 256 printable characters without spaces');
  }
  const port = env.METRICS_PORT ? int(env, 'METRICS_PORT', 0, 0, 65535) : undefined;
  const hostRaw = env.METRICS_HOST;
  if (hostRaw && port === undefined) problem('METRICS_HOST needs METRICS_PORT (without it /metrics is on the API port, behind METRICS_TOKEN)');
  const host = hostRaw || '127.0.0.1';
  if (hostRaw && !isIP(hostRaw) && !/^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/.test(hostRaw))
    problem(`METRICS_HOST must be an address or a host name, got "${hostRaw}"`);
  if (port !== undefined && env.PORT && Number(env.PORT) === port && port !== 0) problem('METRICS_PORT must differ from PORT');
  const enabled = on && (token !== undefined || port !== undefined);
  if (on && !enabled && nodeEnv !== 'test') {
    warnings.push(
      'METRICS_TOKEN and METRICS_PORT are unset: /metrics is off (set METRICS_TOKEN for a bearer-protected /metrics, or METRICS_PORT for a port of its own; METRICS=false silences this)',
    );
  }
  return { enabled, token, port, host };
}

function securityLogPath(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.SECURITY_LOG;
  if (raw === undefined || raw === '') return undefined;
  if (raw.length > 1024 || /[\0\r\n]/.test(raw)) return (problem('SECURITY_LOG must be a file path of at most 1024 characters'), undefined);
  return raw;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  const outer = problems;
  problems = [];
  try {
    const config = readConfig(env, overrides);
    if (problems.length) throw new ConfigError(problems.length === 1 ? problems[0] : `${problems.length} configuration problems:\n- ${problems.join('\n- ')}`);
    return config;
  } finally {
    problems = outer;
  }
}

function readConfig(env: NodeJS.ProcessEnv, overrides: Partial<AppConfig>): AppConfig {
  const warnings: string[] = [];
  const nodeEnvRaw = env.NODE_ENV || 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    problem(`NODE_ENV must be development, production or test, got "${nodeEnvRaw}"`);
  }
  const nodeEnv = nodeEnvRaw as AppConfig['nodeEnv'];
  const prod = nodeEnv === 'production';

  const logLevel = env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info');
  if (!LOG_LEVELS.includes(logLevel)) problem(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  let database: DatabaseConfig;
  const url = env.DATABASE_URL;
  if (!url) {
    database = { type: 'sqlite', path: env.SQLITE_PATH || 'data/app.sqlite' };
  } else if (/^mysql2?:\/\//.test(url) || /^mariadb:\/\//.test(url)) {
    database = { type: 'mysql', url: url.replace(/^(mysql2|mariadb):/, 'mysql:'), flavor: url.startsWith('mariadb:') ? 'mariadb' : undefined };
  } else if (url.startsWith('sqlite:')) {
    database = { type: 'sqlite', path: url.slice('sqlite:'.length).replace(/^\/\//, '') || ':memory:' };
  } else {
    problem('DATABASE_URL must start with mysql:// (or sqlite:<path>); leave it unset for the embedded SQLite file');
    database = { type: 'sqlite', path: ':memory:' };
  }

  let jwtSecret = env.JWT_SECRET || '';
  if (!jwtSecret) {
    if (prod) problem('JWT_SECRET is required when NODE_ENV=production');
    jwtSecret = randomBytes(32).toString('hex');
    if (nodeEnv !== 'test') warnings.push('JWT_SECRET is not set: using a generated secret; tokens will not survive a restart');
  } else if (jwtSecret.length < 32) {
    problem('JWT_SECRET must be at least 32 characters');
  }

  let idKeys: Record<string, Buffer>;
  let idActiveKeyId: string;
  if (env.ID_ENCRYPTION_KEYS) {
    idKeys = parseKeys(env.ID_ENCRYPTION_KEYS);
    idActiveKeyId = env.ID_ENCRYPTION_ACTIVE_KEY || Object.keys(idKeys)[Object.keys(idKeys).length - 1];
    if (!idKeys[idActiveKeyId]) problem(`ID_ENCRYPTION_ACTIVE_KEY "${idActiveKeyId}" is not among ID_ENCRYPTION_KEYS`);
  } else {
    if (prod) problem('ID_ENCRYPTION_KEYS is required when NODE_ENV=production');
    idKeys = { dev1: devKey('id-encryption') };
    idActiveKeyId = 'dev1';
    if (nodeEnv !== 'test') warnings.push('ID_ENCRYPTION_KEYS is not set: identity numbers are encrypted with a development key');
  }
  let idHmacKey: Buffer;
  if (env.ID_HMAC_KEY) {
    idHmacKey = Buffer.from(env.ID_HMAC_KEY, 'base64');
    if (idHmacKey.length < 32) problem('ID_HMAC_KEY must be at least 32 bytes (base64)');
  } else {
    if (prod) problem('ID_HMAC_KEY is required when NODE_ENV=production');
    idHmacKey = devKey('id-hmac');
  }

  // Production never seeds demo users unless SEED=demo says so (seeds/index.ts): the embedded
  // default seeds reference data only, and the first admin comes from `npm run user:create-admin`.
  const seedRaw = env.SEED || (database.type === 'sqlite' ? (prod ? 'reference' : 'demo') : 'none');
  if (!['none', 'reference', 'demo'].includes(seedRaw)) problem('SEED must be none, reference or demo');
  if (prod && seedRaw === 'demo') {
    warnings.push(
      `SEED=demo with NODE_ENV=production: an empty database gets the demo users, whose password is ${env.SEED_PASSWORD ? 'SEED_PASSWORD' : 'the published demo-password'}; never on a real deployment`,
    );
  }

  const config: AppConfig = {
    port: int(env, 'PORT', 4000, 0, 65535),
    nodeEnv,
    logLevel,
    database,
    runMigrations: database.type === 'mysql' ? env.RUN_MIGRATIONS !== 'false' : false,
    seed: seedRaw as AppConfig['seed'],
    seedPassword: env.SEED_PASSWORD || 'demo-password',
    jwtSecret,
    jwtTtlSeconds: int(env, 'JWT_TTL_SECONDS', 8 * 3600, 60, 30 * 24 * 3600),
    idKeys,
    idActiveKeyId,
    idHmacKey,
    partsFundLimitFen: int(env, 'PARTS_FUND_LIMIT_FEN', 6_000_000, 0, Number.MAX_SAFE_INTEGER),
    partsFundDefaultCapFen: int(env, 'PARTS_FUND_DEFAULT_CAP_FEN', 1_500_000, 0, Number.MAX_SAFE_INTEGER),
    loanerUnitValueFen: int(env, 'LOANER_UNIT_VALUE_FEN', 80_000, 0, Number.MAX_SAFE_INTEGER),
    dbTimeoutMs: int(env, 'DB_TIMEOUT_MS', 5000, 100, 120000),
    dbQueryTimeoutMs: int(env, 'DB_QUERY_TIMEOUT_MS', 60000, 100, 3600000),
    txRetryAttempts: int(env, 'TX_RETRY_ATTEMPTS', 10, 1, 100),
    wsrepSyncWait: int(env, 'WSREP_SYNC_WAIT', 1, 0, 15),
    dbSlowQueryMs: int(env, 'DB_SLOW_QUERY_MS', 1000, 0, 3600000),
    // RUNTIME_OFF=jit is the same switch as GRAPHQL_JIT=false (src/runtime/switches.ts).
    graphqlJit: bool(env, 'GRAPHQL_JIT', true) && !parseRuntimeOff(env.RUNTIME_OFF).has('jit'),
    graphqlMaxRunning: int(env, 'GRAPHQL_MAX_RUNNING', 32, 0, 10_000),
    graphqlMaxWaitMs: int(env, 'GRAPHQL_MAX_WAIT_MS', 10_000, 0, 600_000),
    now: () => new Date(),
    graphiql: env.GRAPHIQL ? bool(env, 'GRAPHIQL', false) : undefined,
    limits: loadLimits(env, database),
    trustProxy: trustProxy(env),
    sessionRecheckMs: int(env, 'SESSION_RECHECK_MS', 2000, 0, 4000),
    readyPoolStarvedMs: int(env, 'READY_POOL_STARVED_MS', 5000, 100, 600_000),
    securityLog: securityLogPath(env),
    callbackDays: callbackDays(env),
    metrics: metricsConfig(env, nodeEnv, warnings),
    warnings,
    ...overrides,
  };
  return config;
}

function loadLimits(env: NodeJS.ProcessEnv, database: DatabaseConfig): LimitsConfig {
  const redisUrl = env.REDIS_URL || undefined;
  const store = env.RATE_LIMIT_STORE || (redisUrl ? 'redis' : database.type === 'mysql' ? 'database' : 'memory');
  if (!['memory', 'database', 'redis'].includes(store)) throw new ConfigError('RATE_LIMIT_STORE must be memory, database or redis');
  if (store === 'redis' && !redisUrl) throw new ConfigError('RATE_LIMIT_STORE=redis needs REDIS_URL');
  if (store === 'database' && database.type !== 'mysql') throw new ConfigError('RATE_LIMIT_STORE=database needs a MySQL DATABASE_URL');
  const keyPrefix = env.RATE_LIMIT_KEY_PREFIX || undefined;
  if (keyPrefix !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(keyPrefix))
    throw new ConfigError('RATE_LIMIT_KEY_PREFIX must be 1 to 64 letters, digits, _ . or -');
  return {
    maxCost: int(env, 'QUERY_MAX_COST', 60_000, 100, 10_000_000),
    responseMaxObjects: int(env, 'RESPONSE_MAX_OBJECTS', 100_000, 100, 10_000_000),
    operationTimeoutMs: int(env, 'OPERATION_TIMEOUT_MS', 30_000, 100, 3_600_000),
    rateLimits: bool(env, 'RATE_LIMITS', true),
    rateLimitStore: store as LimitsConfig['rateLimitStore'],
    redisUrl,
    rateLimitKeyPrefix: keyPrefix,
    rateWindowSeconds: int(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1, 3600),
    userRequests: int(env, 'RATE_LIMIT_USER_REQUESTS', 1200, 1, 10_000_000),
    addressRequests: int(env, 'RATE_LIMIT_ADDRESS_REQUESTS', 2400, 1, 10_000_000),
    userConcurrency: int(env, 'RATE_LIMIT_USER_CONCURRENCY', 16, 1, 10_000),
    expensiveRequests: int(env, 'RATE_LIMIT_EXPENSIVE_REQUESTS', 20, 1, 1_000_000),
    loginRequests: int(env, 'RATE_LIMIT_LOGIN_REQUESTS', 30, 1, 1_000_000),
  };
}
