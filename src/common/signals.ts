import { EventEmitter } from 'node:events';
import { DataSource, EntityManager } from 'typeorm';

/**
 * What happened that an operator may want counted or a SIEM told, said once where it happens and
 * heard by whoever listens: the metrics (metrics.ts) count them, the security log
 * (security-events.ts) writes some of them. The code that emits knows nothing of either.
 *
 * One bus per app, reached through its DataSource (every service has `ctx.ds` or `em.connection`),
 * so two apps in one process (tests, the cluster's servers) never hear each other.
 */
export interface Signals {
  /** A login: `ok`, refused for a wrong name or password, or refused because the account or address is locked out. */
  login: {
    outcome: 'ok' | 'failed' | 'locked';
    username: string;
    address: string;
    userId?: number;
    newAddress?: boolean;
    requestId?: string;
    /** Why a login failed (outcome `failed` only): the client is told none of this. */
    reason?: 'unknownUser' | 'wrongPassword' | 'disabled';
  };
  /**
   * A verified token refused because its session ended: `disabled` (the user is disabled or gone),
   * `revoked` (its token version was bumped: password changed or reset, logged out everywhere),
   * `changed` (the role or a binding differs from the token's).
   */
  tokenRefused: { userId: number; reason: string; address?: string; requestId?: string; username?: string };
  /** A request refused by a rate, concurrency or cost limit, before it ran. */
  refused: { limit: string; userId?: number; address?: string };
  /** A transaction retried (deadlock, certification failure) or given up. */
  retry: { reason: string; exhausted: boolean };
  /** An account change an administrator made. */
  account: {
    action: 'roleChanged' | 'disabled' | 'enabled' | 'bindingChanged' | 'passwordReset' | 'passwordChanged' | 'loggedOutEverywhere' | 'created';
    actorId?: number;
    actorUsername?: string;
    userId: number;
    username: string;
    requestId?: string;
    address?: string;
    details?: Record<string, unknown>;
  };
  /** A CSV export written in full. */
  exportDownloaded: { userId: number; username: string; export: string; rows: number; requestId?: string; address?: string };
  /** An identity number shown in full (unmasked) to a user. */
  identityRead: { userId: number; username: string; entity: string; entityId: string; requestId?: string; address?: string };
  /** Rows an import has written so far (emitted per batch). */
  importRows: { rows: number };
  /** An import started or ended (the metrics' gauge of imports running). */
  importRun: { phase: 'start' | 'end' };
}

export type SignalName = keyof Signals;

/** Which request a signal comes from, for services that emit one (they take plain inputs, not the context). */
export interface RequestMeta {
  requestId?: string;
  address?: string;
}

export class SignalBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(50);
  }

  emit<K extends SignalName>(name: K, payload: Signals[K]): void {
    // A listener's fault (a log stream closed, a metric misnamed) must never fail the request that emitted.
    try {
      this.emitter.emit(name, payload);
    } catch {
      /* listeners guard themselves; nothing to do here */
    }
  }

  on<K extends SignalName>(name: K, fn: (payload: Signals[K]) => void): () => void {
    this.emitter.on(name, fn as (p: unknown) => void);
    return () => this.emitter.off(name, fn as (p: unknown) => void);
  }
}

const buses = new WeakMap<DataSource, SignalBus>();

/** The app's signal bus, by its DataSource or any EntityManager of it. */
export function signalsOf(x: DataSource | EntityManager): SignalBus {
  const ds = x instanceof DataSource ? x : x.connection;
  let bus = buses.get(ds);
  if (!bus) buses.set(ds, (bus = new SignalBus()));
  return bus;
}
