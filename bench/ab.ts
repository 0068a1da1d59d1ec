/**
 * `npm run bench:ab -- <dirA> <dirB> [agents|stock|trivial] [rounds]`: two builds of the server side
 * by side on the data set `npm run bench` leaves in bench_http, driven at the same time by two
 * autocannon instances (5 connections each, 8 s after a 2 s warm-up), so both see the same machine
 * load. Reports each server's CPU time per request (from /proc/<pid>/stat) and their ratio B/A per
 * round, then each build's heap allocation per request over a separate run (the inspector's
 * sampling heap profiler, collected objects included), which does not depend on the machine's load.
 *
 * A build is a `tsc` output directory, e.g. `npx tsc -p tsconfig.json --outDir /tmp/before` on the
 * old commit and `dist` for the working tree. On this 2-vCPU machine two identical builds give
 * ratios of 0.88-1.04 for the shelf and about ±7 % for the agents page: read several rounds.
 */
import { spawn, ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { benchDbUrl, benchEnv, graphqlLoad, startFlags } from './http-common';
import { cpuTicks } from './proc-cpu';

const [dirA, dirB, which = 'agents', roundsArg = '3'] = process.argv.slice(2);
if (!dirA || !dirB) {
  console.error('usage: npm run bench:ab -- <dirA> <dirB> [agents|stock|trivial] [rounds]');
  process.exit(2);
}
const env = {
  ...benchEnv(benchDbUrl()),
  // A build outside the checkout (e.g. /tmp/before) finds this checkout's packages.
  NODE_PATH: path.resolve('node_modules'),
};
/**
 * BENCH_AB_ENV_A / BENCH_AB_ENV_B: more environment for one side only, "NAME=value,NAME=value", to
 * compare one build with a setting on and off (e.g. METRICS=false against METRICS_TOKEN=…).
 */
const sideEnv = (raw: string | undefined): Record<string, string> =>
  Object.fromEntries(
    (raw ?? '')
      .split(',')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );

/** Samples every allocation of about 8 kB, collected ones included; SIGUSR2 starts, then stops and prints the total. */
const HEAP_SAMPLER = `
const s = new (require('node:inspector').Session)(); s.connect(); s.post('HeapProfiler.enable'); let on = false;
process.on('SIGUSR2', () => {
  if (!on) { on = true; s.post('HeapProfiler.startSampling', { samplingInterval: 8192, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }); return; }
  s.post('HeapProfiler.stopSampling', (e, r) => { let t = 0; (function w(n) { t += n.selfSize; n.children.forEach(w); })(r.profile.head); process.stderr.write('ALLOCATED ' + t + '\\n'); });
});`;

async function start(dir: string, port: number, sampler = false, extra: Record<string, string> = {}): Promise<{ proc: ChildProcess; stderr: () => string }> {
  const args = [
    ...startFlags(),
    ...(sampler ? ['-e', `${HEAP_SAMPLER}; require(${JSON.stringify(path.resolve(dir, 'src/index.js'))})`] : [path.resolve(dir, 'src/index.js')]),
  ];
  const proc = spawn(process.execPath, args, { env: { ...env, ...extra, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => (err += String(d)));
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/ready`)).ok) return { proc, stderr: () => err };
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${dir} did not start: ${err}`);
}

const target = (port: number) => graphqlLoad(`http://127.0.0.1:${port}`, which, 5);

async function main() {
  const rounds = Number(roundsArg);
  const a = await start(dirA, 4755, false, sideEnv(process.env.BENCH_AB_ENV_A));
  const b = await start(dirB, 4756, false, sideEnv(process.env.BENCH_AB_ENV_B));
  const [ta, tb] = [await target(4755), await target(4756)];
  await Promise.all([autocannon({ ...ta, duration: 2 }), autocannon({ ...tb, duration: 2 })]);
  for (let r = 0; r < rounds; r++) {
    const [a0, b0] = [cpuTicks(a.proc.pid!), cpuTicks(b.proc.pid!)];
    const [ra, rb] = await Promise.all([autocannon({ ...ta, duration: 8 }), autocannon({ ...tb, duration: 8 })]);
    const cpuA = ((cpuTicks(a.proc.pid!) - a0) * 10) / ra.requests.total;
    const cpuB = ((cpuTicks(b.proc.pid!) - b0) * 10) / rb.requests.total;
    console.log(
      `${which} round ${r + 1}: A ${Math.round(ra.requests.average)} req/s ${cpuA.toFixed(3)} ms CPU/req | B ${Math.round(rb.requests.average)} req/s ${cpuB.toFixed(3)} ms CPU/req | B/A ${(cpuB / cpuA).toFixed(3)}`,
    );
  }
  a.proc.kill();
  b.proc.kill();

  for (const [name, dir, extra] of [
    ['A', dirA, process.env.BENCH_AB_ENV_A],
    ['B', dirB, process.env.BENCH_AB_ENV_B],
  ] as const) {
    const s = await start(dir, 4757, true, sideEnv(extra));
    const t = await target(4757);
    await autocannon({ ...t, duration: 2 });
    s.proc.kill('SIGUSR2');
    await new Promise((r) => setTimeout(r, 300));
    const run = await autocannon({ ...t, duration: 6 });
    s.proc.kill('SIGUSR2');
    for (let i = 0; i < 50 && !/ALLOCATED (\d+)/.test(s.stderr()); i++) await new Promise((r) => setTimeout(r, 100));
    const bytes = Number(/ALLOCATED (\d+)/.exec(s.stderr())![1]);
    console.log(`${which} ${name}: ${(bytes / run.requests.total / 1024).toFixed(1)} kB allocated per request (${run.requests.total} requests)`);
    s.proc.kill();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
