import { ArgsType, ClassType, Field, Int, ObjectType } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { toDbDate } from './db';
import { BadInputError } from './errors';
import { DriverUtils } from 'typeorm/driver/DriverUtils';
import { hydrator } from '../runtime/sql/hydrate';
import { selectedNames } from '../runtime/sql/projection';
import { rawRows } from '../runtime/sql/statement-cache';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: `Page size: default ${DEFAULT_PAGE}, at most ${MAX_PAGE}` })
  first?: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page' })
  after?: string;
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface ConnectionShape<T> {
  /** A getter: the COUNT runs only when a client asks for totalCount. */
  readonly totalCount: Promise<number> | number;
  pageInfo: PageInfo;
  edges: Edge<T>[];
}

const connectionTypes = new Map<string, ClassType>();

/** The Relay connection object type for a node type, created once per node type. */
export function Connection<T extends object>(node: ClassType<T>, name = node.name): ClassType<ConnectionShape<T>> {
  const existing = connectionTypes.get(name);
  if (existing) return existing as ClassType<ConnectionShape<T>>;

  // `simple`: plain values, never promises (see withPlainFieldsUnwrapped in schema.ts); the
  // generic node reflects as Object, so it has to be said. totalCount is a promise: not simple.
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field({ simple: true })
    cursor: string;

    @Field(() => node, { simple: true })
    node: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => Int)
    totalCount: Promise<number> | number;

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => [EdgeType])
    edges: Edge<T>[];
  }

  connectionTypes.set(name, ConnectionType);
  return ConnectionType as unknown as ClassType<ConnectionShape<T>>;
}

export function pageSize(first: number | undefined | null, field = 'first'): number {
  if (first === undefined || first === null) return DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 0) throw new BadInputError(field, 'must be a whole number of at least 0');
  if (first > MAX_PAGE) throw new BadInputError(field, `must be at most ${MAX_PAGE}`);
  return first;
}

export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number, field = 'after'): unknown[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === length && values.every((v) => ['string', 'number'].includes(typeof v))) {
      return values;
    }
  } catch {
    /* fall through */
  }
  throw new BadInputError(field, 'is not a cursor this list handed out');
}

export interface SortKey<T> {
  /** SQL expression in the query builder, e.g. "a.createdAt" or "a.id". */
  column: string;
  /** Read the key's value from a loaded node (for the cursor). */
  value: (node: T) => string | number | Date;
  direction?: 'ASC' | 'DESC';
}

/** A key's value in a cursor: dates as both databases store them (toDbDate), so the cursor binds as stored. */
function cursorValue(v: string | number | Date): string | number {
  return v instanceof Date ? toDbDate(v) : v;
}

/**
 * An edge whose cursor is encoded when read: most pages are read without their edges' cursors
 * (a client follows pageInfo.endCursor), and encoding each showed in the profiles of the shelf and
 * of the agents page. A class, not an object literal with a getter, so each edge is a small
 * fast-mode object without a closure.
 */
export class KeyedEdge<T> implements Edge<T> {
  constructor(
    readonly node: T,
    private readonly keys: SortKey<T>[],
  ) {}

  get cursor(): string {
    return encodeCursor(this.keys.map((k) => cursorValue(k.value(this.node))));
  }
}

/**
 * Keyset pagination over a query builder. The sort keys must end in a unique column (the id), so
 * the order is total and stable: a page never skips or repeats a row when rows are added.
 * Fetches first+1 rows to learn hasNextPage; totalCount is a separate COUNT run only if asked for.
 */
export async function paginate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  args: ConnectionArgs,
  keys: SortKey<T>[] = [{ column: `${qb.alias}.id`, value: (n: T) => (n as unknown as { id: number }).id }],
  options: PageOptions = {},
): Promise<ConnectionShape<T>> {
  const first = pageSize(args.first);
  const countQb = qb.clone();
  const pageQb = qb.clone();
  if (args.after) {
    const values = decodeCursor(args.after, keys.length);
    // (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ...
    const ors: string[] = [];
    const params: Record<string, unknown> = {};
    keys.forEach((k, i) => {
      const ands: string[] = [];
      for (let j = 0; j < i; j++) {
        ands.push(`${keys[j].column} = :_c${j}`);
      }
      ands.push(`${k.column} ${k.direction === 'DESC' ? '<' : '>'} :_c${i}`);
      ors.push(`(${ands.join(' AND ')})`);
      params[`_c${i}`] = values[i];
    });
    pageQb.andWhere(`(${ors.join(' OR ')})`, params);
  }
  keys.forEach((k, i) => {
    if (i === 0) pageQb.orderBy(k.column, k.direction ?? 'ASC');
    else pageQb.addOrderBy(k.column, k.direction ?? 'ASC');
  });
  const rows = first === 0 ? [] : await pageRows(pageQb, first + 1, options.joins ?? [], pageSelect(pageQb, keys, options.select));
  const hasNextPage = rows.length > first;
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => new KeyedEdge(node, keys));
  return new CountedPage({ hasNextPage, endCursor: edges.length ? edges[edges.length - 1].cursor : null }, edges, () => countQb.getCount());
}

