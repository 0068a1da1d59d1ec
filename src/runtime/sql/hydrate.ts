import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { DriverUtils } from 'typeorm/driver/DriverUtils';
import { runtimeOn } from '../switches';

/**
 * Raw rows to entities, for the hot list queries: the columns are looked up once per entity and
 * alias, and each value goes through the driver's own `prepareHydratedValue` (dates, booleans,
 * numbers), so an entity built here equals one `find()` returns. TypeORM's general transformer
 * (relations, embeddeds, eager joins) cost more than the SQL in the profile of the paging queries.
 */
type Hydrate<T> = (row: Record<string, unknown>) => T;

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
      .map((c) => ({ column: c, from: alias ? DriverUtils.buildAlias(driver, undefined, alias, c.databaseName) : c.databaseName, to: c.propertyName }));
    // Text and integer columns without a transformer come from both drivers as they are stored;
    // only the others (dates, booleans, money transformers...) need the driver's conversion.
    // Off: every value through the driver's conversion, as TypeORM's own transformer does.
    const plain = runtimeOn('hydrate') ? columns.filter((c) => !c.column.transformer && PLAIN_TYPES.has(String(c.column.type))) : [];
    const converted = columns.filter((c) => !plain.includes(c));
    fn = (row) => {
      const entity = meta.create() as Record<string, unknown>;
      for (const c of plain) {
        const raw = row[c.from];
        if (raw !== undefined) entity[c.to] = raw;
      }
      for (const c of converted) {
        const raw = row[c.from];
        if (raw !== undefined) entity[c.to] = driver.prepareHydratedValue(raw, c.column);
      }
      return entity as T;
    };
    perDs.set(key, fn as Hydrate<unknown>);
  }
  return fn;
}
