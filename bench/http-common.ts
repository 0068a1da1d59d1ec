/**
 * What bench/http.ts (`npm run bench`) and the benchmarks on its data (bench/ab.ts, bench/profile.ts,
 * bench/statements.ts) share: the database the first builds and all use, the server's environment
 * there, the Node flags `npm start` runs it with, the hand-written endpoint, and the benchmarked
 * queries and their loads.
 */
import { spawn, ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import type autocannon from 'autocannon';

export const BENCH_DB = 'bench_http';
export const BENCH_POOL = 20;
export const REGION_CODES = ['SHASHI', 'JINGZHOU', 'SONGZI', 'GONGAN', 'SHISHOU', 'JIANLI', 'HONGHU', 'JIANGLING'];

/** BENCH_MYSQL_URL (a server URL) with the benchmark's database. */
export function benchDbUrl(base = process.env.BENCH_MYSQL_URL || 'mysql://root@127.0.0.1:3306/test'): string {
  const u = new URL(base);
  u.pathname = `/${BENCH_DB}`;
  return u.toString();
}

/** The server's environment: production mode on the benchmark's database, fixed keys, no seeding. */
export function benchEnv(dbUrl: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: dbUrl,
    RUN_MIGRATIONS: 'false',
    SEED: 'none',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0001',
    ID_ENCRYPTION_KEYS: `bench1:${Buffer.alloc(32, 7).toString('base64')}`,
    ID_HMAC_KEY: Buffer.alloc(32, 9).toString('base64'),
    DB_POOL_SIZE: String(BENCH_POOL),
    // The rate limits stay on (their cost is part of what is measured), counted in memory and with
    // budgets no benchmark reaches: it sends thousands of requests a second as one user, which the
    // defaults (1,200 a minute, 16 at once) exist to refuse. The database store would add a
    // transaction per request (README, "Limits a client meets").
    RATE_LIMIT_STORE: 'memory',
    RATE_LIMIT_USER_REQUESTS: '10000000',
    RATE_LIMIT_ADDRESS_REQUESTS: '10000000',
    RATE_LIMIT_USER_CONCURRENCY: '10000',
  };
}

/** A port nothing listens on now, for a server process to take. */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/**
 * `node <args>` on a free port with `env`, once `probePath` answers below 500 (a server's /ready, or
 * any path of the hand-written endpoint, which has none); throws when it exits first or is not up
 * within a minute. `stdoutFile` (for the GraphQL server, BENCH_SERVER_STDOUT unless given): a file for its
 * stdout, where --trace-gc writes.
 */
export async function startServer(
  args: string[],
  probePath: string,
  env: NodeJS.ProcessEnv,
  stdoutFile = args.includes('dist/src/index.js') ? process.env.BENCH_SERVER_STDOUT : undefined,
): Promise<{ proc: ChildProcess; port: number }> {
  const port = await freePort();
  const out = stdoutFile ? openSync(stdoutFile, 'w') : 'ignore';
  const proc = spawn(process.execPath, args, { env: { ...env, PORT: String(port) }, stdio: ['ignore', out, 'inherit'] });
  let exited = false;
  proc.on('exit', () => (exited = true));
  for (let i = 0; i < 300; i++) {
    if (exited) throw new Error(`${args.join(' ')} exited during start`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}${probePath}`);
      if (res.status < 500) return { proc, port };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${args.join(' ')} did not start`);
}

/** The Node flags `npm start` runs the server with (package.json), so the benchmarks measure that process. */
export function startFlags(): string[] {
  const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
  const m = /\bnode((?: --\S+)*) dist\/src\/index\.js/.exec(start);
  if (!m) throw new Error('package.json: the start script should run "node [flags] dist/src/index.js"');
  return m[1].trim().split(/\s+/).filter(Boolean);
}

export const AGENTS_PAGE = `query($region: String) { agents(first: 50, filter: { regionCode: $region }) {
  pageInfo { hasNextPage endCursor }
  edges { node { id code name status riskScore region { code name }
    registrations(first: 3) { edges { node { id msisdn status flags openedAt } } } } } } }`;
export const STOCK = `query($partnerId: ID) { stockLevels(first: 50, filter: { partnerId: $partnerId }) {
  edges { node { onHand unitCostFen part { sku name } location { name } } } } }`;
export const TOTALS = `{ subsidyTotals(from: "2025-01", to: "2025-12", groupBy: PARTNER) { key label amountFen } }`;

/** The hand-written endpoint (bench/raw-server.ts), as `node` arguments for startServer; it has no /ready. */
export const RAW_SERVER = ['-r', 'ts-node/register/transpile-only', 'bench/raw-server.ts'];

/**
 * autocannon's options for the same load as graphqlLoad's on the hand-written endpoint at `base`:
 * the shop's shelf, or the agents page turning through the regions. bench/profile.ts and
 * bench/statements.ts.
 */
export function rawLoad(base: string, which: string, connections: number): autocannon.Options {
  let i = 0;
  const pathOf = which === 'stock' ? () => '/stock?partnerId=1' : which === 'agents' ? () => `/agents?region=${REGION_CODES[i++ % REGION_CODES.length]}` : null;
  if (!pathOf) throw new Error('the raw endpoint answers agents and stock only');
  return { url: base, connections, requests: [{ setupRequest: (req) => ({ ...req, path: pathOf() }) }] };
}

/**
 * autocannon's options for POSTing one of the benchmarked queries to a GraphQL server at `base`,
 * logged in as the user who runs it (the shop for the shelf, agency staff otherwise); the agents
 * page rotates through the regions. bench/ab.ts and bench/profile.ts.
 */
export async function graphqlLoad(base: string, which: string, connections: number): Promise<autocannon.Options> {
  const user = which === 'stock' ? 'benchshop' : 'staff';
  const login = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `mutation { login(username: "${user}", password: "demo-password") { token } }` }),
  });
  const token = ((await login.json()) as { data: { login: { token: string } } }).data.login.token;
  let i = 0;
  const body =
    which === 'stock'
      ? () => JSON.stringify({ query: STOCK, variables: { partnerId: '1' } })
      : which === 'agents'
        ? () => JSON.stringify({ query: AGENTS_PAGE, variables: { region: REGION_CODES[i++ % REGION_CODES.length] } })
        : () => JSON.stringify({ query: '{ __typename }' });
  return {
    url: `${base}/graphql`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    connections,
    requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }],
  };
}
