import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { Region } from './region.entity';
import { findRegion } from './region.service';

/** Served from the process-wide region cache (region.service): no statement on a hit. */
export function createRegionLoaders(ds: DataSource) {
  return {
    byId: new DataLoader<number, Region | null>((ids) => Promise.all(ids.map((id) => findRegion(ds, { id })))),
    byCode: new DataLoader<string, Region | null>((codes) => Promise.all(codes.map((code) => findRegion(ds, { code })))),
  };
}

declare module '../../common/context' {
  interface Loaders {
    regions: ReturnType<typeof createRegionLoaders>;
  }
}
