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
 * multiplicative step and two square-and-add rounds modulo a prime. It is pure integer arithmetic,
 * so SQLite and MariaDB compute exactly the same value as `drawHash` below, and the draw does not
 * depend on the order rows are scanned (which RAND(seed) would).
 * The seed is a validated integer written into the SQL as a literal.
 */
export function drawHashSql(idColumn: string, seed: number): string {
  assertSeed(seed);
  const m = HASH_MODULUS;
  const x0 = `((${idColumn}) * 48271 + ${seed}) % ${m}`;
  const x1 = `((${x0}) * (${x0}) + ${seed + 11}) % ${m}`;
  return `(((${x1}) * (${x1}) + (${idColumn})) % ${m})`;
}

/** The same number, computed in JavaScript (tests, and explaining a draw). */
export function drawHash(id: number, seed: number): number {
  assertSeed(seed);
  const m = BigInt(HASH_MODULUS);
  const i = BigInt(id);
  const s = BigInt(seed);
  const x0 = (i * 48271n + s) % m;
  const x1 = (x0 * x0 + s + 11n) % m;
  return Number((x1 * x1 + i) % m);
}

/** Sampling weight of a record whose agent has this risk score: 10 (score 0) to 110 (score 100). */
export const riskWeightSql = (riskScoreColumn: string) => `(10 + ${riskScoreColumn})`;
export const riskWeight = (riskScore: number) => 10 + riskScore;

/**
 * The sort key of a draw, larger first. RANDOM: the hash itself. RISK_WEIGHTED: Efraimidis–Spirakis
 * weighted sampling without replacement, ln(u) / w with u = (hash + 0.5) / m in (0, 1): taking the
 * largest keys draws each next record with probability proportional to its weight.
 */
export function drawKeySql(strategy: 'RANDOM' | 'RISK_WEIGHTED', idColumn: string, riskScoreColumn: string, seed: number): string {
  const h = drawHashSql(idColumn, seed);
  if (strategy === 'RANDOM') return `(0 - ${h})`;
  return `(LN((${h} + 0.5) / ${HASH_MODULUS}.0) / ${riskWeightSql(riskScoreColumn)})`;
}

export function drawKey(strategy: 'RANDOM' | 'RISK_WEIGHTED', id: number, riskScore: number, seed: number): number {
  const h = drawHash(id, seed);
  if (strategy === 'RANDOM') return -h;
  return Math.log((h + 0.5) / HASH_MODULUS) / riskWeight(riskScore);
}
