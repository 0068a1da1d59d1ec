/** `npm run seed`: seeds the database of DATABASE_URL (after migrations) if it has no users yet. */
import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { createDataSource, resolveFlavor } from '../src/data-source';
import { createLogger } from '../src/logger';
import { seedIfEmpty } from '../seeds';

async function main() {
  const config = await resolveFlavor(loadConfig({ ...process.env, SEED: process.env.SEED || 'demo' }));
  const log = createLogger(config.logLevel);
  const ds = createDataSource({ ...config, runMigrations: config.database.type === 'mysql' });
  await ds.initialize();
  try {
    const seeded = await seedIfEmpty(ds, config, log);
    if (!seeded) log.info('the database already has users: nothing seeded');
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
