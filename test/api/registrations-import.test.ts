import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { importRegistrationsFile, ImportFileError } from '../../src/modules/agents/registration-import';
import { withCheckChar } from '../../src/common/validators/id-card';
import { startTestApp, TestApp } from '../helpers/app';
import { createAgent, freshId, hoursAgo, nextMsisdn, record, submitOk } from './registrations.fixtures';

let t: TestApp;
let dir: string;
let agent: { id: string; code: string };
let other: { id: string; code: string };
let suspended: { id: string; code: string };

beforeAll(async () => {
  t = await startTestApp();
  dir = mkdtempSync(join(tmpdir(), 'import-test-'));
  agent = await createAgent(t);
  other = await createAgent(t, { regionCode: 'SONGZI' });
  suspended = await createAgent(t);
  await t.gql(`mutation($id: ID!){ setAgentStatus(id:$id, status: SUSPENDED, reason:"under review") { id } }`, { id: suspended.id }, await t.token('staff'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t.stop();
});

const HEADER = 'agentCode,msisdn,network,customerName,idType,idNumber,tariffPlanCode,openedAt,submittedAt,activatedAt';

function csvLine(cells: (string | null | undefined)[]): string {
  return cells.map((c) => (c == null ? '' : /[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
}

async function count(agentId: string, extra = ''): Promise<number> {
  const res = await t.gql(`query($a: ID){ registrations(filter:{ agentId: $a ${extra} }){ totalCount } }`, { a: agentId }, await t.token('staff'));
  return res.data.registrations.totalCount;
}

describe('import:registrations', () => {
  const duplicateMsisdn = nextMsisdn();
  const lineLimitId = freshId();
  const rows: string[] = [];
  const expectedRejects: { row: number; reasons: RegExp }[] = [];
  let file: string;

  const liveMsisdn = nextMsisdn();
  beforeAll(async () => {
    // A number already live through the API: the import must refuse it, not skip it silently.
    await submitOk(t, other.id, [record({ msisdn: liveMsisdn })]);
    const add = (cells: (string | null)[], reject?: RegExp) => {
      rows.push(csvLine(cells));
      if (reject) expectedRejects.push({ row: rows.length, reasons: reject });
    };
    const opened = '2025-03-01 10:20:00';
    // Historical records: entered minutes after opening, activated an hour later (ACTIVE).
    for (let i = 0; i < 40; i++) {
      add([
        agent.code.toLowerCase(),
        nextMsisdn(),
        'CDMA',
        `客戶${i}`,
        'RESIDENT_ID',
        freshId(),
        'CDMA-XSK-39',
        opened,
        '2025-03-01 10:30',
        '2025-03-01T11:30:00+08:00',
      ]);
    }
    // Pending (no activatedAt), one without submittedAt (entered now: late).
    add([other.code, nextMsisdn(), 'GSM', '王, 小明', 'PASSPORT', 'G12345678', 'GSM-RYT', '2025-03-02T09:00:00+08:00', '2025-03-02T09:10:00+08:00', null]);
    add([other.code, nextMsisdn(), 'GSM', '李四', 'RESIDENT_ID', freshId(), 'GSM-RYT', hoursAgo(3), null, null]);
    add([other.code, nextMsisdn(), 'GSM', '趙六', 'RESIDENT_ID', freshId(), 'GSM-RYT', '2025-03-02T09:00:00+08:00', null, null]);
    // Six lines of one identity: the sixth is flagged.
    for (let i = 0; i < 6; i++)
      add([i < 3 ? agent.code : other.code, nextMsisdn(), 'CDMA', '同一人', 'RESIDENT_ID', lineLimitId, 'CDMA-RYT', opened, '2025-03-01 10:25', null]);
    // Rejected rows, one per reason.
    add(['AGT-NOPE', nextMsisdn(), 'CDMA', 'x', 'RESIDENT_ID', freshId(), 'CDMA-RYT', opened, null, null], /agentCode: is not a known agent/);
    add([suspended.code, nextMsisdn(), 'CDMA', 'x', 'RESIDENT_ID', freshId(), 'CDMA-RYT', opened, null, null], /agentCode: agent is SUSPENDED/);
    add([agent.code, '12345', 'CDMA', 'x', 'RESIDENT_ID', freshId(), 'CDMA-RYT', opened, null, null], /msisdn: must be 11 digits/);
    add([agent.code, nextMsisdn(), 'WCDMA', 'x', 'RESIDENT_ID', freshId(), 'CDMA-RYT', opened, null, null], /network: must be CDMA or GSM/);
    add([agent.code, nextMsisdn(), 'CDMA', 'x', 'RESIDENT_ID', freshId(), 'NOPE', opened, null, null], /tariffPlanCode: is not a known tariff plan/);
    add([agent.code, nextMsisdn(), 'CDMA', 'x', '', freshId(), 'CDMA-RYT', opened, null, null], /idType: is required/);
    add([agent.code, nextMsisdn(), 'CDMA', 'x', 'RESIDENT_ID', '4210', 'CDMA-RYT', opened, null, null], /idNumber: a resident id number/);
    add([agent.code, nextMsisdn(), 'CDMA', 'x', 'RESIDENT_ID', freshId(), 'CDMA-RYT', '2099-01-01 10:00', null, null], /openedAt: must not be in the future/);
    add(
      [agent.code, nextMsisdn(), 'CDMA', 'x', 'RESIDENT_ID', freshId(), 'CDMA-RYT', opened, '2025-02-01 10:00', null],
      /submittedAt: must not be before openedAt/,
    );
    add([agent.code, liveMsisdn, 'CDMA', 'x', 'RESIDENT_ID', freshId(), 'CDMA-RYT', opened, null, null], /msisdn: already has a pending or active line/);
    add([agent.code, duplicateMsisdn, 'CDMA', 'first', 'RESIDENT_ID', freshId(), 'CDMA-RYT', opened, null, null]);
    add(
      [other.code, duplicateMsisdn, 'CDMA', 'second', 'RESIDENT_ID', freshId(), 'CDMA-RYT', '2025-03-05 10:00', null, null],
      /msisdn: is the same number as row \d+/,
    );
    file = join(dir, 'records.csv');
    writeFileSync(file, `\uFEFF${HEADER}\n${rows.join('\n')}\n`);
  });

  it("streams the file through the API's validation, writes the rejects with reasons, and a re-run adds nothing", async () => {
    const progress: number[] = [];
    const first = await importRegistrationsFile(t.app.ds, t.config, file, { batchSize: 7, onProgress: (p) => progress.push(p.rows) });
    expect(first).toMatchObject({ rows: rows.length, inserted: rows.length - expectedRejects.length, skipped: 0, rejected: expectedRejects.length });
    expect(first.flagged).toMatchObject({ ID_LINE_LIMIT_EXCEEDED: 1, LATE_ENTRY: 2 });
    expect(progress.length).toBeGreaterThan(5);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    const rejects = parse(readFileSync(first.rejectsPath), { bom: true, columns: true }) as Record<string, string>[];
    expect(rejects).toHaveLength(expectedRejects.length);
    for (const [i, want] of expectedRejects.entries()) {
      expect(Number(rejects[i].row)).toBe(want.row);
      expect(rejects[i].reasons).toMatch(want.reasons);
    }
    // The rejects keep the row as it was, so it can be corrected and imported again.
    expect(rejects[0].agentCode).toBe('AGT-NOPE');

    expect(await count(agent.id)).toBe(40 + 3 + 1);
    expect(await count(agent.id, 'status: ACTIVE')).toBe(40);
    expect(await count(other.id)).toBe(3 + 3 + 1);
    expect(await count(other.id, 'flag: ID_LINE_LIMIT_EXCEEDED')).toBe(1);
    // Entered at import time, long after opening: 趙六 (other) and the first row of the repeated number (agent).
    expect(await count(other.id, 'flag: LATE_ENTRY')).toBe(1);
    expect(await count(agent.id, 'flag: LATE_ENTRY')).toBe(1);
    expect(await count(suspended.id)).toBe(0);

    const active = await t.gql(
      `query($a: ID){ registrations(filter:{ agentId: $a, status: ACTIVE }, first: 1){ edges { node { openedAt submittedAt activatedAt activationSeconds customerName } } } }`,
      { a: agent.id },
      await t.token('auditor'),
    );
    expect(active.data.registrations.edges[0].node).toMatchObject({
      openedAt: '2025-03-01T02:20:00.000Z',
      submittedAt: '2025-03-01T02:30:00.000Z',
      activatedAt: '2025-03-01T03:30:00.000Z',
      activationSeconds: 3600,
    });
    const passport = await t.gql(
      `query($a: ID){ registrations(filter:{ agentId: $a, msisdn: "${rows[40].split(',')[1]}" }){ edges { node { customerName idType idNumber } } } }`,
      { a: other.id },
      await t.token('auditor'),
    );
    expect(passport.data.registrations.edges[0].node).toEqual({ customerName: '王, 小明', idType: 'PASSPORT', idNumber: 'G12345678' });

    const again = await importRegistrationsFile(t.app.ds, t.config, file, { batchSize: 5 });
    expect(again).toMatchObject({ rows: rows.length, inserted: 0, skipped: first.inserted, rejected: expectedRejects.length });
    expect(await count(agent.id)).toBe(44);
    expect(await count(other.id)).toBe(7);
    const log = await t.gql(
      `{ changeLog(entityType:"RegistrationImport", first: 200){ totalCount edges { node { entityId data } } } }`,
      {},
      await t.token('admin'),
    );
    expect(log.data.changeLog.edges[0].node.entityId).toBe('records.csv');
    expect(JSON.stringify(log.data)).not.toContain(lineLimitId);
  });

  it('skips rows already imported even when other columns of the file changed', async () => {
    const edited = join(dir, 'edited.csv');
    const changed = rows.slice(0, 10).map((r) => r.replace(/客戶\d+/, '改名'));
    const fresh = csvLine([agent.code, nextMsisdn(), 'CDMA', '新客戶', 'RESIDENT_ID', freshId(), 'CDMA-XSK-39', '2025-04-01 09:00', '2025-04-01 09:05', null]);
    writeFileSync(edited, `${HEADER}\n${[...changed, fresh].join('\n')}\n`);
    const res = await importRegistrationsFile(t.app.ds, t.config, edited, { rejectsPath: join(dir, 'edited-rejects.csv') });
    expect(res).toMatchObject({ rows: 11, inserted: 1, skipped: 10, rejected: 0 });
    expect(res.rejectsPath).toBe(join(dir, 'edited-rejects.csv'));
  });

  it('does not bring back a record that was cancelled or rejected since it was imported', async () => {
    const f = join(dir, 'closed.csv');
    const numbers = [nextMsisdn(), nextMsisdn()];
    writeFileSync(
      f,
      `${HEADER}\n${numbers.map((m) => csvLine([agent.code, m, 'CDMA', '客戶', 'RESIDENT_ID', freshId(), 'CDMA-RYT', '2025-06-01 10:00', '2025-06-01 10:05', null])).join('\n')}\n`,
    );
    expect(await importRegistrationsFile(t.app.ds, t.config, f)).toMatchObject({ inserted: 2 });
    const staff = await t.token('staff');
    const found = await t.gql(`query($m: String){ registrations(filter:{ msisdn: $m }){ edges { node { id } } } }`, { m: numbers[0] }, staff);
    await t.gql(`mutation($id: ID!){ cancelRegistration(id:$id, reason:"customer left") { id } }`, { id: found.data.registrations.edges[0].node.id }, staff);
    expect(await importRegistrationsFile(t.app.ds, t.config, f)).toMatchObject({ inserted: 0, skipped: 2, rejected: 0 });
    const history = await t.gql(`query($m: String){ registrations(filter:{ msisdn: $m }){ totalCount } }`, { m: numbers[0] }, staff);
    expect(history.data.registrations.totalCount).toBe(1);
  });

  it("imports a suspended agent's history only when asked to", async () => {
    const f = join(dir, 'history.csv');
    writeFileSync(
      f,
      `${HEADER}\n${csvLine([suspended.code, nextMsisdn(), 'CDMA', '舊客戶', 'RESIDENT_ID', freshId(), 'CDMA-RYT', '2024-11-01 10:00', '2024-11-01 10:05', '2024-11-01 12:00'])}\n`,
    );
    expect((await importRegistrationsFile(t.app.ds, t.config, f)).rejected).toBe(1);
    expect((await importRegistrationsFile(t.app.ds, t.config, f, { includeInactiveAgents: true })).inserted).toBe(1);
    expect(await count(suspended.id)).toBe(1);
  });

  it('refuses a file whose header lacks a required column, importing nothing', async () => {
    const f = join(dir, 'bad-header.csv');
    writeFileSync(f, `agentCode,msisdn,network\n${agent.code},${nextMsisdn()},CDMA\n`);
    await expect(importRegistrationsFile(t.app.ds, t.config, f)).rejects.toThrow(ImportFileError);
    await expect(importRegistrationsFile(t.app.ds, t.config, f)).rejects.toThrow(/customerName, idType, idNumber, tariffPlanCode, openedAt/);
  });

  it('accepts a file with a header and no rows', async () => {
    const f = join(dir, 'empty.csv');
    writeFileSync(f, `${HEADER}\n`);
    expect(await importRegistrationsFile(t.app.ds, t.config, f)).toMatchObject({ rows: 0, inserted: 0, rejected: 0 });
  });
});

describe('bulk writes', () => {
  it('keep every character of a name through the bulk path (LOAD DATA on MariaDB)', async () => {
    const names = ['王\\小明', '李\t四', 'O\'Brien "Jr", 三', '趙\\N', '歐陽 娜娜'];
    const body = Array.from({ length: 150 }, (_, i) => [
      agent.code,
      nextMsisdn('156'),
      'GSM',
      names[i % names.length],
      'RESIDENT_ID',
      freshId(),
      'GSM-XSL-19',
      '2025-05-01 10:00',
      '2025-05-01 10:05',
      '2025-05-01 11:00',
    ]);
    const f = join(dir, 'names.csv');
    writeFileSync(f, `${HEADER}\n${body.map(csvLine).join('\n')}\n`);
    const res = await importRegistrationsFile(t.app.ds, t.config, f);
    expect(res).toMatchObject({ rows: 150, inserted: 150, rejected: 0 });
    const stored = await t.app.ds.query(`SELECT DISTINCT customerName FROM registration WHERE msisdn LIKE '156%'`);
    // Whitespace runs (a tab too) become one space, as in the API.
    expect(new Set(stored.map((r: { customerName: string }) => r.customerName))).toEqual(new Set(names.map((n) => n.replace('\t', ' '))));
  });

  it('fail whole when a row breaks a unique key, writing nothing', async () => {
    const { inTransaction } = await import('../../src/common/tx');
    const { prepareRecord, writeRegistrationRows } = await import('../../src/modules/agents/registration-ingest');
    const { identityCipher } = await import('../../src/modules/agents/identity-crypto');
    const { TARIFF_PLANS } = await import('../../seeds/agents');
    const env = { cipher: identityCipher(t.config), plans: new Map(TARIFF_PLANS.map((p) => [p.code, p])), now: new Date(), history: false };
    const taken = nextMsisdn('131');
    const rows = Array.from({ length: 150 }, (_, i) => {
      const p = prepareRecord(
        Number(agent.id),
        {
          msisdn: i === 149 ? taken : nextMsisdn('131'),
          network: 'GSM',
          customerName: 'x',
          idType: 'PASSPORT',
          idNumber: `P${100000 + i}`,
          tariffPlanCode: 'GSM-RYT',
          openedAt: hoursAgo(1),
        },
        env,
      );
      return { values: p.values!, flags: [] };
    });
    await inTransaction(t.app.ds, (em) => writeRegistrationRows(em, [rows[149]]));
    const before = await t.app.ds.query(`SELECT COUNT(*) AS n FROM registration`);
    await expect(inTransaction(t.app.ds, (em) => writeRegistrationRows(em, rows))).rejects.toThrow();
    const after = await t.app.ds.query(`SELECT COUNT(*) AS n FROM registration`);
    expect(Number(after[0].n)).toBe(Number(before[0].n));
  });
});

describe('encodings', () => {
  const gbkRows = () => [
    csvLine([agent.code, nextMsisdn('158'), 'CDMA', '王偉', 'RESIDENT_ID', freshId(), 'CDMA-XSK-39', '2025-07-01 10:00', '2025-07-01 10:05', null]),
    csvLine([agent.code, nextMsisdn('158'), 'GSM', '歐陽娜娜', 'RESIDENT_ID', freshId(), 'GSM-RYT', '2025-07-01 11:00', '2025-07-01 11:05', null]),
  ];
  const stored = async (msisdnPrefix: string) =>
    (await t.app.ds.query(`SELECT customerName FROM registration WHERE msisdn LIKE ? ORDER BY msisdn`, [`${msisdnPrefix}%`])).map(
      (r: { customerName: string }) => r.customerName,
    );

  it('refuses a GBK/GB18030 file read as UTF-8, naming the line and --encoding gb18030, storing nothing; reads it with the option', async () => {
    const f = join(dir, 'excel-gbk.csv');
    writeFileSync(f, iconv.encode(`${HEADER}\r\n${gbkRows().join('\r\n')}\r\n`, 'gbk'));
    const err = await importRegistrationsFile(t.app.ds, t.config, f).catch((e) => e);
    expect(err).toBeInstanceOf(ImportFileError);
    expect(err.message).toMatch(/^line 2 of the file is not valid UTF-8.*--encoding gb18030/);
    expect(await stored('158')).toEqual([]);

    const res = await importRegistrationsFile(t.app.ds, t.config, f, { encoding: 'gb18030' });
    expect(res).toMatchObject({ rows: 2, inserted: 2, rejected: 0 });
    expect(await stored('158')).toEqual(['王偉', '歐陽娜娜']);
  });

  it('stores nothing of a file whose bad bytes come late, and refuses U+FFFD left by an earlier wrong decoding', async () => {
    const f = join(dir, 'late-bad.csv');
    const good = Array.from({ length: 30 }, () =>
      csvLine([agent.code, nextMsisdn('159'), 'CDMA', '好', 'RESIDENT_ID', freshId(), 'CDMA-RYT', '2025-07-02 10:00', '2025-07-02 10:05', null]),
    );
    const bad = iconv.encode(
      csvLine([agent.code, nextMsisdn('159'), 'CDMA', '壞', 'RESIDENT_ID', freshId(), 'CDMA-RYT', '2025-07-02 10:00', null, null]),
      'gbk',
    );
    writeFileSync(f, Buffer.concat([Buffer.from(`\uFEFF${HEADER}\n${good.join('\n')}\n`), bad, Buffer.from('\n')]));
    await expect(importRegistrationsFile(t.app.ds, t.config, f, { batchSize: 5 })).rejects.toThrow(/^line 32 of the file is not valid UTF-8/);
    expect(await stored('159')).toEqual([]);

    const mangled = join(dir, 'mangled.csv');
    writeFileSync(
      mangled,
      `${HEADER}\n${csvLine([agent.code, nextMsisdn('159'), 'CDMA', '\uFFFD\uFFFD', 'RESIDENT_ID', freshId(), 'CDMA-RYT', '2025-07-02 10:00', null, null])}\n`,
    );
    await expect(importRegistrationsFile(t.app.ds, t.config, mangled)).rejects.toThrow(/^line 2 of the file .*U\+FFFD/);
    // With --encoding gb18030, bytes that are not GB18030 (0xFF never starts a character) are refused the same way.
    const notGb = join(dir, 'not-gb.csv');
    writeFileSync(
      notGb,
      Buffer.concat([
        Buffer.from(`${HEADER}\n${agent.code},${nextMsisdn('159')},CDMA,`),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(`,RESIDENT_ID,${freshId()},CDMA-RYT,2025-07-02 10:00,,\n`),
      ]),
    );
    await expect(importRegistrationsFile(t.app.ds, t.config, notGb, { encoding: 'gb18030' })).rejects.toThrow(/^line 2 of the file is not valid GB18030/);
    // Characters beyond the BMP are fine in UTF-8.
    const utf8 = join(dir, 'utf8.csv');
    writeFileSync(
      utf8,
      `${HEADER}\n${csvLine([agent.code, nextMsisdn('159'), 'CDMA', '\u{20000}', 'RESIDENT_ID', freshId(), 'CDMA-RYT', '2025-07-02 10:00', null, null])}\n`,
    );
    expect(await importRegistrationsFile(t.app.ds, t.config, utf8)).toMatchObject({ inserted: 1 });
    expect(await stored('159')).toEqual(['\u{20000}']);
  });
});

describe('files', () => {
  it('a missing file is one line, from the function and from the command, before any database work', async () => {
    const missing = join(dir, 'nope.csv');
    await expect(importRegistrationsFile(t.app.ds, t.config, missing)).rejects.toThrow(new ImportFileError(`no such file: ${missing}`));
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register', 'scripts/import-registrations.ts', missing], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, DATABASE_URL: 'mysql://nobody@127.0.0.1:1/none' },
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(`import: no such file: ${missing}`);
    expect(run.stdout).toBe('');
  });

  it('writes the rejects with every input column, a BOM, neutralised cells, mode 0600 even over a 0644 file, and re-imports it', async () => {
    const f = join(dir, 'with-extra.csv');
    const header = `branchNote,${HEADER},legacyId`;
    const bad = [
      // Unknown agent: rejected; its formula-like cells must come out neutralised.
      [
        '=HYPERLINK("http://x")',
        'AGT-NOPE',
        '+8613312345678',
        'CDMA',
        '\u0000=1+1',
        'RESIDENT_ID',
        freshId(),
        'CDMA-RYT',
        '2025-08-01 10:00',
        null,
        null,
        'x;=1+1',
      ],
      ['-5', agent.code, nextMsisdn('155'), 'CDMA', '@SUM(A1)', 'RESIDENT_ID', '4210', 'CDMA-RYT', '2025-08-01 10:00', null, null, 'L-2'],
    ];
    const good = [
      'ok',
      agent.code,
      nextMsisdn('155'),
      'CDMA',
      '好人',
      'RESIDENT_ID',
      '990000198001011234',
      'CDMA-RYT',
      '2025-08-01 10:00',
      '2025-08-01 10:05',
      null,
      'L-3',
    ];
    writeFileSync(f, `${header}\n${[...bad, good].map(csvLine).join('\n')}\n`);
    const rejectsPath = join(dir, 'with-extra.rejects.csv');
    writeFileSync(rejectsPath, 'old,world-readable\n');
    chmodSync(rejectsPath, 0o644);

    const res = await importRegistrationsFile(t.app.ds, t.config, f, { rejectsPath });
    expect(res).toMatchObject({ rows: 3, inserted: 1, rejected: 2, flagged: { UNKNOWN_REGION_CODE: 1 } });
    expect(statSync(rejectsPath).mode & 0o777).toBe(0o600);
    const raw = readFileSync(rejectsPath);
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = raw.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).toBe(`row,reasons,${header}`);
    const out = parse(raw, { bom: true, columns: true }) as Record<string, string>[];
    expect(out[0]).toMatchObject({
      row: '1',
      branchNote: `'=HYPERLINK("http://x")`,
      msisdn: `'+8613312345678`,
      customerName: `'\u0000=1+1`,
      legacyId: 'x;=1+1',
    });
    expect(out[0].reasons).toMatch(/agentCode: is not a known agent/);
    expect(text).toContain('"x;=1+1"');
    expect(out[1]).toMatchObject({ row: '2', branchNote: `'-5`, customerName: `'@SUM(A1)`, legacyId: 'L-2' });

    // The rejects file imports as it is once corrected: apostrophes come off, row and reasons are not repeated.
    const fixed = readFileSync(rejectsPath, 'utf8').replace('AGT-NOPE', agent.code).replace(`'\u0000=1+1`, '張三');
    const fixedPath = join(dir, 'fixed.csv');
    writeFileSync(fixedPath, fixed);
    const again = await importRegistrationsFile(t.app.ds, t.config, fixedPath);
    expect(again).toMatchObject({ rows: 2, inserted: 1, rejected: 1 });
    const stored = await t.app.ds.query(`SELECT customerName FROM registration WHERE msisdn = ?`, ['13312345678']);
    expect(stored).toEqual([{ customerName: '張三' }]);
    const second = parse(readFileSync(`${fixedPath}.rejects.csv`), { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(second[0])).toEqual(['row', 'reasons', ...header.split(',')]);
    expect(second[0]).toMatchObject({ branchNote: `'-5`, customerName: `'@SUM(A1)` });
  });
});

describe('the sample in docs/import.md', () => {
  it('has identity numbers with the right check character', () => {
    const doc = readFileSync(join(__dirname, '../../docs/import.md'), 'utf8');
    const ids = [...doc.matchAll(/RESIDENT_ID,(\d{17}[\dX])/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id).toBe(withCheckChar(id.slice(0, 17)));
  });
});
