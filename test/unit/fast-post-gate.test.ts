import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gate, graphqlHttp } from '../../src/runtime/http/fast-post';

describe('fast-post Gate (GRAPHQL_MAX_RUNNING)', () => {
  it('admits up to its limit at once, then one per leave, first come first served', async () => {
    const gate = new Gate(2);
    expect(gate.enter()).toBeUndefined();
    expect(gate.enter()).toBeUndefined();
    const order: number[] = [];
    const waits = [3, 4, 5].map((n) => gate.enter()!.then(() => order.push(n)));
    expect(gate.queued).toBe(3);
    gate.leave();
    await waits[0];
    expect(order).toEqual([3]);
    gate.leave();
    gate.leave();
    await Promise.all(waits);
    expect(order).toEqual([3, 4, 5]);
    expect(gate.queued).toBe(0);
    // Five entered, three left: two running, and two leaves free both slots.
    gate.leave();
    gate.leave();
    expect(gate.enter()).toBeUndefined();
    expect(gate.enter()).toBeUndefined();
    expect(gate.enter()).toBeInstanceOf(Promise);
  });

  it('keeps its queue bounded while many pass through', async () => {
    const gate = new Gate(1);
    expect(gate.enter()).toBeUndefined();
    let passed = 0;
    const all: Promise<void>[] = [];
    for (let i = 0; i < 5000; i++) all.push(gate.enter()!.then(() => void passed++));
    for (let i = 0; i < 5000; i++) {
      gate.leave();
      await Promise.resolve();
    }
    await Promise.all(all);
    expect(passed).toBe(5000);
    expect(gate.queued).toBe(0);
  });
});

describe('Gate with a longest wait', () => {
  it('a waiter that waited maxWaitMs gets false, leaves the queue, and a later leave passes over it', async () => {
    const gate = new Gate(1, 50);
    expect(gate.enter()).toBeUndefined();
    const late = gate.enter()!;
    expect(gate.queued).toBe(1);
    expect(await late).toBe(false);
    expect(gate.queued).toBe(0);
    const next = gate.enter()!;
    gate.leave(); // the place passes to `next`, not to the waiter that gave up
    expect(await next).toBe(true);
    gate.leave();
    expect(gate.enter()).toBeUndefined();
  });
});

describe('graphqlHttp with GRAPHQL_MAX_RUNNING 1 and GRAPHQL_MAX_WAIT_MS 200, over real HTTP', () => {
  // A stand-in for Apollo whose answers wait until the test lets them go.
  const releases: (() => void)[] = [];
  const apollo = {
    executeHTTPGraphQLRequest: () =>
      new Promise((resolve) =>
        releases.push(() =>
          resolve({ status: 200, headers: new Map([['content-type', 'application/json']]), body: { kind: 'complete', string: '{"data":{}}' } }),
        ),
      ),
  };
  let server: http.Server;
  let url = '';
  let shed = 0;
  beforeAll(async () => {
    const handler = graphqlHttp({
      apollo: apollo as never,
      path: '/graphql',
      mediaTypes: ['application/json'],
      maxBodyBytes: 1000,
      context: async () => ({}),
      onError: () => undefined,
      maxRunning: 1,
      maxWaitMs: 200,
      onShed: () => void shed++,
    });
    server = http.createServer((req, res) => {
      if (!handler(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const post = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ a }"}' });
  const until = async (cond: () => boolean) => {
    while (!cond()) await new Promise((r) => setTimeout(r, 5));
  };

  it('answers 503 RETRY_LATER to a request that waited too long, and the place serves the next one once free', async () => {
    const first = post();
    await until(() => releases.length === 1);
    const started = Date.now();
    const second = await post();
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('1');
    expect((await second.json()).errors[0].extensions.code).toBe('RETRY_LATER');
    expect(shed).toBe(1); // counted as a refusal (limit "busy") by the app
    releases.shift()!();
    expect((await first).status).toBe(200);
    const third = post();
    await until(() => releases.length === 1);
    releases.shift()!();
    expect((await third).status).toBe(200);
  });

  it('a client trickling its body holds no place: the next request is answered meanwhile', async () => {
    const slow = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '17' } });
    slow.on('error', () => undefined);
    slow.write('{"query"'); // and the rest never comes
    await new Promise((r) => setTimeout(r, 50));
    const next = post();
    await until(() => releases.length === 1);
    releases.shift()!();
    expect((await next).status).toBe(200);
    slow.destroy();
  });
});
