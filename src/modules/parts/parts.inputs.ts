import { ArrayMaxSize } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { SafeInt } from '../../common/scalars';
import { FundEntryKind } from './fund.entity';
import { PartCategory } from './part.entity';
import { LocationKind } from './stock-location.entity';
import { MovementKind, StockDocumentType } from './stock-movement.entity';

/** Lines one parts document (issue, consumption, return, receipt) may hold. */
export const MAX_DOCUMENT_LINES = 200;
/** Lines one stocktake may hold: a shelf's whole count. */
export const MAX_STOCKTAKE_LINES = 1000;
/** Handset models one part may list. */
export const MAX_COMPATIBLE_MODELS = 100;

// ---- catalog --------------------------------------------------------------------------------------

@InputType({ description: 'A handset model a part fits' })
export class CompatibleModelInput {
  @Field()
  brand: string;

  @Field()
  model: string;
}

@InputType()
export class CreatePartInput {
  @Field({ description: 'Letters, digits, . _ -; stored upper case' })
  sku: string;

  @Field()
  name: string;

  @Field(() => PartCategory)
  category: PartCategory;

  @Field(() => SafeInt, { description: 'Starting unit cost; receipts then move it (moving average)' })
  unitCostFen: number;

  @Field(() => Int, { nullable: true, defaultValue: 0 })
  reorderPoint?: number;

  @Field(() => [CompatibleModelInput], { nullable: true, description: `Leave empty for a universal part; at most ${MAX_COMPATIBLE_MODELS}` })
  @ArrayMaxSize(MAX_COMPATIBLE_MODELS)
  compatibleModels?: CompatibleModelInput[];
}

@InputType()
export class UpdatePartInput {
  @Field({ nullable: true })
  name?: string;

  @Field(() => PartCategory, { nullable: true })
  category?: PartCategory;

  @Field(() => Int, { nullable: true })
  reorderPoint?: number;

  @Field(() => [CompatibleModelInput], { nullable: true, description: `Replaces the list when given; at most ${MAX_COMPATIBLE_MODELS}` })
  @ArrayMaxSize(MAX_COMPATIBLE_MODELS)
  compatibleModels?: CompatibleModelInput[];
}

@InputType()
export class PartFilter {
  @Field({ nullable: true, description: 'Part of the SKU or the name' })
  search?: string;

  @Field(() => PartCategory, { nullable: true })
  category?: PartCategory;

  @Field({ nullable: true, description: 'Parts listed as fitting a model of this brand' })
  brand?: string;

  @Field({ nullable: true, description: 'With brand: parts listed as fitting this model' })
  model?: string;
}

@InputType()
export class CreateSupplierInput {
  @Field()
  name: string;

  @Field()
  city: string;

  @Field({ nullable: true })
  contactName?: string;

  @Field({ nullable: true })
  contactPhone?: string;
}

@InputType()
export class SupplierFilter {
  @Field({ nullable: true })
  city?: string;
}

@InputType()
export class LocationFilter {
  @Field(() => LocationKind, { nullable: true })
  kind?: LocationKind;
}

// ---- stock documents -----------------------------------------------------------------------------

@InputType({ description: 'A part and how many' })
export class PartsLineInput {
  @Field(() => ID)
  partId: string;

  @Field(() => Int)
  quantity: number;
}

@InputType()
export class PurchaseLineInput {
  @Field(() => ID)
  partId: string;

  @Field(() => Int)
  quantity: number;

  @Field(() => SafeInt, { description: 'Price paid per unit (fen)' })
  unitCostFen: number;
}

@InputType()
export class ReceivePurchaseInput {
  @Field(() => ID)
  supplierId: string;

  @Field({ nullable: true, description: "The supplier's delivery note or invoice number; the same one is booked once" })
  reference?: string;

  @Field(() => [PurchaseLineInput], { description: `At most ${MAX_DOCUMENT_LINES} lines` })
  @ArrayMaxSize(MAX_DOCUMENT_LINES)
  lines: PurchaseLineInput[];
}

@InputType()
export class IssuePartsInput {
  @Field(() => ID, { nullable: true, description: 'Required for staff; a REPAIR_PARTNER may leave it out (its own)' })
  partnerId?: string;

