/**
 * `npm run bench:profile -- file <x.cpuprofile> <requests>` summarises a profile written elsewhere the same way.
 *
 * `npm run bench:profile -- [agents|stock|trivial] [seconds] [dir|raw]`: one build's server (`dist`
 * unless said), or with `raw` the hand-written endpoint of `npm run bench` (bench/raw-server.ts), on
 * the data set `npm run bench` leaves in bench_http, under 10 closed-loop connections of one query,
 * with V8's sampling CPU profiler on. Prints the server's CPU per request (from /proc, the profiler's
 * own cost included) and where its sampled time went: self time per package (or per file of this
 * project) and the heaviest functions. The `.cpuprofile` stays in /tmp/agentnet-profile for Chrome's
 * DevTools.
 *
 * The profiler samples on a wall clock: a sample taken while the thread is inside a system call is
 * charged to that call (`writeBuffer`, `writev`: the socket writes to MariaDB and to the client),
 * even when the kernel has switched to another process meanwhile (a write to MariaDB wakes its
 * thread, which may run on this core at once). The line "sampled, not idle" against the CPU from
 * /proc shows how much of that there is.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { benchDbUrl, benchEnv, graphqlLoad, RAW_SERVER, rawLoad, startFlags, startServer } from './http-common';
import { cpuTicks } from './proc-cpu';

const [which = 'stock', secondsArg = '10', dir = 'dist'] = process.argv.slice(2);
const OUT = '/tmp/agentnet-profile';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a script belongs: a package name, a file of this project, node's own, or V8's markers. */
function owner(url: string, fn: string): string {
  if (!url) return `(${fn || 'anonymous'})`;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return url;
  const d = url.indexOf('/dist/');
  return d >= 0 ? url.slice(d + 6) : url;
}

function summarise(p: Profile, requests: number): void {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const perOwner = new Map<string, number>();
  const perFn = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const o = owner(n.callFrame.url, n.callFrame.functionName);
    perOwner.set(o, (perOwner.get(o) ?? 0) + us);
    const f = `${n.callFrame.functionName || '(anonymous)'} ${o}:${n.callFrame.lineNumber + 1}`;
    perFn.set(f, (perFn.get(f) ?? 0) + us);
  }
  const show = (title: string, m: Map<string, number>, top: number) => {
    console.log(`\n${title} (µs a request, share of sampled time)`);
    for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${(us / requests).toFixed(1).padStart(8)}  ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`);
    }
  };
  const idle = (perOwner.get('((idle))') ?? 0) + (perOwner.get('((program))') ?? 0);
  console.log(`sampled, not idle: ${((total - idle) / requests / 1000).toFixed(3)} ms a request`);
  show('self time by owner', perOwner, 30);
  show('self time by function', perFn, 40);
}

async function main() {
  if (which === 'file') {
    // `bench:profile -- file <x.cpuprofile> <requests>`: a profile another benchmark wrote (bench:parts
    // with BENCH_SERVER_NODE_FLAGS="--cpu-prof --cpu-prof-dir=..."), per request of its own count.
    summarise(JSON.parse(readFileSync(secondsArg, 'utf8')) as Profile, Number(dir));
    return;
  }
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const raw = dir === 'raw';
  const script = raw ? RAW_SERVER : [path.resolve(dir, 'src/index.js')];
  const env = { ...benchEnv(benchDbUrl()), NODE_PATH: path.resolve('node_modules'), TS_NODE_TRANSPILE_ONLY: 'true' };
  // The hand-written endpoint has no /ready: any answer says it listens.
  const { proc, port } = await startServer([...startFlags(), '--cpu-prof', `--cpu-prof-dir=${OUT}`, ...script], raw ? '/none' : '/ready', env);
  const base = `http://127.0.0.1:${port}`;
  const opts = raw ? rawLoad(base, which, 10) : await graphqlLoad(base, which, 10);
  const warm = await autocannon({ ...opts, duration: 3 });
  const t0 = cpuTicks(proc.pid!);
  const run = await autocannon({ ...opts, duration: Number(secondsArg) });
  const cpuMs = (cpuTicks(proc.pid!) - t0) * 10;
  if (run.non2xx || run.errors) throw new Error(`${run.non2xx} non-2xx answers, ${run.errors} errors`);
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill(raw ? 'SIGTERM' : 'SIGINT');
  await exited;
  console.log(
    `${which}${raw ? ' (raw endpoint)' : ''}: ${Math.round(run.requests.average)} req/s, ${(cpuMs / run.requests.total).toFixed(3)} ms server CPU a request (${run.requests.total} requests, p50 ${run.latency.p50} ms)`,
  );
  const file = readdirSync(OUT).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no profile was written');
  // The profile spans start-up, the warm-up and the stop too: its per-request figures divide by every
  // request it saw, so they run a little above the measured CPU a request.
  summarise(JSON.parse(readFileSync(path.join(OUT, file), 'utf8')) as Profile, warm.requests.total + run.requests.total);
  console.log(`\nprofile: ${path.join(OUT, file)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
