import { EntityManager } from 'typeorm';
import { Network } from '../src/common/network';
import type { AppConfig } from '../src/config';
import { seededRandom, pick, intBetween } from '../src/common/random';
import { SHANGHAI_OFFSET_MS } from '../src/common/period';
import { imeiFromBody } from '../src/common/validators/serial';
import { BrandAuthorization, GrantedVia } from '../src/modules/repair/brand-authorization.entity';
import { Equipment, EquipmentCustody } from '../src/modules/repair/equipment.entity';
import { HandsetBrand, HandsetModel } from '../src/modules/repair/handset.entity';
import { PartnerContact } from '../src/modules/repair/partner-contact.entity';
import { OPEN_REPAIR_STATUSES, RepairOrder, RepairOrderStatus, RepairOrderStatusSpan } from '../src/modules/repair/repair-order.entity';
import { PartnerStatus, RepairPartner } from '../src/modules/repair/repair-partner.entity';
import { RepairPrice, RepairPriceChange, RepairServiceType } from '../src/modules/repair/repair-price.entity';
import { createPartnerLocation } from '../src/modules/parts/location.service';

/**
 * Brands and models a 2005 CDMA network (C網) sold, and a few GSM-only brands of the time for
 * contrast: the coverage report counts only brands with CDMA models.
 */
export const HANDSET_BRANDS: { code: string; name: string; models: [string, Network][] }[] = [
  {
    code: 'SAMSUNG',
    name: 'Samsung',
    models: [
      ['SCH-X199', Network.CDMA],
      ['SCH-X339', Network.CDMA],
      ['SCH-X609', Network.CDMA],
      ['SCH-X799', Network.CDMA],
      ['SGH-E708', Network.GSM],
      ['SGH-D508', Network.GSM],
    ],
  },
  {
    code: 'MOTOROLA',
    name: 'Motorola',
    models: [
      ['V680', Network.CDMA],
      ['V860', Network.CDMA],
      ['C289', Network.CDMA],
      ['V3', Network.GSM],
      ['E398', Network.GSM],
    ],
  },
  {
    code: 'LG',
    name: 'LG',
    models: [
      ['LG-C910', Network.CDMA],
      ['LG-KX206', Network.CDMA],
      ['LG-C3100', Network.CDMA],
      ['LG-G7070', Network.GSM],
    ],
  },
  {
    code: 'KYOCERA',
    name: 'Kyocera',
    models: [
      ['KZ-820', Network.CDMA],
      ['KZ-830', Network.CDMA],
      ['KX-1', Network.CDMA],
    ],
  },
  {
    code: 'NOKIA',
    name: 'Nokia',
    models: [
      ['2280', Network.CDMA],
      ['2285', Network.CDMA],
      ['6016i', Network.CDMA],
      ['6108', Network.GSM],
      ['3100', Network.GSM],
    ],
  },
  {
    code: 'ZTE',
    name: 'ZTE',
    models: [
      ['C370', Network.CDMA],
      ['C580', Network.CDMA],
      ['ZTE-X760', Network.CDMA],
    ],
  },
  {
    code: 'HUAWEI',
    name: 'Huawei',
    models: [
      ['C2285', Network.CDMA],
      ['C5100', Network.CDMA],
      ['ETS-668', Network.CDMA],
    ],
  },
  {
    code: 'HISENSE',
    name: 'Hisense',
    models: [
      ['C108', Network.CDMA],
      ['C3000', Network.CDMA],
      ['C2030', Network.CDMA],
    ],
  },
  {
    code: 'ALCATEL',
    name: 'Alcatel',
    models: [
      ['OT-C550', Network.CDMA],
      ['OT-C635', Network.CDMA],
      ['OT-556', Network.GSM],
    ],
  },
  {
    code: 'SONY_ERICSSON',
    name: 'Sony Ericsson',
    models: [
      ['K700c', Network.GSM],
      ['T618', Network.GSM],
    ],
  },
  {
    code: 'SIEMENS',
    name: 'Siemens',
    models: [
      ['CF62', Network.GSM],
      ['A65', Network.GSM],
    ],
  },
  {
    code: 'BIRD',
    name: 'Bird',
    models: [
      ['S1188', Network.GSM],
      ['V6', Network.GSM],
    ],
  },
];

