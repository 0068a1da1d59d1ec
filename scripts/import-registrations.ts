/**
 * `npm run import:registrations -- <file.csv> [options]`: bulk import of customer records into the
 * database of DATABASE_URL (default: the embedded SQLite file). The file format, the idempotency
 * key and the options are in docs/import.md.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { SingleBar } from 'cli-progress';
import mysql from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { AppConfig, loadConfig } from '../src/config';
import type { AuthUser } from '../src/common/auth';
import { Agent } from '../src/modules/agents/agent.entity';
import { AgentStatusChange } from '../src/modules/agents/agent-status-change.entity';
import { Registration } from '../src/modules/agents/registration.entity';
import { TariffPlan } from '../src/modules/agents/tariff-plan.entity';
import { ChangeLogEntry } from '../src/modules/changelog/change-log.entity';
import { Region } from '../src/modules/regions/region.entity';
import {
  IMPORT_ENCODINGS,
  ImportEncoding,
  ImportFileError,
  importFileSize,
  ImportProgress,
  importRegistrationsFile,
} from '../src/modules/agents/registration-import';

// What the import keeps alive is about 50 MB (two batches and the modules), but V8 lets the old
// generation grow to several times what survived its last full collection before collecting
// again, which put the peak near 350 MB. Growing the heap by half at a time keeps the peak near
// 200 MB, for a few per cent more time in the collector.
setFlagsFromString('--heap-growing-percent=50');

const USAGE = `usage: npm run import:registrations -- <file.csv> [--encoding utf-8|gb18030] [--rejects <path>] [--batch-size <n>]
       [--include-inactive-agents] [--as <username>] [--json <summary.json>] [--no-progress]`;

interface Args {
  file: string;
  encoding: ImportEncoding;
  rejects?: string;
  batchSize?: number;
  includeInactive: boolean;
  as?: string;
  json?: string;
  progress: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Partial<Args> = { includeInactive: false, progress: true, encoding: 'utf-8' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new ImportFileError(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--rejects') args.rejects = value();
    else if (a === '--encoding') {
      const e = value()
        .toLowerCase()
        .replace(/^utf8$/, 'utf-8')
        .replace(/^gbk$/, 'gb18030');
      if (!IMPORT_ENCODINGS.includes(e as ImportEncoding))
        throw new ImportFileError(`--encoding must be one of ${IMPORT_ENCODINGS.join(', ')} (gbk reads as gb18030)`);
      args.encoding = e as ImportEncoding;
    } else if (a === '--batch-size') args.batchSize = Number(value());
    else if (a === '--include-inactive-agents') args.includeInactive = true;
    else if (a === '--as') args.as = value();
    else if (a === '--json') args.json = value();
    else if (a === '--no-progress') args.progress = false;
    else if (a === '-h' || a === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else if (a.startsWith('-')) throw new ImportFileError(`unknown option ${a}\n${USAGE}`);
    else if (!args.file) args.file = a;
    else throw new ImportFileError(`one file at a time\n${USAGE}`);
  }
  if (!args.file) throw new ImportFileError(USAGE);
  return args as Args;
}

/**
 * The tables the import touches, and nothing else: src/data-source.ts loads every module of the
 * app (about 50 MB more), and the import must stay well under 300 MB however large the file.
 * Same connection settings as the app's DataSource; the schema must already exist.
 */
async function importDataSource(config: AppConfig): Promise<DataSource> {
  const entities = [Region, Agent, AgentStatusChange, Registration, TariffPlan, ChangeLogEntry];
  if (config.database.type === 'sqlite') {
    return new DataSource({
      type: 'better-sqlite3',
      database: config.database.path,
      entities,
      prepareDatabase: (db: { pragma: (s: string) => unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 5000');
      },
    });
  }
  const u = new URL(config.database.url);
  let flavor = config.database.flavor;
  if (!flavor) {
    const c = await mysql.createConnection({
      host: u.hostname,
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
    });
    const [rows] = await c.query('SELECT VERSION() AS v');
    await c.end();
    flavor = /mariadb/i.test(String((rows as { v: string }[])[0].v)) ? 'mariadb' : 'mysql';
  }
  return new DataSource({
    type: flavor,
    url: config.database.url,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    entities,
    supportBigNumbers: true,
    bigNumberStrings: true,
    connectTimeout: config.dbTimeoutMs,
    poolSize: 2,
  });
}

function rate(rows: number, ms: number): number {
  return Math.round(rows / Math.max(ms / 1000, 0.001));
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  // A file that cannot be read is said in one line before anything connects to the database.
  importFileSize(resolve(args.file));
  const config = loadConfig({ ...process.env, SEED: 'none' });
  // The schema is the migrations' business (npm run migration:run), not an import's.
  const ds = await importDataSource(config);
  await ds.initialize();
  const started = Date.now();
  let bar: SingleBar | null = null;
  let lastLine = 0;
  try {
    let actor: AuthUser | null = null;
    if (args.as) {
      const rows: { id: number | string; role: AuthUser['role'] }[] = await ds.query('SELECT id, role FROM app_user WHERE username = ?', [args.as]);
      if (!rows.length) throw new ImportFileError(`--as: no user ${args.as}`);
      actor = { id: Number(rows[0].id), username: args.as, role: rows[0].role, repairPartnerId: null, agentId: null };
    }
    if (args.progress && process.stderr.isTTY) {
      bar = new SingleBar({
        format: 'importing |{bar}| {percentage}% | {rows} rows | {rate} rows/s | {inserted} in, {skipped} skipped, {rejected} rejected | ETA {eta_formatted}',
        hideCursor: true,
        etaBuffer: 30,
      });
    }
    const onProgress = (p: ImportProgress) => {
      const payload = { ...p, rate: rate(p.rows, Date.now() - started) };
      if (bar) {
        if (!bar.isActive) bar.start(p.totalBytes, 0, payload);
        bar.update(p.bytes, payload);
      } else if (args.progress && Date.now() - lastLine > 10_000) {
        lastLine = Date.now();
        const pct = p.totalBytes ? ((100 * p.bytes) / p.totalBytes).toFixed(1) : '100';
        console.error(`${pct}% ${p.rows} rows ${payload.rate} rows/s: ${p.inserted} in, ${p.skipped} skipped, ${p.rejected} rejected`);
      }
    };
    const summary = await importRegistrationsFile(ds, config, args.file, {
      encoding: args.encoding,
      rejectsPath: args.rejects,
      batchSize: args.batchSize,
      includeInactiveAgents: args.includeInactive,
      actor,
      onProgress,
    });
    bar?.stop();
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const flags =
      Object.entries(summary.flagged)
        .map(([f, n]) => `${f} ${n}`)
        .join(', ') || 'none';
    console.log(
      `${summary.rows} rows in ${summary.seconds.toFixed(1)} s (${summary.rowsPerSecond} rows/s): ` +
        `${summary.inserted} inserted, ${summary.skipped} skipped (already imported), ${summary.rejected} rejected` +
        (summary.rejected ? ` (reasons in ${summary.rejectsPath})` : ''),
    );
    console.log(`flags on inserted records: ${flags}`);
    console.log(`peak memory (RSS): ${peakRssMb} MB`);
    if (args.json) writeFileSync(args.json, JSON.stringify({ ...summary, peakRssMb }, null, 2));
  } finally {
    bar?.stop();
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error(err instanceof ImportFileError ? `import: ${err.message}` : err);
  process.exit(1);
});