/**
 * A page whose totalCount is counted when first read. A class with the getter on its prototype,
 * not an object literal with a getter: V8 kept what a literal's accessor captured alive through
 * young-generation collections until the next full one, which is what made every scavenge copy
 * and promote whole requests in Apollo's gateway context (patches/@apollo+server+5.5.1.patch,
 * bench/README.md).
 */
export class CountedPage<T> implements ConnectionShape<T> {
  private counted?: Promise<number>;

  constructor(
    readonly pageInfo: PageInfo,
    readonly edges: Edge<T>[],
    private readonly count: () => Promise<number>,
  ) {}

  get totalCount(): Promise<number> {
    return (this.counted ??= this.count());
  }
}

/**
 * Whether a connection field's selection may read `pageInfo`. Knowing `hasNextPage` costs one row
 * more per list (for a page of agents with their latest records, fifty more rows to read and
 * send); when the client does not ask, that row is not fetched. Fragments are looked into with
 * the projection's walk (selectedNames); a selection it cannot read counts as asking.
 */
export function selectsPageInfo(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'> | undefined): boolean {
  if (!info?.fieldNodes?.length) return true;
  const names = selectedNames(info, []);
  return names === null || names.has('pageInfo');
}

/** An entity joined to each row of a page (many rows to one), selected in the page's statement. */
export interface PageJoin {
  alias: string;
  target: EntityTarget<ObjectLiteral>;
  /** The property of the page's entity that receives it (null when the join found nothing). */
  property: string;
  /** The joined entity's properties the selection reads (selectedColumns, as properties); null or absent: all. */
  select?: string[] | null;
}

export interface PageOptions {
  /** Many-to-one joins whose entities come with the page, saving a loader's statement each. */
  joins?: PageJoin[];
  /**
   * The page entity's properties the selection reads (selectedColumns, as properties); null or absent: all.
   * The sort keys' properties are added; a sort key on anything but the page's own columns reads all.
   * Given, it replaces whatever the builder selected (a caller's own addSelect would be dropped).
   */
  select?: string[] | null;
}

/** The select list for the page's own alias: the projection plus the sort keys, or null for all. */
function pageSelect<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, keys: SortKey<T>[], select: string[] | null | undefined): string[] | null {
  if (!select) return null;
  const props = new Set(select);
  const own = new Set(qb.expressionMap.mainAlias!.metadata.columns.map((c) => c.propertyName));
  for (const k of keys) {
    const prop = k.column.startsWith(`${qb.alias}.`) ? k.column.slice(qb.alias.length + 1) : null;
    if (!prop || !own.has(prop)) return null;
    props.add(prop);
  }
  return [...props].map((p) => `${qb.alias}.${p}`);
}

/**
 * The page's rows. Without joins to map (or with many-to-one joins declared by the caller, which
 * cannot repeat a row) the SQL is the query builder's own with a LIMIT and the rows are hydrated
 * by `hydrator`; anything else goes through TypeORM's `take` and general transformer.
 */
async function pageRows<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, limit: number, joins: PageJoin[], select: string[] | null): Promise<T[]> {
  if (!joins.length && qb.expressionMap.joinAttributes.length) return qb.take(limit).getMany();
  const ds = qb.connection;
  if (select) qb.select(select);
  for (const j of joins) {
    if (j.select) qb.addSelect(j.select.map((p) => `${j.alias}.${p}`));
    else qb.addSelect(j.alias);
  }
  const raw = await rawRows(qb.limit(limit));
  const main = hydrator(ds, qb.expressionMap.mainAlias!.target as EntityTarget<T>, qb.alias);
  const joined = joins.map((j) => ({
    property: j.property,
    hydrate: hydrator(ds, j.target, j.alias),
    key: DriverUtils.buildAlias(ds.driver, undefined, j.alias, ds.getMetadata(j.target).primaryColumns[0].databaseName),
  }));
  return raw.map((row) => {
    const entity = main(row) as Record<string, unknown>;
    for (const j of joined) entity[j.property] = row[j.key] == null ? null : j.hydrate(row);
    return entity as T;
  });
}

/** A connection over an array already in memory (small, bounded lists only). */
export function paginateArray<T>(items: T[], args: ConnectionArgs, key: (n: T) => string | number): ConnectionShape<T> {
  const first = pageSize(args.first);
  let start = 0;
  if (args.after) {
    const [after] = decodeCursor(args.after, 1);
    const idx = items.findIndex((n) => key(n) === after);
    if (idx < 0) throw new BadInputError('after', 'is not a cursor this list handed out');
    start = idx + 1;
  }
  const page = items.slice(start, start + first);
  const edges = page.map((node) => ({ node, cursor: encodeCursor([key(node)]) }));
  return {
    totalCount: items.length,
    pageInfo: { hasNextPage: start + first < items.length, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
    edges,
  };
}
