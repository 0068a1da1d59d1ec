import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { parse, validate } from 'graphql';
import { expectError, startTestApp, TestApp } from '../helpers/app';
import { ConfigError, graphiqlOn, loadConfig } from '../../src/config';
import { EXAMPLE_ROLES, loadOperations, mountWorkbench, projectRoot } from '../../src/workbench/workbench';

const INTROSPECT = `{ __schema { queryType { name } } }`;

describe('the workbench (development and test)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('GET / sends a browser to /graphql', async () => {
    const res = await t.http().get('/').set('accept', 'text/html');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/graphql');
  });

  it('GET /graphql answers a browser with the workbench page, which may load nothing from another host', async () => {
    const res = await t.http().get('/graphql').set('accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8');
    // 200 with the bundle built (npm run build), 503 saying how to build it otherwise.
    expect([200, 503]).toContain(res.status);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(res.text).not.toMatch(/https?:\/\//);
    expect(res.text).not.toMatch(/apollo/i);
  });

  it('leaves GET queries and clients that do not ask for HTML to the API', async () => {
    const json = await t.http().get('/graphql').query({ query: '{ __typename }' }).set('accept', 'application/json');
    expect(json.status).toBe(200);
    expect(json.body.data.__typename).toBe('Query');
    // A browser following a GET query link gets the answer, not the page.
    const html = await t.http().get('/graphql').query({ query: '{ __typename }' }).set('accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(html.headers['content-type']).toMatch(/json/);
    expect(JSON.parse(html.text).data.__typename).toBe('Query');
    const anyType = await t.http().get('/graphql').set('accept', '*/*');
    expect(anyType.headers['content-type']).not.toMatch(/^text\/html/);
  });

  it('serves the example operations of docs/operations, one group per role', async () => {
    const res = await t.http().get('/workbench/examples.json');
    expect(res.status).toBe(200);
    expect(res.body.roles.map((r: { role: string }) => r.role)).toEqual(EXAMPLE_ROLES.map((r) => r.role));
    const roles = new Set(res.body.operations.map((o: { role: string }) => o.role));
    for (const r of EXAMPLE_ROLES) expect(roles.has(r.role)).toBe(true);
    const subsidies = res.body.operations.find((o: { role: string; name: string }) => o.role === 'finance' && o.name === 'subsidy-totals-by-region');
    expect(subsidies.title).toBe('Subsidy totals by region for 2025');
    expect(subsidies.query).toContain('query SubsidyTotalsByRegion');
    const again = await t.http().get('/workbench/examples.json').set('if-none-match', res.headers.etag);
    expect(again.status).toBe(304);
  });

  it('every example operation is valid against the schema, and its variables file is JSON', () => {
    const ops = loadOperations(join(projectRoot(), 'docs', 'operations'));
    expect(ops.length).toBeGreaterThanOrEqual(EXAMPLE_ROLES.length);
    const names = new Set<string>();
    for (const op of ops) {
      const doc = parse(op.query);
      expect(validate(t.app.schema, doc).map((e) => `${op.role}/${op.name}: ${e.message}`)).toEqual([]);
      for (const def of doc.definitions) if (def.kind === 'OperationDefinition') names.add(def.name!.value);
      if (op.variables) expect(() => JSON.parse(op.variables!)).not.toThrow();
    }
    expect(names.size).toBe(ops.length); // one named operation per file, names unique (codegen needs it)
  });

  it('introspection is for logged-in users only', async () => {
    const anonymous = await t.gql(INTROSPECT);
    expect(anonymous.status).toBe(401);
    expectError(anonymous, 'UNAUTHENTICATED');
    const typeOnly = await t.gql(`{ __type(name: "Query") { name } }`);
    expectError(typeOnly, 'UNAUTHENTICATED');
    expect((await t.gql(`{ __typename }`)).data.__typename).toBe('Query');
    const finance = await t.gql(INTROSPECT, {}, await t.token('finance'));
    expect(finance.data.__schema.queryType.name).toBe('Query');
  });
});

