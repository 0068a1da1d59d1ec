import { Args, Authorized, Ctx, ID, Query, Resolver, Arg } from 'type-graphql';
import type { Context } from '../../common/context';
import { requireUser } from '../../common/auth';
import { ConnectionArgs, Connection } from '../../common/pagination';
import { STAFF_ROLES } from '../../common/roles';
import { ChangeLogEntry } from './change-log.entity';
import { listChanges } from './change-log.service';

const ChangeLogConnection = Connection(ChangeLogEntry);

@Resolver(() => ChangeLogEntry)
export class ChangeLogResolver {
  @Authorized(...STAFF_ROLES)
  @Query(() => ChangeLogConnection, {
    description:
      'Who changed what and when, newest first; append-only. A role sees the entries of the entity types it may read elsewhere in the API (ADMIN: all)',
  })
  changeLog(
    @Ctx() ctx: Context,
    @Args() args: ConnectionArgs,
    @Arg('entityType', () => String, { nullable: true }) entityType?: string,
    @Arg('entityId', () => ID, { nullable: true }) entityId?: string,
  ) {
    return listChanges(ctx.ds.manager, requireUser(ctx), { entityType, entityId }, args);
  }
}
