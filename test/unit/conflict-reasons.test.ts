import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { GraphQLFormattedError } from 'graphql';
import { modules } from '../../src/modules/registry';
import { CommonConflict, ConflictError, makeErrorFormatter } from '../../src/common/errors';

/**
 * The reasons CONFLICT errors carry (extensions.reason) are API: each module's enum is registered
 * in one list (registry.ts's modules, `conflictReasons`), every value is UPPER_SNAKE and listed in
 * docs/errors.md under its module, and every `new ConflictError(...)` in the code names a value of
 * its own module's enum (the compiler only sees a string).
 */
const SRC = join(__dirname, '../../src');
const DOCS = readFileSync(join(__dirname, '../../docs/errors.md'), 'utf8');
const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The reasons docs/errors.md lists in the table under "### <module>". */
function documented(moduleName: string): string[] {
  const section = DOCS.split(/^### /m).find((s) => s.startsWith(`${moduleName}\n`));
  if (!section) return [];
  return [...section.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
}

const registered = modules.filter((m) => m.conflictReasons);

it('every module that throws CONFLICT registers its reasons', () => {
  const throwing = new Set(
    sources(join(SRC, 'modules'))
      .filter((f) => /new ConflictError\(|extends ConflictError/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(join(SRC, 'modules'), f).split(sep)[0]),
  );
  expect(throwing.size).toBeGreaterThanOrEqual(8);
  expect([...throwing].filter((name) => !registered.some((m) => m.name === name))).toEqual([]);
});

describe.each(registered.map((m) => [m.name, m.conflictReasons!] as const))('%s', (name, reasons) => {
  it('has UPPER_SNAKE reasons, each its own name, none twice', () => {
    const values = Object.values(reasons);
    expect(values.length).toBeGreaterThan(0);
    for (const [key, value] of Object.entries(reasons)) {
      expect(value).toMatch(UPPER_SNAKE);
      expect(key).toBe(value);
    }
    expect(new Set(values).size).toBe(values.length);
  });

  it('lists exactly its reasons in docs/errors.md', () => {
    expect(documented(name).sort()).toEqual(Object.values(reasons).sort());
  });
});

it('the reasons the formatter gives itself are documented too', () => {
  const intro = DOCS.split(/^### /m)[0];
  for (const reason of Object.values(CommonConflict)) {
    expect(reason).toMatch(UPPER_SNAKE);
    expect(intro).toContain(`\`${reason}\``);
  }
});

it("every new ConflictError(...) names a reason of its own module's registered enum", () => {
  // The enums by their exported names: AgentsConflict -> its module and its values.
  const enums = new Map<string, { module: string; values: Readonly<Record<string, string>> }>();
  for (const m of registered) {
    const file = join(SRC, 'modules', m.name, `${m.name}.errors.ts`);
    const exported = require(file) as Record<string, unknown>;
    const entry = Object.entries(exported).find(([, v]) => v === m.conflictReasons);
    if (!entry) throw new Error(`${m.name}: its conflictReasons is not the enum exported by ${m.name}.errors.ts`);
    enums.set(entry[0], { module: m.name, values: m.conflictReasons! });
  }

  const bad: string[] = [];
  let sites = 0;
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    const where = relative(SRC, file);
    const module = where.startsWith(`modules${sep}`) ? where.split(sep)[1] : null;
    // A direct construction, or a subclass's super(...) call (parts.errors.ts).
    const calls = [...text.matchAll(/new ConflictError\(([^,]*),/g)].map((m) => m[1]);
    if (/extends ConflictError/.test(text)) calls.push(...[...text.matchAll(/super\(([^,]*),/g)].map((m) => m[1]));
    expect(calls.length).toBeGreaterThanOrEqual((text.match(/new ConflictError\(/g) ?? []).length);
    for (const raw of calls) {
      sites++;
      const arg = raw.trim();
      // One enum member, or a condition choosing between two: nothing else (no literal strings).
      const refs = /^(?:[^?]+\?\s*)?(\w+)\.(\w+)(?:\s*:\s*(\w+)\.(\w+))?$/.exec(arg);
      if (!refs) {
        bad.push(`${where}: ${arg}`);
        continue;
      }
      for (const [enumName, member] of [
        [refs[1], refs[2]],
        [refs[3], refs[4]],
      ]) {
        if (!enumName) continue;
        const e = enums.get(enumName);
        if (!e || e.module !== module || !(member in e.values)) bad.push(`${where}: ${enumName}.${member}`);
      }
    }
  }
  expect(bad).toEqual([]);
  expect(sites).toBeGreaterThan(70);
});

it('puts the reason in extensions next to the code, and no detail overrides it', () => {
  const err = new ConflictError('SOME_REASON', 'a rule said no', { field: 'input.code' });
  expect(err.extensions).toEqual({ code: 'CONFLICT', reason: 'SOME_REASON', field: 'input.code' });
  expect(Object.keys(err.extensions)).toEqual(['code', 'reason', 'field']);
  const sneaky = new ConflictError('SOME_REASON', 'x', { reason: 'OTHER' } as unknown as Record<string, never>);
  expect(sneaky.extensions.reason).toBe('SOME_REASON');
});

it("a unique key the service's check did not catch is CONFLICT ALREADY_EXISTS", () => {
  const format = makeErrorFormatter({ exposeInternals: false });
  const dup = Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY' });
  const formatted: GraphQLFormattedError = { message: 'Duplicate entry', path: ['createAgent'], extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  expect(format(formatted, { originalError: dup }).extensions).toEqual({ code: 'CONFLICT', reason: 'ALREADY_EXISTS' });
});
