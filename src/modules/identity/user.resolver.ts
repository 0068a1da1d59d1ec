import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { requireUser } from '../../common/auth';
import { NotFoundError } from '../../common/errors';
import { Role } from '../../common/roles';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../context';
import { User } from './user.entity';
import { AuthPayload, CreateUserInput } from './user.inputs';
import { createUser, login } from './user.service';

@Resolver(() => User)
export class UserResolver {
  @Mutation(() => AuthPayload, { description: 'Exchange a username and password for a bearer token' })
  login(@Ctx() ctx: Context, @Arg('username') username: string, @Arg('password') password: string): Promise<AuthPayload> {
    // Not in a transaction: a failed attempt must be recorded even though the login fails.
    return login(ctx.ds.manager, ctx.config, username, password, ctx.ip);
  }

  @Authorized()
  @Query(() => User)
  async me(@Ctx() ctx: Context): Promise<User> {
    const user = await ctx.ds.getRepository(User).findOne({ where: { id: requireUser(ctx).id } });
    if (!user) throw new NotFoundError('User');
    return user;
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => User)
  createUser(@Ctx() ctx: Context, @Arg('input') input: CreateUserInput): Promise<User> {
    return inTransaction(ctx.ds, (em) => createUser(em, requireUser(ctx), input));
  }
}
