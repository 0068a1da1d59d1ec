import { DataSource, EntityManager } from 'typeorm';
import { BadInputError } from '../../common/errors';
import type { Context } from '../../common/context';
import { Region } from './region.entity';

/**
 * Regions are reference data (the branch's eight districts and counties, written by the seed and
 * migrations only) read by nearly every list: agents and partners name theirs, filters take a
 * code. They are kept per data source for a minute; a code or id not in the cached set is looked
 * up again before it is called unknown, so a region added since is found at once. Cached entities
 * are shared between requests and must not be changed.
 */
const TTL_MS = 60_000;

interface RegionSet {
  at: number;
  list: Region[];
  byId: Map<number, Region>;
  byCode: Map<string, Region>;
}

const cache = new WeakMap<DataSource, Promise<RegionSet>>();
/** The last set loaded, for lookups that need no promise (cachedRegion). */
const loaded = new WeakMap<DataSource, RegionSet>();

async function loadRegions(ds: DataSource): Promise<RegionSet> {
  const list = await ds.getRepository(Region).find({ order: { id: 'ASC' } });
  const set = { at: Date.now(), list, byId: new Map(list.map((r) => [r.id, r])), byCode: new Map(list.map((r) => [r.code, r])) };
  loaded.set(ds, set);
  return set;
}

/**
 * A region by id straight from a fresh cached set, or undefined (not loaded yet, stale, or not in
 * it; callers then go through the loader). A list that names each row's region resolves them
 * without a loader round and its promises.
 */
export function cachedRegion(ds: DataSource, id: number): Region | undefined {
  const set = loaded.get(ds);
  return set && Date.now() - set.at < TTL_MS ? set.byId.get(id) : undefined;
}

/**
 * A row's region for a field resolver: straight from the cache when fresh (no promise), else
 * through the request's loader.
 */
export function regionOf(ctx: Pick<Context, 'ds' | 'loaders'>, id: number): Region | Promise<Region> {
  return cachedRegion(ctx.ds, id) ?? ctx.loaders.regions.byId.load(id).then((r) => r!);
}

export async function regionSet(ds: DataSource, reload = false): Promise<RegionSet> {
  const cached = cache.get(ds);
  if (cached && !reload) {
    const set = await cached;
    if (Date.now() - set.at < TTL_MS) return set;
  }
  const loading = loadRegions(ds);
  cache.set(ds, loading);
  loading.catch(() => cache.delete(ds));
  return loading;
}

/** A region by id or code from the cached set, looking again once on a miss. */
export async function findRegion(ds: DataSource, key: { id: number } | { code: string }): Promise<Region | null> {
  const pick = (s: RegionSet) => ('id' in key ? s.byId.get(key.id) : s.byCode.get(key.code));
  const hit = pick(await regionSet(ds));
  if (hit) return hit;
  const again = pick(await regionSet(ds, true));
  if (again) return again;
  // Not in the table as cached: ask the database itself (its collation decides what matches a code).
  return 'id' in key ? ds.getRepository(Region).findOne({ where: { id: key.id } }) : ds.getRepository(Region).findOne({ where: { code: key.code } });
}

export async function listRegions(ds: DataSource): Promise<Region[]> {
  return (await regionSet(ds)).list;
}

/** Resolve a region code from input; BAD_USER_INPUT naming the field when unknown. */
export async function regionByCode(em: EntityManager, code: string, field = 'regionCode'): Promise<Region> {
  const region = await findRegion(em.connection, { code });
  if (!region) throw new BadInputError(field, `unknown region "${code}"`);
  return region;
}
