import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { createApp, App } from '../../src/app';
import { ConfigError, loadConfig } from '../../src/config';
import { dropDatabase, recreateDatabase } from '../../scripts/mysql-admin';

/** Production start (issue 18): no demo users unless SEED=demo, the first admin by command, every config problem at once. */
const mysqlUrl = process.env.TEST_DATABASE_URL;
const PROD_KEYS = {
  JWT_SECRET: 'p'.repeat(48),
  ID_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  ID_HMAC_KEY: Buffer.alloc(32, 9).toString('base64'),
};

interface Started {
  app: App;
  lines: string[];
  env: Record<string, string>;
  stop: () => Promise<void>;
}

let counter = 0;
/** A database of its own (a SQLite file, or a fresh MariaDB database), named by env for the script too. */
async function database(): Promise<{ env: Record<string, string>; databaseName?: string; drop: () => Promise<void> }> {
  if (mysqlUrl) {
    const databaseName = `t_prod_${process.pid}_${Date.now().toString(36)}_${counter++}`;
    await recreateDatabase(mysqlUrl, databaseName);
    const url = new URL(mysqlUrl);
    url.pathname = `/${databaseName}`;
    return { env: { DATABASE_URL: url.toString(), RUN_MIGRATIONS: 'true' }, databaseName, drop: () => dropDatabase(mysqlUrl, databaseName) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'prod-start-'));
  return { env: { DATABASE_URL: `sqlite:${join(dir, 'app.sqlite')}` }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

async function startProduction(extra: Record<string, string>, db?: Awaited<ReturnType<typeof database>>): Promise<Started> {
  const d = db ?? (await database());
  const env = { NODE_ENV: 'production', PORT: '0', LOG_LEVEL: 'info', ...PROD_KEYS, ...d.env, ...extra };
  const config = loadConfig(env);
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => lines.push(s) });
  const app = await createApp(config, { logger });
  return {
    app,
    lines,
    env,
    stop: async () => {
      await app.stop();
      await d.drop();
    },
  };
}

function login(app: App, u: string, p: string) {
  return request(app.server)
    .post('/graphql')
    .set('content-type', 'application/json')
    .send({ query: `mutation($u:String!,$p:String!){ login(username:$u,password:$p){ token mustChangePassword } }`, variables: { u, p } });
}

describe('production start', () => {
  // The embedded default seeds reference data by itself; MySQL seeds only what SEED asks for.
  const seedWithoutDemo: Record<string, string> = mysqlUrl ? { SEED: 'reference' } : {};

  it(`without SEED=demo creates no demo users (${mysqlUrl ? 'SEED=reference' : 'SEED unset'}) and says how to make the first admin`, async () => {
    const s = await startProduction(seedWithoutDemo);
    try {
      expect(await s.app.ds.query('SELECT username FROM app_user')).toEqual([]);
      expect(Number((await s.app.ds.query('SELECT COUNT(*) AS n FROM region'))[0].n)).toBe(8);
      const res = await login(s.app, 'admin', 'demo-password');
      expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(s.lines.join('')).toContain('user:create-admin');
    } finally {
      await s.stop();
    }
  });

  it('with SEED=demo creates them, with a warning', async () => {
    const s = await startProduction({ SEED: 'demo' });
    try {
      const users = (await s.app.ds.query('SELECT username FROM app_user')).map((r: { username: string }) => r.username);
      expect(users).toEqual(expect.arrayContaining(['admin', 'staff', 'finance']));
      expect(s.lines.some((l) => /"level":40/.test(l) && /SEED=demo/.test(l))).toBe(true);
    } finally {
      await s.stop();
    }
  });
});

function createAdmin(env: Record<string, string>, args: string[], stdin: string | null): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [require.resolve('ts-node/dist/bin.js'), '--swc', 'scripts/create-admin.ts', ...args],
      { cwd: join(__dirname, '../..'), env: { ...process.env, ...env, LOG_LEVEL: 'warn' }, timeout: 90_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    if (stdin !== null) child.stdin!.end(stdin);
    else child.stdin!.end();
  });
}

/** The exit code, with what the script printed to stderr when it is not 0 (a failure then says why). */
function exited(run: { code: number; stderr: string }): string {
  return run.code === 0 ? 'exit 0' : `exit ${run.code}: ${run.stderr}`;
}

