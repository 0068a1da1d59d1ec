import 'reflect-metadata';
import request from 'supertest';
import type { Logger } from 'pino';
import { createApp, App } from '../../src/app';
import { loadConfig, AppConfig } from '../../src/config';
import { SqlCounter } from '../../src/common/sql-counter';
import { seedReference } from '../../seeds';
import { dropDatabase, recreateDatabase } from '../../scripts/mysql-admin';

export const PASSWORD = 'demo-password';
/** The password of users made through createUser (the policy refuses the demo password there). */
export const USER_PASSWORD = 'Test-passphrase-4711';

export interface GqlResult<T = any> {
  status: number;
  data: T;
  errors?: { message: string; path?: string[]; extensions: { code: string; field?: string; [k: string]: unknown } }[];
  body: any;
}

export interface TestApp {
  app: App;
  config: AppConfig;
  sql: SqlCounter;
  isMysql: boolean;
  /** The MariaDB/MySQL database of this app (undefined on SQLite): a second createApp may share it. */
  databaseName?: string;
  /** POST /graphql with an optional bearer token. */
  gql: <T = any>(query: string, variables?: Record<string, unknown>, token?: string | null) => Promise<GqlResult<T>>;
  /** Log in (cached per username) and return the token. */
  token: (username: string, password?: string) => Promise<string>;
  /** Create a user with a role (bound to a partner or agent) via createUser, and log in as it. */
  userToken: (role: string, bind?: { repairPartnerId?: string | number; agentId?: string | number }) => Promise<string>;
  http: () => ReturnType<typeof request>;
  stop: () => Promise<void>;
}

/** Numbers the users userToken makes: one sequence per process, so apps sharing a database (the cluster's servers) never pick the same name. */
let userSeq = 0;

/**
 * `token` (login, cached per username) and `userToken` (createUser as admin, then login) over any
 * `gql`: the test apps here and the cluster's servers (test/cluster, one token cache for all three) use the same two.
 */
export function loginHelpers(gql: TestApp['gql'], tag = '', tokens = new Map<string, string>()): Pick<TestApp, 'token' | 'userToken'> {
  const token: TestApp['token'] = async (username, password = PASSWORD) => {
    const cached = tokens.get(username);
    if (cached) return cached;
    const res = await gql(`mutation($u:String!,$p:String!){ login(username:$u,password:$p){ token } }`, { u: username, p: password });
    if (!res.data?.login) throw new Error(`login ${username} failed: ${JSON.stringify(res.errors)}`);
    tokens.set(username, res.data.login.token);
    return res.data.login.token;
  };
  const userToken: TestApp['userToken'] = async (role, bind = {}) => {
    const username = `${role.toLowerCase()}${tag}_${++userSeq}_${Date.now().toString(36)}`;
    const res = await gql(
      `mutation($i: CreateUserInput!){ createUser(input:$i){ id } }`,
      {
        i: {
          username,
          password: USER_PASSWORD,
          role,
          repairPartnerId: bind.repairPartnerId != null ? String(bind.repairPartnerId) : undefined,
          agentId: bind.agentId != null ? String(bind.agentId) : undefined,
        },
      },
      await token('admin'),
    );
    if (!res.data?.createUser) throw new Error(`createUser ${role} failed: ${JSON.stringify(res.errors)}`);
    return token(username, USER_PASSWORD);
  };
  return { token, userToken };
}

let counter = 0;

/**
 * A running app on a database of its own: an in-memory SQLite database by default, or a fresh
 * MariaDB/MySQL database (migrations run, dropped at stop) when TEST_DATABASE_URL is set. Only the
 * reference data is seeded; tests build what they need through the API.
 */
export interface StartOptions {
  /** Connect the app through another URL than TEST_DATABASE_URL (e.g. a TCP proxy that cuts the line). */
  appDatabaseUrl?: string;
  /** The app's logger (tests that read its lines). */
  logger?: Logger;
  /** More environment for loadConfig (e.g. RATE_LIMITS=true and its budgets for the rate-limit tests). */
  env?: Record<string, string>;
}

export async function startTestApp(overrides: Partial<AppConfig> = {}, options: StartOptions = {}): Promise<TestApp> {
  const url = process.env.TEST_DATABASE_URL;
  const isMysql = !!url;
  // Rate limits are off unless a test asks (rate-limits.test.ts): a test file sends hundreds of
  // requests a second as one user, which is what they exist to refuse.
  const env = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: process.env.TEST_LOG_LEVEL || 'silent', SEED: 'none', PORT: '0', RATE_LIMITS: 'false' };
  let databaseName: string | undefined;
  if (isMysql) {
    databaseName = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
    await recreateDatabase(url!, databaseName);
    Object.assign(env, { DATABASE_URL: options.appDatabaseUrl ?? url, RUN_MIGRATIONS: 'true' });
  } else {
    Object.assign(env, { DATABASE_URL: 'sqlite::memory:' });
    delete (env as Record<string, unknown>).SQLITE_PATH;
  }
  Object.assign(env, options.env);
  const config = loadConfig(env, overrides);
  const sql = new SqlCounter();
  const app = await createApp(config, { databaseName, sqlCounter: sql, logger: options.logger });
  // The staff users too, also for a test app in production mode (which seeding alone would not give them).
  await seedReference(app.ds, { ...config, seed: 'demo' });

  const gql: TestApp['gql'] = async (query, variables = {}, token = null) => {
    const req = request(app.server).post('/graphql').set('content-type', 'application/json');
    if (token) req.set('authorization', `Bearer ${token}`);
    const res = await req.send({ query, variables });
    return { status: res.status, data: res.body?.data, errors: res.body?.errors, body: res.body };
  };
  const { token, userToken } = loginHelpers(gql);
  return {
    app,
    config,
    sql,
    isMysql,
    databaseName,
    gql,
    token,
    userToken,
    http: () => request(app.server),
    stop: async () => {
      await app.stop();
      if (isMysql && databaseName) await dropDatabase(url!, databaseName);
    },
  };
}

/** Expect a GraphQL error with this code (and field, when given); returns the error. */
export function expectError(res: GqlResult, code: string, field?: string) {
  const err = res.errors?.[0];
  if (!err) throw new Error(`expected ${code} but the request succeeded: ${JSON.stringify(res.data)}`);
  if (err.extensions?.code !== code || (field !== undefined && err.extensions?.field !== field)) {
    throw new Error(`expected ${code}${field ? ` on ${field}` : ''}, got ${JSON.stringify(res.errors)}`);
  }
  return err;
}

/** Expect a CONFLICT with this reason (extensions.reason, docs/errors.md); returns the error. */
export function expectConflict(res: GqlResult, reason: string) {
  const err = expectError(res, 'CONFLICT');
  if (err.extensions.reason !== reason) throw new Error(`expected CONFLICT ${reason}, got ${JSON.stringify(res.errors)}`);
  return err;
}
