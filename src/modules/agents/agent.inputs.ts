import { Field, InputType } from 'type-graphql';
import { IsOptional, Length, Matches } from 'class-validator';
import { SafeInt } from '../../common/scalars';
import { AgentKind, AgentStatus } from './agent.entity';

const PHONE = /^\+?[0-9][0-9 -]{4,19}$/;

@InputType()
export class CreateAgentInput {
  @Field({ description: 'Letters, digits and hyphens, e.g. AGT-0123; stored upper case' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9-]{1,31}$/, { message: 'must be 2 to 32 letters, digits or hyphens' })
  code: string;

  @Field()
  @Length(1, 128, { message: 'must be 1 to 128 characters' })
  name: string;

  @Field(() => AgentKind)
  kind: AgentKind;

  @Field({ description: "One of the regions' codes, e.g. SHASHI" })
  @Length(1, 32)
  regionCode: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 64, { message: 'must be 1 to 64 characters' })
  contactName?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(PHONE, { message: 'must be a phone number (digits, spaces, hyphens, optional leading +)' })
  contactPhone?: string | null;

  @Field(() => SafeInt, { description: 'Commission per activated line, in fen' })
  commissionPerActivationFen: number;
}

@InputType({ description: 'Fields left out keep their value; the code never changes' })
export class UpdateAgentInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 128, { message: 'must be 1 to 128 characters' })
  name?: string;

  @Field(() => AgentKind, { nullable: true })
  @IsOptional()
  kind?: AgentKind;

  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 32)
  regionCode?: string;

  @Field(() => String, { nullable: true, description: 'null clears it' })
  @IsOptional()
  @Length(1, 64, { message: 'must be 1 to 64 characters' })
  contactName?: string | null;

  @Field(() => String, { nullable: true, description: 'null clears it' })
  @IsOptional()
  @Matches(PHONE, { message: 'must be a phone number (digits, spaces, hyphens, optional leading +)' })
  contactPhone?: string | null;

  @Field(() => SafeInt, { nullable: true })
  @IsOptional()
  commissionPerActivationFen?: number;
}

@InputType()
export class AgentFilter {
  @Field({ nullable: true })
  regionCode?: string;

  @Field(() => AgentStatus, { nullable: true })
  status?: AgentStatus;

  @Field(() => AgentKind, { nullable: true })
  kind?: AgentKind;

  @Field({ nullable: true, description: 'Code prefix or part of the name' })
  search?: string;
}
