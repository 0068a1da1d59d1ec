/**
 * The one path by which customer records enter the database, shared by `submitRegistrations`,
 * the bulk import (scripts/import-registrations.ts) and the demo seed, so every record gets the
 * same validation, encryption and flags.
 *
 * `prepareRecord` is pure CPU (validate, normalize, encrypt, hash, static flags); `storeRecords`
 * is a handful of set-based statements for a whole batch inside the caller's transaction: look up
 * the numbers and count the identities' lines, then write.
 */
import { Readable } from 'node:stream';
import { Network } from '../../common/network';
import { EntityManager } from 'typeorm';
import { fromDbDate, inList, isMysql, placeholders } from '../../common/db';
import { ConflictError } from '../../common/errors';
import { isGalera } from '../../common/galera';
import { periodKeyOf } from '../../common/period';
import {
  ageOn,
  canonicalResidentId,
  checkResidentId,
  FIRST_GENERATION_INVALID_FROM,
  isWellFormedOtherId,
  maskIdNumber,
  normalizeIdNumber,
} from '../../common/validators/id-card';
import { isUnknownRegion } from '../../common/validators/region-code';
import { isValidMsisdn, normalizeMsisdn } from '../../common/validators/msisdn';
import { IdentityCipher } from './identity-crypto';
import { parseInstant, shanghaiDay } from './instant';
import { IdType, LIVE_STATUSES, RegistrationFlag, RegistrationStatus } from './registration.entity';
import { AgentsConflict } from './agents.errors';
import { periodsTakingActivations } from './agent-events';

/** Lines one identity may hold (pending or active) across all agents before records are flagged. */
export const ID_LINE_LIMIT = 5;
export const UNDERAGE_YEARS = 16;
export const LATE_ENTRY_MS = 24 * 3600 * 1000;
/** Clocks of agents' terminals drift; an openedAt this far ahead of ours is still "now". */
export const CLOCK_SKEW_MS = 2 * 60 * 1000;
export const EARLIEST_OPENED_AT = new Date('1990-01-01T00:00:00Z');
export const CUSTOMER_NAME_MAX = 64;

const FLAG_ORDER = Object.values(RegistrationFlag);
const LIVE = LIVE_STATUSES;
const NETWORKS = new Set<string>(Object.values(Network));
const ID_TYPES = new Set<string>(Object.values(IdType));

/** What a client or a file says about one record; every field may be missing or malformed. */
export interface RecordFields {
  msisdn?: string | null;
  network?: string | null;
  customerName?: string | null;
  idType?: string | null;
  idNumber?: string | null;
  tariffPlanCode?: string | null;
  openedAt?: string | null;
  /** Bulk import of history only: when the record was entered (default: now). */
  submittedAt?: string | null;
  /** Bulk import of history only: when the line was activated (the record is then ACTIVE). */
  activatedAt?: string | null;
}

export interface FieldError {
  field: string;
  message: string;
}

export interface PlanInfo {
  code: string;
  network: Network;
}

export interface IngestEnv {
  cipher: IdentityCipher;
  plans: Map<string, PlanInfo>;
  now: Date;
  /** Accept submittedAt and activatedAt from the record (back-office migration). */
  history: boolean;
}

export interface RowValues {
  agentId: number;
  msisdn: string;
  network: Network;
  customerName: string;
  idType: IdType;
  idCipher: string;
  idKeyId: string;
  idHash: string;
  idMasked: string;
  tariffPlanCode: string;
  status: RegistrationStatus;
  openedAt: Date;
  submittedAt: Date;
  activatedAt: Date | null;
  activationSeconds: number | null;
  /**
   * Bulk import: a record whose agent, number and opening instant are already stored is that
   * same line-opening event, imported before, and is skipped rather than stored twice.
   */
  skipIfStored: boolean;
}

export interface PreparedRecord {
  errors: FieldError[];
  /** Set when there are no errors. */
  values?: RowValues;
  /** Flags known without the database (all but the line limit). */
  flags: RegistrationFlag[];
}

export type StoreOutcome = { kind: 'inserted'; flags: RegistrationFlag[] } | { kind: 'rejected'; errors: FieldError[] } | { kind: 'skipped'; reason: string };

function text(v: unknown): string {
  return v === null || v === undefined ? '' : String(v).trim();
}

