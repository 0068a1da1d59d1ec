import { DataSource, ObjectLiteral, QueryRunner, SelectQueryBuilder } from 'typeorm';
import { runtimeOn } from '../switches';
import { readPrepared } from './prepared';
import { QueryExpressionMap } from 'typeorm/query-builder/QueryExpressionMap';
import { LRUCache } from 'lru-cache';

/**
 * The SQL text of a select query builder, built once per shape. TypeORM rebuilds the text of a
 * query builder on every execution (resolving aliases and property names with regular expressions
 * over the whole statement); for the hot lists, the shelf a repair shop checks above all, that
 * took more of the server's time than sending the statement and reading the rows (see
 * bench/README.md). The text depends only on the builder's shape, not on the parameter values,
 * which are bound per execution as before (`:...list` expansions included).
 *
 * The shape is what the builder holds: its aliases, selects, joins, where and order clauses and
 * limits. A builder that uses anything else (grouping, locking, CTEs, relation ids, a changed
 * default of any kind) is not cached: every other part of TypeORM's expression map must be at its
 * default, checked against a fresh one, so a feature TypeORM adds later is not cached either until
 * it is part of the shape. Under jest (NODE_ENV=test) every cached text is checked against a fresh
 * build, so the whole test suite checks the shapes.
 */
const MAX_SHAPES = 500;
const shapes = new WeakMap<DataSource, { defaults: QueryExpressionMap; texts: LRUCache<string, string> }>();

/** Parts of the map that are the shape (below), or that do not change the text. */
const SHAPE_KEYS = new Set(['aliases', 'mainAlias', 'selects', 'joinAttributes', 'wheres', 'orderBys', 'limit', 'offset', 'take', 'skip', 'queryType']);
const NOT_TEXT = new Set(['dataSource', 'queryRunner', 'parameters', 'queryEntity', 'locallyGenerated']);

function isDefault(value: unknown, def: unknown): boolean {
  if (value === def) return true;
  if (Array.isArray(value) && Array.isArray(def)) return value.length === 0 && def.length === 0;
  if (value && def && typeof value === 'object' && typeof def === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.keys(value).length === 0 && Object.keys(def).length === 0;
  }
  return false;
}

/** A scalar part of the shape; an entity class by name. Anything else: not cacheable. */
function part(v: unknown): string {
  if (v == null) return '';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'function') return `fn:${v.name}`;
  throw new Uncacheable();
}

class Uncacheable extends Error {}

/**
 * The builder's shape as a string, or null when it holds anything the shape does not cover.
 * Written out rather than one JSON.stringify with a replacer, which called back into JavaScript
 * for every value and showed in the profile of the shelf.
 */
function shapeOf(m: QueryExpressionMap, defaults: QueryExpressionMap): string | null {
  const map = m as unknown as Record<string, unknown>;
  const def = defaults as unknown as Record<string, unknown>;
  for (const key of Object.keys(map)) {
    if (SHAPE_KEYS.has(key) || NOT_TEXT.has(key)) continue;
    if (!isDefault(map[key], def[key])) return null;
  }
  try {
    // Fields end in \u0001, list items in \u0002: neither occurs in what a builder holds.
    let key = `${m.queryType}\u0001${part(m.mainAlias?.name)}\u0001`;
    for (const a of m.aliases) key += `${a.type}:${a.name}:${a.hasMetadata ? a.metadata.name : ''}:${part(a.subQuery)}:${part(a.tablePath)}\u0002`;
    key += '\u0001';
    for (const s of m.selects) key += `${s.selection}:${part(s.aliasName)}\u0002`;
    key += '\u0001';
    for (const j of m.joinAttributes) {
      key += `${j.direction}:${j.alias.name}:${part(j.entityOrProperty)}:${part(j.condition)}:${part(j.mapToProperty)}:${j.isMappingMany}\u0002`;
    }
    // Where clauses are strings, operator objects and nested lists of those (TypeORM's WhereClause).
    key += `\u0001${JSON.stringify(m.wheres)}\u0001${JSON.stringify(m.orderBys)}`;
    return `${key}\u0001${part(m.limit)}\u0001${part(m.offset)}\u0001${part(m.take)}\u0001${part(m.skip)}`;
  } catch (err) {
    if (err instanceof Uncacheable) return null;
    throw err;
  }
}

const checking = process.env.NODE_ENV === 'test';

/** Counts since start: texts reused, built and kept, built for a builder the shape does not cover. */
export const statementCacheStats = { hits: 0, misses: 0, uncacheable: 0 };

/** The builder's SQL and bound parameters, as `getQueryAndParameters()` gives them. */
export function sqlOf<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): [string, unknown[]] {
  const ds = qb.connection;
  if (!runtimeOn('statementCache')) return ds.driver.escapeQueryWithParameters(qb.getQuery(), qb.getParameters());
  let perDs = shapes.get(ds);
  if (!perDs) shapes.set(ds, (perDs = { defaults: new QueryExpressionMap(ds), texts: new LRUCache({ max: MAX_SHAPES }) }));
  const shape = shapeOf(qb.expressionMap, perDs.defaults);
  let text = shape === null ? undefined : perDs.texts.get(shape);
  if (text === undefined) {
    text = qb.getQuery();
    if (shape === null) statementCacheStats.uncacheable++;
    else {
      statementCacheStats.misses++;
      perDs.texts.set(shape, text);
    }
  } else {
    statementCacheStats.hits++;
    if (checking) {
      const fresh = qb.getQuery();
      if (fresh !== text) throw new Error(`statement cache: shape ${shape} gave\n${text}\nbut the builder now builds\n${fresh}`);
    }
  }
  return ds.driver.escapeQueryWithParameters(text, qb.getParameters());
}

/** The raw rows of a select query builder, its text built once per shape (sqlOf), as a prepared statement outside transactions (readPrepared). */
export async function rawRows<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): Promise<Record<string, unknown>[]> {
  const [sql, params] = sqlOf(qb);
  // Inside a transaction, on the builder's own runner, as getRawMany would; else prepared.
  const runner = (qb as unknown as { queryRunner?: QueryRunner }).queryRunner;
  return runner ? qb.connection.query(sql, params, runner) : readPrepared(qb.connection, sql, params);
}
