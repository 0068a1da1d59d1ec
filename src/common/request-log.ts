import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { RequestStats } from './request-stats';

/**
 * A request's id and logger, and one line when it is answered: what pino-http gave, without its
 * per-request child logger. pino serializes a child's bindings when the child is made, and
 * pino-http made one for every request (its request serializer and redaction included) whether
 * anything logged or not: about a tenth of the server's time on a small query in the profile.
 * Here the child is made on first use, and the closing line is written only when its level is on.
 */
export interface RequestLog {
  /** The caller's x-request-id when it is a plain token of at most 64 characters, else a new UUID; sent back as x-request-id. */
  readonly id: string;
  /** A child logger bound to the request (made on first use). */
  readonly log: Logger;
}

/**
 * The URL as logged: the path, and of the query string only its parameter names. A GET request's
 * query string carries the GraphQL document and its variables (identity numbers in filters, a
 * password in a refused GET login) and an export's filters; none of their values are logged.
 */
export function redactUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const q = url.indexOf('?');
  if (q < 0) return url;
  const names = new Set<string>();
  for (const pair of url.slice(q + 1).split('&')) {
    const name = pair.split('=')[0];
    // Names only when they look like names (a value smuggled into a key stays out too).
    if (name && /^[\w.[\]-]{1,32}$/.test(name)) names.add(name);
  }
  return `${url.slice(0, q)}?${[...names].map((n) => `${n}=[redacted]`).join('&')}`;
}

const REQUEST_LOG = Symbol('requestLog');
type Tagged = IncomingMessage & { [REQUEST_LOG]?: RequestLog };

class RequestLogImpl implements RequestLog {
  readonly id: string;
  private child?: Logger;
  private readonly started = Date.now();
  /** As received: Express rewrites req.url under a mount path. */
  private readonly url: string | undefined;

  constructor(
    private readonly base: Logger,
    private readonly req: IncomingMessage,
    private readonly stats?: RequestStats,
  ) {
    const given = req.headers['x-request-id'];
    this.id = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    this.url = req.url;
  }

  get log(): Logger {
    return (this.child ??= this.base.child({ req: this.describe() }));
  }

  private describe() {
    const { method, socket } = this.req;
    return { id: this.id, method, url: redactUrl(this.url), remoteAddress: socket?.remoteAddress, remotePort: socket?.remotePort };
  }

  /** The closing line: `request completed` at info, or `request errored` at error for a 5xx. */
  finished(res: ServerResponse): void {
    this.stats?.record(res.statusCode);
    const failed = res.statusCode >= 500;
    const level = failed ? 'error' : 'info';
    if (!this.base.isLevelEnabled(level)) return;
    const line = { req: this.describe(), res: { statusCode: res.statusCode }, responseTime: Date.now() - this.started };
    if (failed) this.base.error(line, 'request errored');
    else this.base.info(line, 'request completed');
  }
}

/**
 * Starts a request's log: sets x-request-id on the response and keeps the log on the request
 * (requestLog). `quiet` requests (health checks) get no closing line and are not counted in
 * `stats` (GET /status's last minute). With `onFinish` false the
 * caller calls the returned function when it has answered (one listener fewer per request);
 * otherwise the line is written on the response's finish or close.
 */
export function startRequestLog(
  base: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  opts: { quiet?: boolean; onFinish?: boolean; stats?: RequestStats } = {},
): () => void {
  const entry = new RequestLogImpl(base, req, opts.stats);
  (req as Tagged)[REQUEST_LOG] = entry;
  res.setHeader('x-request-id', entry.id);
  let done = opts.quiet === true;
  const finish = () => {
    if (done) return;
    done = true;
    entry.finished(res);
  };
  if (opts.onFinish !== false && !done) {
    res.once('finish', finish);
    res.once('close', finish);
  }
  return finish;
}

/** The log startRequestLog kept on the request. */
export function requestLog(req: IncomingMessage): RequestLog | undefined {
  return (req as Tagged)[REQUEST_LOG];
}
