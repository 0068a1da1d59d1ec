import { shanghaiDay } from '../../src/modules/agents/instant';
import { startTestApp, TestApp, expectError, expectConflict } from '../helpers/app';
import { createAgent, freshId, hoursAgo, nextMsisdn, record, residentId, submit, submitOk } from './registrations.fixtures';

let t: TestApp;
let agentA: { id: string; code: string };
let agentB: { id: string; code: string };
beforeAll(async () => {
  t = await startTestApp();
  agentA = await createAgent(t);
  agentB = await createAgent(t, { regionCode: 'JIANLI' });
});
afterAll(() => t.stop());

function flip(id: string): string {
  return id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
}

function ymd(d: { year: number; month: number; day: number }): string {
  return `${d.year}${String(d.month).padStart(2, '0')}${String(d.day).padStart(2, '0')}`;
}

describe('submitRegistrations: well-formed records', () => {
  it('stores a record pending activation, normalized, masked and unflagged', async () => {
    const id = residentId('19800101', 123);
    const msisdn = nextMsisdn();
    const [reg] = await submitOk(t, agentA.id, [
      record({
        msisdn: `+86 ${msisdn.slice(0, 3)}-${msisdn.slice(3, 7)}-${msisdn.slice(7)}`,
        idNumber: id.toLowerCase(),
        network: 'cdma',
        tariffPlanCode: 'cdma-xsk-39',
        customerName: '  王  芳 ',
      }),
    ]);
    expect(reg).toMatchObject({
      msisdn,
      network: 'CDMA',
      customerName: '王 芳',
      idType: 'RESIDENT_ID',
      idNumberMasked: `${id.slice(0, 4)}**********${id.slice(-4)}`,
      tariffPlanCode: 'CDMA-XSK-39',
      status: 'PENDING_ACTIVATION',
      flags: [],
      activatedAt: null,
      activationSeconds: null,
      agent: { id: agentA.id, code: agentA.code },
    });
    expect(Math.abs(Date.parse(reg.submittedAt) - Date.now())).toBeLessThan(60_000);
  });

  it('reads an openedAt without an offset as Asia/Shanghai time', async () => {
    const opened = new Date(Date.now() - 2 * 3600_000);
    const local = new Date(opened.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    const [reg] = await submitOk(t, agentA.id, [record({ openedAt: local })]);
    expect(Math.abs(Date.parse(reg.openedAt) - opened.getTime())).toBeLessThan(1000);
  });

  it('accepts 1,000 records in one call and refuses 1,001 or none, writing nothing', async () => {
    const agent = await createAgent(t);
    const many = Array.from({ length: 1000 }, () => record({ idNumber: freshId() }));
    const ok = await submit(t, agent.id, many);
    expect(ok.errors).toBeUndefined();
    expect(ok.data.submitRegistrations).toMatchObject({ accepted: 1000, rejected: 0 });
    const tooMany = Array.from({ length: 1001 }, () => record());
    expectError(await submit(t, agent.id, tooMany), 'BAD_USER_INPUT', 'records');
    expectError(await submit(t, agent.id, []), 'BAD_USER_INPUT', 'records');
    const count = await t.gql(`query($a: ID){ registrations(filter:{ agentId: $a }){ totalCount } }`, { a: agent.id }, await t.token('staff'));
    expect(count.data.registrations.totalCount).toBe(1000);
  });
});

describe('submitRegistrations: malformed records are rejected one by one', () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['missing msisdn', { msisdn: null }, 'msisdn', /required/],
    ['short msisdn', { msisdn: '1330000' }, 'msisdn', /11 digits starting with 1/],
    ['msisdn not starting with 1', { msisdn: '23300000001' }, 'msisdn', /11 digits starting with 1/],
    ['letters in msisdn', { msisdn: '1330000000A' }, 'msisdn', /11 digits/],
    ['missing network', { network: '' }, 'network', /required/],
    ['unknown network', { network: 'LTE' }, 'network', /CDMA or GSM/],
    ['missing customer name', { customerName: '  ' }, 'customerName', /required/],
    ['customer name too long', { customerName: '名'.repeat(65) }, 'customerName', /at most 64/],
    ['missing id type', { idType: null }, 'idType', /required/],
    ['unknown id type', { idType: 'DRIVING_LICENCE' }, 'idType', /one of/],
    ['missing id number', { idNumber: '' }, 'idNumber', /required/],
    ['malformed resident id', { idNumber: '42100219800101' }, 'idNumber', /18 characters/],
    ['malformed passport', { idType: 'PASSPORT', idNumber: 'E1' }, 'idNumber', /5 to 20/],
    ['missing tariff plan', { tariffPlanCode: null }, 'tariffPlanCode', /required/],
    ['unknown tariff plan', { tariffPlanCode: 'NOPE-1' }, 'tariffPlanCode', /not a known tariff plan/],
    ['plan of the other network', { tariffPlanCode: 'GSM-XSL-19' }, 'tariffPlanCode', /GSM plan/],
    ['missing openedAt', { openedAt: null }, 'openedAt', /required/],
    ['unreadable openedAt', { openedAt: 'last Tuesday' }, 'openedAt', /date and time/],
    ['impossible openedAt', { openedAt: '2005-02-30T10:00:00+08:00' }, 'openedAt', /date and time/],
    ['openedAt in the future', { openedAt: new Date(Date.now() + 3600_000).toISOString() }, 'openedAt', /future/],
    ['openedAt before 1990', { openedAt: '1989-12-31T10:00:00+08:00' }, 'openedAt', /1990/],
  ];

  it.each(cases)('%s', async (_name, over, field, message) => {
    const good1 = record();
    const good2 = record();
    const res = await submit(t, agentA.id, [good1, record(over), good2]);
    expect(res.errors).toBeUndefined();
    const p = res.data.submitRegistrations;
    expect(p).toMatchObject({ accepted: 2, rejected: 1 });
    expect(p.results.map((r: any) => r.index)).toEqual([0, 1, 2]);
    expect(p.results[1].registration).toBeNull();
    expect(p.results[1].errors).toEqual([{ field: `records.1.${field}`, message: expect.stringMatching(message) }]);
    expect(p.results[0].registration.msisdn).toBe(good1.msisdn);
    expect(p.results[2].registration.msisdn).toBe(good2.msisdn);
  });

  it('reports every bad field of a record at once, and never echoes the id number', async () => {
    const res = await submit(t, agentA.id, [{ msisdn: '12', network: 'X', idType: 'RESIDENT_ID', idNumber: '123456789012', openedAt: 'no' }]);
    const fields = res.data.submitRegistrations.results[0].errors.map((e: any) => e.field);
    expect(fields).toEqual([
      'records.0.msisdn',
      'records.0.network',
      'records.0.customerName',
      'records.0.idNumber',
      'records.0.tariffPlanCode',
      'records.0.openedAt',
    ]);
    expect(JSON.stringify(res.body)).not.toContain('123456789012');
  });

  it('rejects a number that already has a pending or active line, at any agent, and a repeat within the call', async () => {
    const taken = nextMsisdn();
    await submitOk(t, agentA.id, [record({ msisdn: taken })]);
    const res = await submit(t, agentB.id, [record({ msisdn: taken })]);
    expect(res.data.submitRegistrations.results[0].errors).toEqual([{ field: 'records.0.msisdn', message: 'already has a pending or active line' }]);
    const twice = nextMsisdn();
    const res2 = await submit(t, agentB.id, [record({ msisdn: twice }), record({ msisdn: twice })]);
    expect(res2.data.submitRegistrations).toMatchObject({ accepted: 1, rejected: 1 });
    expect(res2.data.submitRegistrations.results[1].errors).toEqual([{ field: 'records.1.msisdn', message: 'is the same number as records.0' }]);
  });

  it('frees the number once the line is rejected or cancelled', async () => {
    const msisdn = nextMsisdn();
    const [reg] = await submitOk(t, agentA.id, [record({ msisdn })]);
    const staff = await t.token('staff');
    await t.gql(`mutation($id: ID!){ rejectRegistration(id:$id, reason:"wrong customer name") { id } }`, { id: reg.id }, staff);
    const [again] = await submitOk(t, agentB.id, [record({ msisdn })]);
    await t.gql(`mutation($id: ID!){ activateRegistration(id:$id) { id } }`, { id: again.id }, staff);
    await t.gql(`mutation($id: ID!){ cancelRegistration(id:$id, reason:"customer left") { id } }`, { id: again.id }, staff);
    const [third] = await submitOk(t, agentA.id, [record({ msisdn })]);
    expect(third.status).toBe('PENDING_ACTIVATION');
    const history = await t.gql(`query($m: String){ registrations(filter:{ msisdn: $m }){ edges { node { status } } } }`, { m: msisdn }, staff);
    expect(history.data.registrations.edges.map((e: any) => e.node.status)).toEqual(['PENDING_ACTIVATION', 'CANCELLED', 'REJECTED']);
  });
});

