/**
 * Bulk import of customer records from a CSV file (back-office migration), used by
 * `npm run import:registrations -- <file.csv>`. The file is streamed, never held in memory; every
 * row goes through the same validation, encryption and flagging as `submitRegistrations`
 * (prepareRecord/storeRecords), a batch per transaction. Re-running a file adds nothing: a row whose
 * agent, number and opening instant are already stored is skipped. See docs/import.md.
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { Transform, TransformCallback, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { DataSource } from 'typeorm';
import { csvStream } from '../../common/csv';
import type { AuthUser } from '../../common/auth';
import { ConflictError, isUniqueViolation } from '../../common/errors';
import { inTransaction } from '../../common/tx';
import { signalsOf } from '../../common/signals';
import type { AppConfig } from '../../config';
import { recordChange } from '../changelog/change-log.service';
import { AgentStatus } from './agent.entity';
import { identityCipher } from './identity-crypto';
import { FieldError, PreparedRecord, prepareRecord, RecordFields, StoreOutcome, storeRecords } from './registration-ingest';
import { RegistrationFlag } from './registration.entity';
import { loadPlans } from './registration.service';

export const REQUIRED_COLUMNS = ['agentCode', 'msisdn', 'network', 'customerName', 'idType', 'idNumber', 'tariffPlanCode', 'openedAt'] as const;
export const OPTIONAL_COLUMNS = ['submittedAt', 'activatedAt'] as const;
const KNOWN = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);

export interface ImportProgress {
  /** Bytes of the file read so far, and its size. */
  bytes: number;
  totalBytes: number;
  rows: number;
  inserted: number;
  skipped: number;
  rejected: number;
}

/** What the file's bytes are: UTF-8 (the default; a BOM is fine) or GB18030 (what Excel writes on a Chinese Windows; GBK is a subset). */
export type ImportEncoding = 'utf-8' | 'gb18030';
export const IMPORT_ENCODINGS: readonly ImportEncoding[] = ['utf-8', 'gb18030'];

export interface ImportOptions {
  encoding?: ImportEncoding;
  /** Where to write the rejected rows with their reasons (default: <file>.rejects.csv). */
  rejectsPath?: string;
  /**
   * Rows per transaction (default 1,000, as many as one submitRegistrations call). Larger batches
   * save little: the locking line count slows down as one transaction's locks pile up.
   */
  batchSize?: number;
  /** Accept rows of SUSPENDED or TERMINATED agents (history of agents that have since stopped). */
  includeInactiveAgents?: boolean;
  /** Who the change log names; null: the system. */
  actor?: AuthUser | null;
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportSummary extends ImportProgress {
  file: string;
  rejectsPath: string;
  flagged: Partial<Record<RegistrationFlag, number>>;
  seconds: number;
  rowsPerSecond: number;
}

type CsvRow = Record<string, string>;

export const DEFAULT_BATCH_SIZE = 1000;
const PREPARE_SLICE = 250;

interface Batch {
  rows: CsvRow[];
  /** The rows' cells as read, every column of the file (the rejects file keeps them all). */
  cells: string[][];
  /** Record numbers in the file: 1 is the first row after the header. */
  numbers: number[];
  prepared: PreparedRecord[];
}

export class ImportFileError extends Error {}

const NEWLINE = 0x0a;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const REPLACEMENT_UTF8 = Buffer.from('\uFFFD', 'utf8');

/**
 * Bytes → text, whole lines at a time, refusing anything that is not text in the given encoding:
 * bytes that are not UTF-8 (a GBK file read as UTF-8 would be stored as "����"), and U+FFFD, the
 * mark a wrong decoding left in a file before. The error names the file's line (1 is the header).
 * A line feed byte is never part of a multi-byte character in UTF-8 or GB18030, so cutting the
 * stream after the last one in a chunk never splits a character.
 */
export class TextLines extends Transform {
  private carry: Buffer = Buffer.alloc(0);
  private line = 1;
  private first = true;
  bytes = 0;

  constructor(private readonly encoding: ImportEncoding) {
    super({ readableObjectMode: false, decodeStrings: true, encoding: 'utf8' });
  }

