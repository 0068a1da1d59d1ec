import { EntityManager } from 'typeorm';
import { AuthUser } from '../../common/auth';
import { isMysql } from '../../common/db';
import { BadInputError } from '../../common/errors';
import { parseId } from '../../common/ids';

/** One document names at most this many parts. */
export const MAX_LINES = 200;
/** A single line moves at most this many units (a typo guard, far above any real delivery). */
export const MAX_QUANTITY = 1_000_000;

export interface LineInput {
  partId: string | number;
  quantity: number;
}

export interface ParsedLine {
  /** Index in the input, for error fields. */
  index: number;
  partId: number;
  quantity: number;
}

export function parseQuantity(field: string, v: unknown, { allowZero = false, allowNegative = false } = {}): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new BadInputError(field, 'must be a whole number');
  if (!allowNegative && v < 0) throw new BadInputError(field, 'must not be negative');
  if (!allowZero && v === 0) throw new BadInputError(field, 'must not be zero');
  if (Math.abs(v) > MAX_QUANTITY) throw new BadInputError(field, `must be at most ${MAX_QUANTITY}`);
  return v;
}

/**
 * Lines as the services use them: ids parsed, quantities positive, each part once (a part named
 * twice is almost always a mistake in the caller's form, so it is refused rather than merged).
 */
export function parseLines<T extends { partId: string | number }>(
  field: string,
  lines: T[] | null | undefined,
  each: (line: T, prefix: string) => Record<string, unknown> = (l, p) => ({ quantity: parseQuantity(`${p}.quantity`, (l as unknown as LineInput).quantity) }),
): (ParsedLine & Record<string, unknown>)[] {
  if (!Array.isArray(lines) || lines.length === 0) throw new BadInputError(field, 'must have at least one line');
  if (lines.length > MAX_LINES) throw new BadInputError(field, `at most ${MAX_LINES} lines`);
  const seen = new Map<number, number>();
  return lines.map((line, index) => {
    const prefix = `${field}.${index}`;
    const partId = parseId(line?.partId, `${prefix}.partId`);
    const prev = seen.get(partId);
    if (prev !== undefined) throw new BadInputError(`${prefix}.partId`, `names the same part as ${field}.${prev}`);
    seen.set(partId, index);
    return { index, partId, quantity: 0, ...each(line, prefix) } as ParsedLine & Record<string, unknown>;
  });
}

/** Brand and model names compared the way people type them: case, spaces and dashes do not matter. */
export function matchKey(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** `INSERT IGNORE` (MySQL) or `INSERT OR IGNORE` (SQLite): insert unless the key exists. */
export function insertIgnore(em: EntityManager): string {
  return isMysql(em) ? 'INSERT IGNORE' : 'INSERT OR IGNORE';
}

/**
 * Integer division rounded half up, as SQL. MySQL divides integers exactly (DECIMAL); SQLite in
 * doubles, which is exact at the .5 boundaries for the magnitudes involved (< 2^52).
 */
export function roundDiv(em: EntityManager, num: string, den: string): string {
  return isMysql(em) ? `ROUND((${num}) / (${den}))` : `CAST(ROUND((${num}) * 1.0 / (${den})) AS INTEGER)`;
}

/** Documents and movements record who did it; null actor is the system (seeds). */
export function actorColumns(actor: AuthUser | null): { actorId: number | null; actorName: string | null } {
  return { actorId: actor?.id ?? null, actorName: actor?.username ?? null };
}
