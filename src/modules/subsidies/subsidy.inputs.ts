import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import { IsOptional, MaxLength } from 'class-validator';
import { SafeInt } from '../../common/scalars';
import { SubsidyType } from './subsidy.entity';

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
