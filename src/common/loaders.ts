/** Order a batch result by the keys DataLoader asked for; a missing row is null. */
export function byKey<K, V>(keys: readonly K[], rows: V[], key: (row: V) => K): (V | null)[] {
  const map = new Map<K, V>();
  for (const row of rows) map.set(key(row), row);
  return keys.map((k) => map.get(k) ?? null);
}

/** Group a batch result by the keys DataLoader asked for (one-to-many); a key with no rows gets []. */
export function groupByKey<K, V>(keys: readonly K[], rows: V[], key: (row: V) => K): V[][] {
  const map = new Map<K, V[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return keys.map((k) => map.get(k) ?? []);
}
