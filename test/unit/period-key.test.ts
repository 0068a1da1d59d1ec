import { periodKeyOf, periodOf } from '../../src/common/period';

describe('periodKeyOf', () => {
  it('is periodOf(date).key, Shanghai month boundaries included', () => {
    const instants = [
      '2024-02-29T15:59:59.999Z', // 23:59:59.999 on 29 February in Shanghai
      '2024-02-29T16:00:00.000Z', // 00:00 on 1 March in Shanghai
      '2023-12-31T16:00:00.000Z',
      '2025-07-15T03:00:00.000Z',
    ].map((s) => new Date(s));
    for (const d of instants) expect(periodKeyOf(d)).toBe(periodOf(d).key);
    expect(periodKeyOf(instants[0])).toBe('2024-02');
    expect(periodKeyOf(instants[1])).toBe('2024-03');
  });
});
