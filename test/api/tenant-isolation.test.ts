import { seedDemo } from '../../seeds';
import { startTestApp, TestApp } from '../helpers/app';

/**
 * A REPAIR_PARTNER or an AGENT reaching another tenant's object by id, by filter, through a
 * nested field or in a mutation gets nothing: by id NOT_FOUND (never FORBIDDEN, which would say
 * the object exists) and no data, the same answer as for an id that exists nowhere; by filter
 * NOT_FOUND or only its own rows; nested lists only its own. "Nothing" is checked by looking for any
 * other tenant's code or name anywhere in the answer. Runs over the demo data set.
 */
let t: TestApp;
let shop: string;
let agentToken: string;
const ids: Record<string, string> = {};
let otherPartnerMarks: string[] = [];

async function one(sql: string): Promise<string> {
  const rows = await t.app.ds.query(sql);
  if (!rows.length) throw new Error(`demo data missing: ${sql}`);
  return String(Object.values(rows[0])[0]);
}

beforeAll(async () => {
  t = await startTestApp();
  await seedDemo(t.app.ds, t.config);
  shop = await t.token('shop1');
  agentToken = await t.token('agent1');
  ids.p2 = await one("SELECT id FROM repair_partner WHERE code = 'RP-02'");
  ids.order2 = await one(`SELECT id FROM repair_order WHERE partnerId = ${ids.p2} ORDER BY id`);
  ids.loaner2 = await one(`SELECT id FROM loaner_phone WHERE partnerId = ${ids.p2} ORDER BY id`);
  ids.loan2 = await one(`SELECT l.id FROM loaner_loan l JOIN loaner_phone p ON p.id = l.loanerId WHERE p.partnerId = ${ids.p2} ORDER BY l.id`);
  ids.equipment2 = await one(`SELECT id FROM equipment WHERE custodianPartnerId = ${ids.p2}`);
  ids.location2 = await one(`SELECT id FROM stock_location WHERE partnerId = ${ids.p2}`);
  ids.subsidy2 = await one(`SELECT id FROM subsidy WHERE partnerId = ${ids.p2} ORDER BY id`);
  ids.agent2 = await one("SELECT id FROM agent WHERE code = 'AGT-0002'");
  ids.registration2 = await one(`SELECT id FROM registration WHERE agentId = ${ids.agent2} ORDER BY id`);
  ids.penalty2 = await one(`SELECT id FROM penalty WHERE agentId = ${ids.agent2} ORDER BY id`);
  ids.part = await one('SELECT id FROM part ORDER BY id');
  const partners: { code: string; name: string }[] = await t.app.ds.query("SELECT code, name FROM repair_partner WHERE code <> 'RP-01'");
  otherPartnerMarks = partners.flatMap((p) => [p.code, p.name]);
});
afterAll(() => t.stop());

function leaks(body: unknown, marks: string[]): string[] {
  const text = JSON.stringify(body);
  return marks.filter((m) => text.includes(m));
}

const OTHER_AGENT = /AGT-(?!0001)\d{4}/;

