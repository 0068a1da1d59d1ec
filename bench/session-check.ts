/**
 * The per-request cost of the session check (issue 18): a token verified from the cache alone, and
 * with the session check answered from its cache; one cache miss (a SELECT by id); and a small
 * authenticated request over HTTP for scale. `npx ts-node --transpile-only bench/session-check.ts`
 * (TEST_DATABASE_URL for MariaDB). Figures: README, Operating it.
 */
import 'reflect-metadata';
import http from 'node:http';
import { startTestApp } from '../test/helpers/app';
import { verifyToken } from '../src/common/auth';
import { SessionGuard, sessionGuard } from '../src/modules/identity/sessions';

async function main() {
  const t = await startTestApp();
  const token = await t.token('admin');
  const secret = t.config.jwtSecret;
  const guard = sessionGuard(t.app.ds);
  const user = await verifyToken(token, secret);
  await guard.check(user);
  const N = 200_000;
  for (const [label, fn] of [
    ['verifyToken (cached) alone', async () => verifyToken(token, secret)],
    ['verifyToken + session check (cached)', async () => guard.check(await verifyToken(token, secret))],
  ] as const) {
    for (let i = 0; i < 20_000; i++) await fn();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) await fn();
    console.log(`${label}: ${(Number(process.hrtime.bigint() - t0) / N).toFixed(0)} ns/request`);
  }
  const uncached = new SessionGuard(t.app.ds, 0);
  const M = 2000;
  const t1 = process.hrtime.bigint();
  for (let i = 0; i < M; i++) await uncached.check(user);
  console.log(`session check, cache miss (one SELECT by id): ${(Number(process.hrtime.bigint() - t1) / M / 1000).toFixed(0)} µs`);
  // A small authenticated request end to end, for scale.
  const agent = new http.Agent({ keepAlive: true });
  const body = JSON.stringify({ query: '{ regions { code } }' });
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        `${t.app.url.replace('127.0.0.1', '127.0.0.1')}/graphql`,
        { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } },
        (res) => {
          res.resume();
          res.on('end', () => resolve());
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  for (let i = 0; i < 300; i++) await one();
  const K = 2000;
  const t2 = process.hrtime.bigint();
  for (let i = 0; i < K; i++) await one();
  console.log(`{ regions { code } } over HTTP, sequential: ${(Number(process.hrtime.bigint() - t2) / K / 1000).toFixed(0)} µs/request`);
  agent.destroy();
  await t.stop();
}
main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
