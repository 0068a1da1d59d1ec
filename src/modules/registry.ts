import type { DataSource } from 'typeorm';
import type { FeatureModule } from './module';
import { identityModule } from './identity';
import { createIdentityLoaders } from './identity/identity.loaders';
import { regionsModule } from './regions';
import { createRegionLoaders } from './regions/regions.loaders';
import { changeLogModule } from './changelog';
import { agentsModule } from './agents';
import { createAgentsLoaders } from './agents/agents.loaders';
import { auditsModule } from './audits';
import { createAuditsLoaders } from './audits/audits.loaders';
import { repairModule } from './repair';
import { createRepairLoaders } from './repair/repair.loaders';
import { partsModule } from './parts';
import { createPartsLoaders } from './parts/parts.loaders';
import { loanersModule } from './loaners';
import { createLoanersLoaders } from './loaners/loaners.loaders';
import { subsidiesModule } from './subsidies';
import { createSubsidiesLoaders } from './subsidies/subsidies.loaders';

export const modules: FeatureModule[] = [
  identityModule,
  regionsModule,
  changeLogModule,
  agentsModule,
  auditsModule,
  repairModule,
  partsModule,
  loanersModule,
  subsidiesModule,
];

export const entities = modules.flatMap((m) => m.entities);
export const resolvers = modules.flatMap((m) => m.resolvers);

/** Per-request DataLoaders, one typed object per feature; built fresh for every request. */
export function createLoaders(ds: DataSource) {
  return {
    identity: createIdentityLoaders(ds),
    regions: createRegionLoaders(ds),
    agents: createAgentsLoaders(ds),
    audits: createAuditsLoaders(ds),
    repair: createRepairLoaders(ds),
    parts: createPartsLoaders(ds),
    loaners: createLoanersLoaders(ds),
    subsidies: createSubsidiesLoaders(ds),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
