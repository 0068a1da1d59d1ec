/**
 * A fixed offered rate: request i is due at start + i / rate, sent then whether or not earlier
 * answers have come (open loop), and its latency is measured from the moment it was due, so a
 * late send (a busy load generator, no free connection) counts against the server rather than
 * disappearing from the figures.
 *
 * autocannon, which drives the closed-loop measurements, has no such mode: its `overallRate` is a
 * per-second budget for each connection, which sends back to back until the second's quota is
 * used and then waits for the next second (a "heartbeat", mcollina/autocannon#174, still open),
 * and it corrects its latencies for coordinated omission with an expected interval of
 * `Math.ceil(1 / rate)` = 1 ms. Its "300 requests/s" was a burst of 300 at closed-loop speed at
 * the start of each second, not the steady rate the target names.
 *
 * The requests go through node:http's keep-alive Agent (up to `maxSockets` connections, reused),
 * the percentiles come from hdr-histogram-js (the histogram autocannon itself uses).
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import * as hdr from 'hdr-histogram-js';
import type autocannon from 'autocannon';

export interface FixedRateResult {
  /** Requests answered per second over the run. */
  rps: number;
  /** Latency percentiles in milliseconds, from each request's due time to its last byte. */
  p50: number;
  p99: number;
  /** Requests that failed, answered other than 2xx or took over `timeoutMs`. */
  errors: number;
  /**
   * The failures by what they were: `HTTP 503 RETRY_LATER` (the status and the first error code of
   * the body), `GraphQL BAD_USER_INPUT` (a 2xx whose body starts with errors), `ECONNRESET` (the
   * socket's error code), `timeout`. A 2xx carrying GraphQL errors is a failure too.
   */
  failures: Record<string, number>;
}

/** The first error code of a GraphQL answer's opening bytes, if it names one. */
function errorCode(head: string): string {
  return /"code"\s*:\s*"([A-Z_]+)"/.exec(head)?.[1] ?? 'no code';
}

/** What a run sends: the subset of autocannon's options the benchmark's cases use. */
type Target = Pick<autocannon.Options, 'url' | 'method' | 'headers' | 'body' | 'requests'>;

interface Prepared {
  path: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

function requestFor(target: Target, base: URL): Prepared {
  let req: Prepared = {
    path: `${base.pathname}${base.search}`,
    method: target.method ?? 'GET',
    headers: { ...((target.headers as Record<string, string>) ?? {}) },
    body: target.body as string | undefined,
  };
  const setup = target.requests?.[0]?.setupRequest as ((r: Prepared) => Prepared) | undefined;
  if (setup) req = setup(req);
  return req;
}

export async function fixedRate(
  target: Target,
  rate: number,
  seconds: number,
  opts: { maxSockets?: number; timeoutMs?: number; progress?: { sent: number; settled: number } } = {},
): Promise<FixedRateResult> {
  const base = new URL(target.url as string);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 64 });
  const timeoutMs = opts.timeoutMs ?? 10_000;
  // Microseconds, up to a minute, three significant digits.
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  let answered = 0;
  let errors = 0;
  let settled = 0;
  const failures: Record<string, number> = {};

  const send = (due: number) =>
    new Promise<void>((resolve) => {
      const r = requestFor(target, base);
      let finished = false;
      // Once per request: a failure can be reported by both the request and its response.
      const finish = (failure: string | null) => {
        if (finished) return;
        finished = true;
        if (failure === null) {
          answered++;
          histogram.recordValue(Math.max(1, Math.round((performance.now() - due) * 1000)));
        } else {
          errors++;
          failures[failure] = (failures[failure] ?? 0) + 1;
        }
        settled++;
        if (opts.progress) opts.progress.settled = settled;
        resolve();
      };
      const req = http.request(
        {
          host: base.hostname,
          port: base.port,
          path: r.path,
          method: r.method,
          headers: r.body === undefined ? r.headers : { ...r.headers, 'content-length': Buffer.byteLength(r.body) },
          agent,
          timeout: timeoutMs,
        },
        (res) => {
          // The opening bytes are enough to tell an error answer (GraphQL puts `errors` first).
          let head = '';
          res.on('data', (chunk: Buffer) => {
            if (head.length < 512) head += chunk.toString('utf8', 0, Math.min(chunk.length, 512));
          });
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) finish(`HTTP ${status} ${errorCode(head)}`);
            else if (/^\s*\{\s*"errors"/.test(head)) finish(`GraphQL ${errorCode(head)}`);
            else finish(null);
          });
          res.on('error', (err: NodeJS.ErrnoException) => finish(err.code ?? err.message));
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
      req.on('error', (err: NodeJS.ErrnoException) => finish(err.code ?? err.message));
      req.end(r.body);
    });

  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  await new Promise<void>((done) => {
    let next = 0;
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) {
        inFlight.push(send(start + next * interval));
        next++;
        if (opts.progress) opts.progress.sent = next;
      }
      if (next < total) setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
      else done();
    };
    tick();
  });
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  if (settled !== total) throw new Error(`fixed rate: ${settled} of ${total} requests settled`);
  const ms = (p: number) => Math.round(histogram.getValueAtPercentile(p) / 100) / 10;
  const result = { rps: Math.round(answered / elapsed), p50: ms(50), p99: ms(99), errors, failures };
  histogram.destroy();
  return result;
}
