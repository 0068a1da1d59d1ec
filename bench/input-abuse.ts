/**
 * The reproductions of issue 17's input faults, against an app on an in-memory SQLite database
 * (or TEST_DATABASE_URL): a ~930 kB recordStocktake whose 30,000 `lines` all fail coercion, sent
 * without a token, with one, and three at once while /health is asked; then variables nested
 * 50,000 levels deep. Prints each answer's status, size and time.
 *   npx ts-node --transpile-only bench/input-abuse.ts
 */
import 'reflect-metadata';
import { startTestApp } from '../test/helpers/app';

const QUERY = 'mutation($i: StocktakeInput!) { recordStocktake(input: $i) { id } }';

function badStocktake(items: number): string {
  // Each item misses its partId and its countedQuantity: two coercion errors, 32 bytes.
  const lines = Array.from({ length: items }, () => ({ partId: null, reason: 'xxxx' }));
  return JSON.stringify({ query: QUERY, variables: { i: { locationId: '1', lines } } });
}

async function post(url: string, body: string, token?: string) {
  const started = performance.now();
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  const text = await res.text();
  return { status: res.status, bytes: text.length, ms: Math.round(performance.now() - started), head: text.slice(0, 160) };
}

async function main() {
  const t = await startTestApp();
  const url = t.app.url;
  try {
    const token = await t.userToken('AGENCY_STAFF');
    const body = badStocktake(30_000);
    console.log(`body: ${body.length} bytes`);
    await post(url, badStocktake(10), token); // warm-up: the first request of a process compiles its path
    console.log('no token  ', await post(url, body));
    console.log('with token', await post(url, body, token));
    const health: number[] = [];
    let running = true;
    const poll = (async () => {
      while (running) {
        const s = performance.now();
        const ok = await fetch(`${url}/health`).then(
          (r) => r.ok,
          () => false,
        );
        health.push(ok ? Math.round(performance.now() - s) : Infinity);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const three = await Promise.all([post(url, body, token), post(url, body, token), post(url, body, token)]);
    running = false;
    await poll;
    console.log(
      'three at once',
      three.map((r) => ({ status: r.status, ms: r.ms, bytes: r.bytes })),
      `/health max ${Math.max(...health)} ms over ${health.length} polls (Infinity: failed)`,
    );
    const thousand = badStocktake(1000);
    console.log('1,000 bad items, with token (coercion stops after 10 errors)', await post(url, thousand, token));
    // Written as text: JSON.stringify itself cannot nest this deep.
    const deep = `{"query":${JSON.stringify(QUERY)},"variables":{"i":${'{"locationId":"1","lines":['.repeat(25_000)}1${']}'.repeat(25_000)}}}`;
    console.log(`deep body: ${deep.length} bytes`);
    console.log('50,000 deep', await post(url, deep, token));
    console.log('50,000 deep, no token', await post(url, deep));
  } finally {
    await t.stop();
  }
}

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
