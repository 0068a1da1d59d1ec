import { Column, ColumnOptions, ValueTransformer } from 'typeorm';
import { BadInputError } from './errors';

/** MySQL returns BIGINT as a string; we hand out integers and refuse anything outside the safe range. */
export const fenTransformer: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | number | null) => {
    if (v === null || v === undefined) return v;
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isSafeInteger(n)) throw new Error(`money value ${v} is not a safe integer`);
    return n;
  },
};

/** A money column: integer fen in a BIGINT. */
export function FenColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ type: 'bigint', transformer: fenTransformer, default: 0, ...options });
}

/** Convert whatever a raw aggregate returns (string, number, bigint, null) to integer fen. */
export function toFen(v: unknown): number {
  if (v === null || v === undefined) return 0;
  const n = typeof v === 'bigint' ? Number(v) : Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`aggregate ${String(v)} is not a whole number of fen`);
  return n;
}

/** A nullable fen column as read: null stays null (a cap not set), anything else as toFen. */
export function nullableFen(v: unknown): number | null {
  return v === null || v === undefined ? null : toFen(v);
}

export function assertFen(field: string, v: number, { allowZero = true, allowNegative = false } = {}): number {
  if (!Number.isSafeInteger(v)) throw new BadInputError(field, 'must be a whole number of fen');
  if (!allowNegative && v < 0) throw new BadInputError(field, 'must not be negative');
  if (!allowZero && v === 0) throw new BadInputError(field, 'must not be zero');
  return v;
}

/** 12345 fen -> "123.45" (yuan with two decimals, for exports). */
export function fenToYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
