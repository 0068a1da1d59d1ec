import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { byKey } from '../../common/loaders';
import { CustomerCallback } from './callback.entity';
import { Compensation } from './compensation.entity';
import { Complaint } from './complaint.entity';
import { ServiceProvider } from './service-provider.entity';

export function createCustomerLoaders(ds: DataSource) {
  return {
    spById: new DataLoader<number, ServiceProvider | null>(async (ids) =>
      byKey(ids, await ds.getRepository(ServiceProvider).findBy({ id: In([...ids]) }), (s) => s.id),
    ),
    complaintById: new DataLoader<number, Complaint | null>(async (ids) =>
      byKey(ids, await ds.getRepository(Complaint).findBy({ id: In([...ids]) }), (c) => c.id),
    ),
    compensationByComplaintId: new DataLoader<number, Compensation | null>(async (ids) =>
      byKey(ids, await ds.getRepository(Compensation).findBy({ complaintId: In([...ids]) }), (c) => c.complaintId),
    ),
    callbackByFindingId: new DataLoader<number, CustomerCallback | null>(async (ids) =>
      byKey(ids, await ds.getRepository(CustomerCallback).findBy({ findingId: In([...ids]) }), (c) => c.findingId!),
    ),
    complaintByFindingId: new DataLoader<number, Complaint | null>(async (ids) =>
      byKey(ids, await ds.getRepository(Complaint).findBy({ findingId: In([...ids]) }), (c) => c.findingId!),
    ),
  };
}

export type CustomerLoaders = ReturnType<typeof createCustomerLoaders>;

declare module '../../common/context' {
  interface Loaders {
    customer: ReturnType<typeof createCustomerLoaders>;
  }
}
