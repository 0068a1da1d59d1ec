import { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { Driver } from 'typeorm/driver/Driver';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { DriverUtils } from 'typeorm/driver/DriverUtils';
import { runtimeOn } from '../switches';

/**
 * Raw rows to entities, for the hot list queries: the columns are looked up once per entity and
 * alias, and each value goes through the driver's own `prepareHydratedValue` (dates, booleans,
 * numbers), so an entity built here equals one `find()` returns. TypeORM's general transformer
 * (relations, embeddeds, eager joins) cost more than the SQL in the profile of the paging queries.
 */
type Hydrate<T> = (row: Record<string, unknown>) => T;

interface Mapped {
  column: ColumnMetadata;
  /** The row's key. */
  from: string;
  /** The entity's property. */
  to: string;
}

/**
 * The hydrator as code with each row key and property written out: a loop over the columns with
 * computed keys made every load and store megamorphic (50 µs for the agents page's 150 records
 * against 2.5 µs compiled, and the keys a projection left out were looked up through the whole
 * prototype chain each time). The names are TypeORM's metadata, never input, and are written as
 * JSON string literals.
 */
function compile(meta: EntityMetadata, driver: Driver, plain: Mapped[], converted: Mapped[]): Hydrate<unknown> {
  const lit = (s: string) => JSON.stringify(s);
  const body = [
    'const e = meta.create();',
    'let v;',
    ...plain.map((c) => `v = row[${lit(c.from)}]; if (v !== undefined) e[${lit(c.to)}] = v;`),
    ...converted.map((c, i) => `v = row[${lit(c.from)}]; if (v !== undefined) e[${lit(c.to)}] = driver.prepareHydratedValue(v, columns[${i}]);`),
    'return e;',
  ].join('\n');
  const make = new Function('meta', 'driver', 'columns', `return function hydrate(row) {\n${body}\n};`) as (
    meta: EntityMetadata,
    driver: Driver,
    columns: ColumnMetadata[],
  ) => Hydrate<unknown>;
  return make(
    meta,
    driver,
    converted.map((c) => c.column),
  );
}

const PLAIN_TYPES = new Set(['varchar', 'nvarchar', 'char', 'text', 'int', 'integer']);

const cache = new WeakMap<DataSource, Map<string, Hydrate<unknown>>>();

/**
 * A function from a raw row to an entity. `alias`: the query builder alias whose columns the row
 * carries as `<alias>_<column>`; none: the row's keys are the column names (plain SQL).
 */
export function hydrator<T extends ObjectLiteral>(ds: DataSource, target: EntityTarget<T>, alias?: string): Hydrate<T> {
  let perDs = cache.get(ds);
  if (!perDs) cache.set(ds, (perDs = new Map()));
  const meta = ds.getMetadata(target);
  const key = `${meta.name}\u0000${alias ?? ''}`;
  let fn = perDs.get(key) as Hydrate<T> | undefined;
  if (!fn) {
    const driver = ds.driver;
    const columns = meta.columns
      .filter((c) => !c.isVirtual && !c.embeddedMetadata)
      .map((c): Mapped => ({ column: c, from: alias ? DriverUtils.buildAlias(driver, undefined, alias, c.databaseName) : c.databaseName, to: c.propertyName }));
    // Text and integer columns without a transformer come from both drivers as they are stored;
    // only the others (dates, booleans, money transformers...) need the driver's conversion.
    // Off: every value through the driver's conversion, as TypeORM's own transformer does.
    const plain = runtimeOn('hydrate') ? columns.filter((c) => !c.column.transformer && PLAIN_TYPES.has(String(c.column.type))) : [];
    const converted = columns.filter((c) => !plain.includes(c));
    fn = compile(meta, driver, plain, converted) as Hydrate<T>;
    perDs.set(key, fn as Hydrate<unknown>);
  }
  return fn;
}
