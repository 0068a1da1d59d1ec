import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { byKey } from '../../common/loaders';
import { RepairPartner } from '../repair/repair-partner.entity';
import { Subsidy } from './subsidy.entity';

export function createSubsidiesLoaders(ds: DataSource) {
  return {
    /** Partners of register entries (read-only view of the repair module's table). */
    partnerById: new DataLoader<number, RepairPartner | null>(async (ids) =>
      byKey(ids, await ds.getRepository(RepairPartner).findBy({ id: In([...ids]) }), (p) => p.id)),
    /** The reversal of an entry, if it has one (at most one: unique key on reversesId). */
    reversalByOriginalId: new DataLoader<number, Subsidy | null>(async (ids) =>
      byKey(ids, await ds.getRepository(Subsidy).findBy({ reversesId: In([...ids]) }), (s) => s.reversesId!)),
  };
}
