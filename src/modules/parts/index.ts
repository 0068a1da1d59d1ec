import type { FeatureModule } from '../module';

export const partsModule: FeatureModule = {
  name: 'parts',
  entities: [],
  resolvers: [],
};