function instantField(errors: FieldError[], field: string, raw: unknown, now: Date, required: boolean): Date | null {
  const s = text(raw);
  if (!s) {
    if (required) errors.push({ field, message: 'is required' });
    return null;
  }
  const d = parseInstant(s);
  if (!d) {
    errors.push({ field, message: 'must be a date and time such as 2005-03-01T10:20:00+08:00 (without an offset: Asia/Shanghai time)' });
    return null;
  }
  if (d.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    errors.push({ field, message: 'must not be in the future' });
    return null;
  }
  if (d < EARLIEST_OPENED_AT) {
    errors.push({ field, message: 'must not be before 1990' });
    return null;
  }
  return d;
}

/**
 * Validate and seal one record. Errors name the record's own fields (`msisdn`, `idNumber`); the
 * caller prefixes them (`records.3.msisdn`) or maps them to file columns. No message ever
 * contains the identity number.
 */
export function prepareRecord(agentId: number, rec: RecordFields, env: IngestEnv): PreparedRecord {
  const errors: FieldError[] = [];
  const flags = new Set<RegistrationFlag>();

  const msisdnRaw = text(rec.msisdn);
  const msisdn = normalizeMsisdn(msisdnRaw);
  if (!msisdnRaw) errors.push({ field: 'msisdn', message: 'is required' });
  else if (!isValidMsisdn(msisdn)) errors.push({ field: 'msisdn', message: 'must be 11 digits starting with 1' });

  const networkRaw = text(rec.network).toUpperCase();
  if (!networkRaw) errors.push({ field: 'network', message: 'is required' });
  else if (!NETWORKS.has(networkRaw)) errors.push({ field: 'network', message: 'must be CDMA or GSM' });
  const network = NETWORKS.has(networkRaw) ? (networkRaw as Network) : null;

  const customerName = text(rec.customerName).replace(/\s+/g, ' ');
  if (!customerName) errors.push({ field: 'customerName', message: 'is required' });
  else if ([...customerName].length > CUSTOMER_NAME_MAX) errors.push({ field: 'customerName', message: `must be at most ${CUSTOMER_NAME_MAX} characters` });
  else if (/[\u0000-\u001f\u007f]/.test(customerName)) errors.push({ field: 'customerName', message: 'must not contain control characters' });

  const idTypeRaw = text(rec.idType).toUpperCase();
  if (!idTypeRaw) errors.push({ field: 'idType', message: 'is required' });
  else if (!ID_TYPES.has(idTypeRaw)) errors.push({ field: 'idType', message: `must be one of ${[...ID_TYPES].join(', ')}` });
  const idType = ID_TYPES.has(idTypeRaw) ? (idTypeRaw as IdType) : null;

  const idNumber = normalizeIdNumber(text(rec.idNumber));
  let resident: ReturnType<typeof checkResidentId> | null = null;
  if (!idNumber) errors.push({ field: 'idNumber', message: 'is required' });
  else if (idType === IdType.RESIDENT_ID) {
    resident = checkResidentId(idNumber);
    if (!resident.wellFormed) {
      errors.push({ field: 'idNumber', message: 'a resident id number has 18 characters (17 digits and a digit or X) or 15 digits' });
    }
  } else if (idType && !isWellFormedOtherId(idNumber)) {
    errors.push({ field: 'idNumber', message: 'must be 5 to 20 letters and digits' });
  }

  const planCode = text(rec.tariffPlanCode).toUpperCase();
  const plan = planCode ? env.plans.get(planCode) : undefined;
  if (!planCode) errors.push({ field: 'tariffPlanCode', message: 'is required' });
  else if (!plan) errors.push({ field: 'tariffPlanCode', message: 'is not a known tariff plan' });
  else if (network && plan.network !== network) errors.push({ field: 'tariffPlanCode', message: `is a ${plan.network} plan, not for a ${network} line` });

  const openedAt = instantField(errors, 'openedAt', rec.openedAt, env.now, true);
  let submittedAt: Date | null = env.now;
  let activatedAt: Date | null = null;
  if (env.history) {
    submittedAt = instantField(errors, 'submittedAt', rec.submittedAt, env.now, false) ?? (text(rec.submittedAt) ? null : env.now);
    activatedAt = instantField(errors, 'activatedAt', rec.activatedAt, env.now, false);
    if (openedAt && submittedAt && submittedAt < openedAt) errors.push({ field: 'submittedAt', message: 'must not be before openedAt' });
    if (openedAt && activatedAt && activatedAt < openedAt) errors.push({ field: 'activatedAt', message: 'must not be before openedAt' });
  }

  if (errors.length) return { errors, flags: [] };

  if (resident) {
    if (!resident.checksumValid) flags.add(RegistrationFlag.INVALID_ID_CHECKSUM);
    const opened = shanghaiDay(openedAt!);
    const birth = resident.birthDate;
    if (!birth || ageOn(birth, opened) < 0) flags.add(RegistrationFlag.INVALID_BIRTH_DATE);
    else if (ageOn(birth, opened) < UNDERAGE_YEARS) flags.add(RegistrationFlag.UNDERAGE);
    // ageOn(x, y) >= 0 is "y on or after x".
    if (resident.generation === 1 && ageOn(FIRST_GENERATION_INVALID_FROM, opened) >= 0) flags.add(RegistrationFlag.OBSOLETE_ID_CARD);
    if (isUnknownRegion(idNumber, birth)) flags.add(RegistrationFlag.UNKNOWN_REGION_CODE);
  }
  if (submittedAt!.getTime() - openedAt!.getTime() > LATE_ENTRY_MS) flags.add(RegistrationFlag.LATE_ENTRY);

  const sealed = env.cipher.encrypt(idNumber);
  const activationSeconds = activatedAt && activatedAt >= submittedAt! ? Math.round((activatedAt.getTime() - submittedAt!.getTime()) / 1000) : null;
  return {
    errors,
    flags: FLAG_ORDER.filter((f) => flags.has(f)),
    values: {
      agentId,
      msisdn,
      network: network!,
      customerName,
      idType: idType!,
      idCipher: sealed.idCipher,
      idKeyId: sealed.idKeyId,
      // One person, one hash: a first-generation number counts as its 18-character form.
      idHash: env.cipher.hash(idType === IdType.RESIDENT_ID ? canonicalResidentId(idNumber) : idNumber),
      idMasked: maskIdNumber(idNumber),
      tariffPlanCode: plan!.code,
      status: activatedAt ? RegistrationStatus.ACTIVE : RegistrationStatus.PENDING_ACTIVATION,
      openedAt: openedAt!,
      submittedAt: submittedAt!,
      activatedAt,
      activationSeconds,
      skipIfStored: false,
    },
  };
}

