/**
 * Search a log for secrets: `npx ts-node --transpile-only scripts/log-secrets.ts <log file>...`
 * (or the log on stdin). For the whole suite's logs:
 *
 *   TEST_LOG_LEVEL=debug npm test > suite.log 2>&1; npx ts-node --transpile-only scripts/log-secrets.ts suite.log
 *
 * Looks for every 18-character resident identity number with a valid check character (also
 * URL-encoded), and for every password the tests use (string literals given to a password in
 * test/, plus demo-password and any passed with --password). Prints each hit with its line number,
 * and exits 1 when there is one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { residentIdCheckChar } from '../src/common/validators/id-card';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Literals the tests use as passwords: `password: '...'`, `PASSWORD = '...'`, `p: '...'` in login variables. */
export function testPasswords(root = join(__dirname, '..', 'test')): string[] {
  const found = new Set(['demo-password']);
  for (const file of files(root)) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/(?:password|PASSWORD|Password)\w*['"]?\s*[:=]\s*['"`]([^'"`$]{6,})['"`]/g)) found.add(m[1]);
    for (const m of src.matchAll(/['"`]([^'"`\s$]*(?:Pass|pass)[^'"`\s$]*)['"`]/g)) if (m[1].length >= 8 && /[-\d]/.test(m[1])) found.add(m[1]);
  }
  found.delete('[redacted]'); // the logger's censor, which tests expect in place of a password
  // A camelCase name is an argument name in a table keyed by mutation (access-matrix and fuzz tests:
  // `resetPassword: 'userId'`), not a password; `userId` is a field of every security-log line.
  for (const p of found) if (/^[a-z]+(?:[A-Z][a-z]*)+$/.test(p)) found.delete(p);
  return [...found];
}

const ID = /(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])/g;

export function findSecrets(text: string, passwords: string[]): { line: number; what: string }[] {
  const hits: { line: number; what: string }[] = [];
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    let line = raw;
    try {
      line = decodeURIComponent(raw);
    } catch {
      /* keep it as it is */
    }
    for (const m of line.matchAll(ID)) {
      if (residentIdCheckChar(m[1].slice(0, 17)) === m[1][17].toUpperCase()) hits.push({ line: i + 1, what: `identity number ${m[1].slice(0, 6)}…` });
    }
    for (const p of passwords) if (line.includes(p)) hits.push({ line: i + 1, what: `password ${p.slice(0, 3)}…` });
  }
  return hits;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const extra = args.flatMap((a, i) => (args[i - 1] === '--password' ? [a] : []));
  const paths = args.filter((a, i) => a !== '--password' && args[i - 1] !== '--password');
  const text = paths.length ? paths.map((p) => readFileSync(p, 'utf8')).join('\n') : readFileSync(0, 'utf8');
  const passwords = [...testPasswords(), ...extra];
  const hits = findSecrets(text, passwords);
  for (const h of hits.slice(0, 200)) console.log(`line ${h.line}: ${h.what}`);
  console.log(
    `${hits.length} secret(s) found in ${text.split('\n').length} lines (${passwords.length} passwords searched for, and every valid identity number)`,
  );
  process.exit(hits.length ? 1 : 0);
}
