import { Field, ID, InputType, Int } from 'type-graphql';
import { SafeInt } from '../../common/scalars';
import {
  CallbackOutcome,
  CompensationBasis,
  CompensationStatus,
  ComplaintCategory,
  ComplaintOutcome,
  ComplaintState,
  DepositEntryKind,
  WaiverSource,
} from './customer.enums';
import { FindingType } from '../audits/audit.enums';

@InputType()
export class CallbackFilter {
  @Field(() => ID, { nullable: true })
  agentId?: string;

  @Field({ nullable: true })
  regionCode?: string;

  @Field({ nullable: true, description: 'callbacks only: one line' })
  msisdn?: string;

  @Field(() => ID, { nullable: true, description: 'callbacks only: one record' })
  registrationId?: string;

  @Field({ nullable: true, description: 'callbackQueue only: only those due on an earlier Shanghai day than asOf' })
  overdueOnly?: boolean;

  @Field({ nullable: true, description: 'callbackQueue only: the instant the queue is read at (default now)' })
  asOf?: Date;
}

@InputType()
export class OpenComplaintInput {
  @Field()
  msisdn: string;

  @Field(() => ComplaintCategory)
  category: ComplaintCategory;

  @Field({ description: 'What the customer said' })
  description: string;

  @Field(() => ID, { nullable: true, description: "The agent concerned; default the line's agent (AGENT_CONDUCT, FALSE_RECORD)" })
  agentId?: string;

  @Field(() => ID, { nullable: true, description: 'The repair partner concerned (REPAIR: required)' })
  repairPartnerId?: string;

  @Field(() => ID, { nullable: true, description: 'The SP concerned (SP_CHARGE: required)' })
  spId?: string;

  @Field(() => SafeInt, { nullable: true, description: 'The amount disputed (fen): SP_CHARGE and ROAMING_CHARGE require it' })
  disputedAmountFen?: number;

  @Field({ nullable: true, description: 'When the customer complained (default now; at most 62 days ago, for complaints that came by post)' })
  receivedAt?: Date;

  @Field({
    nullable: true,
    description: "The region for the totals: required when neither the line's agent nor the repair partner gives one; when given it is the one used",
  })
  regionCode?: string;
}

@InputType()
export class ResolveComplaintInput {
  @Field(() => ComplaintOutcome)
  outcome: ComplaintOutcome;

  @Field({ description: 'How it was resolved' })
  note: string;

  @Field(() => FindingType, {
    nullable: true,
    description:
      'AGENT_CONDUCT / FALSE_RECORD upheld: the finding against the agent (default TARIFF_MISMATCH for AGENT_CONDUCT, DATA_MISMATCH for FALSE_RECORD)',
  })
  findingType?: FindingType;
}

@InputType()
export class ComplaintFilter {
  @Field(() => ComplaintState, { nullable: true })
  state?: ComplaintState;

  @Field(() => ComplaintCategory, { nullable: true })
  category?: ComplaintCategory;

  @Field(() => ComplaintOutcome, { nullable: true })
  outcome?: ComplaintOutcome;

  @Field(() => ID, { nullable: true })
  agentId?: string;

  @Field(() => ID, { nullable: true })
  repairPartnerId?: string;

  @Field(() => ID, { nullable: true })
  spId?: string;

  @Field({ nullable: true })
  msisdn?: string;

  @Field({ nullable: true, description: '"YYYY-MM": received in this Shanghai month' })
  period?: string;
}

@InputType()
export class CompensationRuleInput {
  @Field(() => ComplaintCategory)
  category: ComplaintCategory;

  @Field(() => CompensationBasis)
  basis: CompensationBasis;

  @Field(() => SafeInt, { nullable: true, description: 'FIXED: the amount (fen)' })
  amountFen?: number;

  @Field(() => Int, { nullable: true, description: 'MULTIPLE: 1 to 10' })
  multiplier?: number;

  @Field({ nullable: true })
  description?: string;
}

@InputType()
export class CompensationFilter {
  @Field(() => CompensationStatus, { nullable: true })
  status?: CompensationStatus;

  @Field(() => ComplaintCategory, { nullable: true })
  category?: ComplaintCategory;
}

@InputType()
export class CreateServiceProviderInput {
  @Field()
  code: string;

  @Field()
  name: string;

  @Field(() => SafeInt, { nullable: true, description: 'The deposit lodged on registration (fen; a LODGE entry)' })
  depositFen?: number;
}

@InputType()
export class DepositMovementInput {
  @Field(() => ID)
  spId: string;

  @Field(() => DepositEntryKind, { description: 'LODGE, TOP_UP or FINE (REFUND_DRAW comes from upheld SP_CHARGE complaints)' })
  kind: DepositEntryKind;

  @Field(() => SafeInt, { description: 'More than 0 fen' })
  amountFen: number;

  @Field({ nullable: true, description: 'Required for a FINE: why' })
  note?: string;
}

@InputType()
export class BorderCellInput {
  @Field()
  cellId: string;

  @Field()
  regionCode: string;

  @Field()
  description: string;
}

@InputType()
export class RoamingChargeInput {
  @Field()
  msisdn: string;

  @Field()
  cellId: string;

  @Field(() => SafeInt)
  amountFen: number;
}

@InputType()
export class ManualWaiverInput {
  @Field()
  msisdn: string;

  @Field({ description: '"YYYY-MM": the billing month' })
  period: string;

  @Field(() => SafeInt)
  amountFen: number;

  @Field()
  note: string;

  @Field({ nullable: true, description: 'When the line has no record here' })
  regionCode?: string;
}

@InputType()
export class RoamingWaiverFilter {
  @Field({ nullable: true })
  period?: string;

  @Field({ nullable: true })
  msisdn?: string;

  @Field(() => WaiverSource, { nullable: true })
  source?: WaiverSource;

  @Field({ nullable: true })
  regionCode?: string;
}

export { CallbackOutcome, ComplaintOutcome };
