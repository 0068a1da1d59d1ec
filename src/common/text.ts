import { BadInputError } from './errors';

/** Free text from input: trimmed; empty is null; longer than `max` is BAD_USER_INPUT naming the field. */
export function optionalText(field: string, v: string | null | undefined, max: number): string | null {
  const s = (v ?? '').trim();
  if (!s) return null;
  if (s.length > max) throw new BadInputError(field, `must be at most ${max} characters`);
  return s;
}

/** As optionalText, and empty is BAD_USER_INPUT ("is required"). */
export function requiredText(field: string, v: string | null | undefined, max: number): string {
  const s = optionalText(field, v, max);
  if (!s) throw new BadInputError(field, 'is required');
  return s;
}
