import type { FeatureModule } from '../module';
import { Region } from './region.entity';
import { RegionResolver } from './region.resolver';

export const regionsModule: FeatureModule = { name: 'regions', entities: [Region], resolvers: [RegionResolver] };
