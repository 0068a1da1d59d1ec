import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, BaseContext, HeaderMap, HTTPGraphQLResponse } from '@apollo/server';

/**
 * POSTed JSON GraphQL requests, nearly all of the API's traffic, straight from node:http to Apollo
 * through its documented integration entry point (`executeHTTPGraphQLRequest`), the same one
 * `@as-integrations/express5` calls. In the profile of a small query, Express's router, body-parser
 * (with raw-body, type-is, content-type, iconv-lite, on-finished) and the Express integration took
 * about a quarter of the server's time; what they did for these requests is a few lines here.
 *
 * Only requests this reads exactly as body-parser did are taken: POST to the GraphQL path, a JSON
 * media type, no charset but UTF-8, no content encoding. Everything else (GET queries, compressed
 * or differently encoded bodies, other media types) returns false and goes on to Express, which
 * keeps the same Apollo server behind `express.json`.
 */
export interface GraphqlHttpOptions<C extends BaseContext> {
  apollo: ApolloServer<C>;
  /** The path Apollo answers on, e.g. "/graphql". */
  path: string;
  /** The JSON media types whose bodies are read (lower case). */
  mediaTypes: string[];
  /** Largest body read, in bytes: a larger one is refused with 413. */
  maxBodyBytes: number;
  /** Checked on the parsed body before Apollo: an error message makes a 400 BAD_USER_INPUT naming the body. */
  checkBody?: (body: unknown) => string | null;
  context: (req: IncomingMessage, res: ServerResponse) => Promise<C>;
  /** Called when a request is taken; what it returns is called once the answer is written (the request log). */
  track?: (req: IncomingMessage, res: ServerResponse) => () => void;
  /** An unexpected failure while answering (answered with 500). */
  onError: (err: unknown) => void;
  /**
   * At most this many requests executed and answered at once; the next wait, first come first
   * served, once their bodies are read (0: no limit). See `Gate`.
   */
  maxRunning?: number;
  /** How long a request may wait for a place before it is answered 503 RETRY_LATER (0: no limit). */
  maxWaitMs?: number;
  /** Called for each request answered 503 because it waited maxWaitMs (counted as a refusal). */
  onShed?: (req: IncomingMessage) => void;
}

/**
 * A first-come-first-served limit on the requests being executed at once. Without it, every request
 * that arrives is started at once and they advance together: under a burst (an open-loop client with
 * 64 connections) each one lives as long as the whole burst takes, its objects survive the young
 * generation's collections and are promoted, and the old generation is marked and compacted two or
 * three times a second instead of once every few seconds. On the agents page at 64 connections the
 * server's CPU per request was nearly twice that at 10 (GC a fifth of its time), so a server that
 * fell behind for a moment had less capacity than before and stayed behind. The ones admitted
 * finish quickly. The limit must stay well above what the pool and the database answer in
 * parallel, or it becomes the bottleneck itself: at an offered 600 agents pages a second (about
 * 70 % of the closed-loop rate) 16 kept pace with p99 0.29-0.30 s, 32 with p99 23-89 ms, no limit
 * fell behind (p50 0.17 and 0.85 s).
 *
 * A request enters once its body is read (a client trickling its body holds its own socket, never
 * a place), and waits at most `maxWaitMs`: then it is answered 503 RETRY_LATER, so a server that
 * cannot keep up sheds what it cannot answer in time instead of queueing without end.
 */
export class Gate {
  private running = 0;
  private readonly waiting: ({ resolve: ((entered: boolean) => void) | null; timer?: NodeJS.Timeout } | undefined)[] = [];
  private head = 0;
  /** Waiters that gave up (timed out) but are still in the array. */
  private gaveUp = 0;
  constructor(
    readonly limit: number,
    readonly maxWaitMs = 0,
  ) {}
  /**
   * Undefined when the caller may start now; else a promise of true when it may start, or false
   * when it waited maxWaitMs (it must then not start). A caller that started must call `leave` once.
   */
  enter(): Promise<boolean> | undefined {
    if (this.running < this.limit) {
      this.running++;
      return undefined;
    }
    return new Promise((resolve) => {
      const waiter: { resolve: ((entered: boolean) => void) | null; timer?: NodeJS.Timeout } = { resolve };
      if (this.maxWaitMs > 0) {
        waiter.timer = setTimeout(() => {
          waiter.resolve = null;
          this.gaveUp++;
          resolve(false);
        }, this.maxWaitMs);
      }
      this.waiting.push(waiter);
    });
  }
  leave(): void {
    while (this.head < this.waiting.length) {
      const next = this.waiting[this.head]!;
      this.waiting[this.head++] = undefined;
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      if (!next.resolve) {
        this.gaveUp--;
        continue;
      }
      clearTimeout(next.timer);
      next.resolve(true); // the place passes on: running stays the same
      return;
    }
    this.running--;
  }
  /** Requests waiting for a place. */
  get queued(): number {
    return this.waiting.length - this.head - this.gaveUp;
  }
}

class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The query string ("" or "?...") of a request this handler takes (see GraphqlHttpOptions: POST,
 * JSON, UTF-8, not encoded), or null for one it leaves to Express.
 */
