import { Part } from '../../src/modules/parts/part.entity';
import { StockLevel } from '../../src/modules/parts/stock-level.entity';
import { StockLocation } from '../../src/modules/parts/stock-location.entity';
import { Region } from '../../src/modules/regions/region.entity';
import { rawRows, sqlOf, statementCacheStats } from '../../src/runtime/sql/statement-cache';
import { startTestApp, TestApp } from '../helpers/app';

/**
 * The statement cache (src/runtime/sql/statement-cache.ts) on the database under test: a builder's
 * text is built once per shape and gives exactly what TypeORM itself gives for every parameter
 * value; a builder with anything outside the shape is built every time.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const shelf = (partnerId: number, opts: { partIds?: number[]; inStock?: boolean } = {}) => {
  const qb = t.app.ds
    .getRepository(StockLevel)
    .createQueryBuilder('sl')
    .innerJoin(StockLocation, 'l', 'l.id = sl.locationId')
    .leftJoin(Part, 'jp', 'jp.id = sl.partId')
    .select(['sl.id', 'sl.onHand', 'jp.sku'])
    .where('l.partnerId = :partnerId', { partnerId });
  if (opts.partIds) qb.andWhere('sl.partId IN (:...partIds)', { partIds: opts.partIds });
  if (opts.inStock) qb.andWhere('sl.onHand > 0');
  return qb.orderBy('sl.id', 'ASC').limit(51);
};

const counts = () => ({ ...statementCacheStats });

describe('statement cache', () => {
  it('builds a shape once and binds each execution its own values, as TypeORM does', () => {
    const before = counts();
    for (const [partnerId, partIds] of [
      [1, [1, 2]],
      [2, [3, 4, 5]],
      [7, [9]],
    ] as [number, number[]][]) {
      const qb = shelf(partnerId, { partIds });
      expect(sqlOf(qb)).toEqual(qb.getQueryAndParameters());
    }
    const after = counts();
    expect(after.misses - before.misses).toBe(1);
    expect(after.hits - before.hits).toBe(2);
  });

  it('tells shapes apart: another condition, select, limit or order is another text', () => {
    const texts = new Set([
      sqlOf(shelf(1))[0],
      sqlOf(shelf(1, { inStock: true }))[0],
      sqlOf(shelf(1).limit(11))[0],
      sqlOf(shelf(1).addSelect('jp.name'))[0],
      sqlOf(shelf(1).orderBy('sl.id', 'DESC'))[0],
      sqlOf(shelf(1).offset(5))[0],
    ]);
    expect(texts.size).toBe(6);
    for (const qb of [shelf(1), shelf(1, { inStock: true }), shelf(1).limit(11), shelf(1).orderBy('sl.id', 'DESC')]) {
      expect(sqlOf(qb)).toEqual(qb.getQueryAndParameters());
    }
  });

  it('builds every time a builder that holds what the shape does not cover', () => {
    const before = counts();
    const grouped = () => shelf(1).groupBy('sl.id');
    const distinct = () => shelf(1).distinct(true);
    for (const make of [grouped, distinct, grouped, distinct]) {
      const qb = make();
      expect(sqlOf(qb)).toEqual(qb.getQueryAndParameters());
    }
    const after = counts();
    expect(after.uncacheable - before.uncacheable).toBe(4);
    expect(after.hits - before.hits).toBe(0);
  });

  it('reads the same rows as getRawMany, inside a transaction too', async () => {
    const regions = (codes: string[]) =>
      t.app.ds.getRepository(Region).createQueryBuilder('r').select(['r.id', 'r.code']).where('r.code IN (:...codes)', { codes }).orderBy('r.id').limit(5);
    for (const codes of [['SHASHI', 'SONGZI'], ['JIANLI'], ['GONGAN', 'HONGHU', 'SHISHOU']]) {
      const rows = await rawRows(regions(codes));
      expect(rows).toHaveLength(codes.length);
      expect(rows).toEqual(await regions(codes).getRawMany());
    }
    await t.app.ds.transaction(async (em) => {
      const qb = em.getRepository(Region).createQueryBuilder('r').select(['r.id']).where('r.id >= :n', { n: 0 }).orderBy('r.id').limit(3);
      expect(await rawRows(qb)).toEqual(await qb.getRawMany());
    });
  });
});
