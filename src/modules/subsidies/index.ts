import type { FeatureModule } from '../module';
import { SubsidiesConflict } from './subsidies.errors';
import { subsidyRoutes } from './subsidies.export';
import { SubsidyRegisterVersion } from './register-version.entity';
import { Subsidy } from './subsidy.entity';
import { SubsidyResolver } from './subsidy.resolver';
import { SUBSIDY_READERS } from './subsidies.roles';

export const subsidiesModule: FeatureModule = {
  name: 'subsidies',
  conflictReasons: SubsidiesConflict,
  entities: [Subsidy, SubsidyRegisterVersion],
  resolvers: [SubsidyResolver],
  routes: subsidyRoutes,
  changeLogReaders: { Subsidy: SUBSIDY_READERS, WageSubsidyRun: SUBSIDY_READERS },
};