  @Field(() => [PartsLineInput], { description: `At most ${MAX_DOCUMENT_LINES} lines` })
  @ArrayMaxSize(MAX_DOCUMENT_LINES)
  lines: PartsLineInput[];

  @Field({ nullable: true, description: 'A retry with the same key (for the same partner) returns the first issue instead of issuing again' })
  idempotencyKey?: string;
}

@InputType()
export class ConsumePartsInput {
  @Field(() => ID)
  repairOrderId: string;

  @Field(() => [PartsLineInput], { description: `At most ${MAX_DOCUMENT_LINES} lines` })
  @ArrayMaxSize(MAX_DOCUMENT_LINES)
  lines: PartsLineInput[];
}

@InputType()
export class ReturnPartsInput {
  @Field(() => ID, { nullable: true, description: 'Required for staff; a REPAIR_PARTNER may leave it out (its own)' })
  partnerId?: string;

  @Field(() => [PartsLineInput], { description: `At most ${MAX_DOCUMENT_LINES} lines` })
  @ArrayMaxSize(MAX_DOCUMENT_LINES)
  lines: PartsLineInput[];

  @Field({ nullable: true })
  reason?: string;
}

@InputType()
export class StocktakeLineInput {
  @Field(() => ID)
  partId: string;

  @Field(() => Int)
  countedQuantity: number;

  @Field({ nullable: true, description: 'Why it differs (damaged, lost, found...); defaults to the note' })
  reason?: string;
}

@InputType()
export class StocktakeInput {
  @Field(() => ID)
  locationId: string;

  @Field({ nullable: true })
  note?: string;

  @Field(() => [StocktakeLineInput], { description: `At most ${MAX_STOCKTAKE_LINES} lines` })
  @ArrayMaxSize(MAX_STOCKTAKE_LINES)
  lines: StocktakeLineInput[];
}

// ---- filters ------------------------------------------------------------------------------------

@InputType()
export class StockLevelFilter {
  @Field(() => ID, { nullable: true })
  locationId?: string;

  @Field(() => ID, { nullable: true })
  partId?: string;

  @Field(() => ID, { nullable: true, description: "That partner's shelf" })
  partnerId?: string;

  @Field({ nullable: true, description: "true: the centre's levels below their part's reorder point (time to buy)" })
  belowReorderPoint?: boolean;

  @Field({ nullable: true, description: 'true: leave out levels at zero' })
  inStock?: boolean;
}

@InputType()
export class StockMovementFilter {
  @Field(() => ID, { nullable: true })
  partId?: string;

  @Field(() => ID, { nullable: true })
  locationId?: string;

  @Field(() => MovementKind, { nullable: true })
  kind?: MovementKind;

  @Field(() => StockDocumentType, { nullable: true })
  documentType?: StockDocumentType;

  @Field(() => ID, { nullable: true, description: 'With documentType' })
  documentId?: string;
}

@InputType()
export class PartsIssueFilter {
  @Field(() => ID, { nullable: true })
  partnerId?: string;

  @Field({ nullable: true })
  from?: Date;

  @Field({ nullable: true, description: 'Exclusive' })
  to?: Date;
}

@InputType()
export class PartsConsumptionFilter {
  @Field(() => ID, { nullable: true })
  partnerId?: string;

  @Field(() => ID, { nullable: true })
  repairOrderId?: string;
}

@InputType()
export class PartnerDocumentFilter {
  @Field(() => ID, { nullable: true })
  partnerId?: string;
}

@InputType()
export class PurchaseReceiptFilter {
  @Field(() => ID, { nullable: true })
  supplierId?: string;
}

@InputType()
export class StocktakeFilter {
  @Field(() => ID, { nullable: true })
  locationId?: string;
}

@InputType()
export class FundLedgerFilter {
  @Field(() => ID, { nullable: true })
  partnerId?: string;

  @Field(() => FundEntryKind, { nullable: true })
  kind?: FundEntryKind;
}

// ---- results ------------------------------------------------------------------------------------

@InputType({ description: 'Leave a field out to keep it; defaultPartnerCapFen: null removes the default cap' })
export class FundPolicyInput {
  @Field(() => SafeInt, { nullable: true })
  limitFen?: number | null;

  @Field(() => SafeInt, { nullable: true })
  defaultPartnerCapFen?: number | null;
}
