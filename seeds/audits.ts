import { EntityManager } from 'typeorm';
import type { AppConfig } from '../src/config';
import { PenaltyRule } from '../src/modules/audits/penalty-rule.entity';
import { DEFAULT_PENALTY_RULES } from '../src/modules/audits/penalty.service';

/** Reference data every database needs (tests included): the default penalty per finding type. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export async function seedAuditsReference(em: EntityManager, config: AppConfig): Promise<void> {
  const now = new Date();
  await em.getRepository(PenaltyRule).insert(DEFAULT_PENALTY_RULES.map((r) => ({ ...r, updatedAt: now, updatedById: null })));
}

/** Deterministic demo data for the embedded default and `npm run seed`. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export async function seedAuditsDemo(em: EntityManager, config: AppConfig): Promise<void> {}
