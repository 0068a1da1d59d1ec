import { Arg, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../common/context';
import { Region } from '../regions/region.entity';
import { regionOf } from '../regions/region.service';
import { customerTotals } from './customer-finance.service';
import { CustomerTotalsGroupBy, FinanceCategory } from './customer.enums';
import { MONEY_READERS } from './customer.roles';
import { CustomerTotal } from './customer.types';

@Resolver(() => CustomerTotal)
export class CustomerTotalResolver {
  @Authorized(...MONEY_READERS)
  @Query(() => [CustomerTotal], {
    description:
      'What the customer side cost for a range of months: compensation, SP refunds, SP fines and roaming waivers, grouped by any of category, region and month',
  })
  customerTotals(
    @Ctx() ctx: Context,
    @Arg('from') from: string,
    @Arg('to') to: string,
    @Arg('groupBy', () => [CustomerTotalsGroupBy], { defaultValue: [] }) groupBy: CustomerTotalsGroupBy[],
    @Arg('regionCode', () => String, { nullable: true }) regionCode?: string,
    @Arg('category', () => FinanceCategory, { nullable: true }) category?: FinanceCategory,
  ) {
    return customerTotals(ctx.ds.manager, { from, to, groupBy, regionCode, category });
  }

  @FieldResolver(() => Region, { nullable: true })
  region(@Ctx() ctx: Context, @Root() t: CustomerTotal) {
    return t.regionId != null ? regionOf(ctx, t.regionId) : null;
  }
}
