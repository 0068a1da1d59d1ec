import { Arg, Args, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { CENTRE_READERS, PARTS_MANAGERS } from './parts.roles';
import { requireUser } from '../../common/auth';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { createSupplier, listSuppliers } from './catalog.service';
import { CreateSupplierInput, SupplierFilter } from './parts.inputs';
import { Supplier } from './supplier.entity';

const SupplierConnection = Connection(Supplier);

@Resolver(() => Supplier)
export class SupplierResolver {
  @Authorized(...CENTRE_READERS)
  @Query(() => SupplierConnection, { description: 'Where the centre buys parts' })
  suppliers(@Ctx() ctx: Context, @Args() args: ConnectionArgs, @Arg('filter', () => SupplierFilter, { nullable: true }) filter?: SupplierFilter) {
    return listSuppliers(ctx.ds.manager, filter ?? {}, args);
  }

  @Authorized(...PARTS_MANAGERS)
  @Mutation(() => Supplier)
  createSupplier(@Ctx() ctx: Context, @Arg('input') input: CreateSupplierInput): Promise<Supplier> {
    return inTransaction(ctx.ds, (em) => createSupplier(em, requireUser(ctx), input));
  }
}