describe('a repair partner reaching another partner', () => {
  const byId: [string, string][] = [
    ['repairPartner', `{ repairPartner(id: "$p2") { code name } }`],
    ['repairOrder', `{ repairOrder(id: "$order2") { id partner { code } } }`],
    ['loanerPhone', `{ loanerPhone(id: "$loaner2") { serial partner { code } } }`],
    ['loanerLoan', `{ loanerLoan(id: "$loan2") { id } }`],
    ['loanerHistory', `{ loanerHistory(loanerId: "$loaner2") { edges { node { __typename } } } }`],
    ['equipmentItem', `{ equipmentItem(id: "$equipment2") { assetTag } }`],
    ['location', `{ location(id: "$location2") { name } }`],
    ['stockValuation', `{ stockValuation(locationId: "$location2") { __typename } }`],
    ['subsidy', `{ subsidy(id: "$subsidy2") { amountFen partner { code } } }`],
    ['partnerStatement', `{ partnerStatement(partnerId: "$p2", period: "2025-03") { __typename } }`],
  ];
  it.each(byId)('by id: %s is refused and shows nothing', async (_name, q) => {
    const res = await t.gql(
      q.replace(/\$(\w+)/g, (_m, k) => ids[k]),
      {},
      shop,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // Single lookups are nullable: nothing shown is `data` null or its one field null.
    expect(Object.values(res.data ?? {}).every((v) => v === null)).toBe(true);
    expect(leaks(res.body, otherPartnerMarks)).toEqual([]);
  });

  const byFilterOrList: [string, string][] = [
    ['repairOrders by partner', `{ repairOrders(first: 200, filter: { partnerId: "$p2" }) { edges { node { partner { code name } } } } }`],
    ['repairOrders', `{ repairOrders(first: 200) { totalCount edges { node { partner { code name } } } } }`],
    ['repairPartners', `{ repairPartners(first: 200) { edges { node { code name } } } }`],
    ['loanerPhones by partner', `{ loanerPhones(first: 200, filter: { partnerId: "$p2" }) { edges { node { partner { code } } } } }`],
    ['loanerPhones', `{ loanerPhones(first: 200) { edges { node { partner { code } currentLoan { repairOrder { partner { code } } } } } } }`],
    ['loanerLoans by partner', `{ loanerLoans(first: 200, filter: { partnerId: "$p2" }) { edges { node { loaner { partner { code } } } } } }`],
    ['overdueLoans by partner', `{ overdueLoans(first: 200, partnerId: "$p2") { edges { node { loaner { partner { code } } } } } }`],
    ['stockLevels by location', `{ stockLevels(first: 200, filter: { locationId: "$location2" }) { edges { node { location { name } } } } }`],
    ['stockLevels by partner', `{ stockLevels(first: 200, filter: { partnerId: "$p2" }) { edges { node { location { name } } } } }`],
    ['stockLevels', `{ stockLevels(first: 200) { edges { node { location { name } part { stock { location { name } } } } } } }`],
    ['locations', `{ locations(first: 200) { edges { node { name } } } }`],
    ['equipment by custodian', `{ equipment(first: 200, filter: { custodianPartnerId: "$p2" }) { edges { node { assetTag } } } }`],
    ['subsidies by partner', `{ subsidies(first: 200, filter: { partnerId: "$p2" }) { edges { node { partner { code name } } } } }`],
    ['subsidies', `{ subsidies(first: 200) { edges { node { partner { code name } } } } }`],
    ['subsidyTotals', `{ subsidyTotals(from: "2025-01", to: "2025-12", groupBy: PARTNER) { key label amountFen } }`],
    ['subsidyTotals by partner', `{ subsidyTotals(from: "2025-01", to: "2025-12", groupBy: PARTNER, partnerId: "$p2") { key label } }`],
    ['revolvingFund', `{ revolvingFund { partners { partner { code name } } } }`],
    ['revolvingFund by partner', `{ revolvingFund(partnerId: "$p2") { partners { partner { code name } } } }`],
    ['lentValues by partner', `{ lentValues(partnerId: "$p2", period: "2025-03") { __typename } }`],
    ['repairPrices by partner', `{ repairPrices(first: 200, filter: { partnerId: "$p2" }) { edges { node { __typename } } } }`],
  ];
  it.each(byFilterOrList)('by filter or list: %s shows only its own', async (_name, q) => {
    const res = await t.gql(
      q.replace(/\$(\w+)/g, (_m, k) => ids[k]),
      {},
      shop,
    );
    if (res.errors) expect(res.errors[0].extensions.code).toBe('NOT_FOUND');
    expect(leaks(res.body, otherPartnerMarks)).toEqual([]);
  });

  const mutations: [string, string][] = [
    ['issueParts', `mutation { issueParts(input: { partnerId: "$p2", lines: [{ partId: "$part", quantity: 1 }] }) { id } }`],
    ['returnParts', `mutation { returnParts(input: { partnerId: "$p2", lines: [{ partId: "$part", quantity: 1 }] }) { id } }`],
    ['consumeParts', `mutation { consumeParts(input: { repairOrderId: "$order2", lines: [{ partId: "$part", quantity: 1 }] }) { id } }`],
    ['setRepairOrderStatus', `mutation { setRepairOrderStatus(id: "$order2", status: CANCELLED) { id } }`],
    ['extendLoanerLoan', `mutation { extendLoanerLoan(loanId: "$loan2", dueAt: "2030-01-01T00:00:00Z") { id } }`],
    ['returnLoaner', `mutation { returnLoaner(loanId: "$loan2", condition: GOOD) { id } }`],
    ['stockMovements by location', `{ stockMovements(first: 5, filter: { locationId: "$location2" }) { totalCount } }`],
    ['fundLedger by partner', `{ fundLedger(first: 5, filter: { partnerId: "$p2" }) { totalCount } }`],
    ['fundPolicy is its own', `{ revolvingFund(partnerId: "$p2") { limitFen } }`],
  ];
  it.each(mutations)('%s on another partner: NOT_FOUND, nothing written, nothing shown', async (_name, q) => {
    const before = await t.app.ds.query('SELECT COUNT(*) AS n FROM change_log');
    const res = await t.gql(
      q.replace(/\$(\w+)/g, (_m, k) => ids[k]),
      {},
      shop,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(res.errors?.[0]?.message).not.toMatch(/another|own|forbidden/i);
    expect(leaks(res.body, otherPartnerMarks)).toEqual([]);
    expect(await t.app.ds.query('SELECT COUNT(*) AS n FROM change_log')).toEqual(before);
  });

  it("answers another partner's object and one that exists nowhere alike", async () => {
    const other = await t.gql(`{ repairOrder(id: "${ids.order2}") { id } }`, {}, shop);
    const none = await t.gql(`{ repairOrder(id: "99999999") { id } }`, {}, shop);
    expect(other.errors![0].message.replace(ids.order2, 'N')).toBe(none.errors![0].message.replace('99999999', 'N'));
    const otherPartner = await t.gql(`{ repairPartner(id: "${ids.p2}") { id } }`, {}, shop);
    const nonePartner = await t.gql(`{ repairPartner(id: "99999999") { id } }`, {}, shop);
    expect(otherPartner.errors![0].extensions.code).toBe(nonePartner.errors![0].extensions.code);
  });

  it('the subsidies export holds only its own rows', async () => {
    const res = await t.http().get('/exports/subsidies.csv?from=2025-01&to=2025-12').set('authorization', `Bearer ${shop}`);
    expect(res.status).toBe(200);
    expect(leaks(res.text, otherPartnerMarks)).toEqual([]);
  });
});

describe('an agent reaching another agent', () => {
  const byId: [string, string][] = [
    ['agent', `{ agent(id: "$agent2") { code } }`],
    ['registration', `{ registration(id: "$registration2") { msisdn agent { code } } }`],
    ['penalty', `{ penalty(id: "$penalty2") { amountFen agent { code } } }`],
  ];
  it.each(byId)('by id: %s is refused and shows nothing', async (_name, q) => {
    const res = await t.gql(
      q.replace(/\$(\w+)/g, (_m, k) => ids[k]),
      {},
      agentToken,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // Single lookups are nullable: nothing shown is `data` null or its one field null.
    expect(Object.values(res.data ?? {}).every((v) => v === null)).toBe(true);
    expect(JSON.stringify(res.body)).not.toMatch(OTHER_AGENT);
  });

  const byFilterOrList: [string, string][] = [
    ['registrations by agent', `{ registrations(first: 200, filter: { agentId: "$agent2" }) { edges { node { agent { code } } } } }`],
    ['registrations', `{ registrations(first: 200) { edges { node { agent { code } } } } }`],
    ['agents', `{ agents(first: 200) { edges { node { code registrations(first: 5) { edges { node { agent { code } } } } } } } }`],
    ['penalties by agent', `{ penalties(first: 200, filter: { agentId: "$agent2" }) { edges { node { agent { code } } } } }`],
    ['penalties', `{ penalties(first: 200) { edges { node { agent { code } } } } }`],
    ['commissionStatements by agent', `{ commissionStatements(first: 200, agentId: "$agent2") { edges { node { agent { code } } } } }`],
    ['commissionStatements', `{ commissionStatements(first: 200) { edges { node { agent { code } } } } }`],
  ];
  it.each(byFilterOrList)('by filter or list: %s shows only its own', async (_name, q) => {
    const res = await t.gql(
      q.replace(/\$(\w+)/g, (_m, k) => ids[k]),
      {},
      agentToken,
    );
    if (res.errors) expect(res.errors[0].extensions.code).toBe('NOT_FOUND');
    expect(JSON.stringify(res.body)).not.toMatch(OTHER_AGENT);
  });

  const mutations: [string, string][] = [
    ['activateRegistration', `mutation { activateRegistration(id: "$registration2") { id } }`],
    ['agent registrations', `{ agent(id: "$agent2") { registrations(first: 5) { totalCount } } }`],
    ['activationSummary by agent', `{ activationSummary(filter: { period: "2025-02", agentId: "$agent2" }) { __typename } }`],
  ];
  it.each(mutations)('%s on another agent: NOT_FOUND and nothing shown', async (_name, q) => {
    const res = await t.gql(
      q.replace(/\$(\w+)/g, (_m, k) => ids[k]),
      {},
      agentToken,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(res.body)).not.toMatch(OTHER_AGENT);
  });

  it('the commission export holds only its own rows', async () => {
    const res = await t.http().get('/exports/commission-statements.csv?period=2025-02').set('authorization', `Bearer ${agentToken}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(OTHER_AGENT);
  });
});
