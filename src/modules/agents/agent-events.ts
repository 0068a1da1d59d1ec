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

/**
 * Which commission periods take the activations about to be written, so each is written with its
 * `registration.commissionPeriod` already set (the settlement of its month then has nothing to
 * claim row by row). The audits module answers, and locks each period it names against being
 * closed until the writer commits. With no answer (no audits module, or a Galera cluster, where a
 * read lock does not reach the other nodes) activations are written unclaimed, and the settlement
 * of their month claims them.
 */
type ActivationPeriodsHook = (em: EntityManager, months: string[]) => Promise<Set<string>>;

let activationPeriods: ActivationPeriodsHook | null = null;

export function onActivationPeriods(hook: ActivationPeriodsHook): void {
  activationPeriods = hook;
}

/** The months among `months` ("YYYY-MM", Asia/Shanghai) whose period takes activations written now. */
export async function periodsTakingActivations(em: EntityManager, months: string[]): Promise<Set<string>> {
  if (!activationPeriods || !months.length) return new Set();
  return activationPeriods(em, months);
}
