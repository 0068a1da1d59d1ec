import { registerEnumType } from 'type-graphql';

export enum CallbackOutcome {
  CONFIRMED = 'CONFIRMED',
  NO_ANSWER = 'NO_ANSWER',
  WRONG_NUMBER = 'WRONG_NUMBER',
  DENIES_OWNERSHIP = 'DENIES_OWNERSHIP',
  DATA_MISMATCH = 'DATA_MISMATCH',
}
registerEnumType(CallbackOutcome, {
  name: 'CallbackOutcome',
  valuesConfig: {
    CONFIRMED: { description: 'The customer answered and confirmed the line works for them' },
    NO_ANSWER: { description: 'Nobody answered' },
    WRONG_NUMBER: { description: 'Someone answered who has nothing to do with the line' },
    DENIES_OWNERSHIP: { description: 'The person named on the record denies ever opening the line: an audit finding (FAKE_IDENTITY) against the agent' },
    DATA_MISMATCH: { description: 'The customer answered but the record does not match them: an audit finding (DATA_MISMATCH) against the agent' },
  },
});

/** The outcomes where the person on the record was on the phone. */
export const REACHED_OUTCOMES = [CallbackOutcome.CONFIRMED, CallbackOutcome.DENIES_OWNERSHIP, CallbackOutcome.DATA_MISMATCH];

export enum ComplaintCategory {
  AGENT_CONDUCT = 'AGENT_CONDUCT',
  FALSE_RECORD = 'FALSE_RECORD',
  SP_CHARGE = 'SP_CHARGE',
  ROAMING_CHARGE = 'ROAMING_CHARGE',
  REPAIR = 'REPAIR',
  NETWORK = 'NETWORK',
  SERVICE = 'SERVICE',
}
registerEnumType(ComplaintCategory, {
  name: 'ComplaintCategory',
  valuesConfig: {
    AGENT_CONDUCT: { description: 'An agent overcharged or misled the customer (亂收費); upheld: an audit finding against the agent' },
    FALSE_RECORD: { description: 'The line was registered with false data; upheld: an audit finding against the agent' },
    SP_CHARGE: { description: 'A wrongful content-provider charge; upheld: twice the amount refunded at once from the SP deposit' },
    ROAMING_CHARGE: { description: 'Border roaming billed wrongly; upheld: a roaming waiver (source COMPLAINT)' },
    REPAIR: { description: "A repair partner's work or conduct; upheld: shown in the partner's statement" },
    NETWORK: { description: 'Coverage or call quality' },
    SERVICE: { description: "Anything else about the branch's service" },
  },
});

export enum ComplaintState {
  OPEN = 'OPEN',
  IN_PROGRESS = 'IN_PROGRESS',
  RESOLVED = 'RESOLVED',
  CLOSED = 'CLOSED',
}
registerEnumType(ComplaintState, { name: 'ComplaintState', description: 'Forward only: OPEN → IN_PROGRESS → RESOLVED → CLOSED' });

export enum ComplaintOutcome {
  UPHELD = 'UPHELD',
  NOT_UPHELD = 'NOT_UPHELD',
}
registerEnumType(ComplaintOutcome, { name: 'ComplaintOutcome' });

export enum CompensationBasis {
  FIXED = 'FIXED',
  MULTIPLE = 'MULTIPLE',
}
registerEnumType(CompensationBasis, {
  name: 'CompensationBasis',
  valuesConfig: {
    FIXED: { description: 'A fixed amount per upheld complaint (amountFen)' },
    MULTIPLE: { description: "A multiple of the complaint's disputed amount (multiplier × disputedAmountFen)" },
  },
});

export enum CompensationStatus {
  PROPOSED = 'PROPOSED',
  CONFIRMED = 'CONFIRMED',
  REJECTED = 'REJECTED',
}
registerEnumType(CompensationStatus, {
  name: 'CompensationStatus',
  valuesConfig: {
    PROPOSED: { description: 'Proposed when the complaint was upheld; a second person must confirm it' },
    CONFIRMED: { description: 'Paid to the customer (SP refunds are confirmed at once: paid first)' },
    REJECTED: { description: 'Not paid, with a reason' },
  },
});

export enum DepositEntryKind {
  LODGE = 'LODGE',
  TOP_UP = 'TOP_UP',
  REFUND_DRAW = 'REFUND_DRAW',
  FINE = 'FINE',
}
registerEnumType(DepositEntryKind, {
  name: 'DepositEntryKind',
  valuesConfig: {
    LODGE: { description: 'The deposit an SP lodges with the branch (positive)' },
    TOP_UP: { description: "More deposit; it first pays off the SP's debt" },
    REFUND_DRAW: { description: "A customer's double refund drawn from the deposit; what the deposit cannot cover the branch pays and the SP owes" },
    FINE: { description: 'A fine taken from the deposit; what the deposit cannot cover the SP owes' },
  },
});

export enum WaiverSource {
  AUTO = 'AUTO',
  MANUAL = 'MANUAL',
  COMPLAINT = 'COMPLAINT',
}
registerEnumType(WaiverSource, {
  name: 'WaiverSource',
  valuesConfig: {
    AUTO: { description: 'Charges picked up by a listed border cell, waived in bulk' },
    MANUAL: { description: 'Waived by hand by the complaint desk' },
    COMPLAINT: { description: 'Waived at once when an ROAMING_CHARGE complaint was upheld' },
  },
});

export enum FinanceCategory {
  COMPENSATION = 'COMPENSATION',
  SP_REFUND = 'SP_REFUND',
  SP_FINE = 'SP_FINE',
  ROAMING_WAIVER = 'ROAMING_WAIVER',
}
registerEnumType(FinanceCategory, {
  name: 'CustomerFinanceCategory',
  valuesConfig: {
    COMPENSATION: { description: 'Confirmed compensation of upheld complaints (SP refunds apart)' },
    SP_REFUND: { description: 'Double refunds of wrongful SP charges paid to customers' },
    SP_FINE: { description: 'Fines imposed on SPs' },
    ROAMING_WAIVER: { description: 'Border roaming charges waived' },
  },
});

export enum CustomerTotalsGroupBy {
  CATEGORY = 'CATEGORY',
  REGION = 'REGION',
  MONTH = 'MONTH',
}
registerEnumType(CustomerTotalsGroupBy, { name: 'CustomerTotalsGroupBy' });
