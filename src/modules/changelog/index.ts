import type { FeatureModule } from '../module';
import { ChangeLogEntry } from './change-log.entity';
import { ChangeLogResolver } from './change-log.resolver';

export const changeLogModule: FeatureModule = { name: 'changelog', entities: [ChangeLogEntry], resolvers: [ChangeLogResolver] };
