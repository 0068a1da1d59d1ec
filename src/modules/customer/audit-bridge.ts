import { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth';
import { fromDbDate } from '../../common/db';
import { periodOf } from '../../common/period';
import { FindingType, AuditBatchStatus, AuditOutcome, AuditStrategy } from '../audits/audit.enums';
import { AuditBatch } from '../audits/audit-batch.entity';
import { AuditItem } from '../audits/audit-item.entity';
import { closeAuditBatch, recordAuditResult } from '../audits/audit.service';

export interface CustomerFinding {
  findingId: number;
  batchId: number;
  itemId: number;
}

/**
 * A finding the complaint desk made about one record (a callback denial, an upheld complaint),
 * put through the audits module as a batch of that one record: the item is recorded FAIL with the
 * finding and the batch closed, so the audits module's own rules apply unchanged — the penalty at
 * the rule's amount, no second penalty for the same record and type, escalation from the third
 * finding of a type within 90 days, automatic suspension, and the risk score recomputed. The
 * batch's period is the Shanghai month the record was opened (as for sampled batches); its seed is
 * 0 and its agent list the one agent.
 */
export async function recordCustomerFinding(
  em: EntityManager,
  actor: AuthUser,
  input: { registrationId: number; type: FindingType; note: string },
): Promise<CustomerFinding> {
  const [reg]: { agentId: number; openedAt: unknown; flagged: unknown; riskScore: unknown }[] = await em.query(
    'SELECT r.agentId, r.openedAt, r.flagged, a.riskScore FROM registration r JOIN agent a ON a.id = r.agentId WHERE r.id = ?',
    [input.registrationId],
  );
  const agentId = Number(reg.agentId);
  const openedAt = fromDbDate(reg.openedAt)!;
  const now = new Date();
  const batches = em.getRepository(AuditBatch);
  const batch = await batches.save(
    batches.create({
      period: periodOf(openedAt).key,
      strategy: AuditStrategy.RANDOM,
      status: AuditBatchStatus.OPEN,
      seed: 0,
      sampleSize: 1,
      agentIdList: String(agentId),
      excludeAudited: false,
      itemCount: 1,
      populationSize: 1,
      flaggedCount: reg.flagged ? 1 : 0,
      createdAt: now,
      createdById: actor.id,
      closedAt: null,
      closedById: null,
    }),
  );
  const items = em.getRepository(AuditItem);
  const item = await items.save(
    items.create({
      batchId: batch.id,
      registrationId: input.registrationId,
      agentId,
      drawRank: 1,
      flagged: !!Number(reg.flagged),
      drawKey: 0,
      riskScoreAtDraw: Number(reg.riskScore),
      outcome: null,
      auditedAt: null,
      auditorId: null,
    }),
  );
  await recordAuditResult(em, actor, String(item.id), AuditOutcome.FAIL, [{ type: input.type, note: input.note.slice(0, 1000) }]);
  await closeAuditBatch(em, actor, String(batch.id));
  const [f]: { id: number }[] = await em.query('SELECT id FROM audit_finding WHERE itemId = ?', [item.id]);
  return { findingId: Number(f.id), batchId: batch.id, itemId: item.id };
}
