/**
 * Resident identity numbers beyond the checksum (issues 19 and 26): first-generation 15-digit
 * numbers are one identity with their 18-character form, obsolete after 2012, masked 4 + 4; the
 * region code must have existed in some edition of GB/T 2260; and both new flags weigh in the risk
 * score and in risk-weighted sampling like the others.
 */
import { inTransaction } from '../../src/common/tx';
import { secondGenerationForm, withCheckChar } from '../../src/common/validators/id-card';
import { backfillIdentityNumbers } from '../../src/modules/agents/identity-backfill';
import { identityCipher } from '../../src/modules/agents/identity-crypto';
import { prepareRecord, storeRecords } from '../../src/modules/agents/registration-ingest';
import { TARIFF_PLANS } from '../../seeds/agents';
import { startTestApp, TestApp } from '../helpers/app';
import { GQL } from './audits.fixtures';
import { createAgent, hoursAgo, nextMsisdn, record, submit, submitOk } from './registrations.fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const READ = `query($id: ID!){ registration(id:$id){ id flags idNumberMasked idNumber idRegionName } }`;
const READ_STAFF = `query($id: ID!){ registration(id:$id){ id flags idNumberMasked } }`;

/** Every 15-digit number here is unique to its test (pid and a counter in the sequence digits). */
let seq = 0;
function fifteen(region = '421002', birth = '780909'): string {
  return `${region}${birth}${String((process.pid + ++seq) % 1000).padStart(3, '0')}`;
}

describe('first-generation (15-digit) numbers', () => {
  it('count as the same identity as their 18-character form for the five-lines limit', async () => {
    const a = await createAgent(t);
    const b = await createAgent(t);
    const short = fifteen();
    const long = secondGenerationForm(short);
    expect(long).toHaveLength(18);
    // The issue's own pair.
    expect(secondGenerationForm('421002780909333')).toBe('421002197809093330');

    const first = await submitOk(
      t,
      a.id,
      [1, 2, 3].map(() => record({ idNumber: short })),
    );
    const second = await submitOk(
      t,
      b.id,
      [1, 2].map(() => record({ idNumber: long })),
    );
    expect([...first, ...second].every((r: any) => !r.flags.includes('ID_LINE_LIMIT_EXCEEDED'))).toBe(true);
    // The sixth line of the person, typed either way, is over the limit.
    const [sixth] = await submitOk(t, b.id, [record({ idNumber: long })]);
    expect(sixth.flags).toContain('ID_LINE_LIMIT_EXCEEDED');
    const [seventh] = await submitOk(t, a.id, [record({ idNumber: short })]);
    expect(seventh.flags).toContain('ID_LINE_LIMIT_EXCEEDED');

    // Found by either form; the auditor reads what was typed.
    const auditor = await t.token('auditor');
    for (const q of [short, long]) {
      const res = await t.gql(`query($n: String){ registrations(filter:{ idNumber: $n }){ totalCount edges { node { idNumber } } } }`, { n: q }, auditor);
      expect(res.data.registrations.totalCount).toBe(7);
      expect(new Set(res.data.registrations.edges.map((e: any) => e.node.idNumber))).toEqual(new Set([short, long]));
    }
  });

  it('are masked 4 + 4 like the 18-character form, and auditors read them as typed', async () => {
    const a = await createAgent(t);
    const short = fifteen();
    const [reg] = await submitOk(t, a.id, [record({ idNumber: short })]);
    expect(reg.idNumberMasked).toBe(`${short.slice(0, 4)}*******${short.slice(-4)}`);
    expect(reg.idNumberMasked).toHaveLength(15);
    const res = await t.gql(READ, { id: reg.id }, await t.token('auditor'));
    expect(res.data.registration).toMatchObject({ idNumber: short, idNumberMasked: reg.idNumberMasked, idRegionName: '湖北省荆州市沙市区' });
    const long = await submitOk(t, a.id, [record({ idNumber: withCheckChar('42100219800101123') })]);
    expect(long[0].idNumberMasked).toBe('4210**********1237');
  });

  it('are flagged OBSOLETE_ID_CARD on a line opened on or after 2013-01-01 (Shanghai), not before', async () => {
    const a = await createAgent(t);
    const res = await submit(t, a.id, [
      record({ idNumber: fifteen(), openedAt: '2012-12-31T23:59:00+08:00' }),
      record({ idNumber: fifteen(), openedAt: '2013-01-01T00:00:00+08:00' }),
      record({ idNumber: fifteen(), openedAt: hoursAgo(1) }),
      record({ openedAt: hoursAgo(1) }),
    ]);
    const flags = res.data.submitRegistrations.results.map((r: any) => r.registration.flags);
    expect(flags[0]).not.toContain('OBSOLETE_ID_CARD');
    expect(flags[1]).toContain('OBSOLETE_ID_CARD');
    expect(flags[2]).toEqual(['OBSOLETE_ID_CARD']);
    expect(flags[3]).toEqual([]);
  });
});

