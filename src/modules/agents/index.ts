import type { FeatureModule } from '../module';
import { Agent } from './agent.entity';
import { Registration } from './registration.entity';

export const agentsModule: FeatureModule = {
  name: 'agents',
  entities: [Agent, Registration],
  resolvers: [],
};
