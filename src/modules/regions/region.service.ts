import { EntityManager } from 'typeorm';
import { BadInputError } from '../../common/errors';
import { Region } from './region.entity';

export function listRegions(em: EntityManager): Promise<Region[]> {
  return em.getRepository(Region).find({ order: { id: 'ASC' } });
}

/** Resolve a region code from input; BAD_USER_INPUT naming the field when unknown. */
export async function regionByCode(em: EntityManager, code: string, field = 'regionCode'): Promise<Region> {
  const region = await em.getRepository(Region).findOne({ where: { code } });
  if (!region) throw new BadInputError(field, `unknown region "${code}"`);
  return region;
}
