import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import express, { Express, Request } from 'express';
import type { Logger } from 'pino';

/**
 * The GraphQL workbench: a self-hosted GraphiQL (bundled at build time by
 * scripts/build-workbench.ts into dist/workbench/) at GET /graphql for a browser, with a login form
 * and the example operations of docs/operations/<role>/. Nothing it serves loads anything from
 * another host: the page's Content-Security-Policy allows this origin only.
 */

export interface ExampleOperation {
  /** The folder under docs/operations, e.g. "finance". */
  role: string;
  /** The file name without .graphql, e.g. "subsidy-totals-by-region". */
  name: string;
  /** The file's first comment line, e.g. "Subsidy totals by region for 2025". */
  title: string;
  query: string;
  /** The contents of <name>.variables.json beside it, when there is one. */
  variables?: string;
}

export interface WorkbenchManifest {
  js: string;
  css: string;
}

/** Roles in the order the picker shows them, with the demo user that can run their examples. */
export const EXAMPLE_ROLES: { role: string; label: string; demoUser: string }[] = [
  { role: 'agency-staff', label: 'Agency staff', demoUser: 'staff' },
  { role: 'auditor', label: 'Auditor', demoUser: 'auditor' },
  { role: 'after-sales', label: 'After-sales', demoUser: 'aftersales' },
  { role: 'repair-shop', label: 'Repair shop', demoUser: 'shop1' },
  { role: 'finance', label: 'Finance', demoUser: 'finance' },
];

/** The directory holding package.json, from src/workbench (ts-node, jest) or dist/src/workbench (built). */
export function projectRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}

export function loadOperations(dir: string): ExampleOperation[] {
  if (!existsSync(dir)) return [];
  const known = EXAMPLE_ROLES.map((r) => r.role);
  const roles = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort((a, b) => (known.indexOf(a) + 1 || 99) - (known.indexOf(b) + 1 || 99) || a.localeCompare(b));
  const ops: ExampleOperation[] = [];
  for (const role of roles) {
    for (const file of readdirSync(join(dir, role))
      .filter((f) => f.endsWith('.graphql'))
      .sort()) {
      const name = file.slice(0, -'.graphql'.length);
      const query = readFileSync(join(dir, role, file), 'utf8');
      const title = /^#\s*(.+)$/m.exec(query)?.[1].trim() ?? name;
      const varsFile = join(dir, role, `${name}.variables.json`);
      const variables = existsSync(varsFile) ? readFileSync(varsFile, 'utf8') : undefined;
      if (variables !== undefined) JSON.parse(variables); // a broken example fails the start, not the click
      ops.push({ role, name, title, query, variables });
    }
  }
  return ops;
}

export function readManifest(assetDir: string): WorkbenchManifest | null {
  const file = join(assetDir, 'manifest.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as WorkbenchManifest) : null;
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // GraphiQL and its menus set style attributes from script.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function page(manifest: WorkbenchManifest): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>agentnet · GraphQL workbench</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/workbench/assets/${manifest.css}">
</head>
<body>
<div id="workbench"></div>
<script src="/workbench/assets/${manifest.js}"></script>
</body>
</html>
`;
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>agentnet · workbench not built</title></head>
<body><p>The GraphQL workbench is not built: run <code>npm run build</code> and restart the server.</p></body></html>
`;

/** A browser navigating to /graphql (HTML preferred over JSON), not a GET query. */
function wantsPage(req: Request): boolean {
  if (typeof req.query.query === 'string') return false;
  return req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

export interface WorkbenchOptions {
  /** config.graphiql: on unless NODE_ENV=production, where GRAPHIQL=true turns it on. */
  enabled: boolean;
  log: Logger;
  /** Defaults: <root>/dist/workbench and <root>/docs/operations. */
  assetDir?: string;
  operationsDir?: string;
}

/** Mounts GET /, GET /graphql (the page, for browsers), the assets and the examples; before Apollo's /graphql. */
export function mountWorkbench(app: Express, options: WorkbenchOptions): void {
  if (!options.enabled) return;
  const root = projectRoot();
  const assetDir = options.assetDir ?? join(root, 'dist', 'workbench');
  const manifest = readManifest(assetDir);
  if (!manifest) options.log.warn({ assetDir }, 'the GraphQL workbench is not built (npm run build): GET /graphql shows how to build it');
  const operations = loadOperations(options.operationsDir ?? join(root, 'docs', 'operations'));
  const examples = JSON.stringify({ roles: EXAMPLE_ROLES, operations });
  const examplesEtag = `"${createHash('sha1').update(examples).digest('base64url')}"`;
  const html = manifest ? page(manifest) : NOT_BUILT;

  app.get('/', (_req, res) => res.redirect(302, '/graphql'));
  app.get(['/graphql', '/graphql/'], (req, res, next) => {
    if (!wantsPage(req)) return next();
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Vary', 'Accept');
    res
      .status(manifest ? 200 : 503)
      .type('html')
      .send(html);
  });
  app.get('/workbench/examples.json', (req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', examplesEtag);
    if (req.headers['if-none-match'] === examplesEtag) {
      res.status(304).end();
      return;
    }
    res.type('json').send(examples);
  });
  // File names carry a hash of their content (esbuild's [hash]): cached for a year, never revalidated.
  app.use('/workbench/assets', express.static(assetDir, { immutable: true, maxAge: '365d', index: false, fallthrough: false }));
}