/** Rows per multi-row INSERT (SQLite binds at most 32,766 parameters a statement). */
const INSERT_CHUNK = 500;
/**
 * Rows looked up and written per round (see storeRecords): the import's whole batch of 1,000 in one
 * round. With the table far larger than the buffer pool (1,000,000 rows, 128 MB), rounds of 500
 * read 0.60 pages a row and of 200 0.68, against 0.50 for rounds of 1,000: the sorted IN lists of a
 * larger round share more index leaf pages, and the import waits on those reads (issue 25,
 * bench/results-agents.md).
 */
const WRITE_CHUNK = 1000;
/** On MySQL/MariaDB, chunks at least this large are written with LOAD DATA LOCAL INFILE. */
export const LOAD_DATA_MIN_ROWS = 100;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const COLUMNS = [
  'agentId',
  'msisdn',
  'network',
  'customerName',
  'idType',
  'idCipher',
  'idKeyId',
  'idHash',
  'idMasked',
  'tariffPlanCode',
  'status',
  'openedAt',
  'submittedAt',
  'activatedAt',
  'activationSeconds',
  'flags',
  'flagged',
  'activeMsisdn',
  'commissionPeriod',
] as const;

/** toDbDate's format without its regular expressions: imports format millions of dates. */
function dbDate(d: Date): string {
  const s = d.toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 23)}`;
}

/** The columns of one registration row in COLUMNS order, as both drivers bind them. */
export function rowParams(v: RowValues, flags: RegistrationFlag[], commissionPeriod: string | null = null): unknown[] {
  return [
    v.agentId,
    v.msisdn,
    v.network,
    v.customerName,
    v.idType,
    v.idCipher,
    v.idKeyId,
    v.idHash,
    v.idMasked,
    v.tariffPlanCode,
    v.status,
    dbDate(v.openedAt),
    dbDate(v.submittedAt),
    v.activatedAt ? dbDate(v.activatedAt) : null,
    v.activationSeconds,
    flags.join(','),
    flags.length ? 1 : 0,
    v.msisdn,
    commissionPeriod,
  ];
}
export const REGISTRATION_INSERT_COLUMNS: readonly string[] = COLUMNS;

/** A registration row to write: its values and its final flags. */
export interface RegistrationRow {
  values: RowValues;
  flags: RegistrationFlag[];
  /** The commission period that pays its activation, when claimed as it is written (storeRecords). */
  commissionPeriod?: string | null;
}

/**
 * One row in LOAD DATA's text format, in COLUMNS order, written straight from the values: imports
 * write millions. Only free text and configured strings can hold a tab or a backslash; numbers,
 * enums, dates, base64 and validated numbers cannot.
 */
function loadDataLine({ values: v, flags, commissionPeriod }: RegistrationRow): string {
  return `${v.agentId}\t${v.msisdn}\t${v.network}\t${loadDataCell(v.customerName)}\t${v.idType}\t${v.idCipher}\t${loadDataCell(v.idKeyId)}\t${v.idHash}\t${v.idMasked}\t${loadDataCell(v.tariffPlanCode)}\t${v.status}\t${dbDate(v.openedAt)}\t${dbDate(v.submittedAt)}\t${v.activatedAt ? dbDate(v.activatedAt) : '\\N'}\t${v.activationSeconds ?? '\\N'}\t${flags.join(',')}\t${flags.length ? 1 : 0}\t${v.msisdn}\t${commissionPeriod ?? '\\N'}`;
}

/** A value in LOAD DATA's default text format (tab-separated, backslash escapes, \N for NULL). */
export function loadDataCell(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}

interface MysqlResult {
  affectedRows: number;
  warningStatus: number;
}
interface MysqlConnection {
  query(options: { sql: string; infileStreamFactory: () => Readable }, cb: (err: Error | null, result: MysqlResult) => void): void;
}

/** Servers that refuse LOCAL INFILE (MySQL 8's default): their batches go through INSERT. */
const noLocalInfile = new WeakSet<object>();

function isLocalInfileRefused(err: unknown): boolean {
  const e = err as { code?: string; errno?: number };
  return e?.code === 'ER_NOT_ALLOWED_COMMAND' || e?.errno === 1148 || e?.errno === 3948 || e?.errno === 2068;
}

/**
 * Write rows with one LOAD DATA LOCAL INFILE from memory, in the caller's transaction. The server
 * ignores rows that break a unique key when the data is LOCAL, so anything short of every row
 * stored (a number taken by a concurrent batch since our look-up), or any warning,
 * fails the batch and its transaction rolls back. Returns false when the server refuses LOCAL INFILE.
 */
async function loadData(em: EntityManager, rows: RegistrationRow[]): Promise<boolean> {
  if (noLocalInfile.has(em.connection)) return false;
  const conn = (await (em.queryRunner as unknown as { connect(): Promise<MysqlConnection> }).connect()) as MysqlConnection;
  // One flat string (a += chain would be a rope that Buffer.from must flatten first).
  const lines = new Array<string>(rows.length + 1);
  for (let i = 0; i < rows.length; i++) lines[i] = loadDataLine(rows[i]);
  lines[rows.length] = '';
  const body = lines.join('\n');
  let result: MysqlResult;
  try {
    result = await new Promise<MysqlResult>((resolve, reject) =>
      conn.query(
        {
          sql: `LOAD DATA LOCAL INFILE 'registrations' INTO TABLE registration CHARACTER SET utf8mb4
                FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' (${COLUMNS.join(', ')})`,
          infileStreamFactory: () => Readable.from([Buffer.from(body, 'utf8')]),
        },
        (err, res) => (err ? reject(err) : resolve(res)),
      ),
    );
  } catch (err) {
    if (!isLocalInfileRefused(err)) throw err;
    noLocalInfile.add(em.connection);
    return false;
  }
  if (result.affectedRows !== rows.length) {
    throw new ConflictError(
      AgentsConflict.CHANGED_MEANWHILE,
      'A number of this batch was taken by a concurrent submission meanwhile; nothing was stored, try again',
    );
  }
  if (result.warningStatus) throw new Error(`LOAD DATA into registration reported ${result.warningStatus} warning(s); nothing was stored`);
  return true;
}

