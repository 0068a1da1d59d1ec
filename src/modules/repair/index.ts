import type { FeatureModule } from '../module';
import { RepairConflict } from './repair.errors';
import { REPAIR_READ_ROLES } from './repair.roles';
import { ALL_ROLES } from '../../common/roles';
import { RepairPartner } from './repair-partner.entity';
import { PartnerContact } from './partner-contact.entity';
import { HandsetBrand, HandsetModel } from './handset.entity';
import { BrandAuthorization } from './brand-authorization.entity';
import { Equipment, EquipmentCustody } from './equipment.entity';
import { RepairPrice, RepairPriceChange, RepairServiceType } from './repair-price.entity';
import { RepairOrder, RepairOrderStatusSpan } from './repair-order.entity';
import { RepairPartnerResolver } from './partner.resolver';
import { HandsetBrandResolver, HandsetModelResolver } from './handset.resolver';
import { BrandAuthorizationResolver, BrandCoverageEntryResolver } from './authorization.resolver';
import { EquipmentCustodyResolver, EquipmentResolver } from './equipment.resolver';
import { PriceIndexPartnerResolver, RepairPriceResolver } from './price.resolver';
import { PartnerTurnaroundResolver, RepairOrderResolver, RepairOrderStatusSpanResolver } from './repair-order.resolver';

export const repairModule: FeatureModule = {
  name: 'repair',
  conflictReasons: RepairConflict,
  entities: [
    RepairPartner,
    PartnerContact,
    HandsetBrand,
    HandsetModel,
    BrandAuthorization,
    Equipment,
    EquipmentCustody,
    RepairServiceType,
    RepairPrice,
    RepairPriceChange,
    RepairOrder,
    RepairOrderStatusSpan,
  ],
  resolvers: [
    RepairPartnerResolver,
    HandsetBrandResolver,
    HandsetModelResolver,
    BrandAuthorizationResolver,
    BrandCoverageEntryResolver,
    EquipmentResolver,
    EquipmentCustodyResolver,
    RepairPriceResolver,
    PriceIndexPartnerResolver,
    RepairOrderResolver,
    RepairOrderStatusSpanResolver,
    PartnerTurnaroundResolver,
  ],
  changeLogReaders: {
    RepairPartner: REPAIR_READ_ROLES,
    Equipment: REPAIR_READ_ROLES,
    BrandAuthorization: REPAIR_READ_ROLES,
    RepairOrder: REPAIR_READ_ROLES,
    RepairPrice: REPAIR_READ_ROLES,
    // handsetBrands / models are readable by every role.
    HandsetBrand: ALL_ROLES,
    HandsetModel: ALL_ROLES,
  },
};
