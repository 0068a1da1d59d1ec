/**
 * `npm run ids:backfill`: run once after deploying the 15-digit normalisation and the region check
 * on a database holding records from before (see src/modules/agents/identity-backfill.ts). Needs
 * the same ID_ENCRYPTION_KEYS and ID_HMAC_KEY as the app. Safe to run again; changes nothing then.
 */
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { DataSource, DataSourceOptions } from 'typeorm';
import { loadConfig } from '../src/config';
import { dataSourceOptions, resolveFlavor } from '../src/data-source';
import { backfillIdentityNumbers } from '../src/modules/agents/identity-backfill';

async function main(): Promise<number> {
  const config = await resolveFlavor(loadConfig({ ...process.env, RUN_MIGRATIONS: 'false', SEED: 'none' }));
  if (config.database.type === 'sqlite' && config.database.path !== ':memory:' && !existsSync(config.database.path)) {
    console.error(`ids:backfill: no database at ${config.database.path}`);
    return 2;
  }
  const ds = new DataSource({ ...dataSourceOptions(config), synchronize: false, migrationsRun: false } as DataSourceOptions);
  await ds.initialize();
  try {
    const started = Date.now();
    const r = await backfillIdentityNumbers(ds, config);
    console.log(
      `${r.examined} resident id records examined in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
        `${r.rehashed} first-generation numbers re-hashed to their 18-character form, ${r.flagged} records given new flags`,
    );
    return 0;
  } finally {
    await ds.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`ids:backfill: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
