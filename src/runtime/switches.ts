/**
 * Every mechanism in src/runtime can be switched off, to measure what it earns (`npm run bench:ab`)
 * or to rule it out when something looks wrong: `RUNTIME_OFF=prepared,projection` (or `all`).
 * Off means the plain upstream path: TypeORM builds and runs the query, type-graphql wires the
 * resolvers, Apollo reads every request, graphql-js executes. The answers are the same either way
 * (the test suite runs both: test/api/runtime-off.test.ts).
 *
 * Read once per process (the schema, which the wiring changes, is built once per process), so a
 * switch applies to every app the process starts.
 */
export const RUNTIME_MECHANISMS = ['fastPost', 'jit', 'wiring', 'statementCache', 'prepared', 'projection', 'hydrate'] as const;
export type RuntimeMechanism = (typeof RUNTIME_MECHANISMS)[number];

/** The mechanisms a RUNTIME_OFF value names; throws naming the variable on an unknown one. */
export function parseRuntimeOff(value: string | undefined): Set<RuntimeMechanism> {
  const names = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.includes('all')) return new Set(RUNTIME_MECHANISMS);
  for (const n of names) {
    if (!(RUNTIME_MECHANISMS as readonly string[]).includes(n)) {
      throw new Error(`RUNTIME_OFF: unknown mechanism "${n}" (known: ${RUNTIME_MECHANISMS.join(', ')}, or all)`);
    }
  }
  return new Set(names as RuntimeMechanism[]);
}

let off: Set<RuntimeMechanism> | undefined;

export function runtimeOn(mechanism: RuntimeMechanism): boolean {
  off ??= parseRuntimeOff(process.env.RUNTIME_OFF);
  return !off.has(mechanism);
}
