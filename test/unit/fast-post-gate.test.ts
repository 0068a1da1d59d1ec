import { Gate } from '../../src/runtime/http/fast-post';

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
