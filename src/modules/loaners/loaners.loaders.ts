import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { byKey, groupByKey } from '../../common/loaders';
import { LoanerLoan } from './loaner-loan.entity';
import { LoanerPhone } from './loaner-phone.entity';

export function createLoanersLoaders(ds: DataSource) {
  return {
    loanerById: new DataLoader<number, LoanerPhone | null>(async (ids) =>
      byKey(ids, await ds.getRepository(LoanerPhone).findBy({ id: In([...ids]) }), (l) => l.id),
    ),
    loanById: new DataLoader<number, LoanerLoan | null>(async (ids) =>
      byKey(ids, await ds.getRepository(LoanerLoan).findBy({ id: In([...ids]) }), (l) => l.id),
    ),
    /** The open loan of each loaner (the unique key guarantees at most one). */
    openLoanByLoanerId: new DataLoader<number, LoanerLoan | null>(async (ids) =>
      byKey(ids, await ds.getRepository(LoanerLoan).findBy({ openLoanerId: In([...ids]) }), (l) => l.openLoanerId!),
    ),
    /** The open loan against each repair order (at most one). */
    openLoanByRepairOrderId: new DataLoader<number, LoanerLoan | null>(async (ids) =>
      byKey(ids, await ds.getRepository(LoanerLoan).findBy({ openRepairOrderId: In([...ids]) }), (l) => l.openRepairOrderId!),
    ),
    /** Every loan against each repair order, oldest first (a handful per order). */
    loansByRepairOrderId: new DataLoader<number, LoanerLoan[]>(async (ids) =>
      groupByKey(ids, await ds.getRepository(LoanerLoan).find({ where: { repairOrderId: In([...ids]) }, order: { id: 'ASC' } }), (l) => l.repairOrderId),
    ),
  };
}

export type LoanersLoaders = ReturnType<typeof createLoanersLoaders>;

declare module '../../common/context' {
  interface Loaders {
    loaners: ReturnType<typeof createLoanersLoaders>;
  }
}
