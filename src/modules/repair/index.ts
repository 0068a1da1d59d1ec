import type { FeatureModule } from '../module';

export const repairModule: FeatureModule = {
  name: 'repair',
  entities: [],
  resolvers: [],
};
