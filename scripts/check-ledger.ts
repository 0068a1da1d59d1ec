/**
 * `npm run check:ledger`: proves, for the database of DATABASE_URL (or the embedded SQLite file),
 * that every part's movements at every location sum to its level and that the revolving fund's
 * ledger sums to what each partner and the fund owe. Exits 1 when anything is off. Read-only.
 */
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { DataSource, DataSourceOptions } from 'typeorm';
import { loadConfig } from '../src/config';
import { dataSourceOptions, resolveFlavor } from '../src/data-source';
import { fenToYuan } from '../src/common/money';
import { checkLedgers } from '../src/modules/parts/ledger-check';

async function main(): Promise<number> {
  const config = await resolveFlavor(loadConfig({ ...process.env, RUN_MIGRATIONS: 'false', SEED: 'none' }));
  if (config.database.type === 'sqlite' && config.database.path !== ':memory:' && !existsSync(config.database.path)) {
    console.error(`No database at ${config.database.path}: start the app once (or set DATABASE_URL)`);
    return 2;
  }
  // Read-only: no schema sync, no migrations.
  const ds = new DataSource({ ...dataSourceOptions(config), synchronize: false, migrationsRun: false } as DataSourceOptions);
  await ds.initialize();
  try {
    const started = Date.now();
    const report = await checkLedgers(ds, { fundLimitFen: config.partsFundLimitFen });
    const s = report.stats;
    const where = config.database.type === 'sqlite' ? config.database.path : new URL(config.database.url).pathname.slice(1);
    console.log(`ledger check of ${config.database.type} ${where} (${Date.now() - started} ms)`);
    console.log(`  stock: ${s.levels} levels, ${s.movements} movements, ${s.units} units on hand`);
    console.log(`  fund:  ${s.partners} partner accounts, ${s.entries} entries, outstanding ${fenToYuan(s.fundOutstandingFen)} yuan`);
    for (const w of report.warnings) console.log(`  warning: ${w}`);
    if (report.ok) {
      console.log('OK: every level equals the sum of its movements; the fund ledger sums to the outstanding amounts');
      return 0;
    }
    console.error(`FAILED: ${report.problems.length} problem(s)`);
    for (const p of report.problems) console.error(`  ${p}`);
    return 1;
  } finally {
    await ds.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
