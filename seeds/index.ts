import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { AppConfig } from '../src/config';
import { inTransaction } from '../src/common/tx';
import { seedRegions } from './regions';
import { seedStaffUsers, seedTenantUsers } from './users';
import { seedAgentsDemo, seedAgentsReference } from './agents';
import { seedAuditsDemo, seedAuditsReference } from './audits';
import { seedRepairDemo, seedRepairReference } from './repair';
import { seedPartsDemo, seedPartsReference } from './parts';
import { seedLoanersDemo, seedLoanersReference } from './loaners';
import { seedSubsidiesDemo, seedSubsidiesReference } from './subsidies';
import { seedCustomerDemo, seedCustomerReference } from './customer';

/**
 * Whether seeding may create the demo users (admin, staff, ... with the published demo password):
 * never in production unless SEED=demo says so explicitly. A production database gets its first
 * admin from `npm run user:create-admin -- <username>`. Seeds write password hashes directly: the
 * password policy (password-policy.ts) applies to accounts made through the API and the script.
 */
export function mayCreateDemoUsers(config: AppConfig): boolean {
  return config.nodeEnv !== 'production' || config.seed === 'demo';
}

/** Regions, tariff plans, penalty rules, brands, suppliers, the parts centre and (see mayCreateDemoUsers) the staff users. */
export async function seedReference(ds: DataSource, config: AppConfig): Promise<void> {
  await inTransaction(ds, async (em) => {
    await seedRegions(em);
    if (mayCreateDemoUsers(config)) await seedStaffUsers(em, config.seedPassword);
    await seedAgentsReference(em, config);
    await seedAuditsReference(em, config);
    await seedRepairReference(em, config);
    await seedPartsReference(em, config);
    await seedLoanersReference(em, config);
    await seedSubsidiesReference(em, config);
    await seedCustomerReference(em, config);
  });
}

/** The demo data set: agents and records, partners, parts, loaners, subsidies and the tenant users. */
export async function seedDemo(ds: DataSource, config: AppConfig): Promise<void> {
  await inTransaction(ds, async (em) => {
    await seedAgentsDemo(em, config);
    await seedRepairDemo(em, config);
    if (mayCreateDemoUsers(config)) await seedTenantUsers(em, config.seedPassword);
    await seedAuditsDemo(em, config);
    await seedPartsDemo(em, config);
    await seedLoanersDemo(em, config);
    await seedSubsidiesDemo(em, config);
    await seedCustomerDemo(em, config);
  });
}

/**
 * Seeds an empty database as config.seed says; a database that has users or regions is left alone
 * (a production database seeded with reference data has regions but no users until the first
 * admin is made).
 */
export async function seedIfEmpty(ds: DataSource, config: AppConfig, log?: Logger): Promise<boolean> {
  if (config.seed === 'none') return false;
  const rows: { n: number | string }[] = await ds.query('SELECT (SELECT COUNT(*) FROM app_user) + (SELECT COUNT(*) FROM region) AS n');
  if (Number(rows[0].n) > 0) return false;
  const started = Date.now();
  if (config.nodeEnv === 'production' && config.seed === 'demo') log?.warn('seeding the demo users into a production database (SEED=demo)');
  await seedReference(ds, config);
  if (config.seed === 'demo') await seedDemo(ds, config);
  log?.info({ seed: config.seed, ms: Date.now() - started, demoUsers: mayCreateDemoUsers(config) }, 'seeded an empty database');
  return true;
}

/** A start with no active ADMIN says how to make one. */
export async function warnIfNoAdmin(ds: DataSource, log: Logger): Promise<void> {
  const rows: { n: number | string }[] = await ds.query("SELECT COUNT(*) AS n FROM app_user WHERE role = 'ADMIN' AND active = ?", [true]);
  if (Number(rows[0].n) === 0) log.warn('there is no active ADMIN: create the first one with `npm run user:create-admin -- <username>`');
}
