import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { byKey, groupByKey } from '../../common/loaders';
import { BrandAuthorization } from './brand-authorization.entity';
import { Equipment, EquipmentCustody } from './equipment.entity';
import { HandsetBrand, HandsetModel } from './handset.entity';
import { PartnerContact } from './partner-contact.entity';
import { RepairOrder, RepairOrderStatusSpan } from './repair-order.entity';
import { RepairPartner } from './repair-partner.entity';
import { RepairPrice, RepairPriceChange, RepairServiceType } from './repair-price.entity';

/** Key of a partner's price for one service type. */
export function priceKey(partnerId: number, serviceType: string): string {
  return `${partnerId}|${serviceType}`;
}

/** Per-request batch loaders: one statement per relation, whatever the length of the list asking. */
export function createRepairLoaders(ds: DataSource) {
  return {
    partnerById: new DataLoader<number, RepairPartner | null>(async (ids) =>
      byKey(ids, await ds.getRepository(RepairPartner).findBy({ id: In([...ids]) }), (p) => p.id),
    ),
    /** Also parts' and loaners' (issue documents, loans): repair owns its entities' loaders. */
    repairOrderById: new DataLoader<number, RepairOrder | null>(async (ids) =>
      byKey(ids, await ds.getRepository(RepairOrder).findBy({ id: In([...ids]) }), (o) => o.id),
    ),
    contactsByPartnerId: new DataLoader<number, PartnerContact[]>(async (ids) =>
      groupByKey(ids, await ds.getRepository(PartnerContact).find({ where: { partnerId: In([...ids]) }, order: { id: 'ASC' } }), (c) => c.partnerId),
    ),
    authorizationsByPartnerId: new DataLoader<number, BrandAuthorization[]>(async (ids) =>
      groupByKey(
        ids,
        await ds.getRepository(BrandAuthorization).find({ where: { partnerId: In([...ids]) }, order: { validTo: 'DESC', id: 'DESC' } }),
        (a) => a.partnerId,
      ),
    ),
    pricesByPartnerId: new DataLoader<number, RepairPrice[]>(async (ids) =>
      groupByKey(ids, await ds.getRepository(RepairPrice).find({ where: { partnerId: In([...ids]) }, order: { serviceType: 'ASC' } }), (p) => p.partnerId),
    ),
    priceHistory: new DataLoader<string, RepairPriceChange[]>(async (keys) => {
      const partnerIds = [...new Set(keys.map((k) => Number(k.split('|')[0])))];
      const types = [...new Set(keys.map((k) => k.split('|')[1]))];
      const rows = await ds.getRepository(RepairPriceChange).find({
        where: { partnerId: In(partnerIds), serviceType: In(types) },
        order: { effectiveFrom: 'DESC', id: 'DESC' },
      });
      return groupByKey(keys, rows, (r) => priceKey(r.partnerId, r.serviceType));
    }),
    serviceTypeByCode: new DataLoader<string, RepairServiceType | null>(async (codes) =>
      byKey(codes, await ds.getRepository(RepairServiceType).findBy({ code: In([...codes]) }), (t) => t.code),
    ),
    equipmentByCustodianId: new DataLoader<number, Equipment[]>(async (ids) =>
      groupByKey(
        ids,
        await ds.getRepository(Equipment).find({ where: { custodianPartnerId: In([...ids]) }, order: { id: 'ASC' } }),
        (e) => e.custodianPartnerId!,
      ),
    ),
    custodyByEquipmentId: new DataLoader<number, EquipmentCustody[]>(async (ids) =>
      groupByKey(ids, await ds.getRepository(EquipmentCustody).find({ where: { equipmentId: In([...ids]) }, order: { id: 'DESC' } }), (c) => c.equipmentId),
    ),
    brandById: new DataLoader<number, HandsetBrand | null>(async (ids) =>
      byKey(ids, await ds.getRepository(HandsetBrand).findBy({ id: In([...ids]) }), (b) => b.id),
    ),
    modelsByBrandId: new DataLoader<number, HandsetModel[]>(async (ids) =>
      groupByKey(ids, await ds.getRepository(HandsetModel).find({ where: { brandId: In([...ids]) }, order: { name: 'ASC' } }), (m) => m.brandId),
    ),
    spansByOrderId: new DataLoader<number, RepairOrderStatusSpan[]>(async (ids) =>
      groupByKey(ids, await ds.getRepository(RepairOrderStatusSpan).find({ where: { orderId: In([...ids]) }, order: { id: 'ASC' } }), (s) => s.orderId),
    ),
  };
}

export type RepairLoaders = ReturnType<typeof createRepairLoaders>;

declare module '../../common/context' {
  interface Loaders {
    repair: ReturnType<typeof createRepairLoaders>;
  }
}
