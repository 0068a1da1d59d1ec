import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { byKey, groupByKey } from '../../common/loaders';
import { toFen } from '../../common/money';
import { PartsDocumentLine } from './document-line.entity';
import { Part, PartCompatibleModel } from './part.entity';
import { PartsIssue } from './parts-issue.entity';
import { placeholders } from '../../common/db';
import { StockLevel } from './stock-level.entity';
import { LocationKind, StockLocation } from './stock-location.entity';
import { StockDocumentType } from './stock-movement.entity';
import { StocktakeLine } from './stocktake.entity';
import { Supplier } from './supplier.entity';

/** A level with where it is, so a resolver can hide other shops' shelves without another query. */
export interface LevelWithPlace extends StockLevel {
  locationKind: LocationKind;
  locationPartnerId: number | null;
}

export function documentKey(type: StockDocumentType, id: number): string {
  return `${type}:${id}`;
}

export function createPartsLoaders(ds: DataSource) {
  const ids = <T extends { id: number }>(entity: new () => T) =>
    new DataLoader<number, T | null>(async (keys) => byKey(keys, await ds.getRepository(entity).findBy({ id: In([...keys]) } as never), (r) => r.id));

  return {
    partById: ids(Part),
    locationById: ids(StockLocation),
    supplierById: ids(Supplier),
    issueById: ids(PartsIssue),
    /** Read-only view of the repair module's rows (its own loaders may not exist yet). */

    /** Every level of each part, with its location's kind and partner. */
    levelsByPartId: new DataLoader<number, LevelWithPlace[]>(async (keys) => {
      const rows: Record<string, unknown>[] = await ds.query(
        `SELECT sl.id, sl.partId, sl.locationId, sl.onHand, sl.unitCostFen, sl.updatedAt, l.kind AS locationKind, l.partnerId AS locationPartnerId
           FROM stock_level sl JOIN stock_location l ON l.id = sl.locationId
          WHERE sl.partId IN (${placeholders(keys.length)})
          ORDER BY CASE WHEN l.kind = ? THEN 0 ELSE 1 END, sl.locationId`,
        [...keys, LocationKind.CENTRE],
      );
      const levels = rows.map(
        (r) =>
          Object.assign(new StockLevel(), {
            id: Number(r.id),
            partId: Number(r.partId),
            locationId: Number(r.locationId),
            onHand: Number(r.onHand),
            unitCostFen: toFen(r.unitCostFen),
            updatedAt: r.updatedAt instanceof Date ? r.updatedAt : new Date(`${String(r.updatedAt).replace(' ', 'T')}Z`),
            locationKind: r.locationKind as LocationKind,
            locationPartnerId: r.locationPartnerId == null ? null : Number(r.locationPartnerId),
          }) as LevelWithPlace,
      );
      return groupByKey(keys, levels, (l) => l.partId);
    }),

    /** The centre's level of each part: its unit cost and what the centre has. */
    centreLevelByPartId: new DataLoader<number, StockLevel | null>(async (keys) => {
      const rows = await ds
        .getRepository(StockLevel)
        .createQueryBuilder('sl')
        .innerJoin(StockLocation, 'l', 'l.id = sl.locationId AND l.kind = :centre', { centre: LocationKind.CENTRE })
        .where('sl.partId IN (:...keys)', { keys: [...keys] })
        .getMany();
      return byKey(keys, rows, (r) => r.partId);
    }),

    compatibleModelsByPartId: new DataLoader<number, PartCompatibleModel[]>(async (keys) =>
      groupByKey(keys, await ds.getRepository(PartCompatibleModel).find({ where: { partId: In([...keys]) }, order: { id: 'ASC' } }), (m) => m.partId),
    ),

    /** Lines of any stock document, keyed "TYPE:id". */
    linesByDocument: new DataLoader<string, PartsDocumentLine[]>(async (keys) => {
      const pairs = keys.map((k) => {
        const [type, id] = k.split(':');
        return { type, id: Number(id) };
      });
      const types = [...new Set(pairs.map((p) => p.type))];
      const rows = await ds
        .getRepository(PartsDocumentLine)
        .find({ where: { documentType: In(types) as never, documentId: In(pairs.map((p) => p.id)) }, order: { id: 'ASC' } });
      return groupByKey(keys, rows, (r) => documentKey(r.documentType, r.documentId));
    }),

    stocktakeLinesById: new DataLoader<number, StocktakeLine[]>(async (keys) =>
      groupByKey(keys, await ds.getRepository(StocktakeLine).find({ where: { stocktakeId: In([...keys]) }, order: { id: 'ASC' } }), (l) => l.stocktakeId),
    ),
  };
}

export type PartsLoaders = ReturnType<typeof createPartsLoaders>;

declare module '../../common/context' {
  interface Loaders {
    parts: ReturnType<typeof createPartsLoaders>;
  }
}
