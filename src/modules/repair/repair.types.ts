import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Network } from '../../common/network';
import { SafeInt } from '../../common/scalars';
import { RepairOrderStatus } from './repair-order.entity';

@ObjectType()
export class BrandCoverageEntry {
  @Field({ description: 'Brand name' })
  brand: string;

  @Field()
  brandCode: string;

  /** Resolved through the partner loader. */
  partnerIds: number[];
}

@ObjectType({ description: 'Which brands the network can repair under a valid authorization today' })
export class BrandCoverage {
  @Field(() => String, { nullable: true })
  regionCode: string | null;

  @Field(() => Network, { nullable: true, description: 'Brands with at least one model on this network; null: every brand' })
  network: Network | null;

  @Field()
  asOf: Date;

  @Field(() => [BrandCoverageEntry], { description: 'Every brand, with the active partners holding a valid authorization (empty: nobody)' })
  brands: BrandCoverageEntry[];

  @Field(() => [String], { description: 'Names of the brands no active partner is authorized for' })
  uncoveredBrands: string[];
}

@ObjectType()
export class PriceIndexPartner {
  partnerId: number;

  @Field(() => SafeInt)
  priceFen: number;

  @Field({ description: 'Since when this price applies' })
  setAt: Date;
}

@ObjectType({ description: 'Prices in effect at the end of a month (now, for the month under way)' })
export class PriceIndexMonth {
  @Field({ description: '"YYYY-MM"' })
  period: string;

  @Field(() => Int)
  partnerCount: number;

  @Field(() => SafeInt, { nullable: true })
  minFen: number | null;

  @Field(() => SafeInt, { nullable: true, description: 'Of an even count, the mean of the middle two, rounded half up to the fen' })
  medianFen: number | null;

  @Field(() => SafeInt, { nullable: true })
  maxFen: number | null;
}

@ObjectType()
export class PriceIndex {
  @Field()
  serviceType: string;

  @Field()
  serviceName: string;

  @Field(() => String, { nullable: true })
  regionCode: string | null;

  @Field(() => Int)
  partnerCount: number;

  @Field(() => SafeInt, { nullable: true, description: 'null when no partner prices this service' })
  minFen: number | null;

  @Field(() => SafeInt, { nullable: true, description: 'Of an even count, the mean of the middle two, rounded half up to the fen' })
  medianFen: number | null;

  @Field(() => SafeInt, { nullable: true })
  maxFen: number | null;

  @Field(() => [PriceIndexPartner], { description: "Each partner's price now, cheapest first (terminated partners left out)" })
  partners: PriceIndexPartner[];

  @Field(() => [PriceIndexMonth], { description: 'Month by month, oldest first: how competition moved the prices' })
  months: PriceIndexMonth[];
}

@ObjectType()
export class PartnerTurnaround {
  partnerId: number;

  @Field(() => Int, { description: 'Orders that became READY in the window' })
  orders: number;

  @Field(() => Int, { nullable: true, description: 'Median seconds from RECEIVED to READY; null without orders' })
  medianSeconds: number | null;

  @Field(() => Float, { nullable: true, description: 'The same in hours, to one decimal' })
  medianHours: number | null;
}

@ObjectType()
export class TurnaroundReport {
  @Field(() => String, { nullable: true })
  from: string | null;

  @Field(() => String, { nullable: true })
  to: string | null;

  @Field(() => Int)
  orders: number;

  @Field(() => Int, { nullable: true, description: 'Median over every order in the window' })
  medianSeconds: number | null;

  @Field(() => [PartnerTurnaround])
  partners: PartnerTurnaround[];
}

@ObjectType({ description: 'Total time an order has spent in one status' })
export class StatusTime {
  @Field(() => RepairOrderStatus)
  status: RepairOrderStatus;

  @Field(() => Int)
  seconds: number;
}
