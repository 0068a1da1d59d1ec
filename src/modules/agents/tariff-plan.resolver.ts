import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../common/context';
import { listTariffPlans } from './registration.service';
import { TariffPlan } from './tariff-plan.entity';

@Resolver(() => TariffPlan)
export class TariffPlanResolver {
  @Authorized()
  @Query(() => [TariffPlan], { description: 'The tariff plans records may name, by network' })
  tariffPlans(@Ctx() ctx: Context): Promise<TariffPlan[]> {
    return listTariffPlans(ctx.ds.manager);
  }
}
