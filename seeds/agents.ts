import { EntityManager } from 'typeorm';
import type { AppConfig } from '../src/config';

/** Reference data every database needs (tests included). */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export async function seedAgentsReference(em: EntityManager, config: AppConfig): Promise<void> {}

/** Deterministic demo data for the embedded default and `npm run seed`. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export async function seedAgentsDemo(em: EntityManager, config: AppConfig): Promise<void> {}