describe('npm run user:create-admin', () => {
  it('makes the first admin from a password on stdin, and generates one when none is given', async () => {
    const db = await database();
    const env = { NODE_ENV: 'production', ...PROD_KEYS, ...db.env, ...(mysqlUrl ? { SEED: 'reference' } : {}) };
    // (Each run starts ts-node, seconds on a busy machine: two runs; the policy itself is accounts.test.ts's.)
    const given = await createAdmin(env, ['alice', 'Alice', 'Admin'], 'First-admin-passphrase\n');
    expect(exited(given)).toBe('exit 0');
    expect(given.stdout).toMatch(/created ADMIN "alice"/);
    expect(given.stdout).not.toContain('First-admin-passphrase');
    const generated = await createAdmin(env, ['bob'], '');
    expect(exited(generated)).toBe('exit 0');
    const password = /password \(shown once[^)]*\): (\S+)/.exec(generated.stdout)?.[1];
    expect(password).toBeTruthy();

    const s = await startProduction({}, db);
    try {
      const a = await login(s.app, 'alice', 'First-admin-passphrase');
      expect(a.body.data.login.mustChangePassword).toBe(false);
      const me = await request(s.app.server)
        .post('/graphql')
        .set('content-type', 'application/json')
        .set('authorization', `Bearer ${a.body.data.login.token}`)
        .send({ query: '{ me { role displayName } users { totalCount } }' });
      expect(me.body.data.me).toEqual({ role: 'ADMIN', displayName: 'Alice Admin' });
      expect(me.body.data.users.totalCount).toBe(2);
      const b = await login(s.app, 'bob', password!);
      expect(b.body.data.login.mustChangePassword).toBe(true);
      const log = await s.app.ds.query(`SELECT action, actorName FROM change_log WHERE entityType = 'User' ORDER BY id`);
      expect(log).toEqual([
        { action: 'createAdmin', actorName: null },
        { action: 'createAdmin', actorName: null },
      ]);
    } finally {
      await s.stop();
    }
  }, 240_000);
});

describe('configuration check', () => {
  it('reports every missing or invalid production variable at once', () => {
    let message = '';
    try {
      loadConfig({ NODE_ENV: 'production', PORT: 'eighty', DATABASE_URL: 'postgres://x', JWT_TTL_SECONDS: '5', TRUST_PROXY: 'true' });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    for (const name of ['JWT_SECRET', 'ID_ENCRYPTION_KEYS', 'ID_HMAC_KEY', 'PORT', 'DATABASE_URL', 'JWT_TTL_SECONDS', 'TRUST_PROXY']) {
      expect(message).toContain(name);
    }
    expect(message).toMatch(/^7 configuration problems/);
  });

  it('reads TRUST_PROXY and SESSION_RECHECK_MS, and bounds the latter', () => {
    const c = loadConfig({ NODE_ENV: 'test', TRUST_PROXY: 'loopback, 10.0.0.0/8', SESSION_RECHECK_MS: '1000' });
    expect(c.trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    expect(c.sessionRecheckMs).toBe(1000);
    expect(loadConfig({ NODE_ENV: 'test' })).toMatchObject({ trustProxy: [], sessionRecheckMs: 2000 });
    expect(() => loadConfig({ NODE_ENV: 'test', SESSION_RECHECK_MS: '10000' })).toThrow(/SESSION_RECHECK_MS must be between 0 and 4000/);
    expect(() => loadConfig({ NODE_ENV: 'test', TRUST_PROXY: 'not-an-address' })).toThrow(/TRUST_PROXY/);
  });

  it('reads METRICS, METRICS_TOKEN, METRICS_PORT and METRICS_HOST; without a token or a port /metrics is off, with a warning in production', () => {
    const token = 't'.repeat(24);
    expect(loadConfig({ NODE_ENV: 'test', METRICS_TOKEN: token }).metrics).toEqual({ enabled: true, token, port: undefined, host: '127.0.0.1' });
    expect(loadConfig({ NODE_ENV: 'test', METRICS_PORT: '9464', METRICS_HOST: '10.1.2.3' }).metrics).toEqual({
      enabled: true,
      token: undefined,
      port: 9464,
      host: '10.1.2.3',
    });
    expect(loadConfig({ NODE_ENV: 'test', METRICS: 'false', METRICS_TOKEN: token }).metrics.enabled).toBe(false);
    const prod = loadConfig({ NODE_ENV: 'production', ...PROD_KEYS });
    expect(prod.metrics.enabled).toBe(false);
    expect(prod.warnings.some((w) => /METRICS_TOKEN and METRICS_PORT are unset: \/metrics is off/.test(w))).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', ...PROD_KEYS, METRICS: 'false' }).warnings.some((w) => /METRICS/.test(w))).toBe(false);
    expect(() => loadConfig({ NODE_ENV: 'test', METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be 16 to 256 printable characters/);
    expect(() => loadConfig({ NODE_ENV: 'test', METRICS_TOKEN: 'has a space in it somewhere' })).toThrow(/METRICS_TOKEN/);
    expect(() => loadConfig({ NODE_ENV: 'test', METRICS_PORT: '70000' })).toThrow(/METRICS_PORT must be between 0 and 65535/);
    expect(() => loadConfig({ NODE_ENV: 'test', METRICS_HOST: '0.0.0.0' })).toThrow(/METRICS_HOST needs METRICS_PORT/);
    expect(() => loadConfig({ NODE_ENV: 'test', METRICS_PORT: '9464', METRICS_HOST: 'bad host!' })).toThrow(/METRICS_HOST must be an address or a host name/);
    expect(() => loadConfig({ NODE_ENV: 'test', PORT: '9464', METRICS_PORT: '9464' })).toThrow(/METRICS_PORT must differ from PORT/);
    expect(() => loadConfig({ NODE_ENV: 'test', METRICS: 'maybe' })).toThrow(/METRICS must be true or false/);
  });
});
