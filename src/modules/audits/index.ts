import type { FeatureModule } from '../module';

export const auditsModule: FeatureModule = {
  name: 'audits',
  entities: [],
  resolvers: [],
};
