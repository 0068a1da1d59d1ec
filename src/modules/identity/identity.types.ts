import { Field, ObjectType } from 'type-graphql';
import { User } from './user.entity';

@ObjectType()
export class AuthPayload {
  @Field()
  token: string;

  @Field(() => User)
  user: User;

  @Field()
  expiresAt: Date;

  @Field({ description: 'True after resetPassword: this token may only call changePassword and me' })
  mustChangePassword: boolean;
}

@ObjectType()
export class PasswordReset {
  @Field(() => User)
  user: User;

  @Field({ description: 'Shown once, never stored in clear: hand it to the user, who must change it at the next login' })
  temporaryPassword: string;
}
