import { Field, ID, InputType } from 'type-graphql';
import { IdType, RegistrationFlag, RegistrationStatus } from './registration.entity';

/**
 * One customer record. Every field is a nullable string on purpose: a record with a missing or
 * malformed field is rejected on its own, with the field and the reason, and the other records of
 * the call still go in. A stricter GraphQL type would fail the whole call instead.
 */
@InputType()
export class RegistrationInput {
  @Field(() => String, { nullable: true, description: '11 digits starting with 1 (spaces, hyphens and a +86 prefix are removed)' })
  msisdn?: string | null;

  @Field(() => String, { nullable: true, description: 'CDMA or GSM' })
  network?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 64 characters' })
  customerName?: string | null;

  @Field(() => String, { nullable: true, description: `One of ${Object.values(IdType).join(', ')}` })
  idType?: string | null;

  @Field(() => String, { nullable: true, description: 'Encrypted at rest; readable later by AUDITOR and ADMIN only' })
  idNumber?: string | null;

  @Field(() => String, { nullable: true, description: 'Code of a tariff plan of the same network (see tariffPlans)' })
  tariffPlanCode?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'When the line was opened: ISO-8601 (2005-03-01T10:20:00+08:00); without an offset it is Asia/Shanghai time. Not in the future.',
  })
  openedAt?: string | null;
}

@InputType()
export class RegistrationFilter {
  @Field(() => ID, { nullable: true })
  agentId?: string;

  @Field(() => RegistrationStatus, { nullable: true })
  status?: RegistrationStatus;

  @Field(() => RegistrationFlag, { nullable: true, description: 'Records carrying this flag' })
  flag?: RegistrationFlag;

  @Field({ nullable: true, description: 'Only records with (true) or without (false) any flag' })
  flagged?: boolean;

  @Field({ nullable: true, description: '"YYYY-MM": records opened in that Asia/Shanghai month' })
  period?: string;

  @Field({ nullable: true, description: 'Every record of one number, whatever its status' })
  msisdn?: string;

  @Field({ nullable: true, description: 'Every record of one identity (matched by its keyed hash; the number is never stored in plain text)' })
  idNumber?: string;
}

@InputType()
export class ActivationStatsFilter {
  @Field({ description: '"YYYY-MM": lines activated in that Asia/Shanghai month' })
  period: string;

  @Field(() => ID, { nullable: true })
  agentId?: string;

  @Field({ nullable: true })
  regionCode?: string;
}
