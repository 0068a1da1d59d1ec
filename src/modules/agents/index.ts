import type { FeatureModule } from '../module';

export const agentsModule: FeatureModule = {
  name: 'agents',
  entities: [],
  resolvers: [],
};
