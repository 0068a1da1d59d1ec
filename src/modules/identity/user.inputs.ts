import { Field, ID, InputType } from 'type-graphql';
import { Length, Matches, MaxLength } from 'class-validator';
import { Role } from '../../common/roles';

const PASSWORD_RULES = 'At least 12 characters, not containing the username, not a common password';

@InputType()
export class CreateUserInput {
  @Field()
  @Length(3, 64)
  @Matches(/^[A-Za-z0-9_.-]+$/, { message: 'may hold letters, digits, _ . - only' })
  username: string;

  @Field({ description: PASSWORD_RULES })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  password: string;

  @Field(() => Role)
  role: Role;

  @Field(() => ID, { nullable: true, description: 'Required for REPAIR_PARTNER, forbidden otherwise' })
  repairPartnerId?: string;

  @Field(() => ID, { nullable: true, description: 'Required for AGENT, forbidden otherwise' })
  agentId?: string;

  @Field(() => String, { nullable: true })
  displayName?: string | null;
}

@InputType({ description: 'Only the fields given change. A role change drops a binding the new role does not have.' })
export class UpdateUserInput {
  @Field(() => Role, { nullable: true })
  role?: Role | null;

  @Field(() => ID, { nullable: true, description: 'REPAIR_PARTNER users only; null clears it' })
  repairPartnerId?: string | null;

  @Field(() => ID, { nullable: true, description: 'AGENT users only; null clears it' })
  agentId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'false disables the user and ends every session within seconds' })
  active?: boolean | null;

  @Field(() => String, { nullable: true, description: 'null or empty clears it' })
  displayName?: string | null;
}

@InputType()
export class UserFilter {
  @Field(() => Role, { nullable: true })
  role?: Role | null;

  @Field(() => Boolean, { nullable: true })
  active?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Part of the username or display name' })
  search?: string | null;
}
