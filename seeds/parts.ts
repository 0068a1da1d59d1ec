import { EntityManager } from 'typeorm';
import type { AppConfig } from '../src/config';
import { SHANGHAI_OFFSET_MS } from '../src/common/period';
import { intBetween, seededRandom } from '../src/common/random';
import { createPart, createSupplier } from '../src/modules/parts/catalog.service';
import { ensureFund, recordFundRepayment } from '../src/modules/parts/fund.service';
import { consumeParts, issueParts, returnParts } from '../src/modules/parts/issue.service';
import { createCentreLocation } from '../src/modules/parts/location.service';
import { PartCategory } from '../src/modules/parts/part.entity';
import { receivePurchase, recordStocktake } from '../src/modules/parts/stock.service';

/** The document's three buying cities. */
export const SUPPLIERS = [
  { name: '深圳華強北通訊配件行 Shenzhen Huaqiangbei Telecom Parts', city: 'Shenzhen', contactName: '陳經理', contactPhone: '0755-83260000' },
  { name: '廣州西堤手機配件批發 Guangzhou Xidi Handset Parts Wholesale', city: 'Guangzhou', contactName: '李經理', contactPhone: '020-81880000' },
  { name: '武漢漢正街通訊器材 Wuhan Hanzheng Telecom Supplies', city: 'Wuhan', contactName: '王經理', contactPhone: '027-85880000' },
];

/** Reference data every database needs (tests included): the centre, the suppliers, the fund row. */
export async function seedPartsReference(em: EntityManager, config: AppConfig): Promise<void> {
  const now = new Date();
  await createCentreLocation(em);
  await ensureFund(em, now, { limitFen: config.partsFundLimitFen, defaultPartnerCapFen: config.partsFundDefaultCapFen });
  for (const s of SUPPLIERS) await createSupplier(em, null, s, now);
}

/** CDMA handsets of the repair module's handset catalog, and what breaks in them. */
const MODELS: { brand: string; model: string; code: string; screenFen: number }[] = [
  { brand: 'Samsung', model: 'SCH-X199', code: 'SX199', screenFen: 8800 },
  { brand: 'Samsung', model: 'SCH-X339', code: 'SX339', screenFen: 9600 },
  { brand: 'Samsung', model: 'SCH-X799', code: 'SX799', screenFen: 12800 },
  { brand: 'Motorola', model: 'C289', code: 'MC289', screenFen: 6500 },
  { brand: 'Motorola', model: 'V680', code: 'MV680', screenFen: 11500 },
  { brand: 'LG', model: 'LG-KX206', code: 'LKX206', screenFen: 7200 },
  { brand: 'Kyocera', model: 'KZ-820', code: 'KZ820', screenFen: 8200 },
  { brand: 'Hisense', model: 'C108', code: 'HSC108', screenFen: 6900 },
];

const KINDS: { category: PartCategory; suffix: string; name: string; factor: number; reorder: number }[] = [
  { category: PartCategory.SCREEN, suffix: 'LCD', name: 'LCD screen assembly', factor: 1, reorder: 6 },
  { category: PartCategory.BATTERY, suffix: 'BAT', name: 'Li-ion battery', factor: 0.35, reorder: 10 },
  { category: PartCategory.KEYPAD, suffix: 'KEY', name: 'keypad membrane', factor: 0.12, reorder: 8 },
  { category: PartCategory.HOUSING, suffix: 'HSG', name: 'front and back housing', factor: 0.25, reorder: 4 },
];

const UNIVERSAL: { sku: string; name: string; category: PartCategory; unitCostFen: number; reorderPoint: number }[] = [
  { sku: 'U-SPK-15MM', name: 'Receiver speaker 8 ohm 15 mm', category: PartCategory.SPEAKER, unitCostFen: 450, reorderPoint: 20 },
  { sku: 'U-MIC-4015', name: 'Electret microphone 4015', category: PartCategory.MICROPHONE, unitCostFen: 300, reorderPoint: 20 },
  { sku: 'U-CON-18P', name: '18-pin charging connector', category: PartCategory.CONNECTOR, unitCostFen: 650, reorderPoint: 15 },
  { sku: 'U-PMIC-6050', name: 'Power management IC (PM6050)', category: PartCategory.CHIP, unitCostFen: 1800, reorderPoint: 5 },
];

function shanghai(year: number, month: number, day: number, hour = 10): Date {
  return new Date(Date.UTC(year, month - 1, day, hour) - SHANGHAI_OFFSET_MS);
}

/**
 * A catalog of 36 parts, six purchases from the three cities, issues to the demo partners on the
 * fund, a few repayments, a return, consumption against open repair orders and a stocktake. All
 * through the services (so the ledgers balance), with fixed dates and a seeded PRNG.
 */
