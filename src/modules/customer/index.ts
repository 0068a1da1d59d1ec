import { onLineActivated } from '../../common/activation-hooks';
import type { FeatureModule } from '../module';
import { CustomerConflict } from './customer.errors';
import { CustomerCallback } from './callback.entity';
import { CallbackResolver, CallbackStatResolver } from './callback.resolver';
import { scheduleCallbacks, setCallbackDays } from './callback.service';
import { Complaint } from './complaint.entity';
import { ComplaintResolver } from './complaint.resolver';
import { Compensation, CompensationRule, CompensationRuleChange } from './compensation.entity';
import { CompensationResolver, CompensationRuleChangeResolver, CompensationRuleResolver } from './compensation.resolver';
import { CustomerTotalResolver } from './customer-finance.resolver';
import { customerExportRoutes } from './customer.export';
import { FindingCustomerResolver, PartnerStatementComplaintsResolver } from './links.resolver';
import { BorderCell, RoamingWaiver } from './roaming-waiver.entity';
import { BorderCellResolver, RoamingWaiverResolver } from './roaming.resolver';
import { ServiceProvider, SpDepositEntry } from './service-provider.entity';
import { ServiceProviderResolver, SpDepositEntryResolver } from './sp.resolver';
import { CALLBACK_READERS, COMPLAINT_READERS, MONEY_READERS } from './customer.roles';

// Activating a line (agents module) schedules its callbacks in the same transaction.
onLineActivated('customer.callbacks', (em, _actor, line) => scheduleCallbacks(em, line));

export const customerModule: FeatureModule = {
  name: 'customer',
  conflictReasons: CustomerConflict,
  entities: [CustomerCallback, Complaint, ServiceProvider, SpDepositEntry, CompensationRule, CompensationRuleChange, Compensation, BorderCell, RoamingWaiver],
  resolvers: [
    CallbackResolver,
    CallbackStatResolver,
    ComplaintResolver,
    CompensationRuleResolver,
    CompensationRuleChangeResolver,
    CompensationResolver,
    ServiceProviderResolver,
    SpDepositEntryResolver,
    RoamingWaiverResolver,
    BorderCellResolver,
    CustomerTotalResolver,
    FindingCustomerResolver,
    PartnerStatementComplaintsResolver,
  ],
  // Change-log entries are read by the roles that read the entities (tenant roles see none: changelog module).
  changeLogReaders: {
    CustomerCallback: CALLBACK_READERS,
    Complaint: COMPLAINT_READERS,
    Compensation: MONEY_READERS,
    CompensationRule: MONEY_READERS,
    BorderCell: MONEY_READERS,
    RoamingWaiver: MONEY_READERS,
    ServiceProvider: MONEY_READERS,
  },
  routes: (router, deps) => {
    setCallbackDays(deps.ds, deps.config.callbackDays);
    customerExportRoutes(router, deps);
  },
};
