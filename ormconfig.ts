import 'reflect-metadata';
import { loadConfig } from './src/config';
import { createDataSource, resolveFlavor } from './src/data-source';

/** The DataSource the TypeORM CLI uses: MySQL/MariaDB from DATABASE_URL. */
const config = loadConfig({ ...process.env, RUN_MIGRATIONS: 'false' });
if (config.database.type !== 'mysql') {
  throw new Error('The TypeORM CLI manages the MySQL/MariaDB schema: set DATABASE_URL=mysql://...');
}
export const dataSource = resolveFlavor(config).then((c) => createDataSource(c));