  _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    let buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    if (this.first && buf.length >= 3) {
      this.first = false;
      if (this.encoding === 'utf-8' && buf.subarray(0, 3).equals(UTF8_BOM)) buf = buf.subarray(3);
    }
    const end = buf.lastIndexOf(NEWLINE);
    if (end < 0) {
      this.carry = Buffer.from(buf);
      cb();
      return;
    }
    this.carry = Buffer.from(buf.subarray(end + 1));
    this.emitLines(buf.subarray(0, end + 1), cb);
  }

  _flush(cb: TransformCallback): void {
    if (this.first && this.encoding === 'utf-8' && this.carry.subarray(0, 3).equals(UTF8_BOM)) this.carry = this.carry.subarray(3);
    if (this.carry.length) this.emitLines(this.carry, cb);
    else cb();
  }

  private emitLines(buf: Buffer, cb: TransformCallback): void {
    const text = this.decode(buf);
    if (text === null) {
      cb(this.badLine(buf));
      return;
    }
    let n = 0;
    for (let i = buf.indexOf(NEWLINE); i >= 0; i = buf.indexOf(NEWLINE, i + 1)) n++;
    this.line += n;
    cb(null, text);
  }

  /** The text, or null when the bytes are not valid in the encoding. */
  private decode(buf: Buffer): string | null {
    if (this.encoding === 'utf-8') {
      if (!isUtf8(buf) || buf.includes(REPLACEMENT_UTF8)) return null;
      return buf.toString('utf8');
    }
    const text = iconv.decode(buf, 'gb18030', { stripBOM: this.line === 1 });
    return text.includes('\uFFFD') ? null : text;
  }

  /** Only on failure: find the first bad line of the piece. */
  private badLine(buf: Buffer): ImportFileError {
    let start = 0;
    let line = this.line;
    while (start < buf.length) {
      const nl = buf.indexOf(NEWLINE, start);
      const end = nl < 0 ? buf.length : nl + 1;
      if (this.decode(buf.subarray(start, end)) === null) break;
      start = end;
      line++;
    }
    const hint =
      this.encoding === 'utf-8'
        ? 'is not valid UTF-8 (or holds U+FFFD, the mark of an earlier wrong decoding). A file saved by Excel on a Chinese Windows is GB18030: run again with --encoding gb18030'
        : 'is not valid GB18030 (or holds U+FFFD). If the file is UTF-8, run again without --encoding';
    return new ImportFileError(`line ${line} of the file ${hint}; nothing was imported from this file`);
  }
}

/** Reads the whole file through TextLines first, so that a file with a bad line stores nothing at all. */
async function checkEncoding(path: string, encoding: ImportEncoding): Promise<void> {
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  await pipeline(createReadStream(path), new TextLines(encoding), sink);
}

/**
 * A cell the rejects file neutralised ("'=…", see common/csv.ts) comes back without its apostrophe,
 * so that a corrected rejects file imports as it is.
 */

const NEUTRALISED = /^'(?=[\s\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u2060\ufeff]*[=+\-@])/;

function fileError(err: unknown, path: string): never {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') throw new ImportFileError(`no such file: ${path}`);
  if (code === 'EACCES' || code === 'EPERM') throw new ImportFileError(`cannot read ${path}: permission denied`);
  if (code === 'EISDIR') throw new ImportFileError(`${path} is a directory, not a CSV file`);
  throw err;
}

/** The size of a file to import, or an ImportFileError that says in one line why it cannot be read. */
export function importFileSize(path: string): number {
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    return st.size;
  } catch (err) {
    return fileError(err, path);
  }
}