interface StoredNumber {
  msisdn: string;
  agentId: number;
  openedAt: Date;
  live: boolean;
}

/**
 * On Galera the locking read below does not reach the other nodes: two agents submitting one
 * identity through two nodes would each count the lines without the other's. Writing the
 * identities' bucket rows first (identity-guard.entity.ts) makes the two transactions' writesets
 * overlap, so the one certified second is rolled back and re-run by inTransaction, and then counts
 * the first one's lines. Buckets in ascending order, so two writers on one node do not deadlock.
 */
async function touchIdentityBuckets(em: EntityManager, hashes: string[]): Promise<void> {
  const buckets = [...new Set(hashes.map((h) => Buffer.from(h, 'base64url').readUInt16BE(0)))].sort((a, b) => a - b);
  await em.query(
    `INSERT INTO identity_guard (bucket, version) VALUES ${buckets.map(() => '(?, 1)').join(', ')} ON DUPLICATE KEY UPDATE version = version + 1`,
    buckets,
  );
}

/**
 * One statement for a round's two look-ups: the records already stored for these numbers, and
 * how many pending or active lines each identity holds (this transaction's own rows included).
 * On MySQL/MariaDB the count is a locking read: two agents submitting one identity at the same
 * time queue on each other's index records (or one is rolled back by deadlock detection and run
 * again by inTransaction), so neither misses the other's line. SQLite runs one transaction at a time.
 */