describe('submitRegistrations: suspicious records go in with flags', () => {
  it('INVALID_ID_CHECKSUM for a wrong check character', async () => {
    const [reg] = await submitOk(t, agentA.id, [record({ idNumber: flip(freshId()) })]);
    expect(reg.flags).toEqual(['INVALID_ID_CHECKSUM']);
  });

  it('INVALID_BIRTH_DATE for an impossible date or one after the opening, with a valid check character', async () => {
    const regs = await submitOk(t, agentA.id, [
      record({ idNumber: residentId('19801332') }),
      record({ idNumber: residentId('19810229') }),
      record({ idNumber: residentId('20990101') }),
      record({ idNumber: residentId('18991231') }),
    ]);
    expect(regs.map((r: any) => r.flags)).toEqual([['INVALID_BIRTH_DATE'], ['INVALID_BIRTH_DATE'], ['INVALID_BIRTH_DATE'], ['INVALID_BIRTH_DATE']]);
    // 1980 was a leap year: 29 February is a real birthday.
    const [leap] = await submitOk(t, agentA.id, [record({ idNumber: residentId('19800229') })]);
    expect(leap.flags).toEqual([]);
  });

  it('UNDERAGE under 16 on the Shanghai day the line was opened, not on the birthday itself', async () => {
    const opened = new Date(Date.now() - 3600_000);
    const day = shanghaiDay(opened);
    const sixteenToday = ymd({ ...day, year: day.year - 16 });
    const next = new Date(Date.UTC(day.year - 16, day.month - 1, day.day + 1));
    const sixteenTomorrow = ymd({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() });
    const regs = await submitOk(t, agentA.id, [
      record({ openedAt: opened.toISOString(), idNumber: residentId(sixteenToday, 7) }),
      record({ openedAt: opened.toISOString(), idNumber: residentId(sixteenTomorrow, 8) }),
      record({ openedAt: opened.toISOString(), idNumber: residentId(`${day.year - 12}0601`, 9) }),
    ]);
    expect(regs.map((r: any) => r.flags)).toEqual([[], ['UNDERAGE'], ['UNDERAGE']]);
  });

  it('LATE_ENTRY when submitted more than 24 hours after the opening', async () => {
    const regs = await submitOk(t, agentA.id, [
      record({ openedAt: hoursAgo(23.5) }),
      record({ openedAt: hoursAgo(24.5) }),
      record({ openedAt: hoursAgo(24 * 9) }),
    ]);
    expect(regs.map((r: any) => r.flags)).toEqual([[], ['LATE_ENTRY'], ['LATE_ENTRY']]);
  });

  it('several flags on one record, in a fixed order', async () => {
    const [reg] = await submitOk(t, agentA.id, [record({ idNumber: flip(residentId('20150101')), openedAt: hoursAgo(48) })]);
    expect(reg.flags).toEqual(['INVALID_ID_CHECKSUM', 'UNDERAGE', 'LATE_ENTRY']);
  });

  it('no resident-card checks on other documents; first-generation 15-digit cards are read', async () => {
    const regs = await submitOk(t, agentA.id, [
      record({ idType: 'PASSPORT', idNumber: 'e12345678' }),
      record({ idType: 'HK_MACAO_PERMIT', idNumber: 'H0123456701' }),
      record({ idType: 'RESIDENT_ID', idNumber: '421002750315123' }),
      record({ idType: 'RESIDENT_ID', idNumber: '421002751315123' }),
    ]);
    // Lines opened today: a first-generation card has been obsolete since 2013 (identity-numbers.test.ts).
    expect(regs.map((r: any) => r.flags)).toEqual([[], [], ['OBSOLETE_ID_CARD'], ['INVALID_BIRTH_DATE', 'OBSOLETE_ID_CARD']]);
    expect(regs[0].idNumberMasked).toBe('E1*****78');
    expect(regs[2].idNumberMasked).toBe('4210*******5123');
  });

  it('ID_LINE_LIMIT_EXCEEDED once an identity holds more than 5 live lines across agents, counting down on rejection and cancellation', async () => {
    const id = freshId();
    const staff = await t.token('staff');
    const first3 = await submitOk(t, agentA.id, [record({ idNumber: id }), record({ idNumber: id }), record({ idNumber: id })]);
    const next2 = await submitOk(t, agentB.id, [record({ idNumber: id, network: 'GSM', tariffPlanCode: 'GSM-RYT' }), record({ idNumber: id })]);
    expect([...first3, ...next2].map((r: any) => r.flags)).toEqual([[], [], [], [], []]);
    // The sixth line, at a third agent.
    const agentC = await createAgent(t, { regionCode: 'HONGHU' });
    const [sixth] = await submitOk(t, agentC.id, [record({ idNumber: id.toLowerCase() })]);
    expect(sixth.flags).toEqual(['ID_LINE_LIMIT_EXCEEDED']);
    // Two lines end: four live lines remain, so a fifth is within the limit again.
    await t.gql(`mutation($id: ID!){ rejectRegistration(id:$id, reason:"duplicate") { id } }`, { id: first3[0].id }, staff);
    await t.gql(`mutation($id: ID!){ cancelRegistration(id:$id, reason:"closed") { id } }`, { id: next2[0].id }, staff);
    const [fifth] = await submitOk(t, agentC.id, [record({ idNumber: id })]);
    expect(fifth.flags).toEqual([]);
    const [sixthAgain] = await submitOk(t, agentA.id, [record({ idNumber: id })]);
    expect(sixthAgain.flags).toEqual(['ID_LINE_LIMIT_EXCEEDED']);
  });

  it('ID_LINE_LIMIT_EXCEEDED within one call: the sixth and later records', async () => {
    const id = freshId();
    const regs = await submitOk(
      t,
      agentB.id,
      Array.from({ length: 7 }, () => record({ idNumber: id })),
    );
    expect(regs.map((r: any) => r.flags)).toEqual([[], [], [], [], [], ['ID_LINE_LIMIT_EXCEEDED'], ['ID_LINE_LIMIT_EXCEEDED']]);
  });

  it('ID_LINE_LIMIT_EXCEEDED is counted right when agents submit the same identity at the same time', async () => {
    const id = freshId();
    const agents = await Promise.all([createAgent(t), createAgent(t), createAgent(t)]);
    const results = await Promise.all(agents.map((a) => submitOk(t, a.id, [record({ idNumber: id }), record({ idNumber: id }), record({ idNumber: id })])));
    const flags = results.flat().map((r: any) => r.flags.includes('ID_LINE_LIMIT_EXCEEDED'));
    expect(flags.filter(Boolean)).toHaveLength(4);
  });
});