export const REPAIR_SERVICE_TYPES: { code: string; name: string; basePriceFen: number }[] = [
  { code: 'SCREEN', name: 'Screen replacement (換屏)', basePriceFen: 18_000 },
  { code: 'BATTERY', name: 'Battery replacement (換電池)', basePriceFen: 6_000 },
  { code: 'CHARGING_PORT', name: 'Charging port (尾插)', basePriceFen: 5_000 },
  { code: 'BOARD_REPAIR', name: 'Board repair (主板維修)', basePriceFen: 15_000 },
  { code: 'KEYPAD', name: 'Keypad (按鍵)', basePriceFen: 4_000 },
  { code: 'EARPIECE', name: 'Earpiece or speaker (聽筒/喇叭)', basePriceFen: 4_500 },
  { code: 'ANTENNA', name: 'Antenna and signal (天線/信號)', basePriceFen: 6_000 },
  { code: 'HOUSING', name: 'Housing (外殼)', basePriceFen: 5_000 },
  { code: 'SOFTWARE', name: 'Software flash (刷機)', basePriceFen: 3_000 },
  { code: 'WATER_DAMAGE', name: 'Water damage (進水處理)', basePriceFen: 8_000 },
];

const CHUNK = 200;

async function insertChunks<T>(em: EntityManager, entity: new () => T, rows: object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await em
      .createQueryBuilder()
      .insert()
      .into(entity)
      .values(rows.slice(i, i + CHUNK) as never)
      .execute();
  }
}

/** Brands, models and service types: every database needs them (tests included). */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export async function seedRepairReference(em: EntityManager, config: AppConfig): Promise<void> {
  const now = new Date();
  await insertChunks(
    em,
    HandsetBrand,
    HANDSET_BRANDS.map((b) => ({ code: b.code, name: b.name, createdAt: now })),
  );
  const brands: { id: number; code: string }[] = await em.query('SELECT id, code FROM handset_brand');
  const idOf = new Map(brands.map((b) => [b.code, Number(b.id)]));
  await insertChunks(
    em,
    HandsetModel,
    HANDSET_BRANDS.flatMap((b) => b.models.map(([name, network]) => ({ brandId: idOf.get(b.code)!, name, network, createdAt: now }))),
  );
  await insertChunks(
    em,
    RepairServiceType,
    REPAIR_SERVICE_TYPES.map(({ code, name }) => ({ code, name })),
  );
}

export const DEMO_PARTNERS = [
  { code: 'RP-01', name: '沙市通達手機維修', region: 1, address: '沙市區北京中路 聯通營業廳內', premises: true, contact: ['王建國', '13307160101'] },
  { code: 'RP-02', name: '荊州宏信通訊維修', region: 2, address: '荊州區荊中路 聯通營業廳內', premises: true, contact: ['李明', '13307160202'] },
  { code: 'RP-03', name: '松滋順達手機維修部', region: 3, address: '松滋市新江口鎮 聯通營業廳內', premises: true, contact: ['張偉', '13307160303'] },
  { code: 'RP-04', name: '公安華強通訊', region: 4, address: '公安縣斗湖堤鎮 聯通營業廳內', premises: true, contact: ['劉洋', '13307160404'] },
  { code: 'RP-05', name: '監利精誠手機維修', region: 6, address: '監利縣容城鎮 聯通營業廳內', premises: true, contact: ['陳靜', '13307160505'] },
  { code: 'RP-06', name: '沙市新時代手機快修', region: 1, address: '沙市區江津路', premises: false, contact: ['趙磊', '13307160606'] },
] as const;

/** Which brands each demo partner is authorized for: every CDMA brand by at least two partners. */
const DEMO_AUTHORIZATIONS: Record<string, string[]> = {
  'RP-01': ['SAMSUNG', 'MOTOROLA', 'LG', 'KYOCERA', 'NOKIA'],
  'RP-02': ['SAMSUNG', 'ZTE', 'HUAWEI', 'HISENSE', 'ALCATEL'],
  'RP-03': ['SAMSUNG', 'KYOCERA', 'ZTE', 'HISENSE'],
  'RP-04': ['MOTOROLA', 'LG', 'HUAWEI', 'ALCATEL'],
  'RP-05': ['SAMSUNG', 'NOKIA', 'ZTE', 'HUAWEI'],
  'RP-06': ['SAMSUNG', 'MOTOROLA', 'LG', 'ALCATEL'],
};

