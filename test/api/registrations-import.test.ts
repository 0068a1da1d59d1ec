import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { importRegistrationsFile, ImportFileError } from '../../src/modules/agents/registration-import';
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
      add([agent.code.toLowerCase(), nextMsisdn(), 'CDMA', `客戶${i}`, 'RESIDENT_ID', freshId(), 'CDMA-XSK-39', opened, '2025-03-01 10:30', '2025-03-01T11:30:00+08:00']);
    }
    // Pending (no activatedAt), one without submittedAt (entered now: late).
    add([other.code, nextMsisdn(), 'GSM', '王, 小明', 'PASSPORT', 'G12345678', 'GSM-RYT', '2025-03-02T09:00:00+08:00', '2025-03-02T09:10:00+08:00', null]);
    add([other.code, nextMsisdn(), 'GSM', '李四', 'RESIDENT_ID', freshId(), 'GSM-RYT', hoursAgo(3), null, null]);
    add([other.code, nextMsisdn(), 'GSM', '趙六', 'RESIDENT_ID', freshId(), 'GSM-RYT', '2025-03-02T09:00:00+08:00', null, null]);
    // Six lines of one identity: the sixth is flagged.
    for (let i = 0; i < 6; i++) add([i < 3 ? agent.code : other.code, nextMsisdn(), 'CDMA', '同一人', 'RESIDENT_ID', lineLimitId, 'CDMA-RYT', opened, '2025-03-01 10:25', null]);
    // Rejected rows, one per reason.
    add(['AGT-NOPE', nextMsisdn(), 'CDMA', 'x', 'RESIDENT_ID', freshId(), 'CDMA-RYT', opened, null, null], /agentCode: is not a known agent/);
    add([suspended.code, nextMsisdn(), 'CDMA', 'x', 'RESIDENT_ID', freshId(), 'CDMA-RYT', opened, null, null], /agentCode: agent is SUSPENDED/);
    add([agent.code, '12345', 'CDMA', 'x', 'RESIDENT_ID', freshId(), 'CDMA-RYT', opened, null, null], /msisdn: must be 11 digits/);
    add([agent.code, nextMsisdn(), 'WCDMA', 'x', 'RESIDENT_ID', freshId(), 'CDMA-RYT', opened, null, null], /network: must be CDMA or GSM/);
    add([agent.code, nextMsisdn(), 'CDMA', 'x', 'RESIDENT_ID', freshId(), 'NOPE', opened, null, null], /tariffPlanCode: is not a known tariff plan/);
    add([agent.code, nextMsisdn(), 'CDMA', 'x', '', freshId(), 'CDMA-RYT', opened, null, null], /idType: is required/);
    add([agent.code, nextMsisdn(), 'CDMA', 'x', 'RESIDENT_ID', '4210', 'CDMA-RYT', opened, null, null], /idNumber: a resident id number/);
    add([agent.code, nextMsisdn(), 'CDMA', 'x', 'RESIDENT_ID', freshId(), 'CDMA-RYT', '2099-01-01 10:00', null, null], /openedAt: must not be in the future/);
    add([agent.code, nextMsisdn(), 'CDMA', 'x', 'RESIDENT_ID', freshId(), 'CDMA-RYT', opened, '2025-02-01 10:00', null], /submittedAt: must not be before openedAt/);
    add([agent.code, liveMsisdn, 'CDMA', 'x', 'RESIDENT_ID', freshId(), 'CDMA-RYT', opened, null, null], /msisdn: already has a pending or active line/);
    add([agent.code, duplicateMsisdn, 'CDMA', 'first', 'RESIDENT_ID', freshId(), 'CDMA-RYT', opened, null, null]);
    add([other.code, duplicateMsisdn, 'CDMA', 'second', 'RESIDENT_ID', freshId(), 'CDMA-RYT', '2025-03-05 10:00', null, null], /msisdn: is the same number as row \d+/);
    file = join(dir, 'records.csv');
    writeFileSync(file, `\uFEFF${HEADER}\n${rows.join('\n')}\n`);
  });

  it('streams the file through the API\'s validation, writes the rejects with reasons, and a re-run adds nothing', async () => {
    const progress: number[] = [];
    const first = await importRegistrationsFile(t.app.ds, t.config, file, { batchSize: 7, onProgress: (p) => progress.push(p.rows) });
    expect(first).toMatchObject({ rows: rows.length, inserted: rows.length - expectedRejects.length, skipped: 0, rejected: expectedRejects.length });
    expect(first.flagged).toMatchObject({ ID_LINE_LIMIT_EXCEEDED: 1, LATE_ENTRY: 2 });
    expect(progress.length).toBeGreaterThan(5);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    const rejects = parse(readFileSync(first.rejectsPath), { columns: true }) as Record<string, string>[];
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

    const active = await t.gql(`query($a: ID){ registrations(filter:{ agentId: $a, status: ACTIVE }, first: 1){ edges { node { openedAt submittedAt activatedAt activationSeconds customerName } } } }`, { a: agent.id }, await t.token('auditor'));
    expect(active.data.registrations.edges[0].node).toMatchObject({
      openedAt: '2025-03-01T02:20:00.000Z',
      submittedAt: '2025-03-01T02:30:00.000Z',
      activatedAt: '2025-03-01T03:30:00.000Z',
      activationSeconds: 3600,
    });
    const passport = await t.gql(`query($a: ID){ registrations(filter:{ agentId: $a, msisdn: "${rows[40].split(',')[1]}" }){ edges { node { customerName idType idNumber } } } }`, { a: other.id }, await t.token('auditor'));
    expect(passport.data.registrations.edges[0].node).toEqual({ customerName: '王, 小明', idType: 'PASSPORT', idNumber: 'G12345678' });

    const again = await importRegistrationsFile(t.app.ds, t.config, file, { batchSize: 5 });
    expect(again).toMatchObject({ rows: rows.length, inserted: 0, skipped: first.inserted, rejected: expectedRejects.length });
    expect(await count(agent.id)).toBe(44);
    expect(await count(other.id)).toBe(7);
    const log = await t.gql(`{ changeLog(entityType:"RegistrationImport", first: 200){ totalCount edges { node { entityId data } } } }`, {}, await t.token('admin'));
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
    writeFileSync(f, `${HEADER}\n${numbers.map((m) => csvLine([agent.code, m, 'CDMA', '客戶', 'RESIDENT_ID', freshId(), 'CDMA-RYT', '2025-06-01 10:00', '2025-06-01 10:05', null])).join('\n')}\n`);
    expect(await importRegistrationsFile(t.app.ds, t.config, f)).toMatchObject({ inserted: 2 });
    const staff = await t.token('staff');
    const found = await t.gql(`query($m: String){ registrations(filter:{ msisdn: $m }){ edges { node { id } } } }`, { m: numbers[0] }, staff);
    await t.gql(`mutation($id: ID!){ cancelRegistration(id:$id, reason:"customer left") { id } }`, { id: found.data.registrations.edges[0].node.id }, staff);
    expect(await importRegistrationsFile(t.app.ds, t.config, f)).toMatchObject({ inserted: 0, skipped: 2, rejected: 0 });
    const history = await t.gql(`query($m: String){ registrations(filter:{ msisdn: $m }){ totalCount } }`, { m: numbers[0] }, staff);
    expect(history.data.registrations.totalCount).toBe(1);
  });

  it('imports a suspended agent\'s history only when asked to', async () => {
    const f = join(dir, 'history.csv');
    writeFileSync(f, `${HEADER}\n${csvLine([suspended.code, nextMsisdn(), 'CDMA', '舊客戶', 'RESIDENT_ID', freshId(), 'CDMA-RYT', '2024-11-01 10:00', '2024-11-01 10:05', '2024-11-01 12:00'])}\n`);
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
    const body = Array.from({ length: 150 }, (_, i) => [agent.code, nextMsisdn('156'), 'GSM', names[i % names.length], 'RESIDENT_ID', freshId(), 'GSM-XSL-19', '2025-05-01 10:00', '2025-05-01 10:05', '2025-05-01 11:00']);
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
      const p = prepareRecord(Number(agent.id), { msisdn: i === 149 ? taken : nextMsisdn('131'), network: 'GSM', customerName: 'x', idType: 'PASSPORT', idNumber: `P${100000 + i}`, tariffPlanCode: 'GSM-RYT', openedAt: hoursAgo(1) }, env);
      return { values: p.values!, flags: [] };
    });
    await inTransaction(t.app.ds, (em) => writeRegistrationRows(em, [rows[149]]));
    const before = await t.app.ds.query(`SELECT COUNT(*) AS n FROM registration`);
    await expect(inTransaction(t.app.ds, (em) => writeRegistrationRows(em, rows))).rejects.toThrow();
    const after = await t.app.ds.query(`SELECT COUNT(*) AS n FROM registration`);
    expect(Number(after[0].n)).toBe(Number(before[0].n));
  });
});