describe('who may submit', () => {
  it('an AGENT for its own agent only', async () => {
    const token = await t.userToken('AGENT', { agentId: agentA.id });
    const [reg] = await submitOk(t, agentA.id, [record()], token);
    expect(reg.agent.id).toBe(agentA.id);
    expectError(await submit(t, agentB.id, [record()], token), 'NOT_FOUND');
  });

  it.each(['AUDITOR', 'FINANCE', 'AFTERSALES_STAFF'])('not %s', async (role) => {
    expectError(await submit(t, agentA.id, [record()], await t.userToken(role)), 'FORBIDDEN');
  });

  it('not a suspended or terminated agent, and nothing is written', async () => {
    const staff = await t.token('staff');
    for (const status of ['SUSPENDED', 'TERMINATED']) {
      const agent = await createAgent(t);
      await t.gql(`mutation($id: ID!, $s: AgentStatus!){ setAgentStatus(id:$id, status:$s, reason:"checks") { id } }`, { id: agent.id, s: status }, staff);
      const err = expectConflict(await submit(t, agent.id, [record()]), 'AGENT_NOT_ACTIVE');
      expect(err.message).toMatch(new RegExp(status));
      const count = await t.gql(`query($a: ID){ registrations(filter:{ agentId: $a }){ totalCount } }`, { a: agent.id }, staff);
      expect(count.data.registrations.totalCount).toBe(0);
    }
  });

  it('not for an unknown agent', async () => {
    expectError(await submit(t, '999999', [record()]), 'NOT_FOUND');
    expectError(await submit(t, 'x', [record()]), 'BAD_USER_INPUT', 'agentId');
  });
});

