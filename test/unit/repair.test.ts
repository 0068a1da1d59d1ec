import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config';
import { createDataSource } from '../../src/data-source';
import { fromDbDate } from '../../src/common/db';
import { AuthorizationStatus, authorizationStatus } from '../../src/modules/repair/brand-authorization.entity';
import { median } from '../../src/modules/repair/price.service';
import { OPEN_REPAIR_STATUSES, REPAIR_TRANSITIONS, RepairOrderStatus, RepairOrderStatusSpan } from '../../src/modules/repair/repair-order.entity';
import { spanSeconds, timeInStatus } from '../../src/modules/repair/repair-order.service';
import { seedRegions } from '../../seeds/regions';
import { seedRepairDemo, seedRepairReference } from '../../seeds/repair';

describe('median', () => {
  it('takes the middle value, or the mean of the middle two rounded half up to the fen', () => {
    expect(median([])).toBeNull();
    expect(median([700])).toBe(700);
    expect(median([300, 100, 200])).toBe(200);
    expect(median([100, 200])).toBe(150);
    expect(median([100, 101])).toBe(101);
    expect(median([400, 100, 300, 200])).toBe(250);
  });
});

describe('repair order transitions', () => {
  it('only move forward, with CANCELLED before READY, and final states go nowhere', () => {
    const S = RepairOrderStatus;
    expect(REPAIR_TRANSITIONS[S.RECEIVED]).toEqual([S.DIAGNOSED, S.CANCELLED]);
    expect(REPAIR_TRANSITIONS[S.DIAGNOSED]).toEqual([S.IN_REPAIR, S.CANCELLED]);
    expect(REPAIR_TRANSITIONS[S.IN_REPAIR]).toEqual([S.READY, S.CANCELLED]);
    expect(REPAIR_TRANSITIONS[S.READY]).toEqual([S.RETURNED]);
    expect(REPAIR_TRANSITIONS[S.RETURNED]).toEqual([]);
    expect(REPAIR_TRANSITIONS[S.CANCELLED]).toEqual([]);
    for (const s of Object.values(S)) expect(REPAIR_TRANSITIONS[s]).not.toContain(s);
    expect([...OPEN_REPAIR_STATUSES].sort()).toEqual([S.DIAGNOSED, S.IN_REPAIR, S.READY, S.RECEIVED]);
  });
});

describe('time in status', () => {
  const span = (status: RepairOrderStatus, enteredAt: string, seconds: number | null): RepairOrderStatusSpan =>
    ({ status, enteredAt: new Date(enteredAt), leftAt: null, seconds }) as RepairOrderStatusSpan;
  const now = new Date('2025-03-01T12:00:00Z');

  it('counts a closed stay as recorded, an open stay up to now, a final status not at all', () => {
    expect(spanSeconds(span(RepairOrderStatus.DIAGNOSED, '2025-03-01T00:00:00Z', 600), now)).toBe(600);
    expect(spanSeconds(span(RepairOrderStatus.IN_REPAIR, '2025-03-01T11:00:00Z', null), now)).toBe(3600);
    expect(spanSeconds(span(RepairOrderStatus.RETURNED, '2025-03-01T11:00:00Z', null), now)).toBeNull();
  });

  it('sums repeated stays per status', () => {
    const spans = [
      span(RepairOrderStatus.RECEIVED, '2025-03-01T00:00:00Z', 100),
      span(RepairOrderStatus.DIAGNOSED, '2025-03-01T00:01:40Z', 50),
      span(RepairOrderStatus.RECEIVED, '2025-03-01T00:02:30Z', 25),
      span(RepairOrderStatus.CANCELLED, '2025-03-01T00:03:00Z', null),
    ];
    expect(timeInStatus(spans, now)).toEqual([
      { status: RepairOrderStatus.RECEIVED, seconds: 125 },
      { status: RepairOrderStatus.DIAGNOSED, seconds: 50 },
    ]);
  });
});

describe('authorization status', () => {
  const a = { validFrom: new Date('2025-01-01T00:00:00Z'), validTo: new Date('2026-01-01T00:00:00Z'), revokedAt: null };
  it('is valid from validFrom until just before validTo, unless revoked', () => {
    expect(authorizationStatus(a, new Date('2024-12-31T23:59:59Z'))).toBe(AuthorizationStatus.NOT_YET_VALID);
    expect(authorizationStatus(a, new Date('2025-01-01T00:00:00Z'))).toBe(AuthorizationStatus.VALID);
    expect(authorizationStatus(a, new Date('2025-12-31T23:59:59Z'))).toBe(AuthorizationStatus.VALID);
    expect(authorizationStatus(a, new Date('2026-01-01T00:00:00Z'))).toBe(AuthorizationStatus.EXPIRED);
    expect(authorizationStatus({ ...a, revokedAt: new Date('2025-06-01T00:00:00Z') }, new Date('2025-03-01T00:00:00Z'))).toBe(AuthorizationStatus.REVOKED);
  });
});

describe('the demo seed', () => {
  async function seededFingerprint(now: Date): Promise<string> {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'sqlite::memory:', SEED: 'none' });
    const ds: DataSource = createDataSource(config);
    await ds.initialize();
    try {
      await ds.transaction(async (em) => {
        await seedRegions(em);
        await seedRepairReference(em, config);
        await seedRepairDemo(em, config, now);
      });
      const hash = createHash('sha256');
      const dump = async (sql: string) => {
        for (const row of await ds.query(sql)) {
          hash.update(JSON.stringify(Object.values(row).map((v) => (v instanceof Date ? fromDbDate(v)!.toISOString() : v))));
        }
      };
      await dump(
        'SELECT id, partnerId, customerMsisdn, brand, model, serial, status, priceChargedFen, openedAt, readyAt, closedAt, authorizationId FROM repair_order ORDER BY id',
      );
      await dump('SELECT orderId, status, enteredAt, leftAt, seconds FROM repair_order_status_span ORDER BY id');
      await dump('SELECT partnerId, serviceType, priceFen, effectiveFrom FROM repair_price_change ORDER BY id');
      await dump('SELECT equipmentId, partnerId, lentAt, returnedAt FROM equipment_custody ORDER BY id');
      // Certificates in force are dated from the seeding day; their history is not.
      await dump('SELECT partnerId, brandId, certificateNo, validFrom FROM brand_authorization ORDER BY id');
      return hash.digest('hex');
    } finally {
      await ds.destroy();
    }
  }

  it('writes the same history whatever day it runs', async () => {
    const a = await seededFingerprint(new Date('2026-01-15T00:00:00Z'));
    const b = await seededFingerprint(new Date('2027-08-03T00:00:00Z'));
    expect(a).toBe(b);
  });
});
