import { EntityManager } from 'typeorm';
import type { AuthUser } from '../src/common/auth';
import { SHANGHAI_OFFSET_MS, parsePeriod } from '../src/common/period';
import { intBetween, seededRandom } from '../src/common/random';
import { Role } from '../src/common/roles';
import type { AppConfig } from '../src/config';
import { Subsidy, SubsidyType } from '../src/modules/subsidies/subsidy.entity';
import { generateWageSubsidies, reverseSubsidy } from '../src/modules/subsidies/subsidy.service';
import { bumpRegisterVersion } from '../src/modules/subsidies/register-sums';

/** Reference data every database needs (tests included): none, the register starts empty. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export async function seedSubsidiesReference(em: EntityManager, config: AppConfig): Promise<void> {}

/** The months of the demo data set (the same half-year as the agents, audits and commission demos). */
export const SUBSIDY_DEMO_PERIODS = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'];
export const DEMO_PARTNER_CODES = ['RP-01', 'RP-02', 'RP-03', 'RP-04', 'RP-05', 'RP-06'];

/** A fixed instant in a month (Asia/Shanghai), so the demo's recordedAt never depends on the day it is seeded. */
function inMonth(period: string, day: number, hour: number): Date {
  const p = parsePeriod(period);
  return new Date(Date.UTC(p.year, p.month - 1, day, hour) - SHANGHAI_OFFSET_MS);
}

/**
 * The demo register for the six partners RP-01..RP-06 over the first half of 2025:
 * - WAGE: generated month by month through generateWageSubsidies, from each partner's
 *   monthlyWageSubsidyFen (the repair demo gives them 6,000 yuan a month in all);
 * - PREMISES: the rent the branch forgoes for partners housed free in its halls, every month;
 * - EQUIPMENT: tools and consumables for the lent repair sets, once, in January;
 * - LOANER_PHONES: batteries and chargers for the loaner pool, in February;
 * - PARTS_FUND: the interest the branch waives on the revolving fund, each quarter;
 * - OTHER: manufacturer training in April, and signage for some shops in May, one of which is
 *   reversed and corrected, as happens in a real register.
 * Deterministic: a fixed PRNG seed and fixed dates. Set-based: one INSERT ... SELECT per month
 * for wages and one multi-row INSERT for the rest.
 */
export async function seedSubsidiesDemo(em: EntityManager, config: AppConfig): Promise<void> {
  void config;
  const partners: { id: number; code: string; premisesProvided: number | boolean }[] = await em.query(
    `SELECT id, code, premisesProvided FROM repair_partner WHERE code IN (${DEMO_PARTNER_CODES.map(() => '?').join(', ')}) ORDER BY code`,
    DEMO_PARTNER_CODES,
  );
  if (!partners.length) return; // the repair demo was not seeded
  const users: { id: number; username: string }[] = await em.query(`SELECT id, username FROM app_user WHERE username IN ('finance', 'aftersales')`);
  const byName = new Map(users.map((u) => [u.username, Number(u.id)]));
  const actor = (username: string): AuthUser => ({
    id: byName.get(username) ?? 0,
    username,
    role: username === 'finance' ? Role.FINANCE : Role.AFTERSALES_STAFF,
    repairPartnerId: null,
    agentId: null,
  });
  const finance = actor('finance');

  for (const period of SUBSIDY_DEMO_PERIODS) {
    await generateWageSubsidies(em, finance, period, inMonth(period, 25, 10));
  }

  const rand = seededRandom('subsidies-demo');
  const rows: Partial<Subsidy>[] = [];
  const add = (partnerId: number, type: SubsidyType, period: string, amountFen: number, note: string, by: string, day: number) =>
    rows.push({
      partnerId,
      type,
      period,
      amountFen,
      note,
      wagePeriod: null,
      reversesId: null,
      batchId: null,
      recordedById: byName.get(by) ?? null,
      recordedAt: inMonth(period, day, 15),
    });

  for (const p of partners) {
    if (p.premisesProvided === true || Number(p.premisesProvided) === 1) {
      const rent = intBetween(rand, 12, 20) * 10_000; // 1,200 to 2,000 yuan a month
      for (const period of SUBSIDY_DEMO_PERIODS) add(p.id, SubsidyType.PREMISES, period, rent, '營業廳場地免租（按市價折算）', 'finance', 26);
    }
    add(p.id, SubsidyType.EQUIPMENT, '2025-01', intBetween(rand, 8, 20) * 10_000, '維修設備配套工具及耗材', 'aftersales', 12);
    add(p.id, SubsidyType.LOANER_PHONES, '2025-02', intBetween(rand, 30, 60) * 1_000, '備機電池及充電器', 'aftersales', 18);
    for (const period of ['2025-03', '2025-06']) {
      add(p.id, SubsidyType.PARTS_FUND, period, intBetween(rand, 300, 900) * 100, '配件周轉資金利息減免（季度）', 'finance', 28);
    }
    add(p.id, SubsidyType.OTHER, '2025-04', 50_000, '廠家維修技術培訓（武漢）', 'aftersales', 9);
  }
  for (const p of partners.filter((_, i) => i % 2 === 0)) {
    add(p.id, SubsidyType.OTHER, '2025-05', intBetween(rand, 20, 40) * 1_000, '授權維修點門頭招牌', 'aftersales', 16);
  }
  for (let i = 0; i < rows.length; i += 500) await em.getRepository(Subsidy).insert(rows.slice(i, i + 500));
  await bumpRegisterVersion(em);

  // One signage invoice was booked at the wrong amount: reversed and corrected, the way finance would.
  const [signage] = await em.getRepository(Subsidy).find({ where: { type: SubsidyType.OTHER, period: '2025-05' }, order: { id: 'ASC' }, take: 1 });
  if (signage) await reverseSubsidy(em, finance, String(signage.id), '發票金額有誤', signage.amountFen - 5_000, inMonth('2025-06', 3, 11));
}
