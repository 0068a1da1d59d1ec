import type { EntityManager } from 'typeorm';
import type { AuthUser } from './auth';

/** A line that has just become ACTIVE, as the agents module knows it. */
export interface ActivatedLine {
  registrationId: number;
  agentId: number;
  msisdn: string;
  activatedAt: Date;
}

export type ActivationHook = (em: EntityManager, actor: AuthUser | null, line: ActivatedLine) => Promise<void>;

/**
 * What other modules do when a line is activated, in the activation's own transaction. The agents
 * module calls these without knowing who listens (the customer module schedules its callbacks
 * here), so agents never imports the modules that depend on it.
 */
const hooks = new Map<string, ActivationHook>();

export function onLineActivated(name: string, hook: ActivationHook): void {
  hooks.set(name, hook);
}

export async function lineActivated(em: EntityManager, actor: AuthUser | null, line: ActivatedLine): Promise<void> {
  for (const hook of hooks.values()) await hook(em, actor, line);
}