async function lookUp(em: EntityManager, msisdns: string[], hashes: string[]): Promise<{ stored: StoredNumber[]; lines: Map<string, number> }> {
  const mysql = isMysql(em);
  if (mysql && isGalera(em)) await touchIdentityBuckets(em, hashes);
  const count = `SELECT 2, idHash, NULL, NULL, NULL, COUNT(*) FROM registration
                  WHERE ${inList('idHash', hashes.length)} AND status IN ('${LIVE[0]}', '${LIVE[1]}') GROUP BY idHash`;
  const rows: { kind: number | string; k: string; agentId: unknown; openedAt: unknown; activeMsisdn: string | null; n: number | string }[] = await em.query(
    `SELECT 1 AS kind, msisdn AS k, agentId, openedAt, activeMsisdn, 0 AS n FROM registration WHERE ${inList('msisdn', msisdns.length)}
     UNION ALL ${mysql ? `(${count} LOCK IN SHARE MODE)` : count}`,
    [...msisdns, ...hashes],
  );
  const stored: StoredNumber[] = [];
  const lines = new Map<string, number>();
  for (const r of rows) {
    if (Number(r.kind) === 1) stored.push({ msisdn: r.k, agentId: Number(r.agentId), openedAt: fromDbDate(r.openedAt)!, live: !!r.activeMsisdn });
    else lines.set(r.k, Number(r.n));
  }
  return { stored, lines };
}

/**
 * Store a batch of prepared records in the caller's transaction. Records with errors stay
 * rejected. A record marked skipIfStored whose agent, number and opening instant are already
 * stored (or earlier in the batch) is skipped; a number that already has a pending or active line
 * (or appears earlier in the batch) is rejected; the rest are stored, flagged
 * ID_LINE_LIMIT_EXCEEDED when their identity then holds more than ID_LINE_LIMIT live lines.
 * `label(i)` names record i in messages about another record.
 *
 * A round per WRITE_CHUNK records: look the numbers up and count the identities' lines (one
 * statement), then write. The look-ups read the index pages the write then changes, so on a table
 * far larger than the buffer pool they cost few extra disk reads. A number taken by a concurrent writer between the
 * look-up and the write fails the whole batch (ConflictError or a unique-key error), to be retried.
 */
