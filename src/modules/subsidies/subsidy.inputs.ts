import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IsOptional, MaxLength } from 'class-validator';
import { SafeInt } from '../../common/scalars';
import { RepairPartner } from '../repair/repair-partner.entity';
import { Subsidy, SubsidyType } from './subsidy.entity';

export enum SubsidyGroupBy {
  PARTNER = 'PARTNER',
  TYPE = 'TYPE',
  REGION = 'REGION',
  PERIOD = 'PERIOD',
}
registerEnumType(SubsidyGroupBy, { name: 'SubsidyGroupBy' });

@InputType()
export class RecordSubsidyInput {
  @Field(() => ID)
  partnerId: string;

  @Field(() => SubsidyType)
  type: SubsidyType;

  @Field({ description: '"YYYY-MM": the month the subsidy is for; not a month still to come' })
  period: string;

  @Field(() => SafeInt, { description: 'More than zero, at most 10,000,000 yuan; mistakes are undone with reverseSubsidy' })
  amountFen: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  note?: string | null;
}

@InputType()
export class SubsidyFilter {
  @Field(() => ID, { nullable: true, description: 'A REPAIR_PARTNER may leave it out (its own) but name no other' })
  partnerId?: string | null;

  @Field(() => SubsidyType, { nullable: true })
  type?: SubsidyType | null;

  @Field(() => String, { nullable: true, description: 'First period, "YYYY-MM" (inclusive)' })
  from?: string | null;

  @Field(() => String, { nullable: true, description: 'Last period, "YYYY-MM" (inclusive)' })
  to?: string | null;

  @Field(() => String, { nullable: true, description: 'Only partners in this region' })
  regionCode?: string | null;
}

@ObjectType({ description: 'One group of subsidyTotals' })
export class SubsidyTotal {
  @Field({ description: 'Partner code, subsidy type, region code or period "YYYY-MM"' })
  key: string;

  @Field({ description: 'Partner name, type label, region name or the period again' })
  label: string;

  @Field(() => SafeInt)
  amountFen: number;

  @Field(() => Int, { description: 'Register entries in the group (reversals included)' })
  entries: number;
}

@ObjectType()
export class WageSubsidyRun {
  @Field()
  period: string;

  @Field(() => Int, { description: 'Partners active in the period with a monthly wage subsidy' })
  eligible: number;

  @Field(() => Int, { description: 'WAGE entries this call added' })
  created: number;

  @Field(() => Int, { description: 'Eligible partners that already had a WAGE entry for the period (left alone)' })
  alreadyRecorded: number;

  @Field(() => SafeInt, { description: 'Sum of the entries this call added' })
  amountFen: number;

  @Field(() => [Subsidy], { description: 'The entries this call added' })
  subsidies: Subsidy[];
}

@ObjectType()
export class SubsidyReversal {
  @Field(() => Subsidy, { description: 'The entry with the negative amount' })
  reversal: Subsidy;

  @Field(() => Subsidy, { nullable: true, description: 'The corrected entry, when a replacement amount was given' })
  replacement: Subsidy | null;
}

@ObjectType({
  description:
    'What the branch lends a partner, valued: equipment in its custody at value, loaners allocated to it at the ' +
    'configured unit value, and what it owes the parts revolving fund. As at the end of the period (now for the current one).',
})
export class PartnerLentValue {
  @Field(() => RepairPartner)
  partner: RepairPartner;

  @Field()
  period: string;

  @Field({ description: 'The instant the values are taken at' })
  asOf: Date;

  @Field(() => Int)
  equipmentCount: number;

  @Field(() => SafeInt)
  equipmentValueFen: number;

  @Field(() => Int)
  loanersAllocated: number;

  @Field(() => SafeInt)
  loanerUnitValueFen: number;

  @Field(() => SafeInt)
  loanersValueFen: number;

  @Field(() => SafeInt)
  fundOutstandingFen: number;

  @Field(() => SafeInt, { description: 'equipmentValueFen + loanersValueFen + fundOutstandingFen' })
  totalFen: number;
}

@ObjectType({ description: 'Everything the branch gave one partner in one month' })
export class PartnerStatement {
  @Field(() => RepairPartner)
  partner: RepairPartner;

  @Field()
  period: string;

  @Field({ description: 'The branch provides the premises free of charge' })
  premisesProvided: boolean;

  @Field(() => [Subsidy], { description: 'The register entries of the month, reversals included' })
  entries: Subsidy[];

  @Field(() => [SubsidyTotal], { description: 'Cash subsidies of the month by type' })
  byType: SubsidyTotal[];

  @Field(() => SafeInt, { description: 'Sum of the register entries of the month' })
  subsidiesFen: number;

  @Field(() => PartnerLentValue)
  lent: PartnerLentValue;

  @Field(() => SafeInt, { description: 'subsidiesFen + lent.totalFen' })
  totalSupportFen: number;
}
