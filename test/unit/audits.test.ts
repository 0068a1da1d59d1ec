import { drawHash, drawHashSql, drawKey, HASH_MODULUS } from '../../src/modules/audits/audits.sql';
import { riskPoints } from '../../src/modules/audits/risk.service';
import { countsWithinWindow } from '../../src/modules/audits/penalty.service';

// The driver the app uses for SQLite; it ships no type declarations.

const Database: new (file: string) => { prepare(sql: string): { get(...params: unknown[]): unknown }; close(): void } = require('better-sqlite3');

describe('draw hash', () => {
  it('is the same number in SQL as in JavaScript, within range', () => {
    const db = new Database(':memory:');
    for (const seed of [0, 1, 42, 2147483646]) {
      const stmt = db.prepare(`SELECT ${drawHashSql('x.id', seed)} AS h FROM (SELECT CAST(? AS INTEGER) AS id) x`);
      for (const id of [1, 2, 3, 999, 123456, 2147483647]) {
        const h = (stmt.get(id) as { h: number }).h;
        expect(h).toBe(drawHash(id, seed));
        expect(h).toBeGreaterThanOrEqual(0);
        expect(h).toBeLessThan(HASH_MODULUS);
      }
    }
    db.close();
  });

  it('refuses a seed that could overflow the arithmetic', () => {
    expect(() => drawHashSql('id', -1)).toThrow();
    expect(() => drawHashSql('id', HASH_MODULUS)).toThrow();
    expect(() => drawHashSql('id', 1.5)).toThrow();
  });

  it('spreads consecutive ids evenly and depends on the seed', () => {
    const buckets = new Array(10).fill(0);
    for (let id = 1; id <= 20000; id++) buckets[Math.floor((drawHash(id, 5) / HASH_MODULUS) * 10)]++;
    for (const b of buckets) expect(Math.abs(b - 2000)).toBeLessThan(200);
    const top = (seed: number) =>
      new Set(
        Array.from({ length: 5000 }, (_, i) => i + 1)
          .sort((a, b) => drawHash(a, seed) - drawHash(b, seed))
          .slice(0, 500),
      );
    // Neighbouring seeds too: ~50 of 500 in common by chance.
    for (const [x, y] of [
      [1, 2],
      [42, 43],
      [1, 1000],
    ]) {
      const a = top(x);
      const b = top(y);
      expect([...a].filter((id) => b.has(id)).length).toBeLessThan(80);
    }
  });

  it('risk-weighted keys favour higher risk in proportion to the weight', () => {
    // Two agents' records interleaved: 1000 each, risk 0 (weight 10) and risk 20 (weight 30); draw 200.
    const records = Array.from({ length: 2000 }, (_, i) => ({ id: i + 1, risk: i % 2 ? 20 : 0 }));
    const drawn = records
      .map((r) => ({ ...r, k: drawKey('RISK_WEIGHTED', r.id, r.risk, 77) }))
      .sort((x, y) => y.k - x.k)
      .slice(0, 200);
    const risky = drawn.filter((r) => r.risk === 20).length;
    expect(risky).toBeGreaterThan(130);
    expect(risky).toBeLessThan(170);
  });
});

describe('riskPoints', () => {
  const none = { auditedItems: 0, failedItems: 0, recentRecords: 0, flaggedRecords: 0, ageDays: 400 };
  it('is 0 for an old agent with a clean record and 20 for a brand-new one', () => {
    expect(riskPoints(none).score).toBe(0);
    expect(riskPoints({ ...none, ageDays: 0 })).toEqual({ findingPoints: 0, flagPoints: 0, newnessPoints: 20, score: 20 });
  });
  it('steps newness down at 30, 60 and 90 days', () => {
    expect([29, 30, 59, 60, 89, 90].map((ageDays) => riskPoints({ ...none, ageDays }).newnessPoints)).toEqual([20, 13, 13, 7, 7, 0]);
  });
  it('weighs failed audits up to 50 and flags up to 30, smoothed for small samples', () => {
    expect(riskPoints({ ...none, auditedItems: 1, failedItems: 1 }).findingPoints).toBe(41); // 125 / 3
    expect(riskPoints({ ...none, auditedItems: 10, failedItems: 2 }).findingPoints).toBe(20); // 250 / 12
    expect(riskPoints({ ...none, auditedItems: 4, failedItems: 4 }).findingPoints).toBe(50);
    expect(riskPoints({ ...none, recentRecords: 100, flaggedRecords: 10 }).flagPoints).toBe(5); // 600 / 102
    expect(riskPoints({ ...none, recentRecords: 10, flaggedRecords: 10 }).flagPoints).toBe(30);
    expect(riskPoints({ auditedItems: 2, failedItems: 2, recentRecords: 2, flaggedRecords: 2, ageDays: 1 }).score).toBe(100);
  });
});

describe('countsWithinWindow', () => {
  const day = 86400_000;
  it('counts each instant with those in the window before it', () => {
    expect(countsWithinWindow([0, 10 * day, 80 * day, 90 * day, 91 * day, 300 * day], 90 * day)).toEqual([1, 2, 3, 4, 4, 1]);
    expect(countsWithinWindow([5, 5, 5], day)).toEqual([1, 2, 3]);
    expect(countsWithinWindow([], day)).toEqual([]);
  });
});
