import { EntityManager } from 'typeorm';
import type { AuthUser } from '../src/common/auth';
import { fromDbDate } from '../src/common/db';
import { periodOf, SHANGHAI_OFFSET_MS } from '../src/common/period';
import { seededRandom } from '../src/common/random';
import { Role } from '../src/common/roles';
import type { AppConfig } from '../src/config';
import { User } from '../src/modules/identity/user.entity';
import { recordCustomerFinding } from '../src/modules/customer/audit-bridge';
import { CustomerCallback } from '../src/modules/customer/callback.entity';
import { Complaint } from '../src/modules/customer/complaint.entity';
import { Compensation } from '../src/modules/customer/compensation.entity';
import { DEFAULT_COMPENSATION_RULES, setCompensationRule } from '../src/modules/customer/compensation.service';
import {
  CallbackOutcome,
  CompensationBasis,
  CompensationStatus,
  ComplaintCategory,
  ComplaintOutcome,
  ComplaintState,
  DepositEntryKind,
  WaiverSource,
} from '../src/modules/customer/customer.enums';
import { FindingType } from '../src/modules/audits/audit.enums';
import { confirmPenalty } from '../src/modules/audits/penalty.service';
import { BorderCell, RoamingWaiver } from '../src/modules/customer/roaming-waiver.entity';
import { ServiceProvider } from '../src/modules/customer/service-provider.entity';
import { creditDeposit, drawDeposit } from '../src/modules/customer/sp.service';

const DAY_MS = 86_400_000;

function shanghai(year: number, month: number, day: number, hour = 10, minute = 0): Date {
  return new Date(Date.UTC(year, month - 1, day, hour, minute) - SHANGHAI_OFFSET_MS);
}

/** Reference data every database needs: the compensation rule book (its first version in the history). */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export async function seedCustomerReference(em: EntityManager, config: AppConfig): Promise<void> {
  const at = new Date();
  for (const r of DEFAULT_COMPENSATION_RULES) {
    await setCompensationRule(
      em,
      null,
      { category: r.category, basis: r.basis, amountFen: r.amountFen, multiplier: r.multiplier, description: r.description },
      at,
    );
  }
}

/** The report's SPs: deposits lodged in January 2025; three fined 50,000 yuan together in March 2025. */
export const DEMO_SPS = [
  { code: 'SP-0101', name: '掌上樂園短信', depositFen: 5_000_000 },
  { code: 'SP-0102', name: '天天彩鈴', depositFen: 3_000_000 },
  { code: 'SP-0103', name: '移動夢網資訊', depositFen: 2_000_000 },
  { code: 'SP-0104', name: '江漢聲訊', depositFen: 1_500_000 },
  { code: 'SP-0105', name: '荊楚遊戲', depositFen: 1_000_000 },
];
export const DEMO_SP_FINES = [
  { code: 'SP-0101', amountFen: 2_500_000, day: 8, note: "定製短信未經用戶確認 (subscriptions without the customer's consent)" },
  { code: 'SP-0102', amountFen: 1_500_000, day: 15, note: '包月扣費後無法退訂 (monthly fee with no way to unsubscribe)' },
  { code: 'SP-0104', amountFen: 1_000_000, day: 22, note: '誘導撥打聲訊臺 (luring customers to premium numbers)' },
];
export const DEMO_FINE_PERIOD = '2025-03';

/** The report's border waivers (61,740 customers, 644,000 yuan, Jan 2004 – Feb 2005) at 1:100. */
export const DEMO_WAIVER_LINES = 617;
export const DEMO_WAIVER_FEN = 644_000;
export const DEMO_WAIVER_PERIODS = [
  '2004-01',
  '2004-02',
  '2004-03',
  '2004-04',
  '2004-05',
  '2004-06',
  '2004-07',
  '2004-08',
  '2004-09',
  '2004-10',
  '2004-11',
  '2004-12',
  '2005-01',
  '2005-02',
];

