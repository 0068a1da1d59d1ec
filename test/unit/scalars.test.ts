import { DateTime, isoString } from '../../src/common/scalars';

describe('DateTime serialization', () => {
  // Date.UTC reads years 0 to 99 as 1900 to 1999, so the ends of the range are written as instants.
  const YEAR_0 = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
  const YEAR_10000 = 253_402_300_800_000; // +010000-01-01T00:00:00.000Z
  const DAY = 86_400_000;

  it('writes what toISOString writes, over instants across years 0 to 9999 and just outside', () => {
    const fixed = [
      0,
      -1,
      1,
      YEAR_0,
      YEAR_0 - 1,
      YEAR_10000,
      YEAR_10000 - 1,
      Date.UTC(2000, 1, 29),
      Date.UTC(1900, 1, 28, 23, 59, 59, 999),
      Date.UTC(2024, 11, 31, 23, 59, 59, 1),
    ];
    // A fixed-seed generator: the same instants every run.
    let seed = 20261128;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const from = YEAR_0 - 2 * DAY;
    const span = YEAR_10000 + 2 * DAY - from;
    const instants = [...fixed, ...Array.from({ length: 300_000 }, () => Math.floor(from + next() * span))];
    const wrong = instants.filter((t) => isoString(new Date(t)) !== new Date(t).toISOString());
    expect(wrong).toEqual([]);
  });

  it('leaves years outside 0 to 9999 to toISOString', () => {
    expect(isoString(new Date(YEAR_10000))).toBe('+010000-01-01T00:00:00.000Z');
    expect(isoString(new Date(YEAR_0 - 1))).toBe('-000001-12-31T23:59:59.999Z');
    expect(isoString(new Date(YEAR_0))).toBe('0000-01-01T00:00:00.000Z');
  });

  it('serializes dates, and refuses invalid ones as graphql-scalars does', () => {
    expect(DateTime.serialize(new Date('2026-11-28T08:09:10.011Z'))).toBe('2026-11-28T08:09:10.011Z');
    expect(() => DateTime.serialize(new Date(NaN))).toThrow(/invalid Date/);
  });
});
