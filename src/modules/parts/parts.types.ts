import { Field, ID, Int, ObjectType } from 'type-graphql';
import { SafeInt } from '../../common/scalars';
import { RepairPartner } from '../repair/repair-partner.entity';
import { StockLocation } from './stock-location.entity';

@ObjectType({ description: "One partner's account with the revolving fund" })
export class FundPartnerBalance {
  @Field(() => ID)
  partnerId: string;

  @Field(() => RepairPartner)
  partner?: RepairPartner;

  @Field(() => SafeInt, { description: 'What it owes the fund now (negative: a credit it holds)' })
  outstandingFen: number;

  @Field(() => SafeInt, { nullable: true, description: 'Its own cap under the fund limit; null: none (the default cap applies)' })
  capFen: number | null;

  @Field(() => SafeInt, { nullable: true, description: "The cap that applies: its own, else the fund policy's default; null: only the fund limit" })
  effectiveCapFen: number | null;

  @Field(() => SafeInt, { description: 'What it may still draw: under its cap and what the fund has left' })
  availableFen: number;

  @Field(() => SafeInt)
  drawnFen: number;

  @Field(() => SafeInt, { description: 'Repaid and credited for returns' })
  creditedFen: number;

  @Field(() => Date, { nullable: true, description: 'The oldest draw not yet paid off (repayments pay the oldest first)' })
  oldestUnpaidDrawAt: Date | null;

  @Field(() => Int, { nullable: true, description: 'Whole days since oldestUnpaidDrawAt' })
  ageDays: number | null;
}

@ObjectType({ description: 'The parts revolving fund (配件周轉資金)' })
export class RevolvingFund {
  @Field(() => SafeInt, { description: "The fund policy's limit, stored in the database (setFundPolicy)" })
  limitFen: number;

  @Field(() => SafeInt, { nullable: true, description: 'The cap of each partner without one of its own; null: none' })
  defaultPartnerCapFen: number | null;

  @Field(() => SafeInt, { description: 'What all partners owe it together' })
  outstandingFen: number;

  @Field(() => SafeInt, { description: 'limitFen - outstandingFen, never below 0' })
  availableFen: number;

  @Field(() => [FundPartnerBalance], { description: 'Each partner (a REPAIR_PARTNER sees its own only)' })
  partners: FundPartnerBalance[];
}

@ObjectType({ description: 'Stock at one location valued at cost' })
export class LocationValuation {
  @Field(() => ID)
  locationId: number;

  @Field(() => StockLocation)
  location?: StockLocation;

  @Field(() => Int, { description: 'Parts with stock there' })
  partCount: number;

  @Field(() => Int)
  units: number;

  @Field(() => SafeInt, { description: "Units × the location's moving-average cost" })
  valueFen: number;
}

@ObjectType()
export class StockValuation {
  @Field(() => SafeInt)
  totalFen: number;

  @Field(() => Int)
  units: number;

  @Field(() => [LocationValuation])
  locations: LocationValuation[];
}

@ObjectType({ description: "The revolving fund's policy, stored in the database: every process reads the same" })
export class FundPolicy {
  @Field(() => SafeInt, { description: 'What all partners may owe together' })
  limitFen: number;

  @Field(() => SafeInt, { nullable: true, description: 'The cap of a partner without one of its own; null: none' })
  defaultPartnerCapFen: number | null;

  @Field(() => [FundPartnerCap], { description: 'Partners with a cap of their own (setPartnerFundCap)' })
  partnerCaps: FundPartnerCap[];

  @Field(() => Date, { nullable: true, description: 'When the limit or the default cap last changed through the API; null: still the seeded values' })
  changedAt: Date | null;

  @Field(() => String, { nullable: true })
  changedBy: string | null;
}

@ObjectType()
export class FundPartnerCap {
  @Field(() => ID)
  partnerId: string;

  @Field(() => RepairPartner)
  partner?: RepairPartner;

  @Field(() => SafeInt)
  capFen: number;
}
