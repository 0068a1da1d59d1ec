import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PARTS_MOVERS, PARTS_READERS } from './parts.roles';
import { requireUser } from '../../common/auth';
import { NotFoundError } from '../../common/errors';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { RepairOrder } from '../repair/repair-order.entity';
import { RepairPartner } from '../repair/repair-partner.entity';
import { PartsDocumentLine } from './document-line.entity';
import { consumeParts, getIssue, issuePartsInTransaction, listConsumptions, listIssues, listReturns, returnParts } from './issue.service';
import { PartsConsumption } from './parts-consumption.entity';
import { PartsIssue } from './parts-issue.entity';
import { PartsReturn } from './parts-return.entity';
import { ConsumePartsInput, IssuePartsInput, PartnerDocumentFilter, PartsConsumptionFilter, PartsIssueFilter, ReturnPartsInput } from './parts.inputs';
import { documentKey } from './parts.loaders';
import { StockLocation } from './stock-location.entity';
import { StockDocumentType } from './stock-movement.entity';

const PartsIssueConnection = Connection(PartsIssue);
const PartsConsumptionConnection = Connection(PartsConsumption);
const PartsReturnConnection = Connection(PartsReturn);

async function mustLoad<T>(p: Promise<T | null>, entity: string, id: number): Promise<T> {
  const v = await p;
  if (!v) throw new NotFoundError(entity, id);
  return v;
}

@Resolver(() => PartsIssue)
export class PartsIssueResolver {
  @Authorized(...PARTS_MOVERS)
  @Mutation(() => PartsIssue, {
    description:
      "Move parts from the centre to a partner's shelf and draw their cost on the revolving fund. Not enough stock or fund is CONFLICT and nothing moves; the same idempotencyKey issues once.",
  })
  issueParts(@Ctx() ctx: Context, @Arg('input') input: IssuePartsInput): Promise<PartsIssue> {
    return issuePartsInTransaction(ctx.ds, requireUser(ctx), input);
  }

  @Authorized(...PARTS_READERS)
  @Query(() => PartsIssueConnection, { description: 'Issues to partners, newest first (a REPAIR_PARTNER: its own)' })
  partsIssues(@Ctx() ctx: Context, @Args() args: ConnectionArgs, @Arg('filter', () => PartsIssueFilter, { nullable: true }) filter?: PartsIssueFilter) {
    return listIssues(ctx.ds.manager, requireUser(ctx), filter ?? {}, args);
  }

  @Authorized(...PARTS_READERS)
  @Query(() => PartsIssue, { nullable: true })
  partsIssue(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<PartsIssue> {
    return getIssue(ctx.ds.manager, requireUser(ctx), id);
  }

  @FieldResolver(() => RepairPartner)
  partner(@Root() d: PartsIssue, @Ctx() ctx: Context): Promise<RepairPartner> {
    return mustLoad(ctx.loaders.repair.partnerById.load(d.partnerId), 'RepairPartner', d.partnerId);
  }

  @FieldResolver(() => StockLocation, { description: "The partner's shelf" })
  location(@Root() d: PartsIssue, @Ctx() ctx: Context): Promise<StockLocation> {
    return mustLoad(ctx.loaders.parts.locationById.load(d.locationId), 'Location', d.locationId);
  }

  @FieldResolver(() => [PartsDocumentLine])
  lines(@Root() d: PartsIssue, @Ctx() ctx: Context): Promise<PartsDocumentLine[]> {
    return ctx.loaders.parts.linesByDocument.load(documentKey(StockDocumentType.PARTS_ISSUE, d.id));
  }
}

@Resolver(() => PartsConsumption)
export class PartsConsumptionResolver {
  @Authorized(...PARTS_MOVERS)
  @Mutation(() => PartsConsumption, { description: "Parts used in an open repair order, taken off the order's partner's shelf" })
  consumeParts(@Ctx() ctx: Context, @Arg('input') input: ConsumePartsInput): Promise<PartsConsumption> {
    return inTransaction(ctx.ds, (em) => consumeParts(em, requireUser(ctx), input));
  }

  @Authorized(...PARTS_READERS)
  @Query(() => PartsConsumptionConnection, { description: 'Parts used in repairs, newest first (a REPAIR_PARTNER: its own)' })
  partsConsumptions(
    @Ctx() ctx: Context,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => PartsConsumptionFilter, { nullable: true }) filter?: PartsConsumptionFilter,
  ) {
    return listConsumptions(ctx.ds.manager, requireUser(ctx), filter ?? {}, args);
  }

  @FieldResolver(() => RepairOrder)
  repairOrder(@Root() d: PartsConsumption, @Ctx() ctx: Context): Promise<RepairOrder> {
    return mustLoad(ctx.loaders.repair.repairOrderById.load(d.repairOrderId), 'RepairOrder', d.repairOrderId);
  }

  @FieldResolver(() => RepairPartner)
  partner(@Root() d: PartsConsumption, @Ctx() ctx: Context): Promise<RepairPartner> {
    return mustLoad(ctx.loaders.repair.partnerById.load(d.partnerId), 'RepairPartner', d.partnerId);
  }

  @FieldResolver(() => [PartsDocumentLine])
  lines(@Root() d: PartsConsumption, @Ctx() ctx: Context): Promise<PartsDocumentLine[]> {
    return ctx.loaders.parts.linesByDocument.load(documentKey(StockDocumentType.PARTS_CONSUMPTION, d.id));
  }
}

@Resolver(() => PartsReturn)
export class PartsReturnResolver {
  @Authorized(...PARTS_MOVERS)
  @Mutation(() => PartsReturn, {
    description: "Unused parts from a partner's shelf back to the centre; what they cost the partner is credited to its fund account",
  })
  returnParts(@Ctx() ctx: Context, @Arg('input') input: ReturnPartsInput): Promise<PartsReturn> {
    return inTransaction(ctx.ds, (em) => returnParts(em, requireUser(ctx), input));
  }

  @Authorized(...PARTS_READERS)
  @Query(() => PartsReturnConnection, { description: 'Returns to the centre, newest first (a REPAIR_PARTNER: its own)' })
  partsReturns(
    @Ctx() ctx: Context,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => PartnerDocumentFilter, { nullable: true }) filter?: PartnerDocumentFilter,
  ) {
    return listReturns(ctx.ds.manager, requireUser(ctx), filter ?? {}, args);
  }

  @FieldResolver(() => RepairPartner)
  partner(@Root() d: PartsReturn, @Ctx() ctx: Context): Promise<RepairPartner> {
    return mustLoad(ctx.loaders.repair.partnerById.load(d.partnerId), 'RepairPartner', d.partnerId);
  }

  @FieldResolver(() => [PartsDocumentLine])
  lines(@Root() d: PartsReturn, @Ctx() ctx: Context): Promise<PartsDocumentLine[]> {
    return ctx.loaders.parts.linesByDocument.load(documentKey(StockDocumentType.PARTS_RETURN, d.id));
  }
}
