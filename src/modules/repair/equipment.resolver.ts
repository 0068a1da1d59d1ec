import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { REPAIR_READ_ROLES } from './repair.roles';
import { requireUser, tenantPartnerOf } from '../../common/auth';
import { parseId } from '../../common/ids';
import { Connection, ConnectionArgs } from '../../common/pagination';
import { Role } from '../../common/roles';
import { inTransaction } from '../../common/tx';
import type { Context } from '../../common/context';
import { Equipment, EquipmentCustody, EquipmentStatus } from './equipment.entity';
import { getEquipment, lendEquipment, listEquipment, registerEquipment, returnEquipment } from './equipment.service';
import { RepairPartner } from './repair-partner.entity';
import { EquipmentFilter, RegisterEquipmentInput } from './repair.inputs';

const EquipmentConnection = Connection(Equipment);

@Resolver(() => Equipment)
export class EquipmentResolver {
  @Authorized(...REPAIR_READ_ROLES)
  @Query(() => EquipmentConnection, { description: 'Lent repair equipment; a REPAIR_PARTNER sees what it holds now' })
  equipment(@Ctx() ctx: Context, @Args() args: ConnectionArgs, @Arg('filter', () => EquipmentFilter, { nullable: true }) filter?: EquipmentFilter) {
    return listEquipment(ctx.ds.manager, requireUser(ctx), filter ?? {}, args);
  }

  @Authorized(...REPAIR_READ_ROLES)
  @Query(() => Equipment, { nullable: true })
  equipmentItem(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Equipment> {
    return getEquipment(ctx.ds.manager, requireUser(ctx), parseId(id, 'id'));
  }

  @Authorized(Role.AFTERSALES_STAFF)
  @Mutation(() => Equipment)
  registerEquipment(@Ctx() ctx: Context, @Arg('input') input: RegisterEquipmentInput): Promise<Equipment> {
    return inTransaction(ctx.ds, (em) => registerEquipment(em, requireUser(ctx), input));
  }

  @Authorized(Role.AFTERSALES_STAFF)
  @Mutation(() => Equipment, { description: 'CONFLICT while another partner holds it' })
  lendEquipment(
    @Ctx() ctx: Context,
    @Arg('equipmentId', () => ID) equipmentId: string,
    @Arg('partnerId', () => ID) partnerId: string,
    @Arg('note', () => String, { nullable: true }) note?: string,
  ): Promise<Equipment> {
    return inTransaction(ctx.ds, (em) => lendEquipment(em, requireUser(ctx), parseId(equipmentId, 'equipmentId'), parseId(partnerId, 'partnerId'), note));
  }

  @Authorized(Role.AFTERSALES_STAFF)
  @Mutation(() => Equipment)
  returnEquipment(
    @Ctx() ctx: Context,
    @Arg('equipmentId', () => ID) equipmentId: string,
    @Arg('note', () => String, { nullable: true }) note?: string,
  ): Promise<Equipment> {
    return inTransaction(ctx.ds, (em) => returnEquipment(em, requireUser(ctx), parseId(equipmentId, 'equipmentId'), note));
  }

  @FieldResolver(() => EquipmentStatus)
  status(@Root() item: Equipment): EquipmentStatus {
    return item.custodianPartnerId == null ? EquipmentStatus.AVAILABLE : EquipmentStatus.LENT;
  }

  @FieldResolver(() => RepairPartner, { nullable: true, description: 'The partner holding it now' })
  async custodian(@Root() item: Equipment, @Ctx() ctx: Context): Promise<RepairPartner | null> {
    return item.custodianPartnerId == null ? null : ctx.loaders.repair.partnerById.load(item.custodianPartnerId);
  }

  @FieldResolver(() => [EquipmentCustody], { description: 'Who held it when, newest first (a partner sees its own periods only)' })
  async custody(@Root() item: Equipment, @Ctx() ctx: Context): Promise<EquipmentCustody[]> {
    const list = await ctx.loaders.repair.custodyByEquipmentId.load(item.id);
    const own = tenantPartnerOf(requireUser(ctx));
    return own == null ? list : list.filter((c) => c.partnerId === own);
  }
}

@Resolver(() => EquipmentCustody)
export class EquipmentCustodyResolver {
  @FieldResolver(() => RepairPartner)
  async partner(@Root() c: EquipmentCustody, @Ctx() ctx: Context): Promise<RepairPartner> {
    return (await ctx.loaders.repair.partnerById.load(c.partnerId))!;
  }
}
