/**
 * `npm run bench:settle`: settle a commission period of 10,000 agents, 1,000,000 registrations and
 * 50,000 audit findings (50,000 confirmed penalties) on MariaDB, against one hand-written aggregate
 * query over the same rows as the ceiling. Data is generated set-based (INSERT ... SELECT from
 * MariaDB's sequence engine) into a database of its own, `bench_audits` (override with
 * BENCH_DATABASE_URL). `--reuse` keeps data an earlier run generated. `--covering-index` adds the
 * two indexes this module asks the agents module for (REQUESTED_INDEXES), to show what they change;
 * without the flag the bench makes sure they are absent.
 *
 * Also exports the data generator for bench/sample.ts.
 */
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../src/common/auth';
import { Role } from '../src/common/roles';
import { SqlCounter } from '../src/common/sql-counter';
import { inTransaction } from '../src/common/tx';
import { loadConfig } from '../src/config';
import { createDataSource, resolveFlavor } from '../src/data-source';
import { closeCommissionPeriod, settleCommissions } from '../src/modules/audits/commission.service';
import { recreateDatabase } from '../scripts/mysql-admin';
import { seedReference } from '../seeds';
import { cpuTicks, mariadbdPid } from './proc-cpu';

export const BENCH = {
  agents: 10_000,
  registrations: 1_000_000,
  findings: 50_000,
  period: '2024-03',
  /** 2024-03-01 00:00 in Shanghai. */
  periodStartUtc: '2024-02-29 16:00:00.000',
  /** Seconds per record so that 1,000,000 openings spread over the 31 days of March. */
  spacing: (31 * 86400) / 1_000_000,
  /** One record in this many carries a flag (late entry). */
  flagEvery: 1000,
};

export const FINANCE: AuthUser = { id: 5, username: 'finance', role: Role.FINANCE, repairPartnerId: null, agentId: null };
export const AUDITOR: AuthUser = { id: 3, username: 'auditor', role: Role.AUDITOR, repairPartnerId: null, agentId: null };

