import type { FeatureModule } from '../module';
import { AgentsConflict } from './agents.errors';
import { AGENT_READERS } from './agents.roles';
import { RECORD_READERS } from './agents.roles';
import { Agent } from './agent.entity';
import { AgentResolver } from './agent.resolver';
import { AgentStatusChange } from './agent-status-change.entity';
import { IdentityGuard } from './identity-guard.entity';
import { Registration } from './registration.entity';
import { RegistrationResolver } from './registration.resolver';
import { TariffPlan } from './tariff-plan.entity';
import { TariffPlanResolver } from './tariff-plan.resolver';

export const agentsModule: FeatureModule = {
  name: 'agents',
  conflictReasons: AgentsConflict,
  entities: [Agent, AgentStatusChange, Registration, TariffPlan, IdentityGuard],
  resolvers: [AgentResolver, RegistrationResolver, TariffPlanResolver],
  changeLogReaders: { Agent: AGENT_READERS, Registration: RECORD_READERS, RegistrationImport: RECORD_READERS },
};
