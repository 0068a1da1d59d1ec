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

/**
 * Per-request DataLoaders, one typed object per feature, built fresh for every request but only
 * when a resolver first asks for that feature's: a request touches one or two features, and
 * building all of them (some fifty loaders) for each showed in the allocation profile.
 */
export class RequestLoaders {
  private _identity?: ReturnType<typeof createIdentityLoaders>;
  private _regions?: ReturnType<typeof createRegionLoaders>;
  private _agents?: ReturnType<typeof createAgentsLoaders>;
  private _audits?: ReturnType<typeof createAuditsLoaders>;
  private _repair?: ReturnType<typeof createRepairLoaders>;
  private _parts?: ReturnType<typeof createPartsLoaders>;
  private _loaners?: ReturnType<typeof createLoanersLoaders>;
  private _subsidies?: ReturnType<typeof createSubsidiesLoaders>;

  constructor(private readonly ds: DataSource) {}

  get identity() {
    return (this._identity ??= createIdentityLoaders(this.ds));
  }
  get regions() {
    return (this._regions ??= createRegionLoaders(this.ds));
  }
  get agents() {
    return (this._agents ??= createAgentsLoaders(this.ds));
  }
  get audits() {
    return (this._audits ??= createAuditsLoaders(this.ds));
  }
  get repair() {
    return (this._repair ??= createRepairLoaders(this.ds));
  }
  get parts() {
    return (this._parts ??= createPartsLoaders(this.ds));
  }
  get loaners() {
    return (this._loaners ??= createLoanersLoaders(this.ds));
  }
  get subsidies() {
    return (this._subsidies ??= createSubsidiesLoaders(this.ds));
  }
}

export function createLoaders(ds: DataSource): RequestLoaders {
  return new RequestLoaders(ds);
}

export type Loaders = RequestLoaders;
