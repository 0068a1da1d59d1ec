import type { FeatureModule } from '../module';

export const subsidiesModule: FeatureModule = {
  name: 'subsidies',
  entities: [],
  resolvers: [],
};
