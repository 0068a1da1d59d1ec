import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../common/context';
import { Region } from './region.entity';
import { listRegions } from './region.service';

@Resolver(() => Region)
export class RegionResolver {
  @Authorized()
  @Query(() => [Region], { description: "The branch's city districts and counties" })
  regions(@Ctx() ctx: Context): Promise<Region[]> {
    return listRegions(ctx.ds);
  }
}
