import type { FeatureModule } from '../module';
import { LoanersConflict } from './loaners.errors';
import { LOAN_ROLES } from './loaners.roles';
import { LOANER_READERS } from './loaners.roles';
import { LoanerEvent } from './loaner-event.entity';
import { LoanerLoan } from './loaner-loan.entity';
import { LoanerLoanResolver, RepairOrderLoanerResolver } from './loaner-loan.resolver';
import { LoanerPhone } from './loaner-phone.entity';
import { LoanerEventResolver, LoanerPartnerSummaryResolver, LoanerPhoneResolver } from './loaner-phone.resolver';

export const loanersModule: FeatureModule = {
  name: 'loaners',
  conflictReasons: LoanersConflict,
  entities: [LoanerPhone, LoanerLoan, LoanerEvent],
  resolvers: [LoanerPhoneResolver, LoanerEventResolver, LoanerPartnerSummaryResolver, LoanerLoanResolver, RepairOrderLoanerResolver],
  changeLogReaders: { LoanerPhone: LOANER_READERS, LoanerLoan: LOAN_ROLES },
};