describe('identity numbers', () => {
  const Q = `query($id: ID!){ registration(id:$id){ id msisdn idNumberMasked idNumber } }`;
  let reg: any;
  let id: string;
  beforeAll(async () => {
    id = freshId();
    [reg] = await submitOk(t, agentA.id, [record({ idNumber: id })]);
  });

  it.each(['auditor', 'admin'])('%s reads the full number', async (user) => {
    const res = await t.gql(Q, { id: reg.id }, await t.token(user));
    expect(res.errors).toBeUndefined();
    expect(res.data.registration).toMatchObject({ idNumber: id, idNumberMasked: `${id.slice(0, 4)}**********${id.slice(-4)}` });
  });

  it.each([['staff'], ['AGENT']])('%s gets FORBIDDEN on idNumber and still reads the rest', async (who) => {
    const token = who === 'AGENT' ? await t.userToken('AGENT', { agentId: agentA.id }) : await t.token(who);
    const res = await t.gql(Q, { id: reg.id }, token);
    expect(res.errors?.[0]).toMatchObject({ path: ['registration', 'idNumber'], extensions: { code: 'FORBIDDEN' } });
    expect(res.data.registration).toMatchObject({ msisdn: reg.msisdn, idNumberMasked: reg.idNumberMasked, idNumber: null });
    const masked = await t.gql(`query($id: ID!){ registration(id:$id){ idNumberMasked } }`, { id: reg.id }, token);
    expect(masked.errors).toBeUndefined();
  });

  it('are stored encrypted: no column holds the number or its middle digits', async () => {
    const rows = await t.app.ds.query('SELECT * FROM registration WHERE id = ?', [Number(reg.id)]);
    const raw = JSON.stringify(rows);
    expect(raw).not.toContain(id);
    expect(raw).not.toContain(id.slice(4, 14));
    expect(rows[0].idKeyId).toBe(t.config.idActiveKeyId);
    expect(rows[0].idHash).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // Two records of one identity share the hash, never the ciphertext (a fresh nonce each).
    const [twin] = await submitOk(t, agentB.id, [record({ idNumber: id })]);
    const both = await t.app.ds.query('SELECT idCipher, idHash FROM registration WHERE id IN (?, ?)', [Number(reg.id), Number(twin.id)]);
    expect(both[0].idHash).toBe(both[1].idHash);
    expect(both[0].idCipher).not.toBe(both[1].idCipher);
  });

  it('never reach the change log', async () => {
    const log = await t.gql(`{ changeLog(entityType:"Registration", first: 200){ edges { node { action data } } } }`, {}, await t.token('admin'));
    const text = JSON.stringify(log.data);
    expect(text).toContain('submitRegistrations');
    expect(text).not.toContain(id);
    expect(text).not.toMatch(/idNumber|idCipher|idHash/);
  });

  it('find every record of one identity for an auditor, across agents', async () => {
    const res = await t.gql(
      `query($n: String){ registrations(filter:{ idNumber: $n }){ totalCount edges { node { agent { code } } } } }`,
      { n: id.toLowerCase() },
      await t.token('auditor'),
    );
    expect(res.data.registrations.totalCount).toBe(2);
    expect(new Set(res.data.registrations.edges.map((e: any) => e.node.agent.code))).toEqual(new Set([agentA.code, agentB.code]));
  });
});

