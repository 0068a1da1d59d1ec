import { EntityManager } from 'typeorm';
import { isMysql } from '../../common/db';

/**
 * The few spots where SQLite and MariaDB spell things differently. Everything else in this module
 * is plain SQL both accept.
 */
export function dialect(em: EntityManager) {
  const my = isMysql(em);
  return {
    /** Smaller of two values (SQLite's scalar min(), MariaDB's LEAST()). */
    least: (a: string, b: string) => (my ? `LEAST(${a}, ${b})` : `MIN(${a}, ${b})`),
    /** Integer division, exact on both. */
    idiv: (a: string, b: string) => (my ? `((${a}) DIV (${b}))` : `((${a}) / (${b}))`),
    insertIgnore: my ? 'INSERT IGNORE' : 'INSERT OR IGNORE',
  };
}

/** 2^31 - 1, a prime: every intermediate product below stays under 2^62, exact in both databases' 64-bit integers. */
export const HASH_MODULUS = 2147483647;

export function assertSeed(seed: number): number {
  if (!Number.isSafeInteger(seed) || seed < 0 || seed >= HASH_MODULUS) throw new Error(`seed ${seed} out of range`);
  return seed;
}

/**
 * A per-record pseudo-random number in [0, 2^31 - 1) from the record id and the batch seed: a
 * multiplicative step (shifted by the scrambled seed) and a square-and-add round modulo a prime. It is pure integer arithmetic
 * (every product stays below 2^62), so SQLite, MariaDB and JavaScript compute exactly the same
 * value, and the draw does not depend on the order rows are scanned (which RAND(seed) would).
 * One round is enough: the spread over buckets and between seeds is that of a random permutation
 * (test/unit/audits.test.ts), and it keeps the per-row cost of a million-row draw low.
 * The seed is a validated integer written into the SQL as a literal.
 */
export function drawHashSql(idColumn: string, seed: number): string {
  assertSeed(seed);
  const m = HASH_MODULUS;
  const x0 = `((${idColumn}) * 48271 + ${seedOffset(seed)}) % ${m}`;
  return `(((${x0}) * (${x0}) + ${seed}) % ${m})`;
}

/** The seed scrambled before it shifts the ids: with the seed itself, seeds 1 and 2 drew overlapping samples. */
function seedOffset(seed: number): number {
  return Number((BigInt(seed) * 69621n + 12345n) % BigInt(HASH_MODULUS));
}

/** The same number, computed in JavaScript (tests, and explaining a draw). */
export function drawHash(id: number, seed: number): number {
  assertSeed(seed);
  const m = BigInt(HASH_MODULUS);
  const x0 = (BigInt(id) * 48271n + BigInt(seedOffset(seed))) % m;
  return Number((x0 * x0 + BigInt(seed)) % m);
}

/** Sampling weight of a record whose agent has this risk score: 10 (score 0) to 110 (score 100). */
export const riskWeightSql = (riskScoreSql: string) => `(10 + ${riskScoreSql})`;
export const riskWeight = (riskScore: number) => 10 + riskScore;
export const MAX_RISK_WEIGHT = riskWeight(100);

/**
 * The sort key of a draw, larger first; it grows with the hash in both strategies, which is what
 * lets the draw skip rows whose hash is too small to be drawn (see createAuditBatch).
 * RANDOM: the hash itself. RISK_WEIGHTED: Efraimidis–Spirakis weighted sampling without
 * replacement, ln(u) / w with u = (hash + 0.5) / m in (0, 1): taking the largest keys draws each
 * next record with probability proportional to its weight.
 */
export function drawKeySql(strategy: 'RANDOM' | 'RISK_WEIGHTED', hashSql: string, riskScoreSql: string): string {
  if (strategy === 'RANDOM') return hashSql;
  return `(LN((${hashSql} + 0.5) / ${HASH_MODULUS}.0) / ${riskWeightSql(riskScoreSql)})`;
}

export function drawKey(strategy: 'RANDOM' | 'RISK_WEIGHTED', id: number, riskScore: number, seed: number): number {
  const h = drawHash(id, seed);
  if (strategy === 'RANDOM') return h;
  return Math.log((h + 0.5) / HASH_MODULUS) / riskWeight(riskScore);
}

/** The largest key a record with a hash below `hashFloor` can have, whatever its weight. */
export function keyBound(strategy: 'RANDOM' | 'RISK_WEIGHTED', hashFloor: number): number {
  if (strategy === 'RANDOM') return hashFloor - 1;
  return Math.log((hashFloor + 0.5) / HASH_MODULUS) / MAX_RISK_WEIGHT;
}