function searchIfTaken(req: IncomingMessage, path: string, mediaTypes: string[]): string | null {
  if (req.method !== 'POST') return null;
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const pathname = q < 0 ? url : url.slice(0, q);
  if (pathname !== path && pathname !== `${path}/`) return null;
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return null;
  const type = req.headers['content-type'];
  if (!type) return null;
  const [essence, ...params] = type.split(';');
  if (!mediaTypes.includes(essence.trim().toLowerCase())) return null;
  for (const p of params) {
    const [name, value = ''] = p.split('=');
    if (name.trim().toLowerCase() === 'charset' && value.trim().replace(/^"|"$/g, '').toLowerCase() !== 'utf-8') return null;
  }
  return q < 0 ? '' : url.slice(q);
}

/** The body as parsed JSON; a BodyError with 413 when over the limit, 400 when not a JSON object or array. */
function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      reject(new BodyError(413, `The request body is larger than the limit of ${limit} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        reject(new BodyError(413, `The request body is larger than the limit of ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    // A request whose client went away before its body was read (one that waited at the gate) is
    // destroyed with its body: no 'end' comes.
    let ended = false;
    req.on('close', () => {
      if (!ended && !over) reject(new BodyError(400, 'The connection closed before the request body was read'));
    });
    req.on('end', () => {
      ended = true;
      if (over) return;
      const text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)).toString('utf8');
      // As body-parser: an empty body is an empty object (Apollo then says what is missing); the
      // body must be an object or an array.
      if (text.trim() === '') return resolve({});
      const first = text.trimStart()[0];
      if (first !== '{' && first !== '[') return reject(new BodyError(400, 'The request body must be a JSON object or array'));
      try {
        resolve(JSON.parse(text));
      } catch (err) {
        reject(new BodyError(400, `The request body is not valid JSON: ${(err as Error).message}`));
      }
    });
  });
}

/** An error answer naming the body; BAD_REQUEST (Apollo's code for a malformed request) unless said. */
function refuse(res: ServerResponse, status: number, message: string, opts: { close?: boolean; code?: string; field?: string | null } = {}): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  if (opts.close) res.setHeader('connection', 'close');
  const field = opts.field === undefined ? 'body' : opts.field;
  res.end(JSON.stringify({ errors: [{ message, extensions: { code: opts.code ?? 'BAD_REQUEST', ...(field ? { field } : {}) } }] }));
}

async function write(res: ServerResponse, answer: HTTPGraphQLResponse): Promise<void> {
  for (const [key, value] of answer.headers) res.setHeader(key, value);
  res.statusCode = answer.status ?? 200;
  if (answer.body.kind === 'complete') {
    // Encoded once, here: given the string, Node measured it for the length, then copied it behind
    // the headers and encoded that (an agents page is 25 kB: about 60 kB of garbage a request).
    // The metrics read the size from the header.
    const bytes = Buffer.from(answer.body.string, 'utf8');
    res.setHeader('content-length', bytes.length);
    res.end(bytes);
    return;
  }
  for await (const chunk of answer.body.asyncIterator) res.write(chunk);
  res.end();
}

/** A request handler that answers what it takes and returns true, or returns false and leaves the request alone. */
export function graphqlHttp<C extends BaseContext>(opts: GraphqlHttpOptions<C>): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { apollo, path, mediaTypes, maxBodyBytes, checkBody, context, track, onError } = opts;
  const gate = opts.maxRunning ? new Gate(opts.maxRunning, opts.maxWaitMs ?? 0) : undefined;
  const handle = async (req: IncomingMessage, res: ServerResponse, search: string, answered: (() => void) | undefined) => {
    let entered = false;
    try {
      let body: unknown;
      try {
        body = await readJson(req, maxBodyBytes);
      } catch (err) {
        if (!(err instanceof BodyError)) throw err;
        // Over the limit: answer without reading the rest, and close the connection after.
        refuse(res, err.status, err.message, { close: err.status === 413 });
        return;
      }
      const problem = checkBody?.(body);
      if (problem) {
        refuse(res, 400, problem, { code: 'BAD_USER_INPUT' });
        return;
      }
      if (gate) {
        const wait = gate.enter();
        entered = wait ? await wait : true;
        if (!entered) {
          opts.onShed?.(req);
          res.setHeader('retry-after', '1');
          refuse(res, 503, 'The server is too busy to answer now: send the request again shortly', { code: 'RETRY_LATER', field: null });
          return;
        }
        // Gone while it waited: nobody to answer.
        if (res.destroyed) return;
      }
      const headers = new HeaderMap();
      for (const key in req.headers) {
        const value = req.headers[key];
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const answer = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers, search, body },
        context: () => context(req, res),
      });
      await write(res, answer);
    } catch (err) {
      onError(err);
      if (!res.headersSent) refuse(res, 500, 'Internal server error', { code: 'INTERNAL_SERVER_ERROR' });
      else res.destroy();
    } finally {
      if (entered) gate!.leave();
      answered?.();
    }
  };
  return (req, res) => {
    const search = searchIfTaken(req, path, mediaTypes);
    if (search === null) return false;
    void handle(req, res, search, track?.(req, res));
    return true;
  };
}