const EQUIPMENT_SETS = [
  { kind: 'BGA rework station', valueFen: 680_000, description: 'Hot-air BGA rework station with preheater' },
  { kind: 'BGA rework station', valueFen: 680_000, description: 'Hot-air BGA rework station with preheater' },
  { kind: 'Software programmer', valueFen: 420_000, description: 'CDMA handset flash box with cables for the main brands' },
  { kind: 'Software programmer', valueFen: 420_000, description: 'CDMA handset flash box with cables for the main brands' },
  { kind: 'Ultrasonic cleaner and power supply', valueFen: 260_000, description: 'Ultrasonic cleaner, regulated DC supply, microscope' },
  { kind: 'Ultrasonic cleaner and power supply', valueFen: 260_000, description: 'Ultrasonic cleaner, regulated DC supply, microscope' },
];

const FAULTS: [string, string][] = [
  ['Cracked display, no image', 'SCREEN'],
  ['Battery swells and drains within hours', 'BATTERY'],
  ['Does not charge', 'CHARGING_PORT'],
  ['Dead after a fall, no power', 'BOARD_REPAIR'],
  ['Keys do not respond', 'KEYPAD'],
  ['Caller cannot be heard', 'EARPIECE'],
  ['No signal in town', 'ANTENNA'],
  ['Housing broken', 'HOUSING'],
  ['Restarts by itself', 'SOFTWARE'],
  ['Fell into water', 'WATER_DAMAGE'],
];

const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;

/** A fixed instant, Shanghai wall time. */
function shanghai(y: number, m: number, d: number, h = 10): Date {
  return new Date(Date.UTC(y, m - 1, d, h) - SHANGHAI_OFFSET_MS);
}

function addMonths(d: Date, n: number): Date {
  const local = new Date(d.getTime() + SHANGHAI_OFFSET_MS);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + n, local.getUTCDate(), local.getUTCHours()) - SHANGHAI_OFFSET_MS);
}

/** The partners join one after another through 2024: competition arrives gradually. */
const JOINED = [shanghai(2024, 1, 8), shanghai(2024, 3, 5), shanghai(2024, 5, 6), shanghai(2024, 7, 1), shanghai(2024, 9, 2), shanghai(2024, 11, 4)];
/** The demo's history ends with the first half of 2025, like the agents', parts' and subsidies' demos. */
const HISTORY_END = shanghai(2025, 6, 30, 18);

function meid(rand: () => number): string {
  let s = 'A0';
  for (let i = 0; i < 12; i++)
    s += Math.floor(rand() * 16)
      .toString(16)
      .toUpperCase();
  return s;
}

function imei(rand: () => number): string {
  let body = '35';
  for (let i = 0; i < 12; i++) body += Math.floor(rand() * 10);
  return imeiFromBody(body);
}

/**
 * The demo network from January 2024 to June 2025: six partners across the counties (RP-01, RP-02
 * are the demo users shop1, shop2), their shelves, the six lent equipment sets, authorizations
 * covering every CDMA brand, price lists whose medians fall as partners join and compete, and a
 * few hundred repair orders with their status history (the last days' orders still open).
 * Deterministic: a seeded PRNG and fixed dates; the one exception is the certificates in force
 * today, which run from their renewal in 2025 to a date counted from `now`, so that shops can open
 * orders and a few certificates are due for renewal whenever the demo is seeded.
 */

