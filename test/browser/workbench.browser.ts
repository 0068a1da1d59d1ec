/// <reference lib="dom" />
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { Browser, Page } from 'puppeteer-core';
import { createApp, App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { projectRoot } from '../../src/workbench/workbench';

/**
 * The workbench as a user meets it, in Debian's Chromium: open http://127.0.0.1:<port>/, log in as
 * the demo finance clerk, pick "Subsidy totals by region for 2025" from the examples, run it and
 * read the result pane; open the docs explorer. Every request the page makes is intercepted: one
 * to any other host than 127.0.0.1 fails the test (the page must work offline).
 */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

let app: App;
let browser: Browser;
let page: Page;
const requested: { method: string; url: string }[] = [];
const outside: string[] = [];
const problems: string[] = [];

beforeAll(async () => {
  const manifest = join(projectRoot(), 'dist', 'workbench', 'manifest.json');
  if (!existsSync(manifest)) throw new Error(`${manifest} is missing: run npm run build first`);
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  // The demo data (SQLite in memory), as `npm start` seeds it: the examples have something to show.
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: 'sqlite::memory:', SEED: 'demo', PORT: '0' });
  app = await createApp(config);
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage();
  // The page's CSP would block a request to another host before it is made; without it, the
  // interception below sees every request the page's code tries (the CSP header is checked apart).
  await page.setBypassCSP(true);
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    const url = req.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return void req.continue();
    requested.push({ method: req.method(), url });
    if (new URL(url).hostname !== '127.0.0.1') {
      outside.push(url);
      return void req.abort('blockedbyclient');
    }
    return void req.continue();
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(`console: ${msg.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err instanceof Error ? err.message : String(err)}`));
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** The text of a GraphiQL (CodeMirror 5) editor. */
function editorText(selector: string): Promise<string> {
  return page.$eval(`${selector} .CodeMirror`, (el) => (el as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue());
}

async function waitForEditor(selector: string, test: (text: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + 20000;
  let text = '';
  while (Date.now() < deadline) {
    text = await editorText(selector).catch(() => '');
    if (test(text)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: the editor ${selector} holds ${JSON.stringify(text.slice(0, 500))}`);
}

it('opens at /, logs in, runs an example operation and shows its result, all from 127.0.0.1', async () => {
  const res = await page.goto(`${app.url}/`, { waitUntil: 'networkidle0' });
  expect(new URL(res!.url()).pathname).toBe('/graphql');
  expect(res!.headers()['content-security-policy']).toContain("connect-src 'self'");

  // Before logging in, the examples are listed but no schema is asked for.
  await page.waitForSelector('form[aria-label="Log in"]');
  await page.waitForSelector('button[data-example="finance/subsidy-totals-by-region"]');
  const apiCalls = () => requested.filter((r) => r.method === 'POST' && r.url.endsWith('/graphql')).length;
  const posts = apiCalls();

  await page.type('input[name=username]', 'finance');
  await page.type('input[name=password]', 'demo-password');
  await page.click('form[aria-label="Log in"] button[type=submit]');
  await page.waitForSelector('[data-testid=wb-user]');
  expect(await page.$eval('[data-testid=wb-user]', (el) => el.textContent)).toBe('finance');
  // The token is kept for the browser session only.
  const stored = await page.evaluate(() => ({ session: sessionStorage.getItem('agentnet.workbench.session'), local: JSON.stringify(localStorage) }));
  expect(JSON.parse(stored.session!).token).toMatch(/^ey/);
  expect(stored.local).not.toContain(JSON.parse(stored.session!).token);
  expect(posts).toBe(0);

  await page.waitForSelector('button[data-example="finance/subsidy-totals-by-region"]');
  await page.click('button[data-example="finance/subsidy-totals-by-region"]');
  await waitForEditor('.graphiql-query-editor', (t) => t.includes('query SubsidyTotalsByRegion'), 'the example was not loaded');
  await page.click('.graphiql-execute-button');
  const result = await waitForEditor('.graphiql-response', (t) => t.includes('subsidyTotals'), 'no result');

  // The pane shows what the API answers the same operation with, by region (沙市 among them).
  const shown = JSON.parse(result);
  expect(shown.errors).toBeUndefined();
  const login = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation { login(username: "finance", password: "demo-password") { token } }' }),
  }).then((r) => r.json() as Promise<any>);
  const direct = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${login.data.login.token}` },
    body: JSON.stringify({ query: '{ subsidyTotals(from: "2025-01", to: "2025-12", groupBy: REGION) { key label entries amountFen } }' }),
  }).then((r) => r.json() as Promise<any>);
  expect(direct.data.subsidyTotals.length).toBeGreaterThan(1);
  expect(shown.data.subsidyTotals).toEqual(direct.data.subsidyTotals);
  expect(shown.data.subsidyTotals.map((t: { label: string }) => t.label)).toContain('沙市');

  // The docs explorer has the schema (introspection, with the token).
  await page.click('button[aria-label="Show Documentation Explorer"]');
  await page.waitForFunction(() => document.querySelector('.graphiql-plugin')?.textContent?.includes('Root Types'), { timeout: 20000 });
  await page.waitForFunction(() => document.querySelector('.graphiql-plugin')?.textContent?.includes('Query'), { timeout: 20000 });

  expect(outside).toEqual([]);
  expect(problems).toEqual([]);
  // Sanity: the interception saw the page's own requests (the page, its script and style, the API).
  expect(requested.some((r) => r.url.includes('/workbench/assets/') && r.url.endsWith('.js'))).toBe(true);
  expect(apiCalls()).toBeGreaterThanOrEqual(3); // login, introspection, the example
});