/** Import one CSV file; resolves with the counts once every row is stored or rejected. */
export async function importRegistrationsFile(ds: DataSource, config: AppConfig, file: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const started = Date.now();
  const path = resolve(file);
  const totalBytes = importFileSize(path);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new ImportFileError('batch size must be 1 to 10000');
  const encoding = options.encoding ?? 'utf-8';
  if (!IMPORT_ENCODINGS.includes(encoding)) throw new ImportFileError(`encoding must be one of ${IMPORT_ENCODINGS.join(', ')}`);
  const rejectsPath = resolve(options.rejectsPath ?? `${path}.rejects.csv`);
  if (rejectsPath === path) throw new ImportFileError('the rejects file must not be the file imported');
  // Before anything is stored: one bad line and nothing of the file goes in.
  await checkEncoding(path, encoding).catch((err) => (err instanceof ImportFileError ? Promise.reject(err) : fileError(err, path)));

  const agents = new Map<string, { id: number; status: AgentStatus }>(
    ((await ds.query('SELECT id, code, status FROM agent')) as { id: number | string; code: string; status: AgentStatus }[]).map((a) => [
      a.code.toUpperCase(),
      { id: Number(a.id), status: a.status },
    ]),
  );
  const plans = await loadPlans(ds.manager);
  const cipher = identityCipher(config);

  // Records as arrays, mapped by the header here: csv-parse's column objects and per-record info
  // cost more than all the validation of a row. Fields are trimmed by the validation itself.
  const parser = parse({ skip_empty_lines: true, relax_column_count: true });
  const input = createReadStream(path);
  const text = new TextLines(encoding);
  input.on('error', (err) => text.destroy(err));
  text.on('error', (err) => parser.destroy(err));
  input.pipe(text).pipe(parser);

  // The rejects file holds identity numbers: created afresh, readable by its owner only, whatever
  // a file of that name had before (unlinked, then created exclusively with mode 0600).
  rmSync(rejectsPath, { force: true });
  const rejectsFile = createWriteStream(rejectsPath, { mode: 0o600, flags: 'wx' });
  const rejectsDone = new Promise<void>((res, rej) => {
    rejectsFile.on('finish', res);
    rejectsFile.on('error', rej);
  });
  // Opened once the header is known: the columns are the file's own (unknown ones included).
  let rejects: ReturnType<typeof csvStream> | null = null;
  let rejectColumns: string[] = [];
  const openRejects = (header: string[]) => {
    // A rejects file imported again: its own row and reasons columns are replaced, not repeated.
    rejectColumns = header.filter((c) => c !== 'row' && c !== 'reasons');
    rejects = csvStream(['row', 'reasons', ...rejectColumns]);
    rejects.pipe(rejectsFile);
  };
  const closeRejects = () => {
    if (!rejects) openRejects([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);
    rejects!.end();
  };

  const counts: ImportProgress = { bytes: 0, totalBytes, rows: 0, inserted: 0, skipped: 0, rejected: 0 };
  const flagged: Partial<Record<RegistrationFlag, number>> = {};
  let batchNo = 0;

  const reject = (cells: string[], number: number, errors: FieldError[]) => {
    counts.rejected++;
    const out: (string | number)[] = [number, errors.map((e) => `${e.field}: ${e.message}`).join('; ')];
    for (const c of rejectColumns) out.push(cells[header!.indexOf(c)] ?? '');
    if (!rejects!.write(out)) return new Promise<void>((r) => rejects!.once('drain', r));
    return undefined;
  };

  /**
   * CPU only: runs while the previous batch is being written, a slice at a time, so that the
   * write's statements are sent as soon as the one before answers rather than after the whole batch.
   */
  const prepare = async (rows: CsvRow[], cells: string[][], numbers: number[]): Promise<Batch> => {
    const env = { cipher, plans, now: new Date(), history: true };
    const prepared: PreparedRecord[] = [];
    for (let start = 0; start < rows.length; start += PREPARE_SLICE) {
      if (start) await new Promise((r) => setImmediate(r));
      for (const row of rows.slice(start, start + PREPARE_SLICE)) prepared.push(prepareRow(row, env));
    }
    return { rows, cells, numbers, prepared };
  };

  const prepareRow = (row: CsvRow, env: Parameters<typeof prepareRecord>[2]): PreparedRecord => {
    const code = (row.agentCode ?? '').trim().toUpperCase();
    const agent = agents.get(code);
    const agentError: FieldError | null = !code
      ? { field: 'agentCode', message: 'is required' }
      : !agent
        ? { field: 'agentCode', message: 'is not a known agent' }
        : agent.status !== AgentStatus.ACTIVE && !options.includeInactiveAgents
          ? { field: 'agentCode', message: `agent is ${agent.status} (use --include-inactive-agents to import its history)` }
          : null;
    const rec = prepareRecord(agent?.id ?? 0, row as RecordFields, env);
    if (agentError) return { errors: [agentError, ...rec.errors], flags: [] };
    if (rec.values) rec.values.skipIfStored = true;
    return rec;
  };

  const store = async (batch: Batch) => {
    const n = ++batchNo;
    const attempt = () =>
      inTransaction(ds, async (em) => {
        const out = await storeRecords(em, batch.prepared, (i) => `row ${batch.numbers[i]}`);
        await recordChange(em, options.actor ?? null, {
          action: 'importRegistrations',
          entityType: 'RegistrationImport',
          entityId: basename(path).slice(0, 64),
          data: {
            batch: n,
            rows: [batch.numbers[0], batch.numbers[batch.numbers.length - 1]],
            inserted: out.filter((o) => o.kind === 'inserted').length,
            skipped: out.filter((o) => o.kind === 'skipped').length,
            rejected: out.filter((o) => o.kind === 'rejected').length,
          },
        });
        return out;
      });
    // A concurrent submission can take a number between the look-up and the write; the batch then
    // rolls back whole, and its second run sees the number taken and rejects that row.
    const outcomes: StoreOutcome[] = await attempt().catch((err) => {
      if (err instanceof ConflictError || isUniqueViolation(err)) return attempt();
      throw err;
    });
    for (let i = 0; i < outcomes.length; i++) {
      const o = outcomes[i];
      if (o.kind === 'inserted') {
        counts.inserted++;
        for (const f of o.flags) flagged[f] = (flagged[f] ?? 0) + 1;
      } else if (o.kind === 'skipped') counts.skipped++;
      else await reject(batch.cells[i], batch.numbers[i], o.errors);
    }
    counts.bytes = Math.min(totalBytes, text.bytes);
    signals.emit('importRows', { rows: outcomes.length });
    options.onProgress?.({ ...counts });
  };

  let pending: Promise<void> = Promise.resolve();
  let rows: CsvRow[] = [];
  let cellRows: string[][] = [];
  let numbers: number[] = [];
  let header: string[] | null = null;
  // Said once the file is open and the batches begin, so the metrics' gauge of imports running and
  // their rows counter (rate() of it: rows per second) move together.
  const signals = signalsOf(ds);
  signals.emit('importRun', { phase: 'start' });
  try {
    for await (const raw of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = raw.map((c) => c.trim());
        const missing = REQUIRED_COLUMNS.filter((c) => !header!.includes(c));
        if (missing.length) throw new ImportFileError(`the header lacks column(s) ${missing.join(', ')}; see docs/import.md`);
        openRejects(header);
        continue;
      }
      const cells = raw.map((c) => (c.charCodeAt(0) === 39 && NEUTRALISED.test(c) ? c.slice(1) : c));
      const record: CsvRow = {};
      for (let c = 0; c < header.length; c++) if (KNOWN.has(header[c])) record[header[c]] = cells[c];
      rows.push(record);
      cellRows.push(cells);
      numbers.push(++counts.rows);
      if (rows.length >= batchSize) {
        const batch = await prepare(rows, cellRows, numbers);
        rows = [];
        cellRows = [];
        numbers = [];
        await pending;
        pending = store(batch);
      }
    }
    await pending;
    if (rows.length) await store(await prepare(rows, cellRows, numbers));
  } catch (err) {
    await pending.catch(() => undefined);
    closeRejects();
    await rejectsDone.catch(() => undefined);
    throw err;
  } finally {
    signals.emit('importRun', { phase: 'end' });
  }
  counts.bytes = totalBytes;
  closeRejects();
  await rejectsDone;
  const seconds = (Date.now() - started) / 1000;
  return { ...counts, file: path, rejectsPath, flagged, seconds, rowsPerSecond: Math.round(counts.rows / Math.max(seconds, 0.001)) };
}
