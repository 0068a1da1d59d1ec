import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { DriverUtils } from 'typeorm/driver/DriverUtils';

/**
 * Raw rows to entities, for the hot list queries: the columns are looked up once per entity and
 * alias, and each value goes through the driver's own `prepareHydratedValue` (dates, booleans,
 * numbers), so an entity built here equals one `find()` returns. TypeORM's general transformer
 * (relations, embeddeds, eager joins) cost more than the SQL in the profile of the paging queries.
 */
type Hydrate<T> = (row: Record<string, unknown>) => T;

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
    fn = (row) => {
      const entity = meta.create() as Record<string, unknown>;
      for (const c of columns) {
        const raw = row[c.from];
        if (raw !== undefined) entity[c.to] = driver.prepareHydratedValue(raw, c.column);
      }
      return entity as T;
    };
    perDs.set(key, fn as Hydrate<unknown>);
  }
  return fn;
}
