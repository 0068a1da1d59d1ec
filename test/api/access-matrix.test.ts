import { Role as R } from '../../src/common/roles';
import { seededRandom } from '../../src/common/random';
import { seedDemo } from '../../seeds';
import { startTestApp, TestApp } from '../helpers/app';
import { argsFor, operationFor, rootFields } from '../helpers/schema-args';

/**
 * Who may call what. Every query and mutation in the schema has a row here, written by hand from
 * the contract and the issues; the test fails when an operation is added without one (or a row
 * names an operation that is gone). For every operation and every role, and with no token:
 * a role not listed gets FORBIDDEN, no token gets UNAUTHENTICATED, a listed role gets past the
 * door (whatever the business rules then say about the made-up arguments). ADMIN may do anything.
 * Tenant roles act on their own partner/agent here; reaching another tenant's data is tested in
 * tenant-isolation.test.ts.
 */
const PUBLIC = 'PUBLIC' as const;
const ANY = 'ANY' as const;
type Rule = typeof PUBLIC | typeof ANY | R[];

const MATRIX: Record<string, Rule> = {
  'Mutation.activateRegistration': [R.AGENCY_STAFF, R.AGENT],
  'Mutation.allocateLoaners': [R.AFTERSALES_STAFF],
  'Mutation.cancelRegistration': [R.AGENCY_STAFF],
  'Mutation.closeAuditBatch': [R.AUDITOR],
  'Mutation.closeCommissionPeriod': [R.FINANCE],
  'Mutation.completeLoanerService': [R.AFTERSALES_STAFF],
  'Mutation.confirmPenalty': [R.AGENCY_STAFF],
  'Mutation.consumeParts': [R.AFTERSALES_STAFF, R.REPAIR_PARTNER],
  'Mutation.createAgent': [R.AGENCY_STAFF],
  'Mutation.createAuditBatch': [R.AUDITOR],
  'Mutation.createHandsetBrand': [R.AFTERSALES_STAFF],
  'Mutation.createHandsetModel': [R.AFTERSALES_STAFF],
  'Mutation.createPart': [R.AFTERSALES_STAFF],
  'Mutation.createPenalty': [R.AGENCY_STAFF],
  'Mutation.createRepairPartner': [R.AFTERSALES_STAFF],
  'Mutation.createSupplier': [R.AFTERSALES_STAFF],
  'Mutation.createUser': [R.ADMIN],
  'Mutation.extendLoanerLoan': [R.AFTERSALES_STAFF, R.REPAIR_PARTNER],
  'Mutation.generateWageSubsidies': [R.FINANCE],
  'Mutation.grantBrandAuthorization': [R.AFTERSALES_STAFF],
  'Mutation.issueParts': [R.AFTERSALES_STAFF, R.REPAIR_PARTNER],
  'Mutation.lendEquipment': [R.AFTERSALES_STAFF],
  'Mutation.lendLoaner': [R.AFTERSALES_STAFF, R.REPAIR_PARTNER],
  'Mutation.login': PUBLIC,
  'Mutation.openRepairOrder': [R.AFTERSALES_STAFF, R.REPAIR_PARTNER],
  'Mutation.receivePurchase': [R.AFTERSALES_STAFF],
  'Mutation.recomputeRiskScores': [R.AUDITOR, R.AGENCY_STAFF],
  'Mutation.recordAuditResult': [R.AUDITOR],
  'Mutation.recordFundRepayment': [R.FINANCE],
  'Mutation.recordStocktake': [R.AFTERSALES_STAFF],
  'Mutation.recordSubsidy': [R.FINANCE, R.AFTERSALES_STAFF],
  'Mutation.registerEquipment': [R.AFTERSALES_STAFF],
  'Mutation.registerLoanerPhones': [R.AFTERSALES_STAFF],
  'Mutation.rejectRegistration': [R.AGENCY_STAFF],
  'Mutation.retireLoaners': [R.AFTERSALES_STAFF],
  'Mutation.returnEquipment': [R.AFTERSALES_STAFF],
  'Mutation.returnLoaner': [R.AFTERSALES_STAFF, R.REPAIR_PARTNER],
  'Mutation.returnParts': [R.AFTERSALES_STAFF, R.REPAIR_PARTNER],
  'Mutation.reverseSubsidy': [R.FINANCE],
  'Mutation.revokeBrandAuthorization': [R.AFTERSALES_STAFF],
  'Mutation.rotateIdentityKeys': [R.ADMIN],
  'Mutation.setAgentStatus': [R.AGENCY_STAFF],
  'Mutation.setPartnerFundCap': [R.FINANCE],
  'Mutation.setPenaltyRule': [R.ADMIN],
  'Mutation.setRepairOrderStatus': [R.AFTERSALES_STAFF, R.REPAIR_PARTNER],
  'Mutation.setRepairOrderWarranty': [R.AFTERSALES_STAFF, R.REPAIR_PARTNER],
  'Mutation.setRepairPartnerStatus': [R.AFTERSALES_STAFF],
  'Mutation.setRepairPrice': [R.AFTERSALES_STAFF, R.REPAIR_PARTNER],
  'Mutation.settleCommissions': [R.FINANCE],
  'Mutation.submitRegistrations': [R.AGENCY_STAFF, R.AGENT],
  'Mutation.takeBackLoaners': [R.AFTERSALES_STAFF],
  'Mutation.updateAgent': [R.AGENCY_STAFF],
  'Mutation.updatePart': [R.AFTERSALES_STAFF],
  'Mutation.updateRepairPartner': [R.AFTERSALES_STAFF],
  'Mutation.waivePenalty': [R.AGENCY_STAFF],
  'Query.activationSummary': [R.AGENCY_STAFF, R.AUDITOR, R.AGENT],
  'Query.activationStats': [R.AGENCY_STAFF, R.AUDITOR, R.FINANCE, R.AGENT],
  'Query.agent': [R.AGENCY_STAFF, R.AUDITOR, R.FINANCE, R.AGENT],
  'Query.agents': [R.AGENCY_STAFF, R.AUDITOR, R.FINANCE, R.AGENT],
  'Query.auditBatch': [R.AUDITOR, R.AGENCY_STAFF],
  'Query.auditBatches': [R.AUDITOR, R.AGENCY_STAFF],
  'Query.auditItem': [R.AUDITOR, R.AGENCY_STAFF],
  'Query.brandAuthorization': [R.AFTERSALES_STAFF, R.FINANCE, R.REPAIR_PARTNER],
  'Query.brandAuthorizations': [R.AFTERSALES_STAFF, R.FINANCE, R.REPAIR_PARTNER],
  'Query.brandCoverage': [R.AFTERSALES_STAFF, R.FINANCE],
  'Query.changeLog': [R.ADMIN, R.AGENCY_STAFF, R.AUDITOR, R.AFTERSALES_STAFF, R.FINANCE],
  'Query.commissionPeriod': [R.FINANCE, R.AGENCY_STAFF],
  'Query.commissionPeriods': [R.FINANCE, R.AGENCY_STAFF],
  'Query.commissionStatements': [R.FINANCE, R.AGENCY_STAFF, R.AGENT],
  'Query.equipment': [R.AFTERSALES_STAFF, R.FINANCE, R.REPAIR_PARTNER],
  'Query.equipmentItem': [R.AFTERSALES_STAFF, R.FINANCE, R.REPAIR_PARTNER],
  'Query.expiringAuthorizations': [R.AFTERSALES_STAFF, R.FINANCE, R.REPAIR_PARTNER],
  'Query.fundLedger': [R.FINANCE, R.AFTERSALES_STAFF, R.AUDITOR, R.REPAIR_PARTNER],
  'Query.handsetBrands': ANY,
  'Query.lentValues': [R.FINANCE, R.AFTERSALES_STAFF, R.REPAIR_PARTNER],
  'Query.loanerHistory': [R.AFTERSALES_STAFF, R.REPAIR_PARTNER],
  'Query.loanerLoan': [R.AFTERSALES_STAFF, R.REPAIR_PARTNER],
  'Query.loanerLoans': [R.AFTERSALES_STAFF, R.REPAIR_PARTNER],
  'Query.loanerPhone': [R.AFTERSALES_STAFF, R.FINANCE, R.REPAIR_PARTNER],
  'Query.loanerPhones': [R.AFTERSALES_STAFF, R.FINANCE, R.REPAIR_PARTNER],
  'Query.loanerSummary': [R.AFTERSALES_STAFF, R.FINANCE, R.REPAIR_PARTNER],
  'Query.location': [R.AFTERSALES_STAFF, R.FINANCE, R.AUDITOR, R.REPAIR_PARTNER],
  'Query.locations': [R.AFTERSALES_STAFF, R.FINANCE, R.AUDITOR, R.REPAIR_PARTNER],
  'Query.me': ANY,
  'Query.overdueLoans': [R.AFTERSALES_STAFF, R.REPAIR_PARTNER],
  'Query.part': [R.AFTERSALES_STAFF, R.FINANCE, R.AUDITOR, R.REPAIR_PARTNER],
  'Query.partnerStatement': [R.FINANCE, R.AFTERSALES_STAFF, R.REPAIR_PARTNER],
  'Query.parts': [R.AFTERSALES_STAFF, R.FINANCE, R.AUDITOR, R.REPAIR_PARTNER],
  'Query.partsConsumptions': [R.AFTERSALES_STAFF, R.FINANCE, R.AUDITOR, R.REPAIR_PARTNER],
  'Query.partsIssue': [R.AFTERSALES_STAFF, R.FINANCE, R.AUDITOR, R.REPAIR_PARTNER],
  'Query.partsIssues': [R.AFTERSALES_STAFF, R.FINANCE, R.AUDITOR, R.REPAIR_PARTNER],
  'Query.partsReturns': [R.AFTERSALES_STAFF, R.FINANCE, R.AUDITOR, R.REPAIR_PARTNER],
  'Query.penalties': [R.AGENCY_STAFF, R.AUDITOR, R.FINANCE, R.AGENT],
  'Query.penalty': [R.AGENCY_STAFF, R.AUDITOR, R.FINANCE, R.AGENT],
  'Query.penaltyRules': ANY,
  'Query.purchaseReceipt': [R.AFTERSALES_STAFF, R.FINANCE, R.AUDITOR],
  'Query.purchaseReceipts': [R.AFTERSALES_STAFF, R.FINANCE, R.AUDITOR],
  'Query.regions': ANY,
  'Query.registration': [R.AGENCY_STAFF, R.AUDITOR, R.AGENT],
  'Query.registrations': [R.AGENCY_STAFF, R.AUDITOR, R.AGENT],
  'Query.repairOrder': [R.AFTERSALES_STAFF, R.FINANCE, R.REPAIR_PARTNER],
  'Query.repairOrders': [R.AFTERSALES_STAFF, R.FINANCE, R.REPAIR_PARTNER],
  'Query.repairPartner': [R.AFTERSALES_STAFF, R.FINANCE, R.REPAIR_PARTNER],
  'Query.repairPartners': [R.AFTERSALES_STAFF, R.FINANCE, R.REPAIR_PARTNER],
  'Query.repairPriceIndex': [R.AFTERSALES_STAFF, R.FINANCE],
  'Query.repairPrices': [R.AFTERSALES_STAFF, R.FINANCE, R.REPAIR_PARTNER],
  'Query.repairServiceTypes': ANY,
  'Query.repairTurnaround': [R.AFTERSALES_STAFF, R.FINANCE, R.REPAIR_PARTNER],
  'Query.revolvingFund': [R.FINANCE, R.AFTERSALES_STAFF, R.AUDITOR, R.REPAIR_PARTNER],
  'Query.stockLevels': [R.AFTERSALES_STAFF, R.FINANCE, R.AUDITOR, R.REPAIR_PARTNER],
  'Query.stockMovements': [R.AFTERSALES_STAFF, R.FINANCE, R.AUDITOR, R.REPAIR_PARTNER],
  'Query.stockValuation': [R.AFTERSALES_STAFF, R.FINANCE, R.AUDITOR, R.REPAIR_PARTNER],
  'Query.stocktakes': [R.AFTERSALES_STAFF, R.FINANCE, R.AUDITOR],
  'Query.subsidies': [R.FINANCE, R.AFTERSALES_STAFF, R.REPAIR_PARTNER],
  'Query.subsidy': [R.FINANCE, R.AFTERSALES_STAFF, R.REPAIR_PARTNER],
  'Query.subsidyTotals': [R.FINANCE, R.AFTERSALES_STAFF, R.REPAIR_PARTNER],
  'Query.suppliers': [R.AFTERSALES_STAFF, R.FINANCE, R.AUDITOR],
  'Query.tariffPlans': ANY,
  // Accounts and sessions (issue 18).
  'Query.users': [R.ADMIN],
  'Mutation.updateUser': [R.ADMIN],
  'Mutation.resetPassword': [R.ADMIN],
  'Mutation.logoutEverywhere': [R.ADMIN],
  'Mutation.changePassword': ANY,

  // Least privilege (issue 18): four eyes on waivers, the fund policy stored in the database.
  'Mutation.approvePenaltyWaiver': [R.AGENCY_STAFF],
  'Mutation.setFundPolicy': [R.FINANCE],
  'Query.fundPolicy': [R.FINANCE, R.AFTERSALES_STAFF, R.AUDITOR, R.REPAIR_PARTNER],

  // Customer side (issue 22): the complaint desk works the queues; AUDITOR reads; tenants read what is about themselves.
  'Mutation.applyAutoRoamingWaivers': [R.CUSTOMER_SERVICE],
  'Mutation.closeComplaint': [R.CUSTOMER_SERVICE],
  'Mutation.confirmCompensation': [R.CUSTOMER_SERVICE],
  'Mutation.createServiceProvider': [R.CUSTOMER_SERVICE],
  'Mutation.openComplaint': [R.CUSTOMER_SERVICE],
  'Mutation.recordCallbackOutcome': [R.CUSTOMER_SERVICE],
  'Mutation.recordSpDepositMovement': [R.CUSTOMER_SERVICE],
  'Mutation.rejectCompensation': [R.CUSTOMER_SERVICE],
  'Mutation.resolveComplaint': [R.CUSTOMER_SERVICE],
  'Mutation.setBorderCell': [R.CUSTOMER_SERVICE],
  'Mutation.setCompensationRule': [R.ADMIN],
  'Mutation.startComplaint': [R.CUSTOMER_SERVICE],
  'Mutation.waiveRoamingManually': [R.CUSTOMER_SERVICE],
  'Query.borderCells': [R.CUSTOMER_SERVICE, R.AUDITOR, R.FINANCE],
  'Query.callback': [R.CUSTOMER_SERVICE, R.AUDITOR, R.AGENT],
  'Query.callbackQueue': [R.CUSTOMER_SERVICE, R.AUDITOR, R.AGENT],
  'Query.callbackStats': [R.CUSTOMER_SERVICE, R.AUDITOR, R.AGENT],
  'Query.callbacks': [R.CUSTOMER_SERVICE, R.AUDITOR, R.AGENT],
  'Query.compensationRuleHistory': [R.CUSTOMER_SERVICE, R.AUDITOR, R.FINANCE],
  'Query.compensationRules': ANY,
  'Query.compensations': [R.CUSTOMER_SERVICE, R.AUDITOR, R.FINANCE],
  'Query.complaint': [R.CUSTOMER_SERVICE, R.AUDITOR, R.AGENT, R.REPAIR_PARTNER],
  'Query.complaintStats': [R.CUSTOMER_SERVICE, R.AUDITOR],
  'Query.complaints': [R.CUSTOMER_SERVICE, R.AUDITOR, R.AGENT, R.REPAIR_PARTNER],
  'Query.customerTotals': [R.CUSTOMER_SERVICE, R.AUDITOR, R.FINANCE],
  'Query.overdueComplaints': [R.CUSTOMER_SERVICE, R.AUDITOR],
  'Query.roamingWaivers': [R.CUSTOMER_SERVICE, R.AUDITOR, R.FINANCE],
  'Query.serviceProvider': [R.CUSTOMER_SERVICE, R.AUDITOR, R.FINANCE],
  'Query.serviceProviders': [R.CUSTOMER_SERVICE, R.AUDITOR, R.FINANCE],
  'Query.spDepositCheck': [R.CUSTOMER_SERVICE, R.AUDITOR, R.FINANCE],
  'Query.spDepositEntries': [R.CUSTOMER_SERVICE, R.AUDITOR, R.FINANCE],
};