export const DEMO_BORDER_CELLS = [
  { cellId: 'HN-YY-4471', regionCode: 'SHISHOU', description: '湖南岳陽華容基站 (Huarong, Hunan, across the Yangtze from Shishou)' },
  { cellId: 'HN-YY-4472', regionCode: 'JIANLI', description: '湖南岳陽君山基站 (Junshan, Hunan)' },
  { cellId: 'HN-CD-2203', regionCode: 'GONGAN', description: '湖南常德安鄉基站 (Anxiang, Hunan)' },
  { cellId: 'HN-CD-2210', regionCode: 'SONGZI', description: '湖南常德澧縣基站 (Lixian, Hunan)' },
  { cellId: 'HB-XN-0915', regionCode: 'HONGHU', description: '咸寧嘉魚基站 (Jiayu, Xianning: another city)' },
];

async function actorOf(em: EntityManager, username: string): Promise<AuthUser> {
  const u = await em.getRepository(User).findOneOrFail({ where: { username } });
  return { id: u.id, username: u.username, role: u.role as Role, repairPartnerId: u.repairPartnerId, agentId: u.agentId };
}

/**
 * The customer side of the demo: callbacks for every demo line activated, with outcomes for those
 * due by the end of June 2025 (a few denials and mismatches put through the audits module);
 * complaints across the demo agents and partners in 2025-01..06 with their compensation; the SPs
 * with their deposits and March's three fines; the border cells and the 2004–05 waivers.
 */
