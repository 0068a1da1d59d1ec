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

/**
 * A multi-row INSERT in plain SQL, 500 rows a statement: the ledgers' appends (movements, lines,
 * change-log rows, fund entries), where TypeORM's insert builder cost more of the server's time than
 * the statement it built (issue 25's profile of issueParts). Values bind as given: dates as
 * toDbDate strings, enums as their strings. Returns the first row's id on MySQL (its
 * auto-increment ids of one statement are consecutive) and the last one's on SQLite: use the id
 * of a single-row insert only.
 */
export async function insertRows(em: EntityManager, table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<ExecResult> {
  let last: ExecResult = { affected: 0, insertId: 0 };
  let affected = 0;
  const row = `(${placeholders(columns.length)})`;
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    last = await execute(em, `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from(chunk, () => row).join(', ')}`, chunk.flat());
    affected += last.affected;
  }
  return { affected, insertId: last.insertId };
}

/**
 * `column IN (?, ...)` for n parameters, as OR-ed IN lists of at most 500 each. MariaDB turns an
 * IN list of `in_predicate_conversion_threshold` (1,000) values or more into a join with a table
 * of those values, and on a 1,000,000-row registration table that join read the whole index
 * (EXPLAIN: type index, 771,470 rows) where the same values as two lists are a range of 1,000
 * (issue 25: a clean import batch of 1,000 numbers would have scanned the table at every look-up).
 */
export function inList(column: string, n: number): string {
  if (n <= 500) return `${column} IN (${placeholders(n)})`;
  const lists: string[] = [];
  for (let i = 0; i < n; i += 500) lists.push(`${column} IN (${placeholders(Math.min(500, n - i))})`);
  return `(${lists.join(' OR ')})`;
}

/** "?, ?, ?" for an IN list or a VALUES row of n parameters. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** A locking read on MySQL (the latest committed row, held to the end of the transaction); SQLite transactions are serial already. */
export function forUpdate(em: EntityManager): string {
  return isMysql(em) ? ' FOR UPDATE' : '';
}
