import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { byKey } from '../../common/loaders';
import { Subsidy } from './subsidy.entity';

export function createSubsidiesLoaders(ds: DataSource) {
  return {
    /** The reversal of an entry, if it has one (at most one: unique key on reversesId). */
    reversalByOriginalId: new DataLoader<number, Subsidy | null>(async (ids) =>
      byKey(ids, await ds.getRepository(Subsidy).findBy({ reversesId: In([...ids]) }), (s) => s.reversesId!),
    ),
  };
}

declare module '../../common/context' {
  interface Loaders {
    subsidies: ReturnType<typeof createSubsidiesLoaders>;
  }
}
