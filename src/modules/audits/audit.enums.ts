import { registerEnumType } from 'type-graphql';

export enum FindingType {
  INCOMPLETE_DATA = 'INCOMPLETE_DATA',
  LATE_ENTRY = 'LATE_ENTRY',
  DATA_MISMATCH = 'DATA_MISMATCH',
  TARIFF_MISMATCH = 'TARIFF_MISMATCH',
  FAKE_IDENTITY = 'FAKE_IDENTITY',
}
registerEnumType(FindingType, { name: 'FindingType', description: 'What an auditor found wrong with a customer record' });

export enum AuditStrategy {
  RANDOM = 'RANDOM',
  RISK_WEIGHTED = 'RISK_WEIGHTED',
}
registerEnumType(AuditStrategy, {
  name: 'AuditStrategy',
  description: 'How a batch draws its sample; flagged records are drawn before unflagged ones either way',
  valuesConfig: {
    RANDOM: { description: 'Every record of the period is equally likely' },
    RISK_WEIGHTED: { description: "A record's chance grows with its agent's riskScore (weight 10 + riskScore)" },
  },
});

export enum AuditBatchStatus {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}
registerEnumType(AuditBatchStatus, { name: 'AuditBatchStatus' });

export enum AuditOutcome {
  PASS = 'PASS',
  FAIL = 'FAIL',
}
registerEnumType(AuditOutcome, { name: 'AuditOutcome' });

export enum PenaltyStatus {
  PROPOSED = 'PROPOSED',
  CONFIRMED = 'CONFIRMED',
  WAIVED = 'WAIVED',
  APPLIED = 'APPLIED',
}
registerEnumType(PenaltyStatus, {
  name: 'PenaltyStatus',
  valuesConfig: {
    PROPOSED: { description: 'Waiting for agency staff to confirm or waive it' },
    CONFIRMED: { description: 'Will be deducted by the next commission settlement that covers its period' },
    WAIVED: { description: 'Dropped, with a reason; never deducted' },
    APPLIED: { description: 'Deducted in a closed commission period (see settledPeriod); final' },
  },
});

export enum PenaltyKind {
  AUDIT = 'AUDIT',
  MANUAL = 'MANUAL',
}
registerEnumType(PenaltyKind, {
  name: 'PenaltyKind',
  valuesConfig: {
    AUDIT: { description: 'Proposed by closing an audit batch, one per failed finding' },
    MANUAL: { description: 'Created by agency staff; another person must confirm it' },
  },
});

export enum CommissionStatus {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}
registerEnumType(CommissionStatus, {
  name: 'CommissionStatus',
  valuesConfig: {
    OPEN: { description: 'Settled, may be settled again' },
    CLOSED: { description: 'Frozen by closeCommissionPeriod' },
  },
});