describe('reading records', () => {
  const LIST = `query($f: RegistrationFilter, $first: Int, $after: String){ registrations(filter:$f, first:$first, after:$after){ totalCount pageInfo { hasNextPage endCursor } edges { node { id status flags agent { id } } } } }`;

  it('an AGENT reads only its own records, by list, by id and through its agent', async () => {
    const mine = await createAgent(t);
    const other = await createAgent(t);
    const [own] = await submitOk(t, mine.id, [record(), record()]);
    const [foreign] = await submitOk(t, other.id, [record()]);
    const token = await t.userToken('AGENT', { agentId: mine.id });
    const list = await t.gql(LIST, {}, token);
    expect(list.data.registrations.totalCount).toBe(2);
    expect(list.data.registrations.edges.every((e: any) => e.node.agent.id === mine.id)).toBe(true);
    expectError(await t.gql(LIST, { f: { agentId: other.id } }, token), 'NOT_FOUND');
    expect((await t.gql(`query($id: ID!){ registration(id:$id){ id } }`, { id: own.id }, token)).data.registration.id).toBe(own.id);
    expectError(await t.gql(`query($id: ID!){ registration(id:$id){ id } }`, { id: foreign.id }, token), 'NOT_FOUND');
    const nested = await t.gql(`query($id: ID!){ agent(id:$id){ registrations { totalCount } } }`, { id: mine.id }, token);
    expect(nested.data.agent.registrations.totalCount).toBe(2);
  });

  it("staff and auditors read every agent's records; finance and after-sales do not", async () => {
    const all = await t.gql(LIST, { first: 1 }, await t.token('staff'));
    expect(all.data.registrations.totalCount).toBeGreaterThan(1000);
    expect((await t.gql(LIST, { first: 1 }, await t.token('auditor'))).data.registrations.totalCount).toBe(all.data.registrations.totalCount);
    expectError(await t.gql(LIST, {}, await t.token('finance')), 'FORBIDDEN');
    expectError(await t.gql(LIST, {}, await t.token('aftersales')), 'FORBIDDEN');
  });

  it('filters by status, flag, flagged and period, newest first, with cursors', async () => {
    const agent = await createAgent(t);
    const staff = await t.token('staff');
    const regs = await submitOk(t, agent.id, [record(), record({ idNumber: flip(freshId()) }), record({ openedAt: hoursAgo(30) }), record()]);
    await t.gql(`mutation($id: ID!){ activateRegistration(id:$id) { id } }`, { id: regs[3].id }, staff);
    const q = async (f: object) => (await t.gql(LIST, { f: { agentId: agent.id, ...f } }, staff)).data.registrations;
    expect((await q({})).edges.map((e: any) => e.node.id)).toEqual([...regs].reverse().map((r: any) => r.id));
    expect((await q({ status: 'ACTIVE' })).edges.map((e: any) => e.node.id)).toEqual([regs[3].id]);
    expect((await q({ flag: 'INVALID_ID_CHECKSUM' })).edges.map((e: any) => e.node.id)).toEqual([regs[1].id]);
    expect((await q({ flag: 'LATE_ENTRY' })).edges.map((e: any) => e.node.id)).toEqual([regs[2].id]);
    expect((await q({ flagged: true })).totalCount).toBe(2);
    expect((await q({ flagged: false })).totalCount).toBe(2);
    const now = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    expect((await q({ period: now })).totalCount).toBeGreaterThanOrEqual(3);
    expect((await q({ period: '2001-01' })).totalCount).toBe(0);
    expectError(await t.gql(LIST, { f: { period: '2025-13' } }, staff), 'BAD_USER_INPUT', 'filter.period');
    expectError(await t.gql(LIST, { f: { msisdn: '123' } }, staff), 'BAD_USER_INPUT', 'filter.msisdn');
    const page1 = (await t.gql(LIST, { f: { agentId: agent.id }, first: 3 }, staff)).data.registrations;
    const page2 = (await t.gql(LIST, { f: { agentId: agent.id }, first: 3, after: page1.pageInfo.endCursor }, staff)).data.registrations;
    expect(page1.pageInfo.hasNextPage).toBe(true);
    expect([...page1.edges, ...page2.edges].map((e: any) => e.node.id)).toEqual([...regs].reverse().map((r: any) => r.id));
    expect(page2.pageInfo.hasNextPage).toBe(false);
  });

  it('Agent.registrations pages newest first with totalCount, in a constant number of statements', async () => {
    const agents = [await createAgent(t), await createAgent(t), await createAgent(t)];
    for (const a of agents) await submitOk(t, a.id, [record(), record(), record()]);
    const Q = `query($f: AgentFilter, $after: String){ agents(filter:$f, first: 50){ edges { node { code registrations(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id agent { code } } } } } } } }`;
    const staff = await t.token('staff');
    t.sql.reset();
    const one = await t.gql(Q, { f: { search: agents[0].code } }, staff);
    const fewStatements = t.sql.count;
    t.sql.reset();
    const many = await t.gql(Q, { f: { search: 'RG-' } }, staff);
    const manyStatements = t.sql.count;
    expect(many.data.agents.edges.length).toBeGreaterThan(5);
    expect(manyStatements).toBe(fewStatements);
    const node = one.data.agents.edges[0].node.registrations;
    expect(node.totalCount).toBe(3);
    expect(node.pageInfo.hasNextPage).toBe(true);
    expect(node.edges.every((e: any) => e.node.agent.code === agents[0].code)).toBe(true);
    const rest = await t.gql(Q, { f: { search: agents[0].code }, after: node.pageInfo.endCursor }, staff);
    const ids = [...node.edges, ...rest.data.agents.edges[0].node.registrations.edges].map((e: any) => Number(e.node.id));
    expect(ids).toHaveLength(3);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
  });

  it('Agent.registrations selects the columns its selection reads, and answers as the record itself does whatever is asked', async () => {
    const agent = await createAgent(t);
    await submitOk(t, agent.id, [record(), record({ openedAt: hoursAgo(30) })]);
    const auditor = await t.token('auditor');
    const FIELDS =
      'id msisdn network customerName idType idNumberMasked idNumber tariffPlanCode status statusReason openedAt submittedAt activatedAt activationSeconds flags tariffPlan { code } agent { code }';
    const page = async (sel: string, fragment = '') => {
      t.sql.reset(true);
      const res = await t.gql(
        `query($f: AgentFilter){ agents(filter:$f){ edges { node { registrations(first: 5) { edges { node { ${sel} } } } } } } }${fragment}`,
        { f: { search: agent.code } },
        auditor,
      );
      expect(res.errors).toBeUndefined();
      const statement = t.sql.statements.find((q) => /FROM registration WHERE agentId/.test(q)) ?? '';
      return {
        nodes: res.data.agents.edges[0].node.registrations.edges.map((e: any) => e.node),
        select: /SELECT ([^()]*?) FROM registration WHERE agentId/.exec(statement)![1],
      };
    };
    const narrow = await page('id msisdn flags openedAt');
    expect(narrow.select.replace(/[`"]/g, '').split(', ').sort()).toEqual(['agentId', 'flags', 'id', 'msisdn', 'openedAt']);
    expect(narrow.nodes).toHaveLength(2);
    expect(narrow.nodes.map((n: any) => n.flags)).toEqual([['LATE_ENTRY'], []]); // newest (the late one) first

    // Every field, through a fragment and an inline fragment: each record as registration(id) gives it.
    for (const [sel, fragment] of [
      [FIELDS, ''],
      ['...R', ` fragment R on Registration { ${FIELDS} }`],
      [`... on Registration { ${FIELDS} }`, ''],
    ]) {
      const wide = await page(sel, fragment);
      expect(wide.nodes).toHaveLength(2);
      for (const node of wide.nodes) {
        const one = await t.gql(`query($id: ID!){ registration(id: $id) { ${FIELDS} } }`, { id: node.id }, auditor);
        expect(node).toEqual(one.data.registration);
        expect(node.idNumber).toMatch(/^\d{17}[\dX]$/);
      }
    }
    // A field whose resolver does not declare what it reads (none here) would select every column;
    // the identity number's resolver declares the sealed columns it opens.
    expect((await page('idNumber')).select.replace(/[`"]/g, '').split(', ').sort()).toEqual(['agentId', 'id', 'idCipher', 'idKeyId']);
  });

  it('Agent.registrations reads the row after the page only when pageInfo is asked for, however it is asked', async () => {
    const agent = await createAgent(t);
    await submitOk(t, agent.id, [record(), record(), record()]);
    const staff = await t.token('staff');
    const shapes: Record<string, string> = {
      plain: `pageInfo { hasNextPage endCursor } edges { node { id } }`,
      fragment: `...P edges { node { id } }`,
      inline: `... on RegistrationConnection { pageInfo { hasNextPage endCursor } } edges { node { id } }`,
      none: `edges { node { id } }`,
      fragmentWithout: `...Q edges { node { id } }`,
    };
    const reads: Record<string, { edges: number; hasNextPage?: boolean; statement: string }> = {};
    for (const [name, sel] of Object.entries(shapes)) {
      const fragment =
        name === 'fragment'
          ? ' fragment P on RegistrationConnection { pageInfo { hasNextPage endCursor } }'
          : name === 'fragmentWithout'
            ? ' fragment Q on RegistrationConnection { edges { cursor } }'
            : '';
      t.sql.reset(true);
      const res = await t.gql(
        `query($f: AgentFilter){ agents(filter:$f){ edges { node { registrations(first: 2) { ${sel} } } } } }${fragment}`,
        { f: { search: agent.code } },
        staff,
      );
      expect(res.errors).toBeUndefined();
      const conn = res.data.agents.edges[0].node.registrations;
      reads[name] = {
        edges: conn.edges.length,
        hasNextPage: conn.pageInfo?.hasNextPage,
        statement: t.sql.statements.find((q) => /FROM registration WHERE agentId/.test(q)) ?? '',
      };
    }
    for (const name of ['plain', 'fragment', 'inline']) {
      expect(reads[name]).toMatchObject({ edges: 2, hasNextPage: true });
      expect(reads[name].statement).toMatch(/LIMIT 3\b/);
    }
    for (const name of ['none', 'fragmentWithout']) {
      expect(reads[name]).toMatchObject({ edges: 2, hasNextPage: undefined });
      expect(reads[name].statement).toMatch(/LIMIT 2\b/);
    }
  });
});

describe('activation, rejection, cancellation', () => {
  const ACTIVATE = `mutation($id: ID!){ activateRegistration(id:$id){ id status activatedAt activationSeconds submittedAt } }`;
  const REJECT = `mutation($id: ID!, $r: String!){ rejectRegistration(id:$id, reason:$r){ id status statusReason statusChangedAt } }`;
  const CANCEL = `mutation($id: ID!, $r: String!){ cancelRegistration(id:$id, reason:$r){ id status statusReason } }`;

  it('activates a pending record once, keeping the time from submission', async () => {
    const [reg] = await submitOk(t, agentA.id, [record()]);
    const staff = await t.token('staff');
    const res = await t.gql(ACTIVATE, { id: reg.id }, staff);
    expect(res.data.activateRegistration.status).toBe('ACTIVE');
    const a = res.data.activateRegistration;
    expect(a.activationSeconds).toBe(Math.round((Date.parse(a.activatedAt) - Date.parse(a.submittedAt)) / 1000));
    expectConflict(await t.gql(ACTIVATE, { id: reg.id }, staff), 'TRANSITION_NOT_ALLOWED');
    expectConflict(await t.gql(REJECT, { id: reg.id, r: 'late' }, staff), 'TRANSITION_NOT_ALLOWED');
  });

  it('rejects with a required reason, and the reason is kept', async () => {
    const [reg] = await submitOk(t, agentA.id, [record()]);
    const staff = await t.token('staff');
    expectError(await t.gql(REJECT, { id: reg.id, r: ' ' }, staff), 'BAD_USER_INPUT', 'reason');
    const res = await t.gql(REJECT, { id: reg.id, r: '身份證件與本人不符' }, staff);
    expect(res.data.rejectRegistration).toMatchObject({ status: 'REJECTED', statusReason: '身份證件與本人不符' });
    expectError(await t.gql(ACTIVATE, { id: reg.id }, staff), 'CONFLICT');
    expectError(await t.gql(CANCEL, { id: reg.id, r: 'x' }, staff), 'CONFLICT');
    const log = await t.gql(
      `query($id: ID){ changeLog(entityType:"Registration", entityId:$id){ edges { node { action actorName } } } }`,
      { id: reg.id },
      await t.token('admin'),
    );
    expect(log.data.changeLog.edges.map((e: any) => e.node.action)).toEqual(['rejectRegistration', 'submitRegistrations']);
  });

  it('lets exactly one of a concurrent activation and rejection win', async () => {
    const [reg] = await submitOk(t, agentA.id, [record()]);
    const staff = await t.token('staff');
    const [x, y] = await Promise.all([t.gql(ACTIVATE, { id: reg.id }, staff), t.gql(REJECT, { id: reg.id, r: 'race' }, staff)]);
    expect([x, y].filter((r) => !r.errors)).toHaveLength(1);
    expect([x, y].filter((r) => r.errors?.[0].extensions.code === 'CONFLICT')).toHaveLength(1);
  });

  it("a partner hall activates its own records; an outlet may not; nobody activates another agent's", async () => {
    const hall = await createAgent(t, { kind: 'FRANCHISE_HALL' });
    const hallToken = await t.userToken('AGENT', { agentId: hall.id });
    const [own] = await submitOk(t, hall.id, [record()], hallToken);
    expect((await t.gql(ACTIVATE, { id: own.id }, hallToken)).data.activateRegistration.status).toBe('ACTIVE');
    const [foreign] = await submitOk(t, agentA.id, [record()]);
    expectError(await t.gql(ACTIVATE, { id: foreign.id }, hallToken), 'NOT_FOUND');
    const outletToken = await t.userToken('AGENT', { agentId: agentA.id });
    expectError(await t.gql(ACTIVATE, { id: foreign.id }, outletToken), 'FORBIDDEN');
    expectError(await t.gql(REJECT, { id: foreign.id, r: 'x' }, hallToken), 'FORBIDDEN');
  });

  it('activationSummary measures submission to activation for the month', async () => {
    const agent = await createAgent(t);
    const regs = await submitOk(t, agent.id, [record(), record(), record()]);
    const staff = await t.token('staff');
    for (const r of regs.slice(0, 2)) await t.gql(ACTIVATE, { id: r.id }, staff);
    const period = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const res = await t.gql(
      `query($f: ActivationStatsFilter!){ activationSummary(filter:$f){ period activated averageSeconds maxSeconds withinOneHour withinOneDay } }`,
      { f: { period, agentId: agent.id } },
      staff,
    );
    expect(res.data.activationSummary).toMatchObject({ period, activated: 2, withinOneHour: 2, withinOneDay: 2 });
    expect(res.data.activationSummary.averageSeconds).toBeGreaterThanOrEqual(0);
    const none = await t.gql(
      `query($f: ActivationStatsFilter!){ activationSummary(filter:$f){ activated averageSeconds } }`,
      { f: { period: '2001-01', agentId: agent.id } },
      staff,
    );
    expect(none.data.activationSummary).toEqual({ activated: 0, averageSeconds: null });
    const token = await t.userToken('AGENT', { agentId: agentA.id });
    expectError(
      await t.gql(`query($f: ActivationStatsFilter!){ activationSummary(filter:$f){ activated } }`, { f: { period, agentId: agent.id } }, token),
      'NOT_FOUND',
    );
  });
});
