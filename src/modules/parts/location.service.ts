import { EntityManager } from 'typeorm';
import { LocationKind, StockLocation } from './stock-location.entity';

/** Every partner has one shelf; the repair module calls this when it creates a partner (same transaction). */
export async function createPartnerLocation(em: EntityManager, partnerId: number, partnerName: string): Promise<StockLocation> {
  const repo = em.getRepository(StockLocation);
  const location = repo.create({ kind: LocationKind.PARTNER, partnerId, name: `${partnerName} shelf` });
  return repo.save(location);
}