const ROLES: (R | null)[] = [R.ADMIN, R.AGENCY_STAFF, R.AUDITOR, R.AFTERSALES_STAFF, R.FINANCE, R.REPAIR_PARTNER, R.AGENT, null];

let t: TestApp;
const tokens = new Map<R, string>();
let ownPartnerId = '';
let ownAgentId = '';

beforeAll(async () => {
  t = await startTestApp();
  await seedDemo(t.app.ds, t.config);
  const [partner] = await t.app.ds.query("SELECT id FROM repair_partner WHERE code = 'RP-01'");
  const [agent] = await t.app.ds.query("SELECT id FROM agent WHERE code = 'AGT-0001'");
  ownPartnerId = String(partner.id);
  ownAgentId = String(agent.id);
  for (const [role, user] of [
    [R.ADMIN, 'admin'],
    [R.AGENCY_STAFF, 'staff'],
    [R.AUDITOR, 'auditor'],
    [R.AFTERSALES_STAFF, 'aftersales'],
    [R.FINANCE, 'finance'],
    [R.REPAIR_PARTNER, 'shop1'],
    [R.AGENT, 'agent1'],
  ] as const) {
    tokens.set(role, await t.token(user));
  }
});
afterAll(() => t.stop());

// Accounts (issue 18): the user operations act on a throwaway user, so that resetting or logging
// out users 1-3 does not end the tokens of the roles this test runs as.
let throwawayUserId = '';
beforeAll(async () => {
  const res = await t.gql(
    `mutation { createUser(input: { username: "matrix_throwaway", password: "Matrix-throwaway-1", role: FINANCE }) { id } }`,
    {},
    tokens.get(R.ADMIN),
  );
  throwawayUserId = res.data.createUser.id;
});
const USER_TARGETS: Record<string, string> = { 'Mutation.updateUser': 'id', 'Mutation.resetPassword': 'userId', 'Mutation.logoutEverywhere': 'userId' };
function accountArgs(key: string, variables: Record<string, unknown>): Record<string, unknown> {
  return key in USER_TARGETS ? { ...variables, [USER_TARGETS[key]]: throwawayUserId } : variables;
}

