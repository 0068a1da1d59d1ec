import { EntityManager } from 'typeorm';
import { Region, RegionKind } from '../src/modules/regions/region.entity';

/** The eight regions of the document: two city districts and six counties. Fixed ids. */
export const REGIONS: { id: number; code: string; name: string; kind: RegionKind }[] = [
  { id: 1, code: 'SHASHI', name: '沙市', kind: RegionKind.CITY_DISTRICT },
  { id: 2, code: 'JINGZHOU', name: '荊州', kind: RegionKind.CITY_DISTRICT },
  { id: 3, code: 'SONGZI', name: '松滋', kind: RegionKind.COUNTY },
  { id: 4, code: 'GONGAN', name: '公安', kind: RegionKind.COUNTY },
  { id: 5, code: 'SHISHOU', name: '石首', kind: RegionKind.COUNTY },
  { id: 6, code: 'JIANLI', name: '監利', kind: RegionKind.COUNTY },
  { id: 7, code: 'HONGHU', name: '洪湖', kind: RegionKind.COUNTY },
  { id: 8, code: 'JIANGLING', name: '江陵', kind: RegionKind.COUNTY },
];

export async function seedRegions(em: EntityManager): Promise<void> {
  await em.getRepository(Region).insert(REGIONS);
}
