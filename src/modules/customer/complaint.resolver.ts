import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireUser } from '../../common/auth';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { Agent } from '../agents/agent.entity';
import { Finding } from '../audits/audit-finding.entity';
import { User } from '../identity/user.entity';
import { Region } from '../regions/region.entity';
import { regionOf } from '../regions/region.service';
import { RepairPartner } from '../repair/repair-partner.entity';
import { seesNotes } from './callback.resolver';
import { Complaint } from './complaint.entity';
import {
  closeComplaint,
  complaintStats,
  getComplaint,
  listComplaints,
  openComplaint,
  overdueComplaints,
  resolveComplaint,
  startComplaint,
} from './complaint.service';
import { Compensation } from './compensation.entity';
import { ComplaintFilter, OpenComplaintInput, ResolveComplaintInput } from './customer.inputs';
import { ServiceProvider } from './service-provider.entity';
import { COMPLAINT_READERS, DESK, DESK_READERS } from './customer.roles';
import { ComplaintStat } from './customer.types';

const ComplaintConnection = Connection(Complaint);

@Resolver(() => Complaint)
export class ComplaintResolver {
  @Authorized(...COMPLAINT_READERS)
  @Query(() => ComplaintConnection, {
    description:
      'Complaints, newest first. An AGENT sees those about itself, a REPAIR_PARTNER the upheld ones about itself (neither sees what the customer said).',
  })
  complaints(@Ctx() ctx: Context, @Args() args: ConnectionArgs, @Arg('filter', () => ComplaintFilter, { nullable: true }) filter?: ComplaintFilter) {
    return listComplaints(ctx.ds.manager, requireUser(ctx), filter, args);
  }

  @Authorized(...COMPLAINT_READERS)
  @Query(() => Complaint, { nullable: true })
  complaint(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return getComplaint(ctx.ds.manager, requireUser(ctx), id);
  }

  @Authorized(...DESK_READERS)
  @Query(() => ComplaintConnection, { description: 'Complaints not resolved whose 24 hours ran out before asOf (default now), most overdue first' })
  overdueComplaints(@Ctx() ctx: Context, @Args() args: ConnectionArgs, @Arg('asOf', () => Date, { nullable: true }) asOf?: Date) {
    return overdueComplaints(ctx.ds.manager, asOf, args);
  }

  @Authorized(...DESK_READERS)
  @Query(() => [ComplaintStat], { description: 'Per category, complaints received in a Shanghai month: time to resolution and the share within 24 hours' })
  complaintStats(@Ctx() ctx: Context, @Arg('period') period: string) {
    return complaintStats(ctx.ds.manager, period);
  }

  @Authorized(...DESK)
  @Mutation(() => Complaint, { description: 'Open a complaint (OPEN), due 24 hours after it was received' })
  openComplaint(@Ctx() ctx: Context, @Arg('input') input: OpenComplaintInput) {
    return inTransaction(ctx.ds, (em) => openComplaint(em, requireUser(ctx), input));
  }

  @Authorized(...DESK)
  @Mutation(() => Complaint, { description: 'OPEN → IN_PROGRESS' })
  startComplaint(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return inTransaction(ctx.ds, (em) => startComplaint(em, requireUser(ctx), id));
  }

  @Authorized(...DESK)
  @Mutation(() => Complaint, {
    description: 'IN_PROGRESS → RESOLVED with an outcome; UPHELD proposes compensation (and a finding, a waiver or an SP refund by category)',
  })
  resolveComplaint(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('input') input: ResolveComplaintInput) {
    return inTransaction(ctx.ds, (em) => resolveComplaint(em, requireUser(ctx), id, input));
  }

  @Authorized(...DESK)
  @Mutation(() => Complaint, { description: 'RESOLVED → CLOSED, once its compensation is decided' })
  closeComplaint(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return inTransaction(ctx.ds, (em) => closeComplaint(em, requireUser(ctx), id));
  }

  @FieldResolver(() => String, { nullable: true, description: 'What the customer said; null for agents and partners' })
  description(@Ctx() ctx: Context, @Root() c: Complaint): string | null {
    return seesNotes(requireUser(ctx).role) ? c.description : null;
  }

  @FieldResolver(() => Boolean, { description: 'Not resolved and past dueAt' })
  overdue(@Root() c: Complaint): boolean {
    return (c.state === 'OPEN' || c.state === 'IN_PROGRESS') && c.dueAt.getTime() < Date.now();
  }

  @FieldResolver(() => Agent, { nullable: true })
  agent(@Ctx() ctx: Context, @Root() c: Complaint) {
    return c.agentId ? ctx.loaders.agents.agentById.load(c.agentId) : null;
  }

  @FieldResolver(() => RepairPartner, { nullable: true })
  repairPartner(@Ctx() ctx: Context, @Root() c: Complaint) {
    return c.repairPartnerId ? ctx.loaders.repair.partnerById.load(c.repairPartnerId) : null;
  }

  @FieldResolver(() => ServiceProvider, { nullable: true })
  sp(@Ctx() ctx: Context, @Root() c: Complaint) {
    return c.spId ? ctx.loaders.customer.spById.load(c.spId) : null;
  }

  @FieldResolver(() => Region, { nullable: true })
  region(@Ctx() ctx: Context, @Root() c: Complaint) {
    return c.regionId ? regionOf(ctx, c.regionId) : null;
  }

  @FieldResolver(() => Compensation, { nullable: true })
  compensation(@Ctx() ctx: Context, @Root() c: Complaint) {
    return ctx.loaders.customer.compensationByComplaintId.load(c.id);
  }

  @FieldResolver(() => Finding, { nullable: true, description: 'The audit finding an upheld complaint about an agent created' })
  finding(@Ctx() ctx: Context, @Root() c: Complaint) {
    return c.findingId ? ctx.loaders.audits.findingById.load(c.findingId) : null;
  }

  @FieldResolver(() => User, { nullable: true })
  resolvedBy(@Ctx() ctx: Context, @Root() c: Complaint) {
    return c.resolvedById && seesNotes(requireUser(ctx).role) ? ctx.loaders.identity.userById.load(c.resolvedById) : null;
  }
}
