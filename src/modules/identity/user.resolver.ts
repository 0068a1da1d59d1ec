import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { requireUser } from '../../common/auth';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { Role } from '../../common/roles';
import type { RequestMeta } from '../../common/signals';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { claimLogin } from './login-guard';
import { forgetSessions } from './sessions';
import { User } from './user.entity';
import { CreateUserInput, UpdateUserInput, UserFilter } from './user.inputs';
import { changePassword, createUser, findMe, listUsers, login, logoutEverywhere, resetPassword, updateUser } from './user.service';
import { AuthPayload, PasswordReset } from './identity.types';

const UserConnection = Connection(User);

/** The request an account change's security event names (security-events.ts). */
const meta = (ctx: Context): RequestMeta => ({ requestId: ctx.requestId, address: ctx.ip });

/** Runs a change to a user, then makes this process re-read that user at its next request. */
async function changing<T extends { id: number } | { user: { id: number } }>(ctx: Context, work: () => Promise<T>): Promise<T> {
  const result = await work();
  forgetSessions(ctx.ds, 'user' in result ? result.user.id : result.id);
  return result;
}

@Resolver(() => User)
export class UserResolver {
  @Mutation(() => AuthPayload, { description: 'Exchange a username and password for a bearer token. One login per HTTP request.' })
  login(@Ctx() ctx: Context, @Arg('username') username: string, @Arg('password') password: string): Promise<AuthPayload> {
    claimLogin(ctx);
    // Not in one transaction: the attempt is counted (and kept) before the password is checked.
    return login(ctx.ds, ctx.config, username, password, ctx.ip, { requestId: ctx.requestId });
  }

  @Authorized()
  @Query(() => User)
  me(@Ctx() ctx: Context): Promise<User> {
    return findMe(ctx.ds.manager, requireUser(ctx));
  }

  @Authorized(Role.ADMIN)
  @Query(() => UserConnection, { description: 'Every account, by id' })
  users(@Ctx() ctx: Context, @Args() args: ConnectionArgs, @Arg('filter', () => UserFilter, { nullable: true }) filter?: UserFilter) {
    return listUsers(ctx.ds.manager, filter, args);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => User)
  createUser(@Ctx() ctx: Context, @Arg('input') input: CreateUserInput): Promise<User> {
    return inTransaction(ctx.ds, (em) => createUser(em, requireUser(ctx), input, { meta: meta(ctx) }));
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => User, {
    description: "Disabling, or changing the role or a binding, ends the user's sessions within seconds. The last active ADMIN cannot be disabled or demoted.",
  })
  updateUser(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('input') input: UpdateUserInput): Promise<User> {
    return changing(ctx, () => inTransaction(ctx.ds, (em) => updateUser(em, requireUser(ctx), id, input, meta(ctx))));
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => PasswordReset, { description: "A one-time password; the user's sessions end and the next login must change it" })
  resetPassword(@Ctx() ctx: Context, @Arg('userId', () => ID) userId: string): Promise<PasswordReset> {
    return changing(ctx, () => inTransaction(ctx.ds, (em) => resetPassword(em, requireUser(ctx), userId, meta(ctx))));
  }

  @Authorized()
  @Mutation(() => AuthPayload, { description: 'Your own password. Every session of yours ends; the answer holds a new token.' })
  changePassword(
    @Ctx() ctx: Context,
    @Arg('currentPassword') currentPassword: string,
    @Arg('newPassword', { description: 'At least 12 characters, not containing the username, not a common password' }) newPassword: string,
  ): Promise<AuthPayload> {
    return changing(ctx, () => changePassword(ctx.ds, ctx.config, requireUser(ctx), currentPassword, newPassword, ctx.ip, meta(ctx)));
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => User, { description: 'Ends every session of the user within seconds (on every replica)' })
  logoutEverywhere(@Ctx() ctx: Context, @Arg('userId', () => ID) userId: string): Promise<User> {
    return changing(ctx, () => inTransaction(ctx.ds, (em) => logoutEverywhere(em, requireUser(ctx), userId, meta(ctx))));
  }
}
