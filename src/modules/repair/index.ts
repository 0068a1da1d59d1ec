import type { FeatureModule } from '../module';
import { RepairPartner } from './repair-partner.entity';
import { RepairOrder } from './repair-order.entity';

export const repairModule: FeatureModule = {
  name: 'repair',
  entities: [RepairPartner, RepairOrder],
  resolvers: [],
};
