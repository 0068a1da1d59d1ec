/**
 * `npm run user:create-admin -- <username> [display name]`: the first (or another) ADMIN, for a
 * database without the demo users (production). The password is read from stdin when stdin is not
 * a terminal (`printf '%s' "$PW" | npm run user:create-admin -- alice`), else generated, printed
 * once, and must be changed at the first login. The database is migrated and seeded as a start
 * would (SEED, NODE_ENV) first; the change log records the new admin with no actor (the system).
 */
import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { createDataSource, resolveFlavor } from '../src/data-source';
import { createLogger } from '../src/logger';
import { Role } from '../src/common/roles';
import { inTransaction } from '../src/common/tx';
import { createUser } from '../src/modules/identity/user.service';
import { temporaryPassword } from '../src/modules/identity/password-policy';
import { seedIfEmpty } from '../seeds';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function main(): Promise<number> {
  const [username, ...rest] = process.argv.slice(2);
  if (!username || username.startsWith('-')) {
    console.error('usage: npm run user:create-admin -- <username> [display name]   (password on stdin, or generated)');
    return 2;
  }
  const config = await resolveFlavor(loadConfig());
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const given = await readStdin();
  const generated = !given;
  const password = given || temporaryPassword(username);
  const ds = createDataSource(config);
  await ds.initialize();
  try {
    await seedIfEmpty(ds, config, log);
    const user = await inTransaction(ds, (em) =>
      createUser(em, null, { username, password, role: Role.ADMIN, displayName: rest.join(' ') || null }, { mustChangePassword: generated }),
    );
    console.log(`created ADMIN "${user.username}" (id ${user.id})`);
    if (generated) {
      console.log(`password (shown once; it must be changed at the first login): ${password}`);
    }
    return 0;
  } catch (err) {
    const e = err as { message?: string; extensions?: { code?: string } };
    if (e.extensions?.code) {
      console.error(`refused: ${e.message}`);
      return 1;
    }
    throw err;
  } finally {
    await ds.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
