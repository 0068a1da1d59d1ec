import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { RECORD_READERS } from './agents.roles';
import { requireUser } from '../../common/auth';
import { signalsOf } from '../../common/signals';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { ReadsColumns } from '../../runtime/sql/projection';
import { Role } from '../../common/roles';
import { regionName } from '../../common/validators/region-code';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { Agent } from './agent.entity';
import { identityCipher } from './identity-crypto';
import { IdType, Registration } from './registration.entity';
import { ActivationStatsFilter, RegistrationFilter, RegistrationInput } from './registration.inputs';
import {
  activateRegistration,
  activationStats,
  cancelRegistration,
  getRegistration,
  listRegistrations,
  rejectRegistration,
  rotateIdentityKeys,
  submitRegistrations,
} from './registration.service';
import { TariffPlan } from './tariff-plan.entity';
import { ActivationStats, IdentityKeyRotationResult, SubmitRegistrationsPayload } from './agents.types';

export const RegistrationConnection = Connection(Registration);

@Resolver(() => Registration)
export class RegistrationResolver {
  @Authorized(...RECORD_READERS)
  @Query(() => RegistrationConnection, { description: 'Customer records, newest first; an AGENT sees its own only' })
  registrations(@Ctx() ctx: Context, @Args() args: ConnectionArgs, @Arg('filter', () => RegistrationFilter, { nullable: true }) filter?: RegistrationFilter) {
    return listRegistrations(ctx.ds.manager, requireUser(ctx), ctx.config, filter, args);
  }

  @Authorized(...RECORD_READERS)
  @Query(() => Registration, { nullable: true })
  registration(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Registration> {
    return getRegistration(ctx.ds.manager, requireUser(ctx), id);
  }

  @Authorized(Role.AGENCY_STAFF, Role.AGENT)
  @Mutation(() => SubmitRegistrationsPayload, {
    description: 'Up to 1,000 records for one ACTIVE agent. Malformed records are rejected one by one; suspicious ones go in with flags.',
  })
  async submitRegistrations(
    @Ctx() ctx: Context,
    @Arg('agentId', () => ID) agentId: string,
    @Arg('records', () => [RegistrationInput]) records: RegistrationInput[],
  ): Promise<SubmitRegistrationsPayload> {
    const out = await inTransaction(ctx.ds, (em) => submitRegistrations(em, requireUser(ctx), ctx.config, agentId, records));
    // Once committed (a retried transaction is counted once): the metrics' import rows.
    signalsOf(ctx.ds).emit('importRows', { rows: records.length });
    return out;
  }

  @Authorized(Role.AGENCY_STAFF, Role.AGENT)
  @Mutation(() => Registration, { description: 'PENDING_ACTIVATION → ACTIVE. Agents of kind FRANCHISE_HALL activate their own records.' })
  activateRegistration(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Registration> {
    return inTransaction(ctx.ds, (em) => activateRegistration(em, requireUser(ctx), id, ctx.config.now()));
  }

  @Authorized(Role.AGENCY_STAFF)
  @Mutation(() => Registration, { description: 'PENDING_ACTIVATION → REJECTED, with the reason; frees the number' })
  rejectRegistration(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('reason') reason: string): Promise<Registration> {
    return inTransaction(ctx.ds, (em) => rejectRegistration(em, requireUser(ctx), id, reason));
  }

  @Authorized(Role.AGENCY_STAFF)
  @Mutation(() => Registration, { description: 'A pending or active line → CANCELLED, with the reason; frees the number' })
  cancelRegistration(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('reason') reason: string): Promise<Registration> {
    return inTransaction(ctx.ds, (em) => cancelRegistration(em, requireUser(ctx), id, reason));
  }

  @Authorized(Role.AGENCY_STAFF, Role.AUDITOR, Role.AGENT)
  @Query(() => ActivationStats, {
    description: 'Time from submission to activation of the lines activated in a month, in one figure (per agent: activationStats)',
  })
  activationSummary(@Ctx() ctx: Context, @Arg('filter', () => ActivationStatsFilter) filter: ActivationStatsFilter): Promise<ActivationStats> {
    return activationStats(ctx.ds.manager, requireUser(ctx), filter);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => IdentityKeyRotationResult, { description: 'Re-encrypt identity numbers under older keys with the active key, a batch at a time' })
  rotateIdentityKeys(@Ctx() ctx: Context, @Arg('limit', () => Int, { defaultValue: 1000 }) limit: number): Promise<IdentityKeyRotationResult> {
    return inTransaction(ctx.ds, (em) => rotateIdentityKeys(em, requireUser(ctx), ctx.config, limit));
  }

  @FieldResolver(() => Agent)
  @ReadsColumns('agentId')
  async agent(@Root() reg: Registration, @Ctx() ctx: Context): Promise<Agent> {
    return (await ctx.loaders.agents.agentById.load(reg.agentId))!;
  }

  @FieldResolver(() => TariffPlan, { nullable: true })
  @ReadsColumns('tariffPlanCode')
  tariffPlan(@Root() reg: Registration, @Ctx() ctx: Context): Promise<TariffPlan | null> {
    return ctx.loaders.agents.tariffPlanByCode.load(reg.tariffPlanCode);
  }

  @Authorized(Role.AUDITOR)
  @ReadsColumns('id', 'idCipher', 'idKeyId')
  @FieldResolver(() => String, { nullable: true, description: 'The full identity number: AUDITOR and ADMIN only (others get FORBIDDEN on this field)' })
  idNumber(@Root() reg: Registration, @Ctx() ctx: Context): string {
    const full = identityCipher(ctx.config).decrypt(reg.idCipher, reg.idKeyId);
    // Who saw which record's number in full, for the security log: never the number itself.
    const user = requireUser(ctx);
    signalsOf(ctx.ds).emit('identityRead', {
      userId: user.id,
      username: user.username,
      entity: 'Registration',
      entityId: String(reg.id),
      requestId: ctx.requestId,
      address: ctx.ip,
    });
    return full;
  }

  @Authorized(Role.AUDITOR)
  @ReadsColumns('idCipher', 'idKeyId', 'idType')
  @FieldResolver(() => String, {
    nullable: true,
    description:
      'Where a resident id number was issued: the GB/T 2260 division of its first six digits, province first (e.g. "湖北省荆州市沙市区"), as far as the reference (GB/T 2260 editions 2002-12 on) knows it; null for other documents and for impossible provinces. AUDITOR and ADMIN only, like idNumber',
  })
  idRegionName(@Root() reg: Registration, @Ctx() ctx: Context): string | null {
    if (reg.idType !== IdType.RESIDENT_ID) return null;
    return regionName(identityCipher(ctx.config).decrypt(reg.idCipher, reg.idKeyId).slice(0, 6));
  }
}
