import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { Region } from './region.entity';
import { byKey } from '../../common/loaders';

export function createRegionLoaders(ds: DataSource) {
  return {
    byId: new DataLoader<number, Region | null>(async (ids) =>
      byKey(ids, await ds.getRepository(Region).findBy({ id: In([...ids]) }), (r) => r.id)),
    byCode: new DataLoader<string, Region | null>(async (codes) =>
      byKey(codes, await ds.getRepository(Region).findBy({ code: In([...codes]) }), (r) => r.code)),
  };
}
