import { BadInputError } from './errors';

/** GraphQL IDs are decimal strings of our integer keys. */
export function parseId(value: string | number | null | undefined, field = 'id'): number {
  const s = String(value ?? '');
  if (!/^[1-9]\d{0,15}$/.test(s)) throw new BadInputError(field, `is not a valid id: "${s}"`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new BadInputError(field, 'is out of range');
  return n;
}

export function parseOptionalId(value: string | number | null | undefined, field = 'id'): number | null {
  return value === null || value === undefined ? null : parseId(value, field);
}

export function parseIds(values: (string | number)[], field = 'ids'): number[] {
  return values.map((v, i) => parseId(v, `${field}.${i}`));
}