describe('the workbench in production', () => {
  it('is off by default: no page, no redirect, no introspection even with a token', async () => {
    const prod = await startTestApp({ nodeEnv: 'production' });
    try {
      expect((await prod.http().get('/')).status).toBe(404);
      const page = await prod.http().get('/graphql').set('accept', 'text/html');
      expect(page.headers['content-type'] ?? '').not.toMatch(/^text\/html/);
      expect((await prod.http().get('/workbench/examples.json')).status).toBe(404);
      const intro = await prod.gql(INTROSPECT, {}, await prod.token('admin'));
      expect(intro.errors?.[0].message).toMatch(/introspection/i);
    } finally {
      await prod.stop();
    }
  });

  it('GRAPHIQL=true turns it on, with introspection for logged-in users only', async () => {
    const prod = await startTestApp({ nodeEnv: 'production', graphiql: true });
    try {
      expect((await prod.http().get('/')).headers.location).toBe('/graphql');
      expect((await prod.http().get('/graphql').set('accept', 'text/html')).headers['content-type']).toMatch(/^text\/html/);
      expectError(await prod.gql(INTROSPECT), 'UNAUTHENTICATED');
      const intro = await prod.gql(INTROSPECT, {}, await prod.token('finance'));
      expect(intro.data.__schema.queryType.name).toBe('Query');
    } finally {
      await prod.stop();
    }
  });

  it('GRAPHIQL is read from the environment: off in production unless true, on elsewhere', () => {
    const keys = {
      JWT_SECRET: 'x'.repeat(32),
      ID_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
      ID_HMAC_KEY: Buffer.alloc(32, 2).toString('base64'),
    };
    expect(graphiqlOn(loadConfig({ NODE_ENV: 'production', ...keys }))).toBe(false);
    expect(graphiqlOn(loadConfig({ NODE_ENV: 'production', GRAPHIQL: 'true', ...keys }))).toBe(true);
    expect(graphiqlOn(loadConfig({ NODE_ENV: 'development' }))).toBe(true);
    expect(graphiqlOn(loadConfig({ NODE_ENV: 'development', GRAPHIQL: 'false' }))).toBe(false);
    expect(() => loadConfig({ NODE_ENV: 'development', GRAPHIQL: 'yes' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'development', GRAPHIQL: 'yes' })).toThrow(/GRAPHIQL/);
  });
});

describe('the workbench assets', () => {
  it('are served under their hashed names, cached for a year; the page names them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'workbench-'));
    try {
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ js: 'workbench-ABC123.js', css: 'workbench-DEF456.css' }));
      writeFileSync(join(dir, 'workbench-ABC123.js'), 'console.log("workbench")');
      writeFileSync(join(dir, 'workbench-DEF456.css'), 'body{}');
      const app = express();
      mountWorkbench(app, { enabled: true, log: pino({ level: 'silent' }), assetDir: dir });
      const page = await request(app).get('/graphql').set('accept', 'text/html');
      expect(page.status).toBe(200);
      expect(page.text).toContain('<script src="/workbench/assets/workbench-ABC123.js"></script>');
      expect(page.text).toContain('href="/workbench/assets/workbench-DEF456.css"');
      const js = await request(app).get('/workbench/assets/workbench-ABC123.js');
      expect(js.status).toBe(200);
      expect(js.headers['content-type']).toMatch(/javascript/);
      expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(js.headers.etag).toBeDefined();
      expect((await request(app).get('/workbench/assets/missing.js')).status).toBe(404);
      expect([403, 404]).toContain((await request(app).get('/workbench/assets/../../package.json')).status);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('say how to build them when they are missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'workbench-'));
    try {
      const app = express();
      mountWorkbench(app, { enabled: true, log: pino({ level: 'silent' }), assetDir: dir });
      const page = await request(app).get('/graphql').set('accept', 'text/html');
      expect(page.status).toBe(503);
      expect(page.text).toContain('npm run build');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
