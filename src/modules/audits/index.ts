import type { FeatureModule } from '../module';
import { AuditsConflict } from './audits.errors';
import { onActivationPeriods, onAgentCreated } from '../agents/agent-events';
import { ALL_ROLES } from '../../common/roles';
import { AUDIT_READERS, PENALTY_READERS, PERIOD_READERS } from './audits.roles';
import { AgentAuditFieldsResolver } from './agent-fields.resolver';
import { AgentRisk } from './agent-risk.entity';
import { AuditBatchResolver, AuditItemResolver, FindingResolver } from './audit.resolver';
import { AuditBatch } from './audit-batch.entity';
import { Finding } from './audit-finding.entity';
import { AuditItem } from './audit-item.entity';
import { commissionExportRoutes } from './commission.export';
import { ActivationStatsResolver, AgentActivationStatResolver, CommissionPeriodResolver, CommissionStatementResolver } from './commission.resolver';
import { CommissionPeriod } from './commission-period.entity';
import { CommissionStatement } from './commission-statement.entity';
import { Penalty } from './penalty.entity';
import { PenaltyResolver, PenaltyRuleResolver } from './penalty.resolver';
import { PenaltyRule } from './penalty-rule.entity';
import { scoreNewAgent } from './risk.service';
import { periodsTakingActivations } from './commission.service';

// A new agent gets its risk score (20 for newness) in createAgent's transaction.
onAgentCreated(scoreNewAgent);
// Activations are written with the commission period that pays them, when that period is open.
onActivationPeriods(periodsTakingActivations);

export const auditsModule: FeatureModule = {
  name: 'audits',
  conflictReasons: AuditsConflict,
  entities: [PenaltyRule, AuditBatch, AuditItem, Finding, Penalty, CommissionStatement, CommissionPeriod, AgentRisk],
  resolvers: [
    AuditBatchResolver,
    AuditItemResolver,
    FindingResolver,
    PenaltyRuleResolver,
    PenaltyResolver,
    CommissionPeriodResolver,
    CommissionStatementResolver,
    ActivationStatsResolver,
    AgentActivationStatResolver,
    AgentAuditFieldsResolver,
  ],
  routes: commissionExportRoutes,
  changeLogReaders: {
    AuditBatch: AUDIT_READERS,
    AuditItem: AUDIT_READERS,
    Penalty: PENALTY_READERS,
    PenaltyRule: ALL_ROLES,
    CommissionPeriod: PERIOD_READERS,
  },
};
