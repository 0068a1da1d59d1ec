import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { GraphQLObjectType, GraphQLOutputType, isEnumType, isListType, isNonNullType, isObjectType, isScalarType } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import type { ObjectLiteral } from 'typeorm';
import { seedDemo } from '../../seeds';
import { AuthUser } from '../../src/common/auth';
import { Context, RequestContext } from '../../src/common/context';
import { declaredReads } from '../../src/runtime/sql/projection';
import { Role } from '../../src/common/roles';
import { Agent } from '../../src/modules/agents/agent.entity';
import { StockLevel } from '../../src/modules/parts/stock-level.entity';
import { createLoaders } from '../../src/modules/registry';
import { startTestApp, TestApp } from '../helpers/app';

/**
 * Every `@ReadsColumns` declaration (src/runtime/sql/projection.ts) against the seeded demo data: a
 * field resolver given an entity holding only the columns it declared (and the primary key, which
 * the projection always selects) must answer what it answers given the full row. A declaration
 * that is too narrow would otherwise return wrong data without any error: the hot list queries
 * select only the declared columns.
 *
 * The declarations are found through type-graphql's metadata, so a new one is checked without
 * being listed here.
 */

/** The declarations on the day this test was written; fewer found means the enumeration broke. */
const KNOWN_DECLARATIONS = 14;
/** Rows per resolver: spread over the table, plus one per distinct value of each declared column. */
const SPREAD_ROWS = 24;
const PER_DISTINCT_VALUE = 12;
/** Nested objects of a result are compared to this depth (a Registration's agent's region...). */
const MAX_DEPTH = 5;

let t: TestApp;
let admin: AuthUser;
/** Rows the fixtures below gave something the demo data lacks, tried besides the sample. */
const madeInteresting = new Map<Function, number[]>();

beforeAll(async () => {
  t = await startTestApp();
  await seedDemo(t.app.ds, t.config);
  const ds = t.app.ds;
  const [row] = await ds.query(`SELECT id FROM app_user WHERE username = 'admin'`);
  admin = { id: Number(row.id), username: 'admin', role: Role.ADMIN, repairPartnerId: null, agentId: null };

  // The demo agents have no status history: suspend and reinstate one.
  const [agent] = await ds.query(`SELECT id FROM agent WHERE status = 'ACTIVE' ORDER BY id LIMIT 1`);
  const STATUS = `mutation($id: ID!, $s: AgentStatus!, $r: String!){ setAgentStatus(id:$id, status:$s, reason:$r){ id } }`;
  for (const [s, r] of [
    ['SUSPENDED', 'checking a record'],
    ['ACTIVE', 'record checked'],
  ]) {
    const res = await t.gql(STATUS, { id: String(agent.id), s, r }, await t.token('staff'));
    expect(res.errors).toBeUndefined();
  }
  madeInteresting.set(Agent, [Number(agent.id)]);

  // Nor is any centre stock below its reorder point: count one level down to 1 (reorder points are 4 and up).
  const [level] = await ds.query(
    `SELECT s.id, s.partId, s.locationId FROM stock_level s JOIN stock_location l ON l.id = s.locationId WHERE l.kind = 'CENTRE' ORDER BY s.id LIMIT 1`,
  );
  const count = await t.gql(
    `mutation($i:StocktakeInput!){ recordStocktake(input:$i){ id } }`,
    { i: { locationId: String(level.locationId), note: 'reads-columns fixture', lines: [{ partId: String(level.partId), countedQuantity: 1 }] } },
    await t.token('aftersales'),
  );
  expect(count.errors).toBeUndefined();
  madeInteresting.set(StockLevel, [Number(level.id)]);
});
afterAll(() => t?.stop());

interface Declaration {
  name: string;
  resolverClass: Function;
  methodName: string;
  schemaName: string;
  entity: Function;
  reads: readonly string[];
}

