/**
 * Diagnostic, not part of `npm run bench`: one GraphQL server (the compiled `dist`, its own
 * process, `npm start`'s flags) on the data `npm run bench` leaves in bench_http, driven through a
 * plan of steps, each printing the rate, latencies and the server's CPU per request:
 *   cN:S  closed loop, N connections for S seconds (autocannon)
 *   rR:S  open loop at R requests a second for S seconds (bench/fixed-rate.ts)
 *   i:S   idle for S seconds
 * DIAG_PLAN (default c10:8,c64:8,c10:8), DIAG_ENV (the server's extra environment, "A=1,B=2"),
 * DIAG_FLAGS (its extra node flags, e.g. --trace-gc), DIAG_GC (a file for its stdout).
 * Issue 25: `DIAG_ENV=GRAPHQL_MAX_RUNNING=0 DIAG_PLAN=c10:6,c10:6,r600:10,c64:6` against 32.
 *
 *   flock /tmp/bench.lock npx ts-node --swc bench/diag-rate.ts
 */
import autocannon from 'autocannon';
import { fixedRate } from './fixed-rate';
import { benchDbUrl, benchEnv, graphqlLoad, startFlags, startServer } from './http-common';
import { cpuTicks as ticks } from './proc-cpu';

async function main() {
  const flags = (process.env.DIAG_FLAGS || '').split(/\s+/).filter(Boolean);
  const extra = process.env.DIAG_ENV ? Object.fromEntries(process.env.DIAG_ENV.split(',').map((kv) => kv.split('='))) : {};
  const t0 = Date.now();
  const { proc, port } = await startServer(
    [...startFlags(), ...flags, 'dist/src/index.js'],
    '/ready',
    { ...benchEnv(benchDbUrl()), ...extra },
    process.env.DIAG_GC,
  );
  const target = await graphqlLoad(`http://127.0.0.1:${port}`, 'agents', 10);
  for (const step of (process.env.DIAG_PLAN || 'c10:8,c64:8,c10:8').split(',')) {
    const [kind, secs] = step.split(':');
    const c0 = ticks(proc.pid!);
    const s0 = Date.now();
    let line: string;
    if (kind.startsWith('c')) {
      const r = await autocannon({ ...target, connections: Number(kind.slice(1)), duration: Number(secs) });
      line = `${r.requests.total} req, ${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} p99 ${r.latency.p99}, ${(((ticks(proc.pid!) - c0) * 10) / r.requests.total).toFixed(2)} ms CPU/req`;
    } else if (kind.startsWith('r')) {
      const r = await fixedRate(target, Number(kind.slice(1)), Number(secs));
      line = `${r.rps} req/s p50 ${r.p50} p99 ${r.p99} err ${r.errors}, ${(((ticks(proc.pid!) - c0) * 10) / (r.rps * Number(secs))).toFixed(2)} ms CPU/req`;
    } else {
      await new Promise((r) => setTimeout(r, Number(secs) * 1000));
      line = 'idle';
    }
    console.log(`${step} [server t ${((s0 - t0) / 1000).toFixed(1)}-${((Date.now() - t0) / 1000).toFixed(1)} s]: ${line}`);
  }
  proc.kill();
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