export async function storeRecords(em: EntityManager, records: PreparedRecord[], label: (index: number) => string): Promise<StoreOutcome[]> {
  const out: (StoreOutcome | null)[] = records.map((r) => (r.errors.length ? { kind: 'rejected', errors: r.errors } : null));

  // Repeats within the batch, without the database.
  const seenEvents = new Map<string, number>();
  const seenNumbers = new Map<string, number>();
  for (let i = 0; i < records.length; i++) {
    const v = records[i].values;
    if (!v || out[i]) continue;
    if (v.skipIfStored) {
      const event = `${v.agentId}|${v.msisdn}|${v.openedAt.getTime()}`;
      const first = seenEvents.get(event);
      if (first !== undefined) {
        out[i] = { kind: 'skipped', reason: `repeats ${label(first)} (same agent, number and opening time)` };
        continue;
      }
      seenEvents.set(event, i);
    }
    const earlier = seenNumbers.get(v.msisdn);
    if (earlier !== undefined) out[i] = { kind: 'rejected', errors: [{ field: 'msisdn', message: `is the same number as ${label(earlier)}` }] };
    else seenNumbers.set(v.msisdn, i);
  }

  const live = records.map((r, i) => (r.values && !out[i] ? i : -1)).filter((i) => i >= 0);
  for (const part of chunks(live, WRITE_CHUNK)) {
    const { stored, lines } = await lookUp(
      em,
      part.map((i) => records[i].values!.msisdn),
      [...new Set(part.map((i) => records[i].values!.idHash))],
    );
    const liveNumbers = new Set<string>();
    const events = new Set<string>();
    for (const r of stored) {
      if (r.live) liveNumbers.add(r.msisdn);
      events.add(`${r.agentId}|${r.msisdn}|${r.openedAt.getTime()}`);
    }
    const accepted: number[] = [];
    for (const i of part) {
      const v = records[i].values!;
      if (v.skipIfStored && events.has(`${v.agentId}|${v.msisdn}|${v.openedAt.getTime()}`)) out[i] = { kind: 'skipped', reason: 'already imported' };
      else if (liveNumbers.has(v.msisdn)) out[i] = { kind: 'rejected', errors: [{ field: 'msisdn', message: 'already has a pending or active line' }] };
      else accepted.push(i);
    }
    if (!accepted.length) continue;

    const rows: RegistrationRow[] = [];
    for (const i of accepted) {
      const { idHash } = records[i].values!;
      const count = (lines.get(idHash) ?? 0) + 1;
      lines.set(idHash, count);
      const flags =
        count > ID_LINE_LIMIT ? FLAG_ORDER.filter((f) => f === RegistrationFlag.ID_LINE_LIMIT_EXCEEDED || records[i].flags.includes(f)) : records[i].flags;
      out[i] = { kind: 'inserted', flags };
      rows.push({ values: records[i].values!, flags });
    }
    await claimCommissionPeriods(em, rows);
    await writeRegistrationRows(em, rows);
  }
  return out as StoreOutcome[];
}

/**
 * Each activated row gets the commission period of its month when that period is open (one
 * statement for the round, which locks those periods against closing until the batch commits:
 * agent-events.ts); a row of a closed month is left for the late claim of a later settlement.
 */
async function claimCommissionPeriods(em: EntityManager, rows: RegistrationRow[]): Promise<void> {
  const months = new Map<RegistrationRow, string>();
  for (const r of rows) if (r.values.activatedAt) months.set(r, periodKeyOf(r.values.activatedAt));
  if (!months.size) return;
  const open = await periodsTakingActivations(em, [...new Set(months.values())]);
  for (const [r, month] of months) r.commissionPeriod = open.has(month) ? month : null;
}

/**
 * Insert registration rows in the caller's transaction: LOAD DATA for large batches on
 * MySQL/MariaDB, multi-row INSERTs otherwise. A row that breaks a unique key fails the whole write.
 */
export async function writeRegistrationRows(em: EntityManager, rows: RegistrationRow[]): Promise<void> {
  if (isMysql(em) && em.queryRunner && rows.length >= LOAD_DATA_MIN_ROWS && (await loadData(em, rows))) return;
  const one = `(${placeholders(COLUMNS.length)})`;
  for (const part of chunks(rows, INSERT_CHUNK)) {
    await em.query(
      `INSERT INTO registration (${COLUMNS.join(', ')}) VALUES ${part.map(() => one).join(',')}`,
      part.flatMap((r) => rowParams(r.values, r.flags, r.commissionPeriod ?? null)),
    );
  }
}
