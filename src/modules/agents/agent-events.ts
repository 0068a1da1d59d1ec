import type { EntityManager } from 'typeorm';
import type { Agent } from './agent.entity';

/**
 * What other modules do when an agent is created, inside createAgent's transaction. The audits
 * module depends on agents (it reads agents and registrations), so agents cannot call it: audits
 * registers here instead (its risk score for the new agent).
 */
type AgentCreatedHook = (em: EntityManager, agent: Agent) => Promise<void>;

const created: AgentCreatedHook[] = [];

export function onAgentCreated(hook: AgentCreatedHook): void {
  if (!created.includes(hook)) created.push(hook);
}

export async function agentCreated(em: EntityManager, agent: Agent): Promise<void> {
  for (const hook of created) await hook(em, agent);
}
