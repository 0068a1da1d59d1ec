import pino from 'pino';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { createLogger } from '../logger';
import { Signals, signalsOf } from './signals';

/**
 * The security log: each security event once, as one JSON line on its own stream
 * (`"stream":"security"`) with an `event` name a SIEM can match, the request id, who, from where,
 * and the event's own fields. Never a password, a token or an identity number: the signals carry
 * none (an identity read names the record, not the number), and the app logger's redaction paths
 * apply here too. The events and their fields are listed in README "Security events" and
 * docs/operations.md ("Security events"); a rename there is a rename for every SIEM rule, so keep them in step.
 */
export interface SecurityLog {
  /** Stops listening and closes SECURITY_LOG's file. */
  stop(): void;
}

type Level = 'info' | 'warn';

interface Line {
  level: Level;
  event: string;
  msg: string;
  fields: Record<string, unknown>;
}

/** A signal as its security-log line, or null when it is not a security event (a known-address login). */
export function loginLine(s: Signals['login']): Line | null {
  const who = { requestId: s.requestId, userId: s.userId, username: s.username, address: s.address };
  if (s.outcome === 'failed') return { level: 'warn', event: 'login.failed', msg: 'login failed', fields: { ...who, reason: s.reason } };
  if (s.outcome === 'locked') return { level: 'warn', event: 'login.locked', msg: 'login refused: too many failures (locked out)', fields: who };
  if (s.newAddress) return { level: 'info', event: 'login.newAddress', msg: 'login from an address new for this user', fields: who };
  return null;
}

export function tokenRefusedLine(s: Signals['tokenRefused']): Line {
  return {
    level: 'warn',
    event: 'token.refused',
    msg: `token refused: session ended (${s.reason})`,
    fields: { requestId: s.requestId, userId: s.userId, username: s.username, address: s.address, reason: s.reason },
  };
}

export function accountLine(s: Signals['account']): Line {
  return {
    level: s.action === 'disabled' || s.action === 'roleChanged' ? 'warn' : 'info',
    event: `account.${s.action}`,
    msg: `account ${s.action}`,
    fields: {
      requestId: s.requestId,
      actorId: s.actorId,
      actorUsername: s.actorUsername,
      address: s.address,
      userId: s.userId,
      username: s.username,
      ...(s.details ? { details: s.details } : {}),
    },
  };
}

export function exportLine(s: Signals['exportDownloaded']): Line {
  return {
    level: 'info',
    event: 'export.downloaded',
    msg: `export downloaded: ${s.export}`,
    fields: { requestId: s.requestId, userId: s.userId, username: s.username, address: s.address, export: s.export, rows: s.rows },
  };
}

export function identityReadLine(s: Signals['identityRead']): Line {
  return {
    level: 'info',
    event: 'identity.read',
    msg: 'identity number read in full',
    fields: { requestId: s.requestId, userId: s.userId, username: s.username, address: s.address, entity: s.entity, entityId: s.entityId },
  };
}

/**
 * Listens to the app's signal bus and writes the security events to `log`'s child
 * `{ stream: 'security' }` (at LOG_LEVEL, like every line), and, with `file` (SECURITY_LOG), also
 * appends them to that file at every level, whatever LOG_LEVEL says: a SIEM tailing it misses none
 * when the main log is turned down to warnings. The file is written synchronously: a few lines a
 * minute at most, and a line written before the process dies is not lost in a buffer.
 */
export function startSecurityLog(ds: DataSource, log: Logger, file?: string): SecurityLog {
  const main = log.child({ stream: 'security' });
  const dest = file ? pino.destination({ dest: file, append: true, mkdir: true, sync: true }) : undefined;
  const toFile = dest ? createLogger('info', 'production', dest).child({ stream: 'security' }) : undefined;
  const write = (line: Line | null) => {
    if (!line) return;
    // A log that cannot be written (a full disk) must not fail the request that emitted the event.
    try {
      const obj = { event: line.event, ...line.fields };
      main[line.level](obj, line.msg);
      toFile?.[line.level](obj, line.msg);
    } catch {
      /* nothing more to do: the main log is where this would have been said */
    }
  };
  const bus = signalsOf(ds);
  const offs = [
    bus.on('login', (s) => write(loginLine(s))),
    bus.on('tokenRefused', (s) => write(tokenRefusedLine(s))),
    bus.on('account', (s) => write(accountLine(s))),
    bus.on('exportDownloaded', (s) => write(exportLine(s))),
    bus.on('identityRead', (s) => write(identityReadLine(s))),
  ];
  return {
    stop() {
      for (const off of offs) off();
      dest?.end();
    },
  };
}
