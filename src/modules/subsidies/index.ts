import type { FeatureModule } from '../module';
import { subsidyRoutes } from './subsidies.export';
import { Subsidy } from './subsidy.entity';
import { SubsidyResolver } from './subsidy.resolver';

export const subsidiesModule: FeatureModule = {
  name: 'subsidies',
  entities: [Subsidy],
  resolvers: [SubsidyResolver],
  routes: subsidyRoutes,
};