function declarations(): Declaration[] {
  const storage = getMetadataStorage();
  const seen = new Set<string>();
  const found: Declaration[] = [];
  for (const r of storage.fieldResolvers) {
    const reads = declaredReads(r.target, r.methodName);
    if (!reads) continue;
    const entity = r.getObjectType?.();
    if (!entity) throw new Error(`${r.target.name}.${r.methodName}: @ReadsColumns on a resolver whose object type type-graphql does not know`);
    const name = `${entity.name}.${r.schemaName} (${r.target.name}.${r.methodName})`;
    if (seen.has(name)) continue;
    seen.add(name);
    found.push({ name, resolverClass: r.target, methodName: r.methodName, schemaName: r.schemaName, entity: entity as Function, reads });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** A request context as app.ts builds one, for an ADMIN: fresh per call, so no loader cache is shared. */
function adminContext(): Context {
  const req = new IncomingMessage(new Socket());
  return new RequestContext(admin, null, randomUUID(), t.app.ds, t.config, createLoaders(t.app.ds), req, () => '127.0.0.1', undefined, t.app.log);
}

/** The arguments type-graphql would pass to the method, for this root and context, with no GraphQL arguments given. */
function callArgs(d: Declaration, root: object, ctx: Context): unknown[] {
  const params = getMetadataStorage().params.filter((p) => p.target === d.resolverClass && p.methodName === d.methodName);
  const args: unknown[] = [];
  for (const p of params) {
    switch (p.kind) {
      case 'root':
        args[p.index] = root;
        break;
      case 'context':
        args[p.index] = ctx;
        break;
      case 'args': {
        // The args class with its defaults, as type-graphql builds it when the query gives none.
        const type = p.getType() as new () => object;
        args[p.index] = new type();
        break;
      }
      case 'arg':
        if (!p.typeOptions.nullable && p.typeOptions.defaultValue === undefined)
          throw new Error(`${d.name}: argument ${p.name} is required; teach this test a value for it`);
        args[p.index] = p.typeOptions.defaultValue;
        break;
      case 'info':
        // No selection: the resolver's own projections of what it loads fall back to every column.
        args[p.index] = undefined;
        break;
      default:
        throw new Error(`${d.name}: parameter kind ${p.kind} is unknown to this test`);
    }
  }
  return args;
}

/**
 * A resolver's answer as a client could see it: the fields of its GraphQL type read from it
 * (through getters and promises, as graphql-js does), nested objects to MAX_DEPTH.
 */
async function visible(value: unknown, type: GraphQLOutputType, depth = 0): Promise<unknown> {
  const v = await value;
  if (isNonNullType(type)) return visible(v, type.ofType, depth);
  if (v === null || v === undefined) return null;
  if (isListType(type)) return Promise.all([...(v as Iterable<unknown>)].map((item) => visible(item, type.ofType, depth)));
  if (isScalarType(type) || isEnumType(type)) return v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? String(v) : v;
  if (depth >= MAX_DEPTH) return '…';
  const objectType = isObjectType(type) ? type : null;
  if (!objectType) return JSON.parse(JSON.stringify(v));
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(objectType.getFields())) {
    let fieldValue: unknown;
    try {
      fieldValue = (v as Record<string, unknown>)[name];
    } catch (err) {
      // A getter that refuses (pageInfo not asked for): the same refusal is expected both ways.
      out[name] = `throws ${(err as Error).message}`;
      continue;
    }
    // A field served by a field resolver of its own is that resolver's to check, not this one's.
    if (typeof fieldValue === 'function') continue;
    out[name] = await visible(fieldValue, field.type, depth + 1);
  }
  return out;
}

/** Whether an answer shows anything (a value, a non-empty list or page): some rows must. */
function showsSomething(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object' && 'edges' in (v as object)) return showsSomething((v as { edges: unknown }).edges);
  return true;
}

async function call(d: Declaration, root: object, returnType: GraphQLOutputType): Promise<unknown> {
  const method = (d.resolverClass.prototype as Record<string, (...a: unknown[]) => unknown>)[d.methodName];
  try {
    return await visible(method.apply(new (d.resolverClass as new () => object)(), callArgs(d, root, adminContext())), returnType);
  } catch (err) {
    return { threw: (err as Error).message };
  }
}

/** Ids of rows to try: spread evenly over the table, and the first rows of each value of each declared column (NULL included). */
async function sampleIds(d: Declaration): Promise<number[]> {
  const ds = t.app.ds;
  const meta = ds.getMetadata(d.entity);
  const pk = meta.primaryColumns[0].databaseName;
  const q = (name: string) => ds.driver.escape(name);
  const all = (await ds.query(`SELECT ${q(pk)} AS id FROM ${q(meta.tableName)} ORDER BY ${q(pk)}`)) as { id: unknown }[];
  // Numbers: a driver may hand a key back as a string, and the set must not hold both forms.
  const ids = new Set<number>(madeInteresting.get(d.entity) ?? []);
  const step = Math.max(1, Math.floor(all.length / SPREAD_ROWS));
  for (let i = 0; i < all.length; i += step) ids.add(Number(all[i].id));
  for (const prop of d.reads) {
    const col = meta.findColumnWithPropertyName(prop)!.databaseName;
    const firsts = (await ds.query(`SELECT MIN(${q(pk)}) AS id FROM ${q(meta.tableName)} GROUP BY ${q(col)} ORDER BY MIN(${q(pk)})`)) as { id: unknown }[];
    for (const r of firsts.slice(0, PER_DISTINCT_VALUE)) ids.add(Number(r.id));
  }
  return [...ids];
}

describe('@ReadsColumns declarations', () => {
  it(`are found through type-graphql's metadata (at least the ${KNOWN_DECLARATIONS} known)`, () => {
    const found = declarations();
    expect(found.length).toBeGreaterThanOrEqual(KNOWN_DECLARATIONS);
  });

  it('name columns of the entity (a name that is not one makes the projection read every column)', () => {
    const problems: string[] = [];
    for (const d of declarations()) {
      const meta = t.app.ds.getMetadata(d.entity);
      for (const prop of d.reads) {
        const col = meta.findColumnWithPropertyName(prop);
        if (!col || col.isVirtual || col.embeddedMetadata) problems.push(`${d.name}: ${prop} is not a column of ${meta.name}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('give each field resolver, called with only the declared columns and the primary key, the answer it gives with the full row', async () => {
    const ds = t.app.ds;
    const storage = getMetadataStorage();
    const failures: string[] = [];
    const checked: string[] = [];
    for (const d of declarations()) {
      const meta = ds.getMetadata(d.entity);
      const typeName = storage.objectTypes.find((o) => o.target === d.entity)?.name;
      const returnType = (t.app.schema.getType(typeName!) as GraphQLObjectType).getFields()[d.schemaName].type;
      const pkProps = meta.primaryColumns.map((c) => c.propertyName);
      const ids = await sampleIds(d);
      const rows = (await ds.getRepository(d.entity).createQueryBuilder('e').whereInIds(ids).getMany()) as ObjectLiteral[];
      expect(rows.length).toBe(ids.length);

      const answers: string[] = [];
      let showing = 0;
      for (const full of rows) {
        // As the projection's hydrator (src/runtime/sql/hydrate.ts) builds one: the entity's own create(), then the selected columns.
        const projected = meta.create() as ObjectLiteral;
        for (const p of new Set([...pkProps, ...d.reads])) projected[p] = full[p];
        const withFull = await call(d, full, returnType);
        const withDeclared = await call(d, projected, returnType);
        const key = pkProps.map((p) => full[p]).join('/');
        try {
          expect(withDeclared).toEqual(withFull);
        } catch {
          failures.push(
            `${d.name} on ${meta.name} ${key}: with only [${d.reads.join(', ')}] → ${JSON.stringify(withDeclared)}; with the full row → ${JSON.stringify(withFull)}`,
          );
        }
        if (withFull && typeof withFull === 'object' && 'threw' in withFull)
          failures.push(`${d.name} on ${meta.name} ${key} threw with the full row: ${(withFull as { threw: string }).threw}`);
        if (showsSomething(withFull)) showing++;
        answers.push(JSON.stringify(withFull));
      }
      // The rows must exercise the resolver: some show something, and not every row the same thing.
      if (showing === 0) failures.push(`${d.name}: none of ${rows.length} rows shows anything; the sample proves nothing`);
      if (new Set(answers).size < 2) failures.push(`${d.name}: all ${rows.length} rows answer the same; the sample proves nothing`);
      checked.push(`${d.name}: ${rows.length} rows, ${showing} showing something`);
    }
    expect(failures).toEqual([]);
    expect(checked.length).toBeGreaterThanOrEqual(KNOWN_DECLARATIONS);
  });
});

/**
 * The same through HTTP. There is no switch that turns the projection off, so the projected list
 * answers are compared with the single-record queries, which load whole rows (agent(id),
 * registration(id)).
 */
describe('a projected list through HTTP', () => {
  const AGENT_FIELDS = `id code status region { code } statusHistory { toStatus reason } penalties(first: 3) { edges { node { id amountFen } } } riskFactors { auditedItems failedItems }`;
  const RECORD_FIELDS = `id msisdn status agent { code } tariffPlan { code } idRegionName`;

  it('answers as the unprojected single-record queries do', async () => {
    const admin = await t.token('admin');
    t.sql.reset(true);
    const list = await t.gql(
      `{ agents(first: 25) { edges { node { ${AGENT_FIELDS} registrations(first: 3) { edges { node { ${RECORD_FIELDS} } } } } } } }`,
      {},
      admin,
    );
    const statements = t.sql.statements;
    t.sql.reset();
    expect(list.errors).toBeUndefined();
    // It did project: the page statements (the ones with a LIMIT; loaders read whole rows) leave out columns nothing selected.
    const pageSql = (table: string) => statements.filter((s) => new RegExp(`from\\s+[\`"]?${table}[\`"]?\\s`, 'i').test(s) && /\blimit\b/i.test(s));
    const agentSql = pageSql('agent');
    const recordSql = pageSql('registration');
    expect(agentSql.length).toBeGreaterThan(0);
    expect(agentSql.some((s) => /contactPhone/.test(s))).toBe(false);
    expect(recordSql.length).toBeGreaterThan(0);
    expect(recordSql.some((s) => /customerName/.test(s))).toBe(false);

    const nodes = list.data.agents.edges.map((e: { node: Record<string, unknown> }) => e.node);
    expect(nodes.length).toBe(25);
    let records = 0;
    for (const { registrations, ...agent } of nodes) {
      const single = await t.gql(`query($id: ID!) { agent(id: $id) { ${AGENT_FIELDS} } }`, { id: agent.id }, admin);
      expect(single.errors).toBeUndefined();
      expect(agent).toEqual(single.data.agent);
      for (const { node } of registrations.edges) {
        const one = await t.gql(`query($id: ID!) { registration(id: $id) { ${RECORD_FIELDS} } }`, { id: node.id }, admin);
        expect(one.errors).toBeUndefined();
        expect(node).toEqual(one.data.registration);
        records++;
      }
    }
    expect(records).toBeGreaterThan(10);
  });
});
