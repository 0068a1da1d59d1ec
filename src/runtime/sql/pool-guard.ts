import { DataSource } from 'typeorm';

interface GuardedCommand {
  onResult?: (err: Error | null, ...rest: unknown[]) => unknown;
  once(event: 'end', fn: () => void): unknown;
}

interface GuardedConnection {
  addCommand(cmd: GuardedCommand): unknown;
  destroy(): void;
  stream?: { destroy(err?: Error): void };
  promise?: (promiseImpl?: unknown) => unknown;
  __guarded?: boolean;
}

interface GuardedPool {
  on(event: 'connection', fn: (conn: GuardedConnection) => void): unknown;
  _allConnections?: { toArray(): GuardedConnection[] };
  _freeConnections?: { toArray(): GuardedConnection[] };
}

/**
 * A statement that does not finish within `timeoutMs` of being sent destroys its connection, and
 * with it every statement queued behind it on that connection, instead of leaving it in the pool.
 * mysql2's own statement timeout only fails the caller: the connection keeps waiting for the lost
 * answer, so the ROLLBACK that follows a timed-out START TRANSACTION queues behind it and never
 * returns, and the connection goes back to the pool wedged. After about twenty 2-second black
 * holes on the link every pooled connection was in that state (issue 17). Commands with no timeout
 * of their own (prepare, transaction control queued behind a lost answer) are covered too, since
 * the clock starts when a command is added, not when it starts. The pool then opens new
 * connections as they are needed: it heals without a restart. A dropped connection says the link
 * may have failed, so the idle ones (opened before, and likely as dead when a firewall lost their
 * state) are closed with it rather than each costing a request its timeout.
 */
export function guardMysqlPool(ds: DataSource, timeoutMs: number, onDrop: (err: Error) => void): void {
  const pool = (ds.driver as unknown as { pool?: GuardedPool }).pool;
  if (!pool) return;
  const drop = (conn: GuardedConnection, why: string) => {
    const err = Object.assign(new Error(`Database connection dropped: ${why}`), { code: 'PROTOCOL_SEQUENCE_TIMEOUT', fatal: true });
    onDrop(err);
    const idle = pool._freeConnections?.toArray() ?? [];
    conn.destroy(); // out of the pool (and a FIN that a black hole will not answer)
    conn.stream?.destroy(err); // fails the statement in flight and all queued behind it, now
    for (const other of idle) {
      if (other === conn) continue;
      other.destroy();
      other.stream?.destroy();
    }
  };
  const guard = (conn: GuardedConnection) => {
    if (conn.__guarded) return;
    conn.__guarded = true;
    rememberPromiseWrapper(conn);
    const add = conn.addCommand;
    conn.addCommand = function (cmd: GuardedCommand) {
      const timer = setTimeout(() => drop(conn, `no answer within ${timeoutMs} ms`), timeoutMs);
      timer.unref();
      cmd.once('end', () => clearTimeout(timer));
      const onResult = cmd.onResult;
      if (onResult) {
        cmd.onResult = function (this: unknown, err: Error | null, ...rest: unknown[]) {
          clearTimeout(timer);
          // mysql2's own timeout: the answer may still come, so the connection cannot be reused.
          if ((err as { code?: string } | null)?.code === 'PROTOCOL_SEQUENCE_TIMEOUT') drop(conn, 'statement timed out');
          return onResult.call(this, err, ...rest);
        };
      }
      return add.call(this, cmd);
    };
  };
  pool.on('connection', guard);
  for (const conn of pool._allConnections?.toArray() ?? []) guard(conn);
}

/**
 * TypeORM calls `connection.promise()` for every statement, and mysql2's pool connection answers
 * each call with `require('./promise/pool_connection.js')` and a new wrapper: the module lookup
 * alone (path resolution on every call) was 2.7 % of the server's time issuing parts (issue 25).
 * The wrapper holds only the connection and the Promise class, so one per connection serves all.
 */
function rememberPromiseWrapper(conn: GuardedConnection): void {
  const make = conn.promise;
  if (typeof make !== 'function') return;
  let wrapper: unknown;
  conn.promise = function (this: GuardedConnection, promiseImpl?: unknown) {
    if (promiseImpl !== undefined) return make.call(this, promiseImpl);
    return (wrapper ??= make.call(this));
  };
}
