import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Length, Matches } from 'class-validator';
import { Role } from '../../common/roles';
import { User } from './user.entity';

@InputType()
export class CreateUserInput {
  @Field()
  @Length(3, 64)
  @Matches(/^[A-Za-z0-9_.-]+$/, { message: 'may hold letters, digits, _ . - only' })
  username: string;

  @Field()
  @Length(8, 200, { message: 'must be 8 to 200 characters' })
  password: string;

  @Field(() => Role)
  role: Role;

  @Field(() => ID, { nullable: true, description: 'Required for REPAIR_PARTNER, forbidden otherwise' })
  repairPartnerId?: string;

  @Field(() => ID, { nullable: true, description: 'Required for AGENT, forbidden otherwise' })
  agentId?: string;
}

@ObjectType()
export class AuthPayload {
  @Field()
  token: string;

  @Field(() => User)
  user: User;

  @Field()
  expiresAt: Date;
}
