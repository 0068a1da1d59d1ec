import type { FeatureModule } from '../module';

export const loanersModule: FeatureModule = {
  name: 'loaners',
  entities: [],
  resolvers: [],
};
