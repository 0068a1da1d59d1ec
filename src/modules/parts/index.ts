import type { FeatureModule } from '../module';
import { StockLocation } from './stock-location.entity';

export const partsModule: FeatureModule = {
  name: 'parts',
  entities: [StockLocation],
  resolvers: [],
};