export async function seedRepairDemo(em: EntityManager, config: AppConfig, now = new Date()): Promise<void> {
  const rand = seededRandom('repair-demo');
  const yearAgo = JOINED[0];

  // Partners join one after another over the year: competition arrives gradually.
  const partnerIds: number[] = [];
  const joinedAt: Date[] = [];
  for (const [i, p] of DEMO_PARTNERS.entries()) {
    const createdAt = JOINED[i];
    const res = await em.getRepository(RepairPartner).insert({
      code: p.code,
      name: p.name,
      regionId: p.region,
      address: p.address,
      premisesProvided: p.premises,
      monthlyWageSubsidyFen: 100_000,
      status: PartnerStatus.ACTIVE,
      statusReason: null,
      statusChangedAt: createdAt,
      createdAt,
    });
    const id = Number(res.identifiers[0].id);
    partnerIds.push(id);
    joinedAt.push(createdAt);
    await createPartnerLocation(em, id, p.name);
  }
  await insertChunks(
    em,
    PartnerContact,
    DEMO_PARTNERS.flatMap((p, i) => [
      { partnerId: partnerIds[i], name: p.contact[0], phone: p.contact[1], title: '店主', primary: true },
      {
        partnerId: partnerIds[i],
        name: `${p.contact[0].slice(0, 1)}師傅`,
        phone: `0716-8${String(100000 + i * 1111).slice(-6)}`,
        title: '技術員',
        primary: false,
      },
    ]),
  );

  // Brands.
  const brandRows: { id: number; code: string; name: string }[] = await em.query('SELECT id, code, name FROM handset_brand');
  const brandByCode = new Map(brandRows.map((b) => [b.code, { id: Number(b.id), name: b.name }]));
  const modelRows: { brandId: number; name: string; network: Network }[] = await em.query('SELECT brandId, name, network FROM handset_model');

  // Authorizations: a first certificate for a year from joining, renewed for the years after; a few
  // renewals run out within the month after seeding.
  const auths: Partial<BrandAuthorization>[] = [];
  let cert = 0;
  DEMO_PARTNERS.forEach((p, i) => {
    for (const [j, code] of DEMO_AUTHORIZATIONS[p.code].entries()) {
      const brand = brandByCode.get(code)!;
      const viaDistributor = (i + j) % 3 === 0;
      const grant = (validFrom: Date, validTo: Date) =>
        auths.push({
          partnerId: partnerIds[i],
          brandId: brand.id,
          certificateNo: `${code.slice(0, 3)}-HB-${validFrom.getUTCFullYear()}-${String(++cert).padStart(4, '0')}`,
          grantedVia: viaDistributor ? GrantedVia.DISTRIBUTOR : GrantedVia.MANUFACTURER,
          grantorName: viaDistributor ? '武漢中郵普泰通信服務有限公司' : `${brand.name} China service centre`,
          validFrom,
          validTo,
          revokedAt: null,
          revokeReason: null,
          revokedById: null,
          grantedById: null,
          createdAt: validFrom,
        });
      const firstEnd = addMonths(JOINED[i], 12);
      grant(JOINED[i], firstEnd);
      const expiringSoon = (i + j) % 7 === 3;
      const renewedTo = expiringSoon ? new Date(now.getTime() + (10 + j * 4) * DAY) : new Date(now.getTime() + (180 + ((i * 5 + j * 37) % 360)) * DAY);
      grant(firstEnd, new Date(Math.max(renewedTo.getTime(), firstEnd.getTime() + DAY)));
    }
  });
  // RP-06 once held a Nokia authorization; the maker withdrew it.
  auths.push({
    partnerId: partnerIds[5],
    brandId: brandByCode.get('NOKIA')!.id,
    certificateNo: 'NOK-HB-2005-9001',
    grantedVia: GrantedVia.MANUFACTURER,
    grantorName: 'Nokia China service centre',
    validFrom: joinedAt[5],
    validTo: addMonths(joinedAt[5], 12),
    revokedAt: addMonths(joinedAt[5], 1),
    revokeReason: 'Used non-original parts on warranty repairs',
    revokedById: null,
    grantedById: null,
    createdAt: joinedAt[5],
  });
  await insertChunks(em, BrandAuthorization, auths);

  // Six equipment sets, one per partner; set 1 first went to RP-02 before RP-02 got its own.
  const equipmentRows = EQUIPMENT_SETS.map((e, i) => ({
    assetTag: `EQ-${String(i + 1).padStart(3, '0')}`,
    kind: e.kind,
    description: e.description,
    valueFen: e.valueFen,
    custodianPartnerId: partnerIds[i],
    lentAt: joinedAt[i],
    registeredAt: new Date(yearAgo.getTime() - 7 * DAY),
  }));
  await insertChunks(em, Equipment, equipmentRows);
  const eq: { id: number; assetTag: string }[] = await em.query('SELECT id, assetTag FROM equipment ORDER BY id');
  const eqId = new Map(eq.map((e) => [e.assetTag, Number(e.id)]));
  const custody: Partial<EquipmentCustody>[] = equipmentRows.map((e) => ({
    equipmentId: eqId.get(e.assetTag)!,
    partnerId: e.custodianPartnerId,
    openEquipmentId: eqId.get(e.assetTag)!,
    valueFen: e.valueFen,
    lentAt: e.lentAt,
    lentById: null,
    lentBy: 'aftersales',
    returnedAt: null,
    returnedById: null,
    returnedBy: null,
    note: null,
  }));
  // EQ-006 first helped RP-02 through its opening months, then went to RP-06 when it joined.
  custody.unshift({
    equipmentId: eqId.get('EQ-006')!,
    partnerId: partnerIds[1],
    openEquipmentId: null,
    valueFen: equipmentRows[5].valueFen,
    lentAt: joinedAt[1],
    lentById: null,
    lentBy: 'aftersales',
    returnedAt: new Date(joinedAt[5].getTime() - DAY),
    returnedById: null,
    returnedBy: 'aftersales',
    note: 'Second set while RP-02 cleared its backlog',
  });
  await insertChunks(em, EquipmentCustody, custody);

  // Prices: each partner opens below the going rate and everyone trims prices now and then.
  const priceChanges: Partial<RepairPriceChange>[] = [];
  const current = new Map<string, { partnerId: number; serviceType: string; priceFen: number; setAt: Date }>();
  for (const [i] of DEMO_PARTNERS.entries()) {
    for (const st of REPAIR_SERVICE_TYPES) {
      const entryDiscount = 1 - i * 0.04 - rand() * 0.05;
      let price = Math.round((st.basePriceFen * entryDiscount) / 100) * 100;
      let at = joinedAt[i];
      let previous: number | null = null;
      for (;;) {
        priceChanges.push({
          partnerId: partnerIds[i],
          serviceType: st.code,
          priceFen: price,
          previousPriceFen: previous,
          effectiveFrom: at,
          changedById: null,
          changedBy: null,
        });
        current.set(`${i}|${st.code}`, { partnerId: partnerIds[i], serviceType: st.code, priceFen: price, setAt: at });
        const next = new Date(at.getTime() + intBetween(rand, 45, 110) * DAY);
        if (next.getTime() >= HISTORY_END.getTime()) break;
        previous = price;
        price = Math.max(Math.round((st.basePriceFen * 0.45) / 100) * 100, Math.round((price * (0.9 + rand() * 0.06)) / 100) * 100);
        at = next;
      }
    }
  }
  priceChanges.sort((a, b) => a.effectiveFrom!.getTime() - b.effectiveFrom!.getTime());
  await insertChunks(em, RepairPriceChange, priceChanges);
  await insertChunks(
    em,
    RepairPrice,
    [...current.values()].map((c) => ({ ...c, setById: null })),
  );

  // Repair orders: 320 over the eighteen months, more as partners join; turnaround shortens over time.
  const maxRows: { m: number | string | null }[] = await em.query('SELECT MAX(id) AS m FROM repair_order');
  let nextId = Number(maxRows[0].m ?? 0) + 1;
  const orders: Partial<RepairOrder>[] = [];
  const spans: Partial<RepairOrderStatusSpan>[] = [];
  const path = [RepairOrderStatus.RECEIVED, RepairOrderStatus.DIAGNOSED, RepairOrderStatus.IN_REPAIR, RepairOrderStatus.READY, RepairOrderStatus.RETURNED];
  const end = HISTORY_END.getTime();
  for (let n = 0; n < 320; n++) {
    // The last 30 orders arrived in the final week, spread over every partner: work in progress.
    const recent = n >= 290;
    const i = recent ? n % DEMO_PARTNERS.length : Math.min(DEMO_PARTNERS.length - 1, Math.floor(Math.sqrt(rand()) * DEMO_PARTNERS.length));
    const since = joinedAt[i].getTime();
    const openedAt = new Date(recent ? end - HOUR - Math.floor(rand() * 7 * DAY) : since + Math.floor(rand() * (end - since - HOUR)));
    const brandCode = pick(rand, DEMO_AUTHORIZATIONS[DEMO_PARTNERS[i].code]);
    const brand = brandByCode.get(brandCode)!;
    const models = modelRows.filter((m) => Number(m.brandId) === brand.id);
    const model = pick(rand, models);
    const [fault, serviceType] = pick(rand, FAULTS);
    const underWarranty = rand() < 0.25;
    const age = (end - openedAt.getTime()) / DAY;
    // Older orders are finished; recent ones are spread over the open statuses.
    let finalIndex = 4;
    if (age < 3) finalIndex = Math.floor(rand() * 4);
    else if (age < 8 && rand() < 0.6) finalIndex = rand() < 0.5 ? 2 : 3;
    const cancelled = finalIndex === 4 && rand() < 0.06;
    const speed = 0.5 - (0.3 * (openedAt.getTime() - yearAgo.getTime())) / (end - yearAgo.getTime()) + rand() * 0.6;
    const durations = [intBetween(rand, 1, 6) * HOUR, intBetween(rand, 2, 24) * HOUR, intBetween(rand, 4, 60) * HOUR, intBetween(rand, 2, 72) * HOUR].map((d) =>
      Math.round(d * Math.max(0.3, speed)),
    );
    const id = nextId++;
    const statuses = cancelled ? [RepairOrderStatus.RECEIVED, RepairOrderStatus.DIAGNOSED, RepairOrderStatus.CANCELLED] : path.slice(0, finalIndex + 1);
    // Every stay but the last is over by the end of the history: squeeze a recent order's stays to fit.
    const stays = durations.slice(0, statuses.length - 1);
    const room = end - HOUR - openedAt.getTime();
    const total = stays.reduce((a, b) => a + b, 0);
    const scale = total > room ? room / total : 1;
    let at = openedAt.getTime();
    let readyAt: Date | null = null;
    for (const [k, status] of statuses.entries()) {
      const leftAt = k < stays.length ? at + Math.max(1000, Math.floor(stays[k] * scale)) : null;
      if (status === RepairOrderStatus.READY) readyAt = new Date(at);
      spans.push({
        orderId: id,
        status,
        enteredAt: new Date(at),
        leftAt: leftAt == null ? null : new Date(leftAt),
        seconds: leftAt == null ? null : Math.round((leftAt - at) / 1000),
        actorId: null,
        actorName: DEMO_PARTNERS[i].code === 'RP-01' ? 'shop1' : DEMO_PARTNERS[i].code === 'RP-02' ? 'shop2' : 'aftersales',
        note: null,
      });
      if (leftAt != null) at = leftAt;
    }
    const status = statuses[statuses.length - 1];
    const closed = !OPEN_REPAIR_STATUSES.includes(status);
    const listPrice = current.get(`${i}|${serviceType}`)!.priceFen;
    orders.push({
      id,
      partnerId: partnerIds[i],
      customerMsisdn: `133${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`,
      brand: brand.name,
      model: model.name,
      network: model.network,
      serial: model.network === Network.CDMA ? meid(rand) : imei(rand),
      fault,
      underWarranty,
      serviceType,
      status,
      outOfAuthorization: false,
      outOfAuthorizationReason: null,
      authorizationId: null,
      priceChargedFen: status === RepairOrderStatus.RETURNED ? (underWarranty ? 0 : listPrice) : null,
      openedAt,
      statusChangedAt: new Date(at),
      readyAt,
      closedAt: closed ? new Date(at) : null,
      turnaroundSeconds: readyAt ? Math.round((readyAt.getTime() - openedAt.getTime()) / 1000) : null,
      openedById: null,
    });
  }
  await insertChunks(em, RepairOrder, orders);
  await insertChunks(em, RepairOrderStatusSpan, spans);
  // Tie each order to the authorization it was opened under (one statement for all).
  await em.query(
    `UPDATE repair_order SET authorizationId = (
       SELECT MIN(a.id) FROM brand_authorization a JOIN handset_brand b ON b.id = a.brandId
        WHERE a.partnerId = repair_order.partnerId AND b.name = repair_order.brand AND a.revokedAt IS NULL
          AND a.validFrom <= repair_order.openedAt AND a.validTo > repair_order.openedAt)
     WHERE id >= ?`,
    [orders[0].id],
  );
}