function allowed(rule: Rule, role: R | null): boolean {
  if (rule === PUBLIC) return true;
  if (role === null) return false;
  return rule === ANY || role === R.ADMIN || rule.includes(role);
}

/** Plausible arguments, with the tenant's own partner/agent wherever one is named. */
function ownArgs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ownArgs);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, /^(repair)?partnerId$/i.test(k) ? ownPartnerId : /^agentId$/.test(k) ? ownAgentId : ownArgs(v)]),
    );
  }
  return value;
}

describe('access-control matrix', () => {
  it('has a row for every operation in the schema, and no row for an operation that is gone', () => {
    const inSchema = rootFields(t.app.schema)
      .map((r) => `${r.kind === 'query' ? 'Query' : 'Mutation'}.${r.field.name}`)
      .sort();
    const inMatrix = Object.keys(MATRIX).sort();
    expect(inSchema.filter((k) => !(k in MATRIX))).toEqual([]);
    expect(inMatrix.filter((k) => !inSchema.includes(k))).toEqual([]);
  });

  it('lets exactly the listed roles through, for every operation', async () => {
    const rand = seededRandom(7);
    const wrong: string[] = [];
    for (const { kind, field } of rootFields(t.app.schema)) {
      const key = `${kind === 'query' ? 'Query' : 'Mutation'}.${field.name}`;
      const rule = MATRIX[key];
      if (!rule || field.name === 'login') continue;
      const variables = accountArgs(key, ownArgs(argsFor(field, { rand, hostile: false, optional: 0 })) as Record<string, unknown>);
      const query = operationFor(kind, field, variables);
      for (const role of ROLES) {
        const res = await t.gql(query, variables, role ? tokens.get(role) : null);
        const code = res.errors?.[0]?.extensions?.code;
        const may = allowed(rule, role);
        const who = role ?? 'no token';
        if (!may && role === null && code !== 'UNAUTHENTICATED') wrong.push(`${key} as ${who}: expected UNAUTHENTICATED, got ${code ?? 'success'}`);
        if (!may && role !== null && code !== 'FORBIDDEN') wrong.push(`${key} as ${who}: expected FORBIDDEN, got ${code ?? 'success'}`);
        if (may && (code === 'FORBIDDEN' || code === 'UNAUTHENTICATED'))
          wrong.push(`${key} as ${who}: expected to get through, got ${code}: ${res.errors?.[0]?.message}`);
        if (code === 'INTERNAL_SERVER_ERROR') wrong.push(`${key} as ${who}: INTERNAL_SERVER_ERROR ${res.errors?.[0]?.message}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