describe('region codes (GB/T 2260: the province always, the whole code for holders born from 2003)', () => {
  const cases: { label: string; id: string; flagged: boolean; name: string | null }[] = [
    // Current codes.
    { label: '沙市區 (current)', id: withCheckChar('42100219800101123'), flagged: false, name: '湖北省荆州市沙市区' },
    { label: '北京東城 (current)', id: withCheckChar('11010119750505432'), flagged: false, name: '北京市东城区' },
    { label: '深圳南山 (current)', id: withCheckChar('44030519900101002'), flagged: false, name: '广东省深圳市南山区' },
    { label: '監利市 (2020)', id: withCheckChar('42108819900101002'), flagged: false, name: '湖北省荆州市监利市' },
    // Abolished: 崇文區 (merged 2010) is in the covered editions; 昌平縣 (a district since 1999), 黃岡地區 (1995)
    // and 通縣 (1997) are older than them, accepted for holders born before 2003 and named as far as known.
    { label: '崇文區 (abolished 2010)', id: withCheckChar('11010319700101001'), flagged: false, name: '北京市崇文区' },
    { label: '昌平縣 (abolished 1999)', id: withCheckChar('11022119650101001'), flagged: false, name: '北京市' },
    { label: '黃岡地區 (abolished 1995)', id: withCheckChar('42210019600101001'), flagged: false, name: '湖北省' },
    { label: '通縣, 15 digits (abolished 1997)', id: '110223650315123', flagged: false, name: '北京市' },
    // Impossible province prefixes.
    { label: '99 (issue 26)', id: '990000198001011234', flagged: true, name: null },
    { label: '00 (issue 26)', id: '000000198001011235', flagged: true, name: null },
    { label: '19', id: withCheckChar('19010119800101123'), flagged: true, name: null },
    { label: '72', id: withCheckChar('72010119800101123'), flagged: true, name: null },
    { label: '99, 15 digits', id: '990101780909333', flagged: true, name: null },
    // Real provinces, codes no covered edition has: flagged for holders born from 2003 on.
    { label: '421099, born 2005', id: withCheckChar('42109920050101123'), flagged: true, name: '湖北省荆州市' },
    { label: '110199, born 2004', id: withCheckChar('11019920040101123'), flagged: true, name: '北京市' },
    { label: '421099, born 1980', id: withCheckChar('42109919800101123'), flagged: false, name: '湖北省荆州市' },
    { label: '429999, 15 digits', id: '429999780909333', flagged: false, name: '湖北省' },
  ];

  it('flags UNKNOWN_REGION_CODE exactly for codes no edition had, and shows auditors the region', async () => {
    expect(cases.filter((c) => c.id.length === 18).every((c) => c.id === withCheckChar(c.id.slice(0, 17)))).toBe(true);
    const a = await createAgent(t);
    const res = await submit(
      t,
      a.id,
      cases.map((c) => record({ idNumber: c.id, openedAt: hoursAgo(1) })),
    );
    expect(res.errors).toBeUndefined();
    const results = res.data.submitRegistrations.results;
    const auditor = await t.token('auditor');
    const admin = await t.token('admin');
    for (const [i, c] of cases.entries()) {
      const reg = results[i].registration;
      expect({ label: c.label, unknown: reg.flags.includes('UNKNOWN_REGION_CODE') }).toEqual({ label: c.label, unknown: c.flagged });
      for (const token of [auditor, admin]) {
        const read = await t.gql(READ, { id: reg.id }, token);
        expect({ label: c.label, name: read.data.registration.idRegionName }).toEqual({ label: c.label, name: c.name });
      }
    }
    // The checksum and birth date of the two numbers are right: only the region gives them away.
    expect(results[8].registration.flags).toEqual(['UNKNOWN_REGION_CODE']);
    expect(results[9].registration.flags).toEqual(['UNKNOWN_REGION_CODE']);
  });

  it('shows the region name only to roles that may read the full number', async () => {
    const a = await createAgent(t);
    const [reg] = await submitOk(t, a.id, [record()]);
    const staff = await t.gql(`query($id: ID!){ registration(id:$id){ id idRegionName } }`, { id: reg.id }, await t.token('staff'));
    expect(staff.errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect(staff.errors?.[0].path).toEqual(['registration', 'idRegionName']);
    expect((await t.gql(READ_STAFF, { id: reg.id }, await t.token('staff'))).errors).toBeUndefined();
    const [passport] = await submitOk(t, a.id, [record({ idType: 'PASSPORT', idNumber: 'E12345678' })]);
    const read = await t.gql(READ, { id: passport.id }, await t.token('auditor'));
    expect(read.data.registration).toMatchObject({ idRegionName: null, flags: [] });
  });

  it('leaves other documents alone', async () => {
    const a = await createAgent(t);
    const [reg] = await submitOk(t, a.id, [record({ idType: 'MILITARY_ID', idNumber: '990000123456789' })]);
    expect(reg.flags).toEqual([]);
  });
});

describe('the new flags in the risk score and in sampling', () => {
  it('count as flagged records in the risk score', async () => {
    const a = await createAgent(t);
    await submitOk(t, a.id, [record({ idNumber: '990000198001011234' }), record({ idNumber: fifteen() }), ...Array.from({ length: 8 }, () => record())]);
    const run = await t.gql(`mutation { recomputeRiskScores { agents } }`, {}, await t.token('admin'));
    expect(run.errors).toBeUndefined();
    const res = await t.gql(
      `query($id: ID!){ agent(id:$id){ riskScore riskFactors { recentRecords flaggedRecords flagPoints } } }`,
      { id: a.id },
      await t.token('staff'),
    );
    // 60 × 2 ÷ (10 + 2) = 10 points.
    expect(res.data.agent.riskFactors).toEqual({ recentRecords: 10, flaggedRecords: 2, flagPoints: 10 });
  });

  it('are drawn first by risk-weighted sampling', async () => {
    const a = await createAgent(t);
    const env = { cipher: identityCipher(t.config), plans: new Map(TARIFF_PLANS.map((p) => [p.code, p])), now: new Date(), history: true };
    const ids = [
      '990000198001011234',
      fifteen('421002', '650101'),
      ...Array.from({ length: 28 }, (_, i) => withCheckChar(`421002197${i % 10}0${1 + (i % 9)}1${i % 10}${String((process.pid + i) % 1000).padStart(3, '0')}`)),
    ];
    const prepared = ids.map((idNumber, i) =>
      prepareRecord(
        Number(a.id),
        {
          msisdn: nextMsisdn('137'),
          network: 'CDMA',
          customerName: '抽樣',
          idType: 'RESIDENT_ID',
          idNumber,
          tariffPlanCode: 'CDMA-XSK-39',
          openedAt: `2015-06-${String(1 + i).padStart(2, '0')}T10:00:00+08:00`,
          submittedAt: `2015-06-${String(1 + i).padStart(2, '0')}T10:05:00+08:00`,
        },
        env,
      ),
    );
    const out = await inTransaction(t.app.ds, (em) => storeRecords(em, prepared, (i) => `#${i}`));
    expect(out.map((o) => o.kind === 'inserted' && o.flags.join())).toEqual([
      'UNKNOWN_REGION_CODE',
      'OBSOLETE_ID_CARD',
      ...Array.from({ length: 28 }, () => ''),
    ]);
    const created = await t.gql(
      GQL.createBatch,
      { i: { period: '2015-06', strategy: 'RISK_WEIGHTED', sampleSize: 2, agentIds: [a.id], seed: 7 } },
      await t.token('auditor'),
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.createAuditBatch).toMatchObject({ itemCount: 2, flaggedCount: 2, populationSize: 30 });
  });
});

describe('records stored before the rules (npm run ids:backfill)', () => {
  it('re-hashes a 15-digit number to its 18-character form, re-masks it and adds the flags, once', async () => {
    const a = await createAgent(t);
    const short = fifteen('990101');
    const [reg] = await submitOk(t, a.id, [record({ idNumber: short })]);
    const cipher = identityCipher(t.config);
    // As the code before wrote it: the hash of the number as typed, 3 + 3 mask, no new flags.
    await t.app.ds.query(`UPDATE registration SET idHash = ?, idMasked = ?, flags = '', flagged = 0 WHERE id = ?`, [
      cipher.hash(short),
      `${short.slice(0, 3)}*********${short.slice(-3)}`,
      Number(reg.id),
    ]);
    const long = secondGenerationForm(short);
    const find = async (n: string) =>
      (await t.gql(`query($n: String){ registrations(filter:{ idNumber: $n }){ totalCount } }`, { n }, await t.token('staff'))).data.registrations.totalCount;

    const first = await backfillIdentityNumbers(t.app.ds, t.config, 50);
    expect(first.rehashed).toBeGreaterThanOrEqual(1);
    const [row] = await t.app.ds.query(`SELECT idHash, idMasked, flags, flagged FROM registration WHERE id = ?`, [Number(reg.id)]);
    expect(row.idHash).toBe(cipher.hash(long));
    expect(row.idMasked).toBe(`${short.slice(0, 4)}*******${short.slice(-4)}`);
    expect(row.flags).toBe('OBSOLETE_ID_CARD,UNKNOWN_REGION_CODE');
    expect(Number(row.flagged)).toBe(1);
    expect(await find(long)).toBe(1);

    const again = await backfillIdentityNumbers(t.app.ds, t.config, 50);
    expect(again).toMatchObject({ rehashed: 0, flagged: 0 });
  });
});