export async function seedCustomerDemo(em: EntityManager, config: AppConfig): Promise<void> {
  const rand = seededRandom('customer-demo');
  const service = await actorOf(em, 'service');
  const admin = await actorOf(em, 'admin');
  const cutoff = shanghai(2025, 6, 30, 18);

  // Callbacks, as the activation hook would have scheduled them.
  const lines: { id: number; agentId: number; msisdn: string; activatedAt: unknown; regionId: number }[] = await em.query(
    `SELECT r.id, r.agentId, r.msisdn, r.activatedAt, a.regionId FROM registration r JOIN agent a ON a.id = r.agentId
      WHERE r.activatedAt IS NOT NULL AND r.status = 'ACTIVE' ORDER BY r.id`,
  );
  const callbacks: Partial<CustomerCallback>[] = [];
  for (const l of lines) {
    const activatedAt = fromDbDate(l.activatedAt)!;
    config.callbackDays.forEach((d, i) => {
      const dueAt = new Date(activatedAt.getTime() + d * DAY_MS);
      let outcome: CallbackOutcome | null = null;
      if (dueAt < cutoff) {
        const roll = rand();
        outcome = roll < 0.74 ? CallbackOutcome.CONFIRMED : roll < 0.9 ? CallbackOutcome.NO_ANSWER : CallbackOutcome.WRONG_NUMBER;
      }
      callbacks.push({
        registrationId: Number(l.id),
        agentId: Number(l.agentId),
        regionId: Number(l.regionId),
        msisdn: l.msisdn,
        seq: i + 1,
        dayOffset: d,
        dueAt,
        outcome,
        note: outcome === CallbackOutcome.NO_ANSWER ? '無人接聽 (no answer)' : null,
        doneAt: outcome ? new Date(dueAt.getTime() + Math.floor(rand() * 8) * 3600_000) : null,
        doneById: outcome ? service.id : null,
        findingId: null,
        createdAt: activatedAt,
      });
    });
  }
  for (let i = 0; i < callbacks.length; i += 500) await em.getRepository(CustomerCallback).insert(callbacks.slice(i, i + 500));

  // A handful of first calls where the person denies the line or the record is wrong: findings.
  const firstCalls: { id: number }[] = await em.query(`SELECT id FROM customer_callback WHERE seq = 1 AND outcome = 'CONFIRMED' ORDER BY id`);
  const picks = [7, 41, 88, 133, 190, 260, 333, 410].map((k) => firstCalls[(k * 13) % firstCalls.length]).filter(Boolean);
  for (const [i, c] of picks.entries()) {
    const outcome = i % 3 === 2 ? CallbackOutcome.DATA_MISMATCH : CallbackOutcome.DENIES_OWNERSHIP;
    const cb = await em.getRepository(CustomerCallback).findOneByOrFail({ id: Number(c.id) });
    const finding = await recordCustomerFinding(em, service, {
      registrationId: cb.registrationId,
      type: outcome === CallbackOutcome.DENIES_OWNERSHIP ? FindingType.FAKE_IDENTITY : FindingType.DATA_MISMATCH,
      note: `Callback ${cb.id} (call ${cb.seq} to ${cb.msisdn}, day ${cb.dayOffset} after activation): ${outcome}`,
    });
    await em.getRepository(CustomerCallback).update(
      { id: cb.id },
      {
        outcome,
        findingId: finding.findingId,
        note: outcome === CallbackOutcome.DENIES_OWNERSHIP ? '機主稱從未辦理此號碼 (says they never opened this line)' : '姓名與機主不符 (name differs)',
      },
    );
  }

  // SPs, their deposits and March's fines.
  const spIds = new Map<string, number>();
  for (const sp of DEMO_SPS) {
    const row = await em
      .getRepository(ServiceProvider)
      .save({ code: sp.code, name: sp.name, depositFen: 0, debtFen: 0, createdAt: shanghai(2025, 1, 3), updatedAt: null });
    spIds.set(sp.code, row.id);
    await creditDeposit(em, service, row.id, DepositEntryKind.LODGE, sp.depositFen, '入網保證金 (deposit on joining)', shanghai(2025, 1, 5));
  }
  for (const f of DEMO_SP_FINES) {
    await drawDeposit(em, service, spIds.get(f.code)!, DepositEntryKind.FINE, f.amountFen, { note: f.note }, shanghai(2025, 3, f.day, 16));
  }

  // Complaints across the demo agents and partners.
  const agentLines: { id: number; agentId: number; msisdn: string; regionId: number }[] = await em.query(
    `SELECT r.id, r.agentId, r.msisdn, a.regionId FROM registration r JOIN agent a ON a.id = r.agentId WHERE r.activeMsisdn IS NOT NULL ORDER BY r.id`,
  );
  const partners: { id: number; regionId: number }[] = await em.query('SELECT id, regionId FROM repair_partner ORDER BY id');
  const rules = new Map(DEFAULT_COMPENSATION_RULES.map((r) => [r.category, r]));
  const categories = Object.values(ComplaintCategory);
  const spCodes = DEMO_SPS.map((s) => s.code);
  const months = [1, 2, 3, 4, 5, 6];
  let n = 0;
  for (const month of months) {
    for (let k = 0; k < 12; k++) {
      n++;
      const category = categories[(k + month) % categories.length];
      const line = agentLines[(n * 37) % agentLines.length];
      const receivedAt = shanghai(2025, month, 1 + ((k * 2 + month) % 27), 8 + (k % 12), (k * 7) % 60);
      // Most within the 24-hour promise, one in six late.
      const hours = k % 6 === 5 ? 26 + (k % 20) : 1 + Math.floor(rand() * 20);
      const resolvedAt = new Date(receivedAt.getTime() + hours * 3600_000 + Math.floor(rand() * 3600) * 1000);
      const upheld = k % 3 !== 2;
      const partner = partners.length ? partners[n % partners.length] : null;
      const disputed =
        category === ComplaintCategory.SP_CHARGE
          ? 500 + Math.floor(rand() * 30) * 100
          : category === ComplaintCategory.ROAMING_CHARGE
            ? 300 + Math.floor(rand() * 20) * 50
            : category === ComplaintCategory.AGENT_CONDUCT
              ? 2_000 + Math.floor(rand() * 10) * 500
              : null;
      const isRepair = category === ComplaintCategory.REPAIR && partner;
      if (category === ComplaintCategory.REPAIR && !partner) continue;
      const complaint = await em.getRepository(Complaint).save({
        msisdn: line.msisdn,
        registrationId: Number(line.id),
        category,
        agentId: category === ComplaintCategory.AGENT_CONDUCT || category === ComplaintCategory.FALSE_RECORD ? Number(line.agentId) : null,
        repairPartnerId: isRepair ? partner!.id : null,
        spId: category === ComplaintCategory.SP_CHARGE ? spIds.get(spCodes[n % spCodes.length])! : null,
        regionId: Number(line.regionId),
        description: DESCRIPTIONS[category],
        disputedAmountFen: disputed,
        receivedAt,
        dueAt: new Date(receivedAt.getTime() + DAY_MS),
        period: periodOf(receivedAt).key,
        state: ComplaintState.CLOSED,
        outcome: upheld ? ComplaintOutcome.UPHELD : ComplaintOutcome.NOT_UPHELD,
        resolutionNote: upheld
          ? '核實屬實，已按服務補償辦法處理 (upheld; compensated by the rule book)'
          : '核實不屬實，已向客戶解釋 (not upheld; explained to the customer)',
        startedAt: new Date(receivedAt.getTime() + 20 * 60_000),
        resolvedAt,
        resolutionSeconds: Math.round((resolvedAt.getTime() - receivedAt.getTime()) / 1000),
        closedAt: new Date(resolvedAt.getTime() + 2 * 3600_000),
        openedById: service.id,
        resolvedById: service.id,
        findingId: null,
        createdAt: receivedAt,
      });
      if (!upheld) continue;
      if ((category === ComplaintCategory.AGENT_CONDUCT || category === ComplaintCategory.FALSE_RECORD) && month >= 4) {
        const finding = await recordCustomerFinding(em, service, {
          registrationId: complaint.registrationId!,
          type: category === ComplaintCategory.AGENT_CONDUCT ? FindingType.TARIFF_MISMATCH : FindingType.DATA_MISMATCH,
          note: `Complaint ${complaint.id} (${category}) upheld`,
        });
        await em.getRepository(Complaint).update({ id: complaint.id }, { findingId: finding.findingId });
      }
      if (category === ComplaintCategory.ROAMING_CHARGE) {
        await em.getRepository(RoamingWaiver).insert({
          msisdn: complaint.msisdn,
          regionId: complaint.regionId!,
          period: complaint.period,
          amountFen: disputed!,
          source: WaiverSource.COMPLAINT,
          cellKey: `C${complaint.id}`,
          complaintId: complaint.id,
          note: `Complaint ${complaint.id}`,
          createdAt: resolvedAt,
          createdById: service.id,
        });
      }
      const rule = rules.get(category)!;
      const amountFen = rule.basis === CompensationBasis.FIXED ? rule.amountFen : rule.multiplier * (disputed ?? 0);
      if (amountFen <= 0) continue;
      const comp = await em.getRepository(Compensation).save({
        complaintId: complaint.id,
        category,
        basis: rule.basis,
        multiplier: rule.basis === CompensationBasis.MULTIPLE ? rule.multiplier : 0,
        amountFen,
        status: CompensationStatus.CONFIRMED,
        regionId: complaint.regionId,
        spId: complaint.spId,
        fromDepositFen: 0,
        advancedFen: 0,
        period: periodOf(resolvedAt).key,
        proposedAt: resolvedAt,
        proposedById: service.id,
        decidedAt: new Date(resolvedAt.getTime() + 3600_000),
        decidedById: category === ComplaintCategory.SP_CHARGE ? service.id : admin.id,
        rejectReason: null,
      });
      if (category === ComplaintCategory.SP_CHARGE) {
        const entry = await drawDeposit(
          em,
          service,
          complaint.spId!,
          DepositEntryKind.REFUND_DRAW,
          amountFen,
          { complaintId: complaint.id, note: `Double refund, complaint ${complaint.id} (${complaint.msisdn})` },
          resolvedAt,
        );
        await em.getRepository(Compensation).update({ id: comp.id }, { fromDepositFen: -entry.amountFen, advancedFen: entry.debtFen });
      }
    }
  }

  // Agency staff confirm the penalties those findings proposed, as they would.
  const staff = await actorOf(em, 'staff');
  const proposed: { id: number }[] = await em.query(
    `SELECT p.id FROM penalty p WHERE p.status = 'PROPOSED' AND p.findingId IN (SELECT findingId FROM customer_callback WHERE findingId IS NOT NULL UNION SELECT findingId FROM complaint WHERE findingId IS NOT NULL) ORDER BY p.id`,
  );
  for (const p of proposed) await confirmPenalty(em, staff, String(p.id));

  // Border cells and the 2004–05 waivers: 617 lines, one waiver each, 644,000 fen in all.
  const regionIds = new Map<string, number>(
    ((await em.query('SELECT id, code FROM region')) as { id: number; code: string }[]).map((r) => [r.code, Number(r.id)]),
  );
  await em
    .getRepository(BorderCell)
    .insert(DEMO_BORDER_CELLS.map((c) => ({ cellId: c.cellId, regionId: regionIds.get(c.regionCode)!, description: c.description })));
  const weights = Array.from({ length: DEMO_WAIVER_LINES }, () => 0.4 + rand());
  const total = weights.reduce((a, b) => a + b, 0);
  const amounts = weights.map((w) => Math.max(100, Math.floor((w / total) * DEMO_WAIVER_FEN)));
  amounts[amounts.length - 1] += DEMO_WAIVER_FEN - amounts.reduce((a, b) => a + b, 0);
  const waivers: Partial<RoamingWaiver>[] = amounts.map((amountFen, i) => {
    const cell = DEMO_BORDER_CELLS[i % DEMO_BORDER_CELLS.length];
    const period = DEMO_WAIVER_PERIODS[Math.floor((i * DEMO_WAIVER_PERIODS.length) / DEMO_WAIVER_LINES)];
    const manual = i % 8 === 7;
    const [y, m] = period.split('-').map(Number);
    return {
      msisdn: `153${String(71600000 + i * 7).padStart(8, '0')}`,
      regionId: regionIds.get(cell.regionCode)!,
      period,
      amountFen,
      source: manual ? WaiverSource.MANUAL : WaiverSource.AUTO,
      cellKey: manual ? 'MANUAL' : cell.cellId,
      complaintId: null,
      note: manual ? '邊界漫遊，人工減免 (border roaming, waived by hand)' : null,
      createdAt: shanghai(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 5),
      createdById: service.id,
    };
  });
  for (let i = 0; i < waivers.length; i += 500) await em.getRepository(RoamingWaiver).insert(waivers.slice(i, i + 500));
}

const DESCRIPTIONS: Record<ComplaintCategory, string> = {
  [ComplaintCategory.AGENT_CONDUCT]: '代辦點多收了選號費 (the agent charged for choosing the number)',
  [ComplaintCategory.FALSE_RECORD]: "登記的證件不是本人的 (the record carries someone else's identity)",
  [ComplaintCategory.SP_CHARGE]: '未定製的短信包月被扣費 (charged for an SMS subscription never ordered)',
  [ComplaintCategory.ROAMING_CHARGE]: '在家裡打電話被收漫遊費 (billed roaming for calls made at home)',
  [ComplaintCategory.REPAIR]: '手機修了三次還是不能開機 (the handset still does not start after three repairs)',
  [ComplaintCategory.NETWORK]: '村裡信號時有時無 (coverage in the village comes and goes)',
  [ComplaintCategory.SERVICE]: "營業廳排隊一個小時 (an hour's queue at the hall)",
};
