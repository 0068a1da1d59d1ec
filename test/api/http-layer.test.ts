import { gzipSync } from 'node:zlib';
import http from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startTestApp, TestApp, PASSWORD } from '../helpers/app';

/**
 * The HTTP layer in front of Apollo: POSTed JSON goes straight to Apollo (src/runtime/http/fast-post.ts),
 * everything else through Express to the same server. Both ways must answer alike: request ids,
 * body limits and errors, batches, the client's address behind a loopback proxy.
 */
let t: TestApp;
let admin: string;
/** The app's log lines (info and up). */
const lines: Record<string, any>[] = [];
beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l));
      done();
    },
  });
  t = await startTestApp({}, { logger: pino({ level: 'info' }, sink) });
  admin = await t.token('admin');
});
afterAll(() => t.stop());

const ME = { query: '{ me { username } }' };

/** A raw request, for bodies supertest would rewrite (chunked, gzip, exact bytes). */
function raw(opts: {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  chunks?: (string | Buffer)[];
}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${t.app.url}${opts.path ?? '/graphql'}`, { method: opts.method ?? 'POST', headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    for (const c of opts.chunks ?? []) req.write(c);
    req.end();
  });
}

describe('request ids', () => {
  it('echoes a well-formed x-request-id and makes one otherwise, on POST and on GET', async () => {
    const post = await t.http().post('/graphql').set('content-type', 'application/json').set('x-request-id', 'abc-123.X').send(ME);
    expect(post.headers['x-request-id']).toBe('abc-123.X');
    const made = await t.http().post('/graphql').set('content-type', 'application/json').set('x-request-id', 'bad id!').send(ME);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const get = await t.http().get('/graphql').query({ query: '{ __typename }' }).set('x-request-id', 'get-1');
    expect(get.status).toBe(200);
    expect(get.body.data.__typename).toBe('Query');
    expect(get.headers['x-request-id']).toBe('get-1');
    const health = await t.http().get('/health');
    expect(health.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('request log', () => {
  it('writes one line per answered request with its id and status, never the token', async () => {
    await t.http().post('/graphql').set('content-type', 'application/json').set('authorization', `Bearer ${admin}`).set('x-request-id', 'log-1').send(ME);
    await t.http().get('/graphql').query({ query: '{ __typename }' }).set('x-request-id', 'log-2');
    await t.http().get('/health').set('x-request-id', 'log-3');
    await new Promise((r) => setTimeout(r, 50));
    const mine = (id: string) => lines.filter((l) => l.req?.id === id);
    for (const id of ['log-1', 'log-2']) {
      expect(mine(id)).toHaveLength(1);
      expect(mine(id)[0]).toMatchObject({
        msg: 'request completed',
        res: { statusCode: 200 },
        req: { method: expect.any(String), url: expect.stringMatching(/^\/graphql/) },
      });
      expect(typeof mine(id)[0].responseTime).toBe('number');
    }
    expect(mine('log-3')).toHaveLength(0);
    expect(JSON.stringify(lines)).not.toContain(admin);
  });
});

describe('bodies', () => {
  it('answers JSON with a charset, and the GraphQL response media type', async () => {
    const a = await raw({ headers: { 'content-type': 'application/json; charset=UTF-8', authorization: `Bearer ${admin}` }, chunks: [JSON.stringify(ME)] });
    expect(a.status).toBe(200);
    expect(JSON.parse(a.body).data.me.username).toBe('admin');
    const b = await raw({ headers: { 'content-type': 'application/graphql-response+json', authorization: `Bearer ${admin}` }, chunks: [JSON.stringify(ME)] });
    expect(JSON.parse(b.body).data.me.username).toBe('admin');
  });

  it('reads a body sent in several chunks', async () => {
    const text = JSON.stringify({ query: '{ me { username } }', variables: { pad: 'x'.repeat(200_000) } });
    const res = await raw({
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, 'transfer-encoding': 'chunked' },
      chunks: [text.slice(0, 7), Buffer.from(text.slice(7, 100_000)), text.slice(100_000)],
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).data.me.username).toBe('admin');
  });

  it('refuses malformed JSON and bodies that are not an object or array with 400 naming the body', async () => {
    for (const body of ['{"query": ', '"{ me { id } }"', '42', 'query { me { id } }']) {
      const res = await raw({ headers: { 'content-type': 'application/json' }, chunks: [body] });
      expect(res.status).toBe(400);
      const err = JSON.parse(res.body).errors[0];
      expect(err.extensions).toMatchObject({ code: 'BAD_REQUEST', field: 'body' });
    }
  });

  it('refuses a body over 1 MB with 413, announced or chunked, and keeps serving', async () => {
    const big = JSON.stringify({ query: '{ me { id } }', variables: { pad: 'x'.repeat(1_100_000) } });
    const announced = await raw({ headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) }, chunks: [big] }).catch(
      (err: NodeJS.ErrnoException) => ({ status: err.code, headers: {}, body: '' }),
    );
    // The server answers before reading the rest and closes; the client may see the answer or the reset.
    expect([413, 'ECONNRESET', 'EPIPE']).toContain(announced.status);
    const chunked = await raw({
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      chunks: [big.slice(0, 600_000), big.slice(600_000)],
    }).catch((err: NodeJS.ErrnoException) => ({ status: err.code, headers: {}, body: '' }));
    expect([413, 'ECONNRESET', 'EPIPE']).toContain(chunked.status);
    const after = await t.gql('{ me { username } }', {}, admin);
    expect(after.data.me.username).toBe('admin');
  });

  it('takes a gzip-compressed body (through Express) the same as a plain one', async () => {
    const res = await raw({
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${admin}` },
      chunks: [gzipSync(JSON.stringify(ME))],
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).data.me.username).toBe('admin');
  });

  it('refuses a charset other than UTF-8 with 415', async () => {
    const res = await raw({ headers: { 'content-type': 'application/json; charset=latin1' }, chunks: [JSON.stringify(ME)] });
    expect(res.status).toBe(415);
  });

  it('refuses a batch over the limit both ways', async () => {
    const six = JSON.stringify(Array(6).fill(ME));
    const plain = await raw({ headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, chunks: [six] });
    const zipped = await raw({
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${admin}` },
      chunks: [gzipSync(six)],
    });
    for (const res of [plain, zipped]) {
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).errors[0]).toMatchObject({
        message: expect.stringMatching(/at most 5 operations/),
        extensions: { code: 'BAD_USER_INPUT', field: 'body' },
      });
    }
  });
});

describe('the client address', () => {
  it('is the TCP peer, whatever X-Forwarded-For says, unless TRUST_PROXY names the proxy (login-limits.test.ts)', async () => {
    const login = { query: 'mutation($u:String!,$p:String!){ login(username:$u,password:$p){ token } }', variables: { u: 'admin', p: PASSWORD } };
    const res = await raw({ headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.7' }, chunks: [JSON.stringify(login)] });
    expect(JSON.parse(res.body).data.login.token).toBeTruthy();
    const rows: { ip: string }[] = await t.app.ds.query(`SELECT ip FROM login_attempt ORDER BY id DESC LIMIT 1`);
    expect(rows[0].ip).toMatch(/127\.0\.0\.1|::1/);
  });
});
