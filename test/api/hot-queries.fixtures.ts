/**
 * The hot queries, over the demo data (seedDemo): the list queries whose statement counts
 * sql-count.test.ts checks, and the queries `npm run bench` drives. runtime-off.test.ts runs the
 * same ones with every src/runtime mechanism switched off and expects the same answers.
 */
export type Path = (data: any) => unknown[];
export const topEdges: Path = (data) => (Object.values(data)[0] as { edges: unknown[] }).edges;

export const CASES: { name: string; user: string; small: number; large: number; query: string; path?: Path }[] = [
  {
    name: 'agents with region, latest records, penalties and statements',
    user: 'staff',
    small: 3,
    large: 100,
    query: `query($n: Int) { agents(first: $n) { edges { node {
      id code status riskScore region { code name }
      registrations(first: 5) { totalCount edges { node { id msisdn status flags agent { code } } } }
      penalties(first: 5) { edges { node { id amountFen status } } }
      commissionStatements(first: 3) { edges { node { period netFen agent { code } } } }
    } } } }`,
  },
  {
    name: 'registrations with their agent and region',
    user: 'staff',
    small: 3,
    large: 200,
    query: `query($n: Int) { registrations(first: $n) { edges { node { id msisdn flags status agent { code region { code } } } } } }`,
  },
  {
    name: 'repair partners with region, authorizations, prices, equipment',
    user: 'aftersales',
    small: 1,
    large: 6,
    query: `query($n: Int) { repairPartners(first: $n) { edges { node {
      id code region { code } authorizations { brand certificateNo } prices { priceFen } equipment { assetTag } contacts { name }
    } } } }`,
  },
  {
    name: "a partner's repair orders with partner, status history and loaner",
    user: 'shop1',
    small: 2,
    large: 60,
    query: `query($n: Int) { repairOrders(first: $n) { edges { node {
      id brand status partner { code region { code } } statusHistory { status } loanerLoan { id loaner { serial } } loanerOutstanding
    } } } }`,
  },
  {
    name: 'loaner phones on loan with partner, loan and order',
    user: 'aftersales',
    small: 2,
    large: 200,
    query: `query($n: Int) { loanerPhones(first: $n, filter: { status: ON_LOAN }) { edges { node { id serial status partner { code } currentLoan { id repairOrder { id status } } } } } }`,
  },
  {
    name: 'audit items with registration, agent, findings and penalties',
    user: 'admin',
    small: 2,
    large: 150,
    query: `query($n: Int) { auditBatch(id: "1") { id items(first: $n, filter: { outcome: FAIL }) { edges { node {
      id outcome auditor { username } registration { msisdn agent { code } } agent { code region { code } } findings { type penalty { amountFen status } }
    } } } } }`,
    path: (data) => data.auditBatch.items.edges,
  },
  {
    name: 'penalties with agent, finding and statement',
    user: 'staff',
    small: 2,
    large: 200,
    query: `query($n: Int) { penalties(first: $n, filter: { kind: AUDIT }) { edges { node { id amountFen agent { code } finding { type auditItem { registration { msisdn } } } decidedBy { username } } } } }`,
  },
  {
    name: 'parts with stock by location and compatible models',
    user: 'aftersales',
    small: 2,
    large: 200,
    query: `query($n: Int) { parts(first: $n) { edges { node { sku stock { onHand location { name } } compatibleModels { brand model } } } } }`,
  },
  {
    name: "a shop's stock levels with part and location",
    user: 'shop1',
    small: 2,
    large: 200,
    query: `query($n: Int) { stockLevels(first: $n) { edges { node { onHand part { sku name } location { name } } } } }`,
  },
  {
    name: 'parts issues with partner, location and lines',
    user: 'aftersales',
    small: 2,
    large: 200,
    query: `query($n: Int) { partsIssues(first: $n) { edges { node { id totalFen partner { code } location { name } lines { __typename } } } } }`,
  },
  {
    name: 'subsidies with partner and region',
    user: 'finance',
    small: 2,
    large: 200,
    query: `query($n: Int) { subsidies(first: $n) { edges { node { id amountFen partner { code region { code } } reversedBy { id } } } } }`,
  },
];

export const BENCH: { name: string; user: string; query: string; variables: Record<string, unknown>; statements: number }[] = [
  {
    name: "agency staff: a region's agents with region and latest records (the page, the records)",
    user: 'staff',
    query: `query($region: String) { agents(first: 50, filter: { regionCode: $region }) {
      pageInfo { hasNextPage endCursor }
      edges { node { id code name status riskScore region { code name }
        registrations(first: 3) { edges { node { id msisdn status flags openedAt } } } } } } }`,
    variables: { region: 'SHASHI' },
    statements: 2,
  },
  {
    name: 'repair shop: its shelf with part and location (one joined statement)',
    user: 'shop1',
    query: `query { stockLevels(first: 50) { edges { node { onHand unitCostFen part { sku name } location { name } } } } }`,
    variables: {},
    statements: 1,
  },
];
