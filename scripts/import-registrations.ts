/**
 * `npm run import:registrations -- <file.csv> [options]`: bulk import of customer records into the
 * database of DATABASE_URL (default: the embedded SQLite file). The file format, the idempotency
 * key and the options are in docs/import.md.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { loadConfig } from '../src/config';
import { createDataSource, resolveFlavor } from '../src/data-source';
import type { AuthUser } from '../src/common/auth';
import { ImportFileError, ImportProgress, importRegistrationsFile } from '../src/modules/agents/registration-import';

const USAGE = `usage: npm run import:registrations -- <file.csv> [--rejects <path>] [--batch-size <n>]
       [--include-inactive-agents] [--as <username>] [--json <summary.json>] [--no-progress]`;

interface Args {
  file: string;
  rejects?: string;
  batchSize?: number;
  includeInactive: boolean;
  as?: string;
  json?: string;
  progress: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Partial<Args> = { includeInactive: false, progress: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new ImportFileError(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--rejects') args.rejects = value();
    else if (a === '--batch-size') args.batchSize = Number(value());
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

function rate(rows: number, ms: number): number {
  return Math.round(rows / Math.max(ms / 1000, 0.001));
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const config = await resolveFlavor(loadConfig({ ...process.env, SEED: 'none' }));
  // The schema is the migrations' business (npm run migration:run), not an import's.
  const ds = createDataSource({ ...config, runMigrations: false });
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
      rejectsPath: args.rejects,
      batchSize: args.batchSize,
      includeInactiveAgents: args.includeInactive,
      actor,
      onProgress,
    });
    bar?.stop();
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const flags = Object.entries(summary.flagged).map(([f, n]) => `${f} ${n}`).join(', ') || 'none';
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
