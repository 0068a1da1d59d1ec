import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { requireUser } from '../../common/auth';
import type { Context } from '../../common/context';
import { Finding } from '../audits/audit-finding.entity';
import { CustomerCallback } from './callback.entity';
import { Complaint } from './complaint.entity';
import { upheldRepairComplaints } from './complaint.service';
import { DESK_READERS } from './customer.roles';
import { Role } from '../../common/roles';
import { PartnerStatement } from '../subsidies/subsidies.types';

/** Links from other modules' types to the customer side, kept here so those modules need not know it. */
@Resolver(() => Finding)
export class FindingCustomerResolver {
  @Authorized(...DESK_READERS, Role.AGENCY_STAFF)
  @FieldResolver(() => CustomerCallback, { nullable: true, description: 'The callback whose outcome made this finding' })
  callback(@Ctx() ctx: Context, @Root() f: Finding) {
    return ctx.loaders.customer.callbackByFindingId.load(f.id);
  }

  @Authorized(...DESK_READERS, Role.AGENCY_STAFF)
  @FieldResolver(() => Complaint, { nullable: true, description: 'The upheld complaint that made this finding' })
  complaint(@Ctx() ctx: Context, @Root() f: Finding) {
    return ctx.loaders.customer.complaintByFindingId.load(f.id);
  }
}

@Resolver(() => PartnerStatement)
export class PartnerStatementComplaintsResolver {
  @FieldResolver(() => [Complaint], { description: 'REPAIR complaints about the partner upheld (resolved) in the month' })
  upheldComplaints(@Ctx() ctx: Context, @Root() s: PartnerStatement) {
    requireUser(ctx);
    return upheldRepairComplaints(ctx.ds.manager, s.partner.id, s.period);
  }
}