export async function seedPartsDemo(em: EntityManager, _config: AppConfig): Promise<void> {
  const rand = seededRandom('parts-demo');
  const created = shanghai(2025, 1, 2);

  const partIds: { id: number; brand: string | null; model: string | null; unitCostFen: number }[] = [];
  for (const m of MODELS) {
    for (const k of KINDS) {
      const unitCostFen = Math.round((m.screenFen * k.factor) / 10) * 10;
      const part = await createPart(
        em,
        null,
        {
          sku: `${m.code}-${k.suffix}`,
          name: `${m.brand} ${m.model} ${k.name}`,
          category: k.category,
          unitCostFen,
          reorderPoint: k.reorder,
          compatibleModels: [{ brand: m.brand, model: m.model }],
        },
        created,
      );
      partIds.push({ id: part.id, brand: m.brand, model: m.model, unitCostFen });
    }
  }
  for (const u of UNIVERSAL) {
    const part = await createPart(em, null, { ...u, compatibleModels: [] }, created);
    partIds.push({ id: part.id, brand: null, model: null, unitCostFen: u.unitCostFen });
  }

  const suppliers: { id: number }[] = await em.query(`SELECT id FROM supplier ORDER BY id`);
  // Six deliveries, two from each city; prices wander around the list price so the averages move.
  for (let i = 0; i < 6; i++) {
    const supplierId = String(suppliers[i % suppliers.length].id);
    const lines = partIds
      .filter((_, j) => (j + i) % 3 !== 0)
      .map((p) => ({
        partId: String(p.id),
        quantity: intBetween(rand, 5, 30),
        unitCostFen: Math.max(10, Math.round((p.unitCostFen * (0.9 + rand() * 0.2)) / 10) * 10),
      }));
    await receivePurchase(em, null, { supplierId, reference: `DN-2025-${String(i + 1).padStart(3, '0')}`, lines }, shanghai(2025, 1 + i, 8));
  }

  const partners: { id: number; code: string }[] = await em.query(`SELECT id, code FROM repair_partner WHERE status = 'ACTIVE' ORDER BY id LIMIT 6`);
  for (const [n, p] of partners.entries()) {
    for (let k = 0; k < 3; k++) {
      const picks = new Map<number, number>();
      for (let j = 0; j < 4; j++) picks.set(partIds[intBetween(rand, 0, partIds.length - 1)].id, intBetween(rand, 1, 3));
      await issueParts(
        em,
        null,
        {
          partnerId: String(p.id),
          lines: [...picks].map(([partId, quantity]) => ({ partId: String(partId), quantity })),
          idempotencyKey: `seed-${p.code}-${k + 1}`,
        },
        { now: shanghai(2025, 2 + k * 2, 10 + n) },
      );
    }
    // Most shops repay part of what they drew; the first one nothing, so the fund shows an old debt.
    if (n > 0) {
      const rows: { outstandingFen: unknown }[] = await em.query(`SELECT outstandingFen FROM fund_account WHERE partnerId = ?`, [p.id]);
      const owed = Number(rows[0]?.outstandingFen ?? 0);
      const amountFen = Math.floor((owed * (n % 2 ? 0.6 : 0.3)) / 100) * 100;
      if (amountFen > 0) {
        await recordFundRepayment(
          em,
          null,
          { partnerId: String(p.id), amountFen, reference: `BANK-2025-${p.code}`, note: 'bank transfer' },
          shanghai(2025, 6, 20),
        );
      }
    }
  }

  if (partners.length) {
    // Parts used in the first partner's open orders where a part on its shelf fits the handset.
    const p = partners[0];
    const shelf: { partId: number; onHand: number }[] = await em.query(
      `SELECT sl.partId, sl.onHand FROM stock_level sl JOIN stock_location l ON l.id = sl.locationId WHERE l.partnerId = ? AND sl.onHand > 0 ORDER BY sl.partId`,
      [p.id],
    );
    const orders: { id: number; brand: string; model: string }[] = await em.query(
      `SELECT id, brand, model FROM repair_order WHERE partnerId = ? AND status IN ('RECEIVED','DIAGNOSED','IN_REPAIR','READY') ORDER BY id LIMIT 20`,
      [p.id],
    );
    const left = new Map(shelf.map((s) => [Number(s.partId), Number(s.onHand)]));
    for (const o of orders) {
      const fit = partIds.find(
        (x) => (left.get(x.id) ?? 0) > 0 && x.brand?.toLowerCase() === o.brand.toLowerCase() && x.model?.toLowerCase() === o.model.toLowerCase(),
      );
      if (!fit) continue;
      await consumeParts(em, null, { repairOrderId: String(o.id), lines: [{ partId: String(fit.id), quantity: 1 }] }, shanghai(2025, 6, 25));
      left.set(fit.id, left.get(fit.id)! - 1);
    }
    const back = [...left].find(([, q]) => q > 0);
    if (back) {
      await returnParts(em, null, { partnerId: String(p.id), lines: [{ partId: String(back[0]), quantity: 1 }], reason: 'not needed' }, shanghai(2025, 6, 28));
    }
  }

  const centre: { id: number }[] = await em.query(`SELECT id FROM stock_location WHERE kind = 'CENTRE'`);
  const counted: { partId: number; onHand: number }[] = await em.query(
    `SELECT partId, onHand FROM stock_level WHERE locationId = ? AND onHand > 2 ORDER BY partId LIMIT 3`,
    [centre[0].id],
  );
  if (counted.length) {
    await recordStocktake(
      em,
      null,
      {
        locationId: String(centre[0].id),
        note: 'half-year count',
        lines: counted.map((c, i) => ({
          partId: String(c.partId),
          countedQuantity: Number(c.onHand) - (i === 0 ? 1 : 0),
          reason: i === 0 ? 'damaged in storage' : null,
        })),
      },
      shanghai(2025, 6, 30, 17),
    );
  }
}
