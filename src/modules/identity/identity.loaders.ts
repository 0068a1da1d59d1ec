import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { byKey } from '../../common/loaders';
import { User } from './user.entity';

export function createIdentityLoaders(ds: DataSource) {
  return {
    userById: new DataLoader<number, User | null>(async (ids) => byKey(ids, await ds.getRepository(User).findBy({ id: In([...ids]) }), (u) => u.id)),
  };
}

declare module '../../common/context' {
  interface Loaders {
    identity: ReturnType<typeof createIdentityLoaders>;
  }
}
