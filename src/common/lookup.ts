import { BadInputError } from './errors';

/**
 * A single-object query that takes its object by id or by a business key (code, SKU): exactly one
 * of the two. Returns which was given, trimmed; BAD_USER_INPUT naming both otherwise.
 */
export function idOrKey(
  id: string | null | undefined,
  keyName: string,
  key: string | null | undefined,
): { by: 'id'; value: string } | { by: 'key'; value: string } {
  const hasId = id !== null && id !== undefined;
  const hasKey = key !== null && key !== undefined;
  if (hasId === hasKey) {
    throw new BadInputError(hasId ? keyName : 'id', `give exactly one of id and ${keyName}${hasId ? ', not both' : ''}`);
  }
  if (hasId) return { by: 'id', value: id };
  const value = key!.trim();
  if (!value) throw new BadInputError(keyName, 'must not be blank');
  return { by: 'key', value };
}
