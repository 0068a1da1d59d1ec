import { randomBytes, createHash } from 'node:crypto';

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
  /** Revolving parts fund limit (the document's 60,000 yuan). */
  partsFundLimitFen: number;
  /** The value of one loaner phone when finance counts what the branch lends a partner. */
  loanerUnitValueFen: number;
  /** How long connecting to the database may take before failing (ms). */
  dbTimeoutMs: number;
  /** The longest one SQL statement may run on MySQL before its connection is dropped (ms). */
  dbQueryTimeoutMs: number;
  /** Execute operations with graphql-jit (compiled once per document); false: graphql-js. */
  graphqlJit: boolean;
  /** Days after activation a new line's callbacks are due (CALLBACK_DAYS, e.g. "3,10,25"). */
  callbackDays: number[];
  warnings: string[];
}

export class ConfigError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function int(env: NodeJS.ProcessEnv, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, def: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/** Keys come as "kid1:base64key,kid2:base64key"; each must decode to 32 bytes. */
function parseKeys(raw: string): Record<string, Buffer> {
  const keys: Record<string, Buffer> = {};
  for (const part of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const i = part.indexOf(':');
    if (i <= 0) throw new ConfigError('ID_ENCRYPTION_KEYS must look like "kid:base64key[,kid:base64key]"');
    const kid = part.slice(0, i);
    const key = Buffer.from(part.slice(i + 1), 'base64');
    if (key.length !== 32) throw new ConfigError(`ID_ENCRYPTION_KEYS: key "${kid}" must be 32 bytes (base64)`);
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  const warnings: string[] = [];
  const nodeEnvRaw = env.NODE_ENV || 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    throw new ConfigError(`NODE_ENV must be development, production or test, got "${nodeEnvRaw}"`);
  }
  const nodeEnv = nodeEnvRaw as AppConfig['nodeEnv'];
  const prod = nodeEnv === 'production';

  const logLevel = env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info');
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  let database: DatabaseConfig;
  const url = env.DATABASE_URL;
  if (!url) {
    database = { type: 'sqlite', path: env.SQLITE_PATH || 'data/app.sqlite' };
  } else if (/^mysql2?:\/\//.test(url) || /^mariadb:\/\//.test(url)) {
    database = { type: 'mysql', url: url.replace(/^(mysql2|mariadb):/, 'mysql:'), flavor: url.startsWith('mariadb:') ? 'mariadb' : undefined };
  } else if (url.startsWith('sqlite:')) {
    database = { type: 'sqlite', path: url.slice('sqlite:'.length).replace(/^\/\//, '') || ':memory:' };
  } else {
    throw new ConfigError('DATABASE_URL must start with mysql:// (or sqlite:<path>); leave it unset for the embedded SQLite file');
  }

  let jwtSecret = env.JWT_SECRET || '';
  if (!jwtSecret) {
    if (prod) throw new ConfigError('JWT_SECRET is required when NODE_ENV=production');
    jwtSecret = randomBytes(32).toString('hex');
    if (nodeEnv !== 'test') warnings.push('JWT_SECRET is not set: using a generated secret; tokens will not survive a restart');
  } else if (jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters');
  }

  let idKeys: Record<string, Buffer>;
  let idActiveKeyId: string;
  if (env.ID_ENCRYPTION_KEYS) {
    idKeys = parseKeys(env.ID_ENCRYPTION_KEYS);
    idActiveKeyId = env.ID_ENCRYPTION_ACTIVE_KEY || Object.keys(idKeys)[Object.keys(idKeys).length - 1];
    if (!idKeys[idActiveKeyId]) throw new ConfigError(`ID_ENCRYPTION_ACTIVE_KEY "${idActiveKeyId}" is not among ID_ENCRYPTION_KEYS`);
  } else {
    if (prod) throw new ConfigError('ID_ENCRYPTION_KEYS is required when NODE_ENV=production');
    idKeys = { dev1: devKey('id-encryption') };
    idActiveKeyId = 'dev1';
    if (nodeEnv !== 'test') warnings.push('ID_ENCRYPTION_KEYS is not set: identity numbers are encrypted with a development key');
  }
  let idHmacKey: Buffer;
  if (env.ID_HMAC_KEY) {
    idHmacKey = Buffer.from(env.ID_HMAC_KEY, 'base64');
    if (idHmacKey.length < 32) throw new ConfigError('ID_HMAC_KEY must be at least 32 bytes (base64)');
  } else {
    if (prod) throw new ConfigError('ID_HMAC_KEY is required when NODE_ENV=production');
    idHmacKey = devKey('id-hmac');
  }

  const seedRaw = env.SEED || (database.type === 'sqlite' ? 'demo' : 'none');
  if (!['none', 'reference', 'demo'].includes(seedRaw)) throw new ConfigError('SEED must be none, reference or demo');

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
    loanerUnitValueFen: int(env, 'LOANER_UNIT_VALUE_FEN', 80_000, 0, Number.MAX_SAFE_INTEGER),
    dbTimeoutMs: int(env, 'DB_TIMEOUT_MS', 5000, 100, 120000),
    dbQueryTimeoutMs: int(env, 'DB_QUERY_TIMEOUT_MS', 60000, 100, 3600000),
    graphqlJit: bool(env, 'GRAPHQL_JIT', true),
    callbackDays: callbackDays(env),
    warnings,
    ...overrides,
  };
  return config;
}
