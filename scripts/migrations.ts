/**
 * `generate <Name>`: writes src/migrations/<timestamp>-<Name>.ts with what the entities need beyond
 * the existing migrations. `check`: fails when the entities and the migrations disagree.
 * Both work on a scratch database built from the migrations alone, so the result never depends
 * on the state of anyone's development database.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../src/config';
import { createDataSource, resolveFlavor } from '../src/data-source';
import { dropDatabase, recreateDatabase } from './mysql-admin';

async function pendingSql(url: string) {
  const scratch = `migration_scratch_${process.pid}`;
  await recreateDatabase(url, scratch);
  const config = await resolveFlavor(loadConfig({ ...process.env, DATABASE_URL: url, RUN_MIGRATIONS: 'false', SEED: 'none' }));
  const ds = createDataSource(config, { databaseName: scratch });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    return await ds.driver.createSchemaBuilder().log();
  } finally {
    await ds.destroy();
    await dropDatabase(url, scratch);
  }
}

function q(s: string): string {
  return '`' + s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
}

async function main() {
  const [cmd, name] = process.argv.slice(2);
  const url = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL || 'mysql://root@127.0.0.1:3306/test';
  const sql = await pendingSql(url);
  if (cmd === 'check') {
    if (sql.upQueries.length) {
      console.error(`The entities need ${sql.upQueries.length} schema change(s) that no migration makes:`);
      for (const u of sql.upQueries) console.error(`  ${u.query}`);
      console.error('Run: npm run migration:generate -- <Name>');
      process.exit(1);
    }
    console.log('migrations match the entities');
    return;
  }
  if (cmd !== 'generate' || !name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
    console.error('usage: migrations generate <PascalCaseName> | migrations check');
    process.exit(2);
  }
  if (!sql.upQueries.length) {
    console.log('no schema changes');
    return;
  }
  const ts = Date.now();
  const cls = `${name}${ts}`;
  // Tables say utf8mb4 themselves: names are Chinese, and a server's default charset may not be.
  const up = sql.upQueries
    .map((x) => x.query.replace(/\) ENGINE=InnoDB$/, ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci'))
    .map((query) => `    await queryRunner.query(${q(query)});`)
    .join('\n');
  const down = sql.downQueries
    .reverse()
    .map((x) => `    await queryRunner.query(${q(x.query)});`)
    .join('\n');
  const file = `src/migrations/${ts}-${name}.ts`;
  writeFileSync(
    file,
    `import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${cls} implements MigrationInterface {\n  name = '${cls}';\n\n  public async up(queryRunner: QueryRunner): Promise<void> {\n${up}\n  }\n\n  public async down(queryRunner: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
  );
  console.log(`wrote ${file} (${sql.upQueries.length} statements)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
