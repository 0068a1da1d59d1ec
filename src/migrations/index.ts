import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The MySQL/MariaDB schema: every `<timestamp>-<Name>` file in this folder, in timestamp order.
 * Found by reading the folder (not a glob in the DataSource options) so that ts-jest, ts-node and
 * the compiled build all load the same classes the same way.
 */

export const migrations: Function[] = readdirSync(__dirname)
  .filter((f) => /^\d+-[A-Za-z0-9]+\.(ts|js)$/.test(f))
  .sort()

  .flatMap((f) => Object.values(require(join(__dirname, f))) as Function[]);
