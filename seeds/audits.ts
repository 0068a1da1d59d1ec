import { EntityManager } from 'typeorm';
import type { AuthUser } from '../src/common/auth';
import { seededRandom } from '../src/common/random';
import { Role } from '../src/common/roles';
import type { AppConfig } from '../src/config';
import { AuditOutcome, AuditStrategy, FindingType } from '../src/modules/audits/audit.enums';
import { closeAuditBatch, createAuditBatch, recordAuditResult } from '../src/modules/audits/audit.service';
import { closeCommissionPeriod, settleCommissions } from '../src/modules/audits/commission.service';
import { PenaltyRule } from '../src/modules/audits/penalty-rule.entity';
import { confirmPenalty, createPenalty, DEFAULT_PENALTY_RULES, waivePenalty } from '../src/modules/audits/penalty.service';
import { recomputeRiskScores } from '../src/modules/audits/risk.service';
import { User } from '../src/modules/identity/user.entity';

/** Reference data every database needs (tests included): the default penalty per finding type. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export async function seedAuditsReference(em: EntityManager, config: AppConfig): Promise<void> {
  const now = new Date();
  await em.getRepository(PenaltyRule).insert(DEFAULT_PENALTY_RULES.map((r) => ({ ...r, updatedAt: now, updatedById: null })));
}

async function actor(em: EntityManager, username: string): Promise<AuthUser | null> {
  const u = await em.getRepository(User).findOne({ where: { username } });
  return u ? { id: u.id, username: u.username, role: u.role as Role, repairPartnerId: u.repairPartnerId, agentId: u.agentId } : null;
}

/** What the auditor finds on a record, from its flags and a seeded die (about one record in six fails). */
function findingsFor(flags: string, rand: () => number): { type: FindingType; note: string }[] {
  const out: { type: FindingType; note: string }[] = [];
  if (flags.includes('INVALID_ID_CHECKSUM') || flags.includes('INVALID_BIRTH_DATE')) {
    out.push({ type: FindingType.FAKE_IDENTITY, note: '身份證號校驗不符，原件無法出示 (identity number invalid, no original shown)' });
  }
  if (flags.includes('LATE_ENTRY')) out.push({ type: FindingType.LATE_ENTRY, note: '開戶兩天後才錄入 (entered two days after opening)' });
  if (!out.length) {
    const roll = rand();
    if (roll < 0.06) out.push({ type: FindingType.INCOMPLETE_DATA, note: '缺少客戶聯繫地址 (no contact address)' });
    else if (roll < 0.11) out.push({ type: FindingType.DATA_MISMATCH, note: '姓名與證件不一致 (name differs from the document)' });
    else if (roll < 0.15) out.push({ type: FindingType.TARIFF_MISMATCH, note: '客戶選的是新時空39元套餐 (customer chose another plan)' });
  }
  return out;
}

async function auditDemoBatch(
  em: EntityManager,
  auditor: AuthUser,
  period: string,
  strategy: AuditStrategy,
  sampleSize: number,
  seed: number,
  rand: () => number,
  { close, recordShare = 1 }: { close: boolean; recordShare?: number },
): Promise<number> {
  const batch = await createAuditBatch(em, auditor, { period, strategy, sampleSize, seed, agentIds: null, excludeAudited: true });
  const items: { id: number | string; flags: string }[] = await em.query(
    'SELECT i.id, r.flags FROM audit_item i JOIN registration r ON r.id = i.registrationId WHERE i.batchId = ? ORDER BY i.drawRank',
    [batch.id],
  );
  const toRecord = Math.round(items.length * recordShare);
  for (const item of items.slice(0, toRecord)) {
    const findings = findingsFor(item.flags, rand);
    await recordAuditResult(em, auditor, String(item.id), findings.length ? AuditOutcome.FAIL : AuditOutcome.PASS, findings);
  }
  if (close) await closeAuditBatch(em, auditor, String(batch.id));
  return batch.id;
}

/**
 * Two closed audit batches (February at random, March weighted by risk) and one under way (May),
 * their penalties mostly confirmed and a few waived, two manual penalties (one still waiting for a
 * second person), and commission settled for January to April with January to March closed.
 * Uses the agents demo's records of the first half of 2025; without them it adds nothing.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export async function seedAuditsDemo(em: EntityManager, config: AppConfig): Promise<void> {
  const [{ n }]: { n: number | string }[] = await em.query(`SELECT COUNT(*) AS n FROM registration WHERE openedAt >= ? AND openedAt < ?`, [
    '2025-01-01 00:00:00.000',
    '2025-07-01 00:00:00.000',
  ]);
  const auditor = await actor(em, 'auditor');
  const staff = await actor(em, 'staff');
  const admin = await actor(em, 'admin');
  const finance = await actor(em, 'finance');
  if (!Number(n) || !auditor || !staff || !admin || !finance) return;
  const rand = seededRandom('audits-demo');

  // Agents have been trading since December 2024; score them before the risk-weighted draw.
  await recomputeRiskScores(em);
  const feb = await auditDemoBatch(em, auditor, '2025-02', AuditStrategy.RANDOM, 100, 20250201, rand, { close: true });
  const mar = await auditDemoBatch(em, auditor, '2025-03', AuditStrategy.RISK_WEIGHTED, 60, 20250301, rand, { close: true });
  await auditDemoBatch(em, auditor, '2025-05', AuditStrategy.RANDOM, 30, 20250501, rand, { close: false, recordShare: 0.4 });

  const proposed: { id: number | string; findingType: string }[] = await em.query(`SELECT id, findingType FROM penalty WHERE batchId IN (?, ?) ORDER BY id`, [
    feb,
    mar,
  ]);
  for (const [i, p] of proposed.entries()) {
    if (i % 7 === 3) await waivePenalty(em, staff, String(p.id), '代辦商補交了完整資料，首次違規予以免罰 (documents supplied; first offence waived)');
    else await confirmPenalty(em, staff, String(p.id));
  }
  const [first]: { id: number | string }[] = await em.query(`SELECT id FROM agent WHERE code = 'AGT-0002'`);
  const [second]: { id: number | string }[] = await em.query(`SELECT id FROM agent WHERE code = 'AGT-0003'`);
  if (first) {
    const manual = await createPenalty(em, staff, {
      agentId: String(first.id),
      amountFen: 20_000,
      reason: '營業廳內未公示資費標準 (tariffs not displayed at the counter)',
    });
    // Four eyes: the admin confirms what agency staff proposed.
    await confirmPenalty(em, admin, String(manual.id));
  }
  if (second) await createPenalty(em, staff, { agentId: String(second.id), amountFen: 5_000, reason: '宣傳單未經審核 (leaflets not approved)' });

  for (const period of ['2025-01', '2025-02', '2025-03']) await closeCommissionPeriod(em, finance, period);
  await settleCommissions(em, finance, '2025-04');
}