export function benchUrl(): { url: string; database: string } {
  const raw = process.env.BENCH_DATABASE_URL || 'mysql://root@127.0.0.1:3306/bench_audits';
  const u = new URL(raw);
  const database = u.pathname.replace(/^\//, '') || 'bench_audits';
  return { url: raw, database };
}

export async function openBench(counter?: SqlCounter): Promise<DataSource> {
  const { url, database } = benchUrl();
  const config = await resolveFlavor(
    loadConfig({ ...process.env, NODE_ENV: 'test', DATABASE_URL: url, RUN_MIGRATIONS: 'true', SEED: 'none', LOG_LEVEL: 'silent' }),
  );
  const ds = createDataSource(config, { databaseName: database, logger: counter });
  await ds.initialize();
  return ds;
}

/**
 * Not in the schema: the covering indexes this module asks the agents module for (see
 * results-audits.md). Settlement groups activations by agent; a draw scans a period's openings.
 */
export const REQUESTED_INDEXES: Record<string, string> = {
  bench_requested_status_activated_agent: '(status, activatedAt, agentId)',
  bench_requested_opened_status_flagged_agent: '(openedAt, status, flagged, agentId)',
};

export async function setRequestedIndex(ds: DataSource, wanted: boolean): Promise<void> {
  for (const [name, columns] of Object.entries(REQUESTED_INDEXES)) {
    const [{ n }] = await ds.query(
      `SELECT COUNT(*) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'registration' AND INDEX_NAME = ?`,
      [name],
    );
    if (wanted && !Number(n)) await timed(`adding ${name} ${columns}`, () => ds.query(`CREATE INDEX ${name} ON registration ${columns}`));
    if (!wanted && Number(n)) await ds.query(`DROP INDEX ${name} ON registration`);
  }
}

export const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

export const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

export async function timed<T>(label: string, fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  const took = ms(t0);
  console.log(`  ${label}: ${took.toFixed(0)} ms`);
  return { value, ms: took };
}

/**
 * NOT NULL columns without a default that this generator does not know (another module may add
 * some later): filled with a neutral value of their type so the INSERT still works.
 */
async function fillers(ds: DataSource, database: string, table: string, known: string[]): Promise<{ cols: string[]; exprs: string[] }> {
  const rows: { name: string; type: string; uniq: number | string }[] = await ds.query(
    `SELECT c.COLUMN_NAME AS name, c.DATA_TYPE AS type,
            (SELECT COUNT(*) FROM information_schema.STATISTICS s WHERE s.TABLE_SCHEMA = c.TABLE_SCHEMA AND s.TABLE_NAME = c.TABLE_NAME
              AND s.COLUMN_NAME = c.COLUMN_NAME AND s.NON_UNIQUE = 0) AS uniq
       FROM information_schema.COLUMNS c
      WHERE c.TABLE_SCHEMA = ? AND c.TABLE_NAME = ? AND c.IS_NULLABLE = 'NO' AND c.COLUMN_DEFAULT IS NULL AND c.EXTRA NOT LIKE '%auto_increment%'`,
    [database, table],
  );
  const cols: string[] = [];
  const exprs: string[] = [];
  for (const r of rows.filter((x) => !known.includes(x.name))) {
    cols.push(r.name);
    if (/int|decimal|double|float/.test(r.type)) exprs.push(Number(r.uniq) ? 'seq' : '0');
    else if (/date|time/.test(r.type)) exprs.push(`TIMESTAMP'${BENCH.periodStartUtc}'`);
    else exprs.push(Number(r.uniq) ? `CONCAT('x', seq)` : `'x'`);
  }
  if (cols.length) console.log(`  (${table}: filling unknown NOT NULL columns ${cols.join(', ')})`);
  return { cols, exprs };
}

async function count(ds: DataSource, table: string): Promise<number> {
  const [r] = await ds.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(r.n);
}

/** Does the bench database already hold the generated data? */
export async function benchDataPresent(): Promise<boolean> {
  try {
    const ds = await openBench();
    try {
      return (
        (await count(ds, 'agent')) === BENCH.agents &&
        (await count(ds, 'registration')) === BENCH.registrations &&
        (await count(ds, 'audit_finding')) === BENCH.findings
      );
    } finally {
      await ds.destroy();
    }
  } catch {
    return false;
  }
}

/** Recreate the bench database and fill it, set-based. */
export async function generateBenchData(): Promise<void> {
  const { url, database } = benchUrl();
  console.log(`generating into ${database}: ${BENCH.agents} agents, ${BENCH.registrations} registrations, ${BENCH.findings} findings`);
  await recreateDatabase(url, database);
  const ds = await openBench(); // runs the migrations
  try {
    const config = loadConfig({ ...process.env, NODE_ENV: 'test', DATABASE_URL: url, SEED: 'none' });
    await seedReference(ds, config);

    const agentCols = ['code', 'name', 'kind', 'status', 'regionId', 'commissionPerActivationFen', 'riskScore', 'createdAt'];
    const af = await fillers(ds, database, 'agent', [...agentCols, 'id']);
    await timed('agents', () =>
      ds.query(
        `INSERT INTO agent (${[...agentCols, ...af.cols].join(', ')})
         SELECT CONCAT('B', LPAD(seq, 5, '0')), CONCAT('Bench outlet ', seq), ELT(1 + seq MOD 3, 'DEALER', 'FRANCHISE_HALL', 'OUTLET'), 'ACTIVE',
                1 + seq MOD 8, 2000 + (seq MOD 5) * 500, seq MOD 101, TIMESTAMP'2023-01-01 00:00:00' + INTERVAL seq MINUTE
                ${af.exprs.map((e) => `, ${e}`).join('')}
           FROM seq_1_to_${BENCH.agents}`,
      ),
    );

    const regCols = [
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
    ];
    const rf = await fillers(ds, database, 'registration', [...regCols, 'id']);
    const chunk = 100_000;
    await timed('registrations', async () => {
      for (let from = 1; from <= BENCH.registrations; from += chunk) {
        const to = Math.min(BENCH.registrations, from + chunk - 1);
        await ds.query(
          `INSERT INTO registration (${[...regCols, ...rf.cols].join(', ')})
           SELECT 1 + seq MOD ${BENCH.agents}, CONCAT('13', LPAD(seq, 9, '0')), IF(seq MOD 2 = 0, 'CDMA', 'GSM'), 'bench', 'RESIDENT_ID',
                  'bench', 'dev1', CONCAT('h', seq MOD 700000), '4210**********0000', IF(seq MOD 2 = 0, 'CDMA-XSK-39', 'GSM-XSL-19'), st,
                  o, s, IF(st = 'ACTIVE', s + INTERVAL act SECOND, NULL), IF(st = 'ACTIVE', act, NULL),
                  IF(late, 'LATE_ENTRY', ''), late, IF(st = 'REJECTED', NULL, CONCAT('13', LPAD(seq, 9, '0'))),
                  IF(st = 'ACTIVE', DATE_FORMAT(s + INTERVAL act SECOND + INTERVAL 8 HOUR, '%Y-%m'), NULL)
                  ${rf.exprs.map((e) => `, ${e}`).join('')}
             FROM (
               SELECT seq, o, late, act, st, o + INTERVAL IF(late, 2 * 86400, 300 + seq MOD 3600) SECOND AS s
                 FROM (
                   SELECT seq,
                          TIMESTAMP'${BENCH.periodStartUtc}' + INTERVAL FLOOR((seq - 1) * ${BENCH.spacing}) SECOND AS o,
                          seq MOD ${BENCH.flagEvery} = 7 AS late,
                          120 + (seq * 7919) MOD 14400 AS act,
                          CASE WHEN seq MOD 50 = 0 THEN 'REJECTED' WHEN seq MOD 33 = 0 THEN 'PENDING_ACTIVATION' ELSE 'ACTIVE' END AS st
                     FROM seq_${from}_to_${to}
                 ) g
             ) h`,
        );
      }
    });

    await timed('audit batch, items, findings and confirmed penalties', async () => {
      await ds.query(
        `INSERT INTO audit_batch (period, strategy, status, seed, sampleSize, agentIdList, excludeAudited, itemCount, populationSize, flaggedCount, createdAt, createdById, closedAt, closedById)
         VALUES (?, 'RANDOM', 'CLOSED', 1, ?, '', 0, ?, ?, 0, NOW(3), ?, NOW(3), ?)`,
        [BENCH.period, BENCH.findings, BENCH.findings, BENCH.registrations, AUDITOR.id, AUDITOR.id],
      );
      const every = BENCH.registrations / BENCH.findings;
      await ds.query(
        `INSERT INTO audit_item (batchId, registrationId, agentId, drawRank, flagged, drawKey, riskScoreAtDraw, outcome, auditedAt, auditorId)
         SELECT 1, r.id, r.agentId, r.id DIV ${every}, r.flagged, 0, 0, 'FAIL', NOW(3), ? FROM registration r WHERE r.id MOD ${every} = 0`,
        [AUDITOR.id],
      );
      await ds.query(
        `INSERT INTO audit_finding (itemId, batchId, agentId, registrationId, type, note, recordedAt)
         SELECT i.id, 1, i.agentId, i.registrationId, ELT(1 + i.id MOD 5, 'INCOMPLETE_DATA', 'LATE_ENTRY', 'DATA_MISMATCH', 'TARIFF_MISMATCH', 'FAKE_IDENTITY'), NULL, NOW(3)
           FROM audit_item i`,
      );
      await ds.query(
        `INSERT INTO penalty (agentId, kind, findingId, batchId, registrationId, findingType, offenceAt, occurrence, baseAmountFen, amountFen, escalated,
                              reason, status, period, createdAt, createdById, decidedAt, decidedById)
         SELECT f.agentId, 'AUDIT', f.id, 1, f.registrationId, f.type, r.openedAt, 1, pr.amountFen, pr.amountFen, 0,
                'bench finding', 'CONFIRMED', ?, NOW(3), ?, NOW(3), 2
           FROM audit_finding f JOIN registration r ON r.id = f.registrationId JOIN penalty_rule pr ON pr.findingType = f.type`,
        [BENCH.period, AUDITOR.id],
      );
    });
    await ds.query('ANALYZE TABLE agent, registration, audit_item, audit_finding, penalty');
  } finally {
    await ds.destroy();
  }
}

/**
 * Undo a settlement of the bench period so the next round starts from the same state: a first
 * settlement of the month, which claims its penalties. Its activations are as the app writes them:
 * each claimed by its month's period when written, the month being open (registration-ingest.ts).
 * `unclaimed` leaves them all unclaimed instead, as data written before claims were made when
 * written, or through a Galera node, are: the settlement then claims them row by row.
 */
async function resetSettlement(ds: DataSource, unclaimed = false): Promise<void> {
  if (unclaimed) await ds.query(`UPDATE registration SET commissionPeriod = NULL WHERE commissionPeriod IS NOT NULL`);
  else
    await ds.query(
      `UPDATE registration SET commissionPeriod = DATE_FORMAT(activatedAt + INTERVAL 8 HOUR, '%Y-%m')
        WHERE commissionPeriod IS NULL AND activatedAt IS NOT NULL AND status IN ('ACTIVE', 'CANCELLED')`,
    );
  await ds.query(`UPDATE penalty SET status = 'CONFIRMED', settledPeriod = NULL, appliedAt = NULL WHERE batchId = 1`);
  await ds.query(`DELETE FROM commission_statement`);
  await ds.query(`DELETE FROM commission_period`);
}

/** CPU seconds (user + system, all threads) of the local mariadbd, or NaN when it is not visible from here. */
function mariadbCpuSeconds(): number {
  const pid = mariadbdPid();
  return pid ? cpuTicks(pid) / 100 : NaN;
}

const INNODB_COUNTERS = [
  'Innodb_buffer_pool_reads',
  'Innodb_buffer_pool_pages_flushed',
  'Innodb_buffer_pool_wait_free',
  'Innodb_log_waits',
  'Innodb_os_log_written',
  'Innodb_row_lock_time',
  'Handler_update',
  'Handler_write',
  'Handler_read_next',
];

/**
 * `--profile`: one first settlement (penalties claimed, activations claimed when written) with each
 * statement's duration inside MariaDB (SHOW PROFILES, session-level), the commit, this process's
 * CPU, mariadbd's CPU (every thread, background flushing included) and InnoDB's counters over the
 * same interval. `--profile-unclaimed`: the same with every activation left for the settlement to
 * claim (data written before claims were made when written, or through Galera).
 */
async function profileSettlement(ds: DataSource, unclaimed: boolean): Promise<void> {
  await resetSettlement(ds, unclaimed);
  const status = async () => {
    const rows: { Variable_name: string; Value: string }[] = await ds.query(
      `SHOW GLOBAL STATUS WHERE Variable_name IN (${INNODB_COUNTERS.map((c) => `'${c}'`).join(', ')})`,
    );
    return Object.fromEntries(rows.map((r) => [r.Variable_name, Number(r.Value)]));
  };
  const before = await status();
  const db0 = mariadbCpuSeconds();
  const node0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let inside = 0;
  let profiles: { Query_ID: number; Duration: string; Query: string }[] = [];
  let stages: { Status: string; Duration: string }[] = [];
  await inTransaction(ds, async (em: EntityManager) => {
    await em.query('SET profiling_history_size = 100');
    await em.query('SET profiling = 1');
    const t1 = process.hrtime.bigint();
    await settleCommissions(em, FINANCE, BENCH.period);
    inside = ms(t1);
    profiles = await em.query('SHOW PROFILES');
    profiles = profiles.filter((p) => !/^SET profiling/.test(p.Query));
    const longest = [...profiles].sort((a, b) => Number(b.Duration) - Number(a.Duration))[0];
    stages = await em.query(`SHOW PROFILE FOR QUERY ${Number(longest.Query_ID)}`);
    await em.query('SET profiling = 0');
  });
  const wall = ms(t0);
  const node = process.cpuUsage(node0);
  const db = mariadbCpuSeconds() - db0;
  const after = await status();
  const inDb = profiles.reduce((sum, p) => sum + Number(p.Duration) * 1000, 0);
  console.log(
    `profile of one first settlement${unclaimed ? ' (activations unclaimed: the settlement claims them)' : ''}: ${wall.toFixed(0)} ms wall (settleCommissions ${inside.toFixed(0)} ms, commit and BEGIN ${(wall - inside).toFixed(0)} ms)`,
  );
  for (const p of profiles) console.log(`  ${(Number(p.Duration) * 1000).toFixed(1).padStart(9)} ms  ${p.Query.replace(/\s+/g, ' ').slice(0, 100)}`);
  console.log(`  statements inside MariaDB ${inDb.toFixed(0)} ms; between them (Node, round trips) ${(inside - inDb).toFixed(0)} ms`);
  console.log(
    `  the longest statement's stages: ${stages
      .filter((s) => Number(s.Duration) >= 0.001)
      .map((s) => `${s.Status} ${(Number(s.Duration) * 1000).toFixed(0)}`)
      .join(', ')} ms`,
  );
  console.log(`  CPU: this process ${((node.user + node.system) / 1000).toFixed(0)} ms, mariadbd ${(db * 1000).toFixed(0)} ms (all threads)`);
  console.log(`  InnoDB: ${INNODB_COUNTERS.map((c) => `${c.replace('Innodb_', '')} ${after[c] - before[c]}`).join(', ')}`);
}

const CEILING_SQL = `
  SELECT a.id, COALESCE(x.n, 0) AS activations, COALESCE(x.n, 0) * a.commissionPerActivationFen AS grossFen, COALESCE(p.s, 0) AS penaltiesFen
    FROM agent a
    LEFT JOIN (SELECT agentId, COUNT(*) AS n FROM registration
                WHERE status IN ('ACTIVE', 'CANCELLED') AND activatedAt >= ? AND activatedAt < ? GROUP BY agentId) x ON x.agentId = a.id
    LEFT JOIN (SELECT agentId, SUM(amountFen) AS s FROM penalty WHERE status = 'CONFIRMED' AND period <= ? GROUP BY agentId) p ON p.agentId = a.id`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const deadline = setTimeout(() => {
    console.error('bench:settle took longer than 30 minutes: stopped');
    process.exit(2);
  }, 30 * 60_000);
  deadline.unref();

  if (!(process.argv.includes('--reuse') && (await benchDataPresent()))) await generateBenchData();
  const counter = new SqlCounter();
  const ds = await openBench(counter);
  try {
    const withIndex = process.argv.includes('--covering-index');
    await setRequestedIndex(ds, withIndex);
    console.log(`load average at start: ${load()} (2 cores; other engineers' tests and benchmarks were running)`);
    console.log(`requested covering indexes on registration: ${withIndex ? 'added for this run' : 'absent (the schema as it is)'}`);
    const [buf] = await ds.query(`SELECT @@innodb_buffer_pool_size AS b, VERSION() AS v`);
    const [act] = await ds.query(`SELECT COUNT(*) AS n FROM registration WHERE status IN ('ACTIVE', 'CANCELLED') AND activatedAt >= ? AND activatedAt < ?`, [
      '2024-02-29 16:00:00.000',
      '2024-03-31 16:00:00.000',
    ]);
    console.log(`MariaDB ${buf.v}, innodb_buffer_pool_size ${Math.round(Number(buf.b) / 2 ** 20)} MB; ${act.n} activations in ${BENCH.period}`);

    const unclaimed = process.argv.includes('--unclaimed');
    if (process.argv.includes('--profile') || process.argv.includes('--profile-unclaimed')) {
      await profileSettlement(ds, process.argv.includes('--profile-unclaimed'));
      return;
    }
    console.log(
      unclaimed
        ? 'activations: left unclaimed before each round (--unclaimed): the first settlement claims them'
        : "activations: claimed by their month's period when written, as the app writes them",
    );
    await resetSettlement(ds, unclaimed);
    const ceiling: number[] = [];
    let ceilingRows: { id: number; activations: unknown; grossFen: unknown; penaltiesFen: unknown }[] = [];
    console.log('ceiling: one hand-written aggregate query (activations × rate, confirmed penalties) for all agents');
    for (let i = 0; i < 4; i++) {
      const r = await timed(`aggregate query #${i + 1}`, () => ds.query(CEILING_SQL, ['2024-02-29 16:00:00.000', '2024-03-31 16:00:00.000', BENCH.period]));
      ceilingRows = r.value;
      if (i > 0) ceiling.push(r.ms); // the first warms the buffer pool
    }

    const settle1: number[] = [];
    const settle2: number[] = [];
    const closes: number[] = [];
    let statements = 0;
    let closeStatements = 0;
    for (let round = 1; round <= 3; round++) {
      console.log(`round ${round}`);
      await resetSettlement(ds, unclaimed);
      counter.reset(true);
      settle1.push(
        (
          await timed('settleCommissions (claims 50,000 penalties)', () =>
            inTransaction(ds, (em: EntityManager) => settleCommissions(em, FINANCE, BENCH.period)),
          )
        ).ms,
      );
      statements = counter.count;
      if (round === 1) for (const s of counter.statements) console.log(`    · ${s.replace(/\s+/g, ' ').slice(0, 110)}`);
      settle2.push(
        (
          await timed('settleCommissions again (open period: recompute)', () =>
            inTransaction(ds, (em: EntityManager) => settleCommissions(em, FINANCE, BENCH.period)),
          )
        ).ms,
      );
      counter.reset();
      closes.push(
        (
          await timed('closeCommissionPeriod (settle once more, freeze, APPLIED)', () =>
            inTransaction(ds, (em: EntityManager) => closeCommissionPeriod(em, FINANCE, BENCH.period)),
          )
        ).ms,
      );
      closeStatements = counter.count;
    }

    // The settlement must agree with the ceiling query, agent by agent.
    const stmts: { agentId: number; activations: unknown; grossFen: unknown; penaltiesFen: unknown }[] = await ds.query(
      'SELECT agentId, activations, grossFen, penaltiesFen FROM commission_statement WHERE period = ?',
      [BENCH.period],
    );
    const byAgent = new Map(stmts.map((s) => [Number(s.agentId), s]));
    let mismatches = 0;
    for (const c of ceilingRows) {
      const s = byAgent.get(Number(c.id));
      if (
        !s ||
        Number(s.activations) !== Number(c.activations) ||
        Number(s.grossFen) !== Number(c.grossFen) ||
        Number(s.penaltiesFen) !== Number(c.penaltiesFen)
      )
        mismatches++;
    }
    const [tot] = await ds.query(
      `SELECT statementCount, activations, grossFen, penaltiesFen, penaltyCount, netFen, carriedOutFen FROM commission_period WHERE period = ?`,
      [BENCH.period],
    );

    console.log(`\nload average at the end: ${load()}`);
    console.log('results');
    console.log(`  statements: ${stmts.length} (one per agent); period totals ${JSON.stringify(tot)}`);
    console.log(`  agreement with the aggregate query: ${mismatches === 0 ? 'every agent' : `${mismatches} agents differ`}`);
    console.log(`  ceiling (aggregate query), median of 3 warm runs: ${median(ceiling).toFixed(0)} ms`);
    console.log(`  settleCommissions, median of 3: ${median(settle1).toFixed(0)} ms in ${statements} SQL statements`);
    console.log(`  settleCommissions re-run, median of 3: ${median(settle2).toFixed(0)} ms`);
    console.log(`  closeCommissionPeriod, median of 3: ${median(closes).toFixed(0)} ms in ${closeStatements} SQL statements`);
    if (mismatches) process.exitCode = 1;
  } finally {
    await ds.destroy();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
