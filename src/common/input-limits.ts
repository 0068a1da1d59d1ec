/**
 * The shape of what a client sends, checked on the parsed JSON before anything walks it
 * recursively (variable coercion, the cost check, logging): nesting deeper than any input type
 * has, or a list longer than any input takes, is a 400 naming the limit. 50,000 nested levels
 * used to overflow the stack in coercion and answer 500.
 */
export const INPUT_LIMITS = {
  /** Levels of nested objects and lists in a request body (a batch, its variables, an input's lists). */
  maxDepth: 32,
  /**
   * Items in any one list of the variables: twice the largest maximum an input documents
   * (submitRegistrations' records, 1,000), so a list just over its own maximum is refused by that
   * field's check, naming the field.
   */
  maxListLength: 2000,
};

/** Null when the value is within the limits, else a message saying which limit it passes. Iterative: never recurses. */
export function inputShapeProblem(value: unknown, limits = INPUT_LIMITS): string | null {
  if (value === null || typeof value !== 'object') return null;
  const stack: { v: object; depth: number }[] = [{ v: value, depth: 1 }];
  while (stack.length) {
    const { v, depth } = stack.pop()!;
    if (depth > limits.maxDepth) return `The request nests values more than ${limits.maxDepth} levels deep`;
    if (Array.isArray(v)) {
      if (v.length > limits.maxListLength) return `A list in the request holds ${v.length} items; no list may hold more than ${limits.maxListLength}`;
      for (const item of v) if (item !== null && typeof item === 'object') stack.push({ v: item, depth: depth + 1 });
    } else {
      for (const key in v) {
        const item = (v as Record<string, unknown>)[key];
        if (item !== null && typeof item === 'object') stack.push({ v: item, depth: depth + 1 });
      }
    }
  }
  return null;
}
