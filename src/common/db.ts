import { DataSource, EntityManager } from 'typeorm';

/**
 * Dates as both databases store them: TypeORM writes "YYYY-MM-DD HH:MM:SS.mmm" in UTC to SQLite text
 * columns and MySQL DATETIME(3) alike, so raw SQL must bind the same string (better-sqlite3 cannot
 * bind a Date object).
 */
export function toDbDate(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** Read a date that a raw query returned (string from SQLite, Date or string from mysql2). */
export function fromDbDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  const s = String(v);
  return new Date(s.includes('T') ? (s.endsWith('Z') ? s : `${s}Z`) : `${s.replace(' ', 'T')}Z`);
}

export function isMysql(x: DataSource | EntityManager): boolean {
  const ds = x instanceof DataSource ? x : x.connection;
  return ds.options.type === 'mysql' || ds.options.type === 'mariadb';
}

export interface ExecResult {
  /** Rows changed by an UPDATE/DELETE/INSERT. */
  affected: number;
  /** The auto-increment id of a single-row INSERT. */
  insertId: number;
}

/**
 * Run a raw write and learn how many rows it changed, on either driver. Conditional writes
 * (`UPDATE ... WHERE on_hand >= ?`) check this to decide who won a race. Placeholders are `?`.
 */
export async function execute(em: EntityManager, sql: string, params: unknown[] = []): Promise<ExecResult> {
  const own = !em.queryRunner;
  const qr = em.queryRunner ?? em.connection.createQueryRunner();
  try {
    const r = await qr.query(sql, params, true);
    const raw = r.raw as { insertId?: number } | number | bigint | undefined;
    const insertId = typeof raw === 'object' && raw !== null ? Number(raw.insertId ?? 0) : Number(raw ?? 0);
    return { affected: r.affected ?? 0, insertId };
  } finally {
    if (own) await qr.release();
  }
}

/** "?, ?, ?" for an IN list or a VALUES row of n parameters. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** A locking read on MySQL (the latest committed row, held to the end of the transaction); SQLite transactions are serial already. */
export function forUpdate(em: EntityManager): string {
  return isMysql(em) ? ' FOR UPDATE' : '';
}
