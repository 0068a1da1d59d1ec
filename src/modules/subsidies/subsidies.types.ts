import { Field, Int, ObjectType } from 'type-graphql';
import { SafeInt } from '../../common/scalars';
import { RepairPartner } from '../repair/repair-partner.entity';
import { Subsidy } from './subsidy.entity';

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
