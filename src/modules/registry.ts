import type { DataSource } from 'typeorm';
import type { Loaders } from '../common/context';
import type { FeatureModule } from './module';
import { identityModule } from './identity';
import { createIdentityLoaders } from './identity/identity.loaders';
import { regionsModule } from './regions';
import { createRegionLoaders } from './regions/regions.loaders';
import { changeLogModule } from './changelog';
import { registerChangeLogReaders } from './changelog/change-log.service';
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
import { customerModule } from './customer';
import { createCustomerLoaders } from './customer/customer.loaders';

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
  customerModule,
];

export const entities = modules.flatMap((m) => m.entities);
for (const m of modules) if (m.changeLogReaders) registerChangeLogReaders(m.changeLogReaders);
export const resolvers = modules.flatMap((m) => m.resolvers);

/** Each feature's loader factory, by the name resolvers use: `ctx.loaders.<name>`. */
const LOADER_FACTORIES: { readonly [K in keyof Loaders]: (ds: DataSource) => Loaders[K] } = {
  identity: createIdentityLoaders,
  regions: createRegionLoaders,
  agents: createAgentsLoaders,
  audits: createAuditsLoaders,
  repair: createRepairLoaders,
  parts: createPartsLoaders,
  loaners: createLoanersLoaders,
  subsidies: createSubsidiesLoaders,
  customer: createCustomerLoaders,
};

/**
 * Per-request DataLoaders, one typed object per feature, built fresh for every request but only
 * when a resolver first asks for that feature's: a request touches one or two features, and
 * building all of them (some fifty loaders) for each showed in the allocation profile. A getter
 * on the prototype builds a feature's loaders and keeps them as the instance's own property.
 */
class RequestLoaders {
  constructor(readonly ds: DataSource) {}
}
for (const [name, make] of Object.entries(LOADER_FACTORIES)) {
  Object.defineProperty(RequestLoaders.prototype, name, {
    get(this: RequestLoaders) {
      const loaders = make(this.ds);
      Object.defineProperty(this, name, { value: loaders, enumerable: true });
      return loaders;
    },
  });
}

export function createLoaders(ds: DataSource): Loaders {
  return new RequestLoaders(ds) as unknown as Loaders;
}
