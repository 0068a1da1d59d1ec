import type { FeatureModule } from '../module';
import { PartsConflict } from './parts.errors';
import { CENTRE_READERS, FUND_READERS, PARTS_READERS } from './parts.roles';
import { PartsDocumentLine } from './document-line.entity';
import { FundAccount, FundLedgerEntry, PartsFund } from './fund.entity';
import { FundLedgerEntryResolver, FundPartnerBalanceResolver, FundPartnerCapResolver, FundPolicyResolver, RevolvingFundResolver } from './fund.resolver';
import { PartsConsumptionResolver, PartsIssueResolver, PartsReturnResolver } from './issue.resolver';
import { LocationResolver } from './location.resolver';
import { PartsConsumption } from './parts-consumption.entity';
import { PartsIssue } from './parts-issue.entity';
import { PartsReturn } from './parts-return.entity';
import { Part, PartCompatibleModel } from './part.entity';
import { PartResolver } from './part.resolver';
import { PurchaseReceipt } from './purchase-receipt.entity';
import {
  LocationValuationResolver,
  PartsDocumentLineResolver,
  PurchaseReceiptResolver,
  StockLevelResolver,
  StockMovementResolver,
  StocktakeLineResolver,
  StocktakeResolver,
} from './stock.resolver';
import { StockLevel } from './stock-level.entity';
import { StockLocation } from './stock-location.entity';
import { StockMovement } from './stock-movement.entity';
import { Stocktake, StocktakeLine } from './stocktake.entity';
import { Supplier } from './supplier.entity';
import { SupplierResolver } from './supplier.resolver';

export const partsModule: FeatureModule = {
  name: 'parts',
  conflictReasons: PartsConflict,
  entities: [
    StockLocation,
    Part,
    PartCompatibleModel,
    Supplier,
    StockLevel,
    StockMovement,
    PurchaseReceipt,
    PartsIssue,
    PartsConsumption,
    PartsReturn,
    PartsDocumentLine,
    Stocktake,
    StocktakeLine,
    PartsFund,
    FundAccount,
    FundLedgerEntry,
  ],
  resolvers: [
    PartResolver,
    SupplierResolver,
    LocationResolver,
    StockLevelResolver,
    StockMovementResolver,
    LocationValuationResolver,
    PurchaseReceiptResolver,
    PartsDocumentLineResolver,
    StocktakeResolver,
    StocktakeLineResolver,
    PartsIssueResolver,
    PartsConsumptionResolver,
    PartsReturnResolver,
    RevolvingFundResolver,
    FundPartnerBalanceResolver,
    FundPolicyResolver,
    FundPartnerCapResolver,
    FundLedgerEntryResolver,
  ],
  changeLogReaders: {
    Part: PARTS_READERS,
    PartsIssue: PARTS_READERS,
    PartsConsumption: PARTS_READERS,
    PartsReturn: PARTS_READERS,
    Supplier: CENTRE_READERS,
    PurchaseReceipt: CENTRE_READERS,
    Stocktake: CENTRE_READERS,
    FundLedgerEntry: FUND_READERS,
    FundPolicy: FUND_READERS,
  },
};
