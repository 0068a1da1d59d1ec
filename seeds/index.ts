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

/** Regions, tariff plans, penalty rules, brands, suppliers, the parts centre and the staff users. */
export async function seedReference(ds: DataSource, config: AppConfig): Promise<void> {
  await inTransaction(ds, async (em) => {
    await seedRegions(em);
    await seedStaffUsers(em, config.seedPassword);
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
    await seedTenantUsers(em, config.seedPassword);
    await seedAuditsDemo(em, config);
    await seedPartsDemo(em, config);
    await seedLoanersDemo(em, config);
    await seedSubsidiesDemo(em, config);
    await seedCustomerDemo(em, config);
  });
}

/** Seeds an empty database as config.seed says; a database that has users is left alone. */
export async function seedIfEmpty(ds: DataSource, config: AppConfig, log?: Logger): Promise<boolean> {
  if (config.seed === 'none') return false;
  const rows: { n: number | string }[] = await ds.query('SELECT COUNT(*) AS n FROM app_user');
  if (Number(rows[0].n) > 0) return false;
  const started = Date.now();
  await seedReference(ds, config);
  if (config.seed === 'demo') await seedDemo(ds, config);
  log?.info({ seed: config.seed, ms: Date.now() - started }, 'seeded an empty database');
  return true;
}
