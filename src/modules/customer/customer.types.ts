import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { SafeInt } from '../../common/scalars';
import { Region } from '../regions/region.entity';
import { ComplaintCategory, FinanceCategory } from './customer.enums';

@ObjectType({ description: "One agent's callbacks of one month (by the Shanghai month they were due)" })
export class CallbackStat {
  @Field()
  period: string;

  agentId: number;

  @Field(() => Int)
  due: number;

  @Field(() => Int, { description: 'Calls made (any outcome)' })
  done: number;

  @Field(() => Int, { description: 'The person on the record answered: CONFIRMED, DENIES_OWNERSHIP or DATA_MISMATCH' })
  reached: number;

  @Field(() => Int)
  denied: number;

  @Field(() => Int)
  mismatched: number;

  @Field(() => Float, { description: 'denied ÷ reached (0 when none reached)' })
  denialRate: number;
}

@ObjectType({ description: 'Complaints of one category received in one month (Asia/Shanghai)' })
export class ComplaintStat {
  @Field()
  period: string;

  @Field(() => ComplaintCategory)
  category: ComplaintCategory;

  @Field(() => Int, { description: 'Complaints received' })
  count: number;

  @Field(() => Int)
  resolved: number;

  @Field(() => Int, { nullable: true, description: 'Median seconds from receipt to resolution (nearest rank), over the resolved' })
  medianSeconds: number | null;

  @Field(() => Int, { nullable: true, description: '90th percentile (nearest rank), over the resolved' })
  p90Seconds: number | null;

  @Field(() => Int, { description: 'Resolved within 24 hours of receipt' })
  within24h: number;

  @Field(() => Float, { description: "within24h ÷ count: the share of the month's complaints on which the promise was kept" })
  shareWithin24h: number;
}

@ObjectType()
export class AutoWaiverResult {
  @Field(() => Int)
  waived: number;

  @Field(() => SafeInt)
  waivedFen: number;

  @Field(() => Int, { description: 'Charges on cells not in the border list: billed as they are' })
  notBorder: number;

  @Field(() => Int, { description: 'Already waived (the same line, month and cell)' })
  duplicates: number;
}

@ObjectType({ description: 'One group of customerTotals (the grouped fields are set, the others null)' })
export class CustomerTotal {
  @Field(() => FinanceCategory, { nullable: true })
  category: FinanceCategory | null;

  regionId: number | null;

  @Field(() => Region, { nullable: true, description: 'null for SP fines (branch-wide) and when not grouped by region' })
  region?: Region | null;

  @Field(() => String, { nullable: true })
  period: string | null;

  @Field(() => Int, { description: 'Entries' })
  count: number;

  @Field(() => Int, { description: 'Distinct lines (msisdn); 0 for SP fines' })
  lines: number;

  @Field(() => SafeInt)
  amountFen: number;
}

@ObjectType()
export class SpDepositCheck {
  @Field(() => ID)
  spId: string;

  @Field(() => SafeInt)
  depositFen: number;

  @Field(() => SafeInt)
  ledgerDepositFen: number;

  @Field(() => SafeInt)
  debtFen: number;

  @Field(() => SafeInt)
  ledgerDebtFen: number;

  @Field()
  balanced: boolean;
}
