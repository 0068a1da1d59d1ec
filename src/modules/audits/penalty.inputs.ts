import { MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { SafeInt } from '../../common/scalars';
import { PenaltyKind, PenaltyStatus } from './audit.enums';

@InputType()
export class PenaltyFilter {
  @Field(() => ID, { nullable: true })
  agentId?: string;

  @Field(() => PenaltyStatus, { nullable: true })
  status?: PenaltyStatus;

  @Field({ nullable: true, description: '"YYYY-MM": the penalty\'s own period (audited month, or month created)' })
  period?: string;

  @Field({ nullable: true, description: '"YYYY-MM": penalties the statement of this period deducts' })
  settledPeriod?: string;

  @Field(() => ID, { nullable: true, description: 'Penalties proposed by closing this audit batch' })
  batchId?: string;

  @Field(() => PenaltyKind, { nullable: true })
  kind?: PenaltyKind;
}

@InputType()
export class CreatePenaltyInput {
  @Field(() => ID)
  agentId: string;

  @Field(() => SafeInt, { description: 'More than 0 fen' })
  amountFen: number;

  @Field({ description: 'Why; kept on the penalty and shown to the agent' })
  @MaxLength(500)
  reason: string;
}
