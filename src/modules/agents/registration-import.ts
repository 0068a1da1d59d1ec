/**
 * Bulk import of customer records from a CSV file (back-office migration), used by
 * `npm run import:registrations -- <file.csv>`. The file is streamed, never held in memory; every
 * row goes through the same validation, encryption and flagging as `submitRegistrations`
 * (prepareRecord/storeRecords), a batch per transaction. Re-running a file adds nothing: a row whose
 * agent, number and opening instant are already stored is skipped. See docs/import.md.
 */
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth';
import { ConflictError, isUniqueViolation } from '../../common/errors';
import { inTransaction } from '../../common/tx';
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

export interface ImportOptions {
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
  /** Record numbers in the file: 1 is the first row after the header. */
  numbers: number[];
  prepared: PreparedRecord[];
}

export class ImportFileError extends Error {}

/** Import one CSV file; resolves with the counts once every row is stored or rejected. */
export async function importRegistrationsFile(
  ds: DataSource,
  config: AppConfig,
  file: string,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const started = Date.now();
  const path = resolve(file);
  const totalBytes = statSync(path).size;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new ImportFileError('batch size must be 1 to 10000');
  const rejectsPath = resolve(options.rejectsPath ?? `${path}.rejects.csv`);

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
  const parser = parse({ bom: true, skip_empty_lines: true, relax_column_count: true });
  const input = createReadStream(path);
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);

  // Rejects are written as they come; the writer is drained before the summary returns.
  const rejects = stringify({ header: true, columns: ['row', 'reasons', ...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS] });
  const rejectsFile = createWriteStream(rejectsPath, { mode: 0o600 });
  rejects.pipe(rejectsFile);
  const rejectsDone = new Promise<void>((res, rej) => {
    rejectsFile.on('finish', res);
    rejectsFile.on('error', rej);
  });

  const counts: ImportProgress = { bytes: 0, totalBytes, rows: 0, inserted: 0, skipped: 0, rejected: 0 };
  const flagged: Partial<Record<RegistrationFlag, number>> = {};
  let batchNo = 0;

  const reject = (row: CsvRow, number: number, errors: FieldError[]) => {
    counts.rejected++;
    const out: Record<string, string | number> = { row: number, reasons: errors.map((e) => `${e.field}: ${e.message}`).join('; ') };
    for (const c of KNOWN) out[c] = row[c] ?? '';
    if (!rejects.write(out)) return new Promise<void>((r) => rejects.once('drain', r));
    return undefined;
  };

  /**
   * CPU only: runs while the previous batch is being written, a slice at a time, so that the
   * write's statements are sent as soon as the one before answers rather than after the whole batch.
   */
  const prepare = async (rows: CsvRow[], numbers: number[]): Promise<Batch> => {
    const env = { cipher, plans, now: new Date(), history: true };
    const prepared: PreparedRecord[] = [];
    for (let start = 0; start < rows.length; start += PREPARE_SLICE) {
      if (start) await new Promise((r) => setImmediate(r));
      for (const row of rows.slice(start, start + PREPARE_SLICE)) prepared.push(prepareRow(row, env));
    }
    return { rows, numbers, prepared };
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
    const attempt = () => inTransaction(ds, async (em) => {
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
      else await reject(batch.rows[i], batch.numbers[i], o.errors);
    }
    counts.bytes = Math.min(totalBytes, parser.info.bytes);
    options.onProgress?.({ ...counts });
  };

  let pending: Promise<void> = Promise.resolve();
  let rows: CsvRow[] = [];
  let numbers: number[] = [];
  let header: string[] | null = null;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = cells.map((c) => c.trim());
        const missing = REQUIRED_COLUMNS.filter((c) => !header!.includes(c));
        if (missing.length) throw new ImportFileError(`the header lacks column(s) ${missing.join(', ')}; see docs/import.md`);
        continue;
      }
      const record: CsvRow = {};
      for (let c = 0; c < header.length; c++) if (KNOWN.has(header[c])) record[header[c]] = cells[c];
      rows.push(record);
      numbers.push(++counts.rows);
      if (rows.length >= batchSize) {
        const batch = await prepare(rows, numbers);
        rows = [];
        numbers = [];
        await pending;
        pending = store(batch);
      }
    }
    await pending;
    if (rows.length) await store(await prepare(rows, numbers));
  } catch (err) {
    await pending.catch(() => undefined);
    rejects.end();
    await rejectsDone.catch(() => undefined);
    throw err;
  }
  counts.bytes = totalBytes;
  rejects.end();
  await rejectsDone;
  const seconds = (Date.now() - started) / 1000;
  return { ...counts, file: path, rejectsPath, flagged, seconds, rowsPerSecond: Math.round(counts.rows / Math.max(seconds, 0.001)) };
}
