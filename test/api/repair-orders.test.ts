import { startTestApp, TestApp, expectError, expectConflict } from '../helpers/app';
import { ConflictError, NotFoundError } from '../../src/common/errors';
import { grantBrandAuthorization } from '../../src/modules/repair/authorization.service';
import { GrantedVia } from '../../src/modules/repair/brand-authorization.entity';
import { RepairOrderStatus } from '../../src/modules/repair/repair-order.entity';
import { getOpenRepairOrderForPartner, openRepairOrder, setRepairOrderStatus } from '../../src/modules/repair/repair-order.service';
import {
  DAY,
  HOUR,
  OPEN,
  Partner,
  SET_STATUS,
  count,
  createPartner,
  grant,
  isoIn,
  nextImei,
  nextMeid,
  nextMsisdn,
  openOrder,
  orderInput,
  partnerToken,
  staffActor,
  tx,
} from './repair-fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const ORDER = `query($id: ID!){ repairOrder(id:$id){ id status priceChargedFen readyAt closedAt turnaroundSeconds
  statusHistory { status enteredAt leftAt seconds actorName note } timeInStatus { status seconds } partner { id } } }`;
const ORDERS = `query($f: RepairOrderFilter, $first: Int, $after: String){ repairOrders(filter:$f, first:$first, after:$after){
  totalCount pageInfo { hasNextPage endCursor } edges { node { id status partner { id } } } } }`;

/** A partner authorized for Samsung, with a logged-in user. */
async function authorizedPartner(brands = ['Samsung'], regionCode = 'SHASHI'): Promise<Partner & { token: string }> {
  const p = await createPartner(t, { regionCode });
  for (const b of brands) await grant(t, p.id, b, { validFrom: isoIn(-60 * DAY) });
  return { ...p, token: await partnerToken(t, p.id) };
}

function partnerActor(p: Partner) {
  return { id: 0, username: `shop-${p.code}`, role: 'REPAIR_PARTNER' as never, repairPartnerId: Number(p.id), agentId: null };
}

describe('openRepairOrder', () => {
  it('a partner opens an order for its own shop, under its authorization', async () => {
    const p = await authorizedPartner();
    const serial = nextMeid();
    const res = await t.gql(OPEN, { i: orderInput({ brand: 'SAMSUNG', model: 'sch-x339', serial: serial.toLowerCase(), underWarranty: true }) }, p.token);
    expect(res.errors).toBeUndefined();
    const o = res.data.openRepairOrder;
    expect(o).toMatchObject({
      status: 'RECEIVED',
      brand: 'Samsung',
      model: 'SCH-X339',
      network: 'CDMA',
      serial: serial.slice(0, 14),
      outOfAuthorization: false,
      partner: { id: p.id },
    });
    expect(o.authorizationId).toBeTruthy();
    const full = (await t.gql(ORDER, { id: o.id }, p.token)).data.repairOrder;
    expect(full.statusHistory).toHaveLength(1);
    expect(full.statusHistory[0]).toMatchObject({ status: 'RECEIVED', leftAt: null });
    expect(full.statusHistory[0].seconds).toBeGreaterThanOrEqual(0);
  });

  it('takes the network from the serial for a model it does not know', async () => {
    const p = await authorizedPartner();
    const res = await t.gql(OPEN, { i: orderInput({ model: 'SGH-Z999', serial: nextImei() }) }, p.token);
    expect(res.data.openRepairOrder).toMatchObject({ model: 'SGH-Z999', network: 'GSM' });
  });

  it('names the bad field and writes nothing', async () => {
    const p = await authorizedPartner();
    const before = await count(t, 'SELECT COUNT(*) AS n FROM repair_order');
    const cases: [Record<string, unknown>, string][] = [
      [{ customerMsisdn: '12345' }, 'input.customerMsisdn'],
      [{ customerMsisdn: '23312345678' }, 'input.customerMsisdn'],
      [{ brand: 'Nokla' }, 'input.brand'],
      [{ model: '' }, 'input.model'],
      [{ fault: '  ' }, 'input.fault'],
      [{ serial: '12345' }, 'input.serial'],
      [{ serial: '490154203237519' }, 'input.serial'], // wrong IMEI check digit
      [{ model: 'SCH-X199', serial: nextImei() }, 'input.serial'], // a CDMA model with an IMEI
      [{ serviceType: 'TELEPORT' }, 'input.serviceType'],
      [{ partnerId: 'x' }, 'input.partnerId'],
    ];
    for (const [patch, field] of cases) expectError(await t.gql(OPEN, { i: orderInput(patch) }, p.token), 'BAD_USER_INPUT', field);
    // Staff must say which partner.
    expectError(await t.gql(OPEN, { i: orderInput() }, await t.token('aftersales')), 'BAD_USER_INPUT', 'input.partnerId');
    expect(await count(t, 'SELECT COUNT(*) AS n FROM repair_order')).toBe(before);
  });

  it('a partner cannot open an order for another partner', async () => {
    const a = await authorizedPartner();
    const b = await authorizedPartner();
    expectError(await t.gql(OPEN, { i: orderInput({ partnerId: b.id }) }, a.token), 'NOT_FOUND');
    expectError(await t.gql(OPEN, { i: orderInput({ partnerId: a.id }) }, await t.token('finance')), 'FORBIDDEN');
  });
});

describe('the authorization rule', () => {
  it('refuses a brand the partner holds no valid authorization for, saying why', async () => {
    const p = await authorizedPartner(['Samsung']);
    const before = await count(t, 'SELECT COUNT(*) AS n FROM repair_order');
    const none = expectError(await t.gql(OPEN, { i: orderInput({ brand: 'Kyocera', model: 'KZ-820' }) }, p.token), 'CONFLICT');
    expect(none.message).toMatch(/Kyocera/);
    expect(none.extensions.reason).toBe('NOT_AUTHORIZED');
    expect(none.extensions.detail).toMatch(/holds no Kyocera/);

    // Expired.
    const actor = await staffActor(t);
    const past = new Date(Date.now() - 400 * DAY);
    await tx(t, (em) =>
      grantBrandAuthorization(
        em,
        actor,
        Number(p.id),
        { brand: 'LG', certificateNo: `LG-OLD-${p.id}`, validFrom: past, validTo: new Date(Date.now() - 10 * DAY), grantedVia: GrantedVia.MANUFACTURER },
        past,
      ),
    );
    const expired = expectError(await t.gql(OPEN, { i: orderInput({ brand: 'LG', model: 'LG-C910' }) }, p.token), 'CONFLICT');
    expect(expired.extensions.detail).toMatch(/expired/);

    // Revoked.
    const moto = await grant(t, p.id, 'Motorola');
    await t.gql(`mutation($id: ID!){ revokeBrandAuthorization(id:$id, reason:"fake parts"){ id } }`, { id: moto.id }, await t.token('aftersales'));
    const revoked = expectError(await t.gql(OPEN, { i: orderInput({ brand: 'Motorola', model: 'V680' }) }, p.token), 'CONFLICT');
    expect(revoked.extensions.detail).toMatch(/revoked.*fake parts/);

    // Not valid yet.
    await grant(t, p.id, 'ZTE', { validFrom: isoIn(3 * DAY) });
    const early = expectError(await t.gql(OPEN, { i: orderInput({ brand: 'ZTE', model: 'C370' }) }, p.token), 'CONFLICT');
    expect(early.extensions.detail).toMatch(/valid only from/);

    // Another partner's authorization does not help.
    const other = await authorizedPartner(['Hisense']);
    expectError(await t.gql(OPEN, { i: orderInput({ brand: 'Hisense', model: 'C108' }) }, p.token), 'CONFLICT');
    expect((await t.gql(OPEN, { i: orderInput({ brand: 'Hisense', model: 'C108' }) }, other.token)).errors).toBeUndefined();
    expect(await count(t, 'SELECT COUNT(*) AS n FROM repair_order')).toBe(before + 1);
  });

  it('after-sales staff may open one out of authorization, with a reason; a partner may not', async () => {
    const p = await authorizedPartner(['Samsung']);
    const staff = await t.token('aftersales');
    expectError(
      await t.gql(OPEN, { i: orderInput({ brand: 'Kyocera', model: 'KZ-830', outOfAuthorization: true, outOfAuthorizationReason: 'urgent' }) }, p.token),
      'FORBIDDEN',
    );
    expectError(
      await t.gql(OPEN, { i: orderInput({ partnerId: p.id, brand: 'Kyocera', model: 'KZ-830', outOfAuthorization: true }) }, staff),
      'BAD_USER_INPUT',
      'input.outOfAuthorizationReason',
    );
    const res = await t.gql(
      OPEN,
      {
        i: orderInput({
          partnerId: p.id,
          brand: 'Kyocera',
          model: 'KZ-830',
          outOfAuthorization: true,
          outOfAuthorizationReason: 'no Kyocera shop in the county',
        }),
      },
      staff,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.openRepairOrder).toMatchObject({ outOfAuthorization: true, authorizationId: null, partner: { id: p.id } });
    const flagged = await t.gql(ORDERS, { f: { partnerId: p.id, outOfAuthorization: true } }, staff);
    expect(flagged.data.repairOrders.edges.map((e: any) => e.node.id)).toEqual([res.data.openRepairOrder.id]);
    // Covered after all: no exception is recorded.
    const covered = await t.gql(OPEN, { i: orderInput({ partnerId: p.id, outOfAuthorization: true, outOfAuthorizationReason: 'just in case' }) }, staff);
    expect(covered.data.openRepairOrder).toMatchObject({ outOfAuthorization: false });
  });

  it('a suspended partner opens no orders', async () => {
    const p = await authorizedPartner();
    await t.gql(`mutation($id: ID!){ setRepairPartnerStatus(id:$id, status: SUSPENDED, reason:"audit"){ id } }`, { id: p.id }, await t.token('aftersales'));
    expectError(await t.gql(OPEN, { i: orderInput() }, p.token), 'CONFLICT');
  });
});

describe('status moves', () => {
  it('goes RECEIVED → DIAGNOSED → IN_REPAIR → READY → RETURNED with the price charged', async () => {
    const p = await authorizedPartner();
    const o = await openOrder(t, p.token);
    for (const s of ['DIAGNOSED', 'IN_REPAIR', 'READY']) {
      const res = await t.gql(SET_STATUS, { id: o.id, s }, p.token);
      expect(res.data.setRepairOrderStatus.status).toBe(s);
    }
    expectError(await t.gql(SET_STATUS, { id: o.id, s: 'RETURNED' }, p.token), 'BAD_USER_INPUT', 'priceChargedFen');
    expectError(await t.gql(SET_STATUS, { id: o.id, s: 'RETURNED', price: -1 }, p.token), 'BAD_USER_INPUT', 'priceChargedFen');
    const done = await t.gql(SET_STATUS, { id: o.id, s: 'RETURNED', price: 12000 }, p.token);
    expect(done.data.setRepairOrderStatus).toMatchObject({ status: 'RETURNED', priceChargedFen: 12000 });
    const full = (await t.gql(ORDER, { id: o.id }, p.token)).data.repairOrder;
    expect(full.statusHistory.map((s: any) => s.status)).toEqual(['RECEIVED', 'DIAGNOSED', 'IN_REPAIR', 'READY', 'RETURNED']);
    expect(full.closedAt).toBeTruthy();
    expect(full.readyAt).toBeTruthy();
    expect(full.turnaroundSeconds).toBeGreaterThanOrEqual(0);
    expect(full.statusHistory[4]).toMatchObject({ leftAt: null, seconds: null });
  });

  it('a warranty repair goes back free', async () => {
    const p = await authorizedPartner();
    const o = await openOrder(t, p.token, { underWarranty: true });
    for (const s of ['DIAGNOSED', 'IN_REPAIR', 'READY', 'RETURNED']) await t.gql(SET_STATUS, { id: o.id, s }, p.token);
    expect((await t.gql(ORDER, { id: o.id }, p.token)).data.repairOrder).toMatchObject({ status: 'RETURNED', priceChargedFen: 0 });
  });

  it('a warranty repair cannot charge: a non-zero priceChargedFen is BAD_USER_INPUT and changes nothing', async () => {
    const p = await authorizedPartner();
    const o = await openOrder(t, p.token, { underWarranty: true });
    for (const s of ['DIAGNOSED', 'IN_REPAIR', 'READY']) await t.gql(SET_STATUS, { id: o.id, s }, p.token);
    const res = await t.gql(SET_STATUS, { id: o.id, s: 'RETURNED', price: 5000 }, p.token);
    const err = expectError(res, 'BAD_USER_INPUT', 'priceChargedFen');
    expect(err.message).toMatch(/warranty/);
    expect((await t.gql(ORDER, { id: o.id }, p.token)).data.repairOrder).toMatchObject({ status: 'READY', priceChargedFen: null });
    // Also on a move before the return, and 0 stays accepted.
    const o2 = await openOrder(t, p.token, { underWarranty: true });
    expectError(await t.gql(SET_STATUS, { id: o2.id, s: 'DIAGNOSED', price: 1 }, p.token), 'BAD_USER_INPUT', 'priceChargedFen');
    expect((await t.gql(SET_STATUS, { id: o2.id, s: 'DIAGNOSED', price: 0 }, p.token)).data.setRepairOrderStatus.priceChargedFen).toBe(0);
  });

  it('a warranty order charges only after its warranty status changes with a reason, which the change log shows', async () => {
    const p = await authorizedPartner();
    const o = await openOrder(t, p.token, { underWarranty: true });
    for (const s of ['DIAGNOSED', 'IN_REPAIR', 'READY']) await t.gql(SET_STATUS, { id: o.id, s }, p.token);
    const WARRANTY = `mutation($id: ID!, $w: Boolean!, $r: String!){ setRepairOrderWarranty(id:$id, underWarranty:$w, reason:$r){ id underWarranty priceChargedFen } }`;
    expectError(await t.gql(WARRANTY, { id: o.id, w: false, r: '  ' }, p.token), 'BAD_USER_INPUT', 'reason');
    expectConflict(await t.gql(WARRANTY, { id: o.id, w: true, r: 'again' }, p.token), 'WARRANTY_ALREADY_SET');
    const other = await authorizedPartner();
    expectError(await t.gql(WARRANTY, { id: o.id, w: false, r: 'not mine' }, other.token), 'NOT_FOUND');
    const changed = await t.gql(WARRANTY, { id: o.id, w: false, r: 'Water damage: not covered by the warranty' }, p.token);
    expect(changed.data.setRepairOrderWarranty).toEqual({ id: o.id, underWarranty: false, priceChargedFen: null });
    const ret = await t.gql(SET_STATUS, { id: o.id, s: 'RETURNED', price: 5000 }, p.token);
    expect(ret.data.setRepairOrderStatus).toMatchObject({ status: 'RETURNED', priceChargedFen: 5000 });
    expectConflict(await t.gql(WARRANTY, { id: o.id, w: true, r: 'too late' }, p.token), 'ORDER_CLOSED');
    const log = await t.gql(
      `query($id: ID){ changeLog(entityType:"RepairOrder", entityId:$id){ edges { node { action data } } } }`,
      { id: o.id },
      await t.token('admin'),
    );
    const entry = log.data.changeLog.edges.map((e: any) => e.node).find((n: any) => n.action === 'setRepairOrderWarranty');
    expect(JSON.parse(entry.data)).toMatchObject({ from: true, to: false, reason: 'Water damage: not covered by the warranty' });
  });

  it('making an order a warranty repair clears a charge recorded before', async () => {
    const p = await authorizedPartner();
    const o = await openOrder(t, p.token);
    await t.gql(SET_STATUS, { id: o.id, s: 'DIAGNOSED', price: 3000 }, p.token);
    const res = await t.gql(
      `mutation($id: ID!){ setRepairOrderWarranty(id:$id, underWarranty:true, reason:"Within 12 months of purchase"){ underWarranty priceChargedFen } }`,
      { id: o.id },
      p.token,
    );
    expect(res.data.setRepairOrderWarranty).toEqual({ underWarranty: true, priceChargedFen: 0 });
  });

  it('refuses every illegal move with CONFLICT and changes nothing', async () => {
    const p = await authorizedPartner();
    const illegal: [string[], string][] = [
      [[], 'READY'],
      [[], 'RETURNED'],
      [[], 'IN_REPAIR'],
      [[], 'RECEIVED'],
      [['DIAGNOSED'], 'RECEIVED'],
      [['DIAGNOSED'], 'READY'],
      [['DIAGNOSED', 'IN_REPAIR'], 'DIAGNOSED'],
      [['DIAGNOSED', 'IN_REPAIR', 'READY'], 'CANCELLED'],
      [['DIAGNOSED', 'IN_REPAIR', 'READY'], 'IN_REPAIR'],
      [['CANCELLED'], 'RECEIVED'],
      [['CANCELLED'], 'DIAGNOSED'],
    ];
    for (const [path, to] of illegal) {
      const o = await openOrder(t, p.token);
      for (const s of path) await t.gql(SET_STATUS, { id: o.id, s }, p.token);
      const spans = await count(t, 'SELECT COUNT(*) AS n FROM repair_order_status_span WHERE orderId = ?', [o.id]);
      const err = expectConflict(await t.gql(SET_STATUS, { id: o.id, s: to, price: 100 }, p.token), 'TRANSITION_NOT_ALLOWED');
      expect(err.extensions.to).toBe(to);
      expect(await count(t, 'SELECT COUNT(*) AS n FROM repair_order_status_span WHERE orderId = ?', [o.id])).toBe(spans);
      const now = (await t.gql(ORDER, { id: o.id }, p.token)).data.repairOrder;
      expect(now.status).toBe(path.length ? path[path.length - 1] : 'RECEIVED');
    }
    // A returned order is final.
    const o = await openOrder(t, p.token);
    for (const s of ['DIAGNOSED', 'IN_REPAIR', 'READY']) await t.gql(SET_STATUS, { id: o.id, s }, p.token);
    await t.gql(SET_STATUS, { id: o.id, s: 'RETURNED', price: 5000 }, p.token);
    for (const s of ['RECEIVED', 'READY', 'CANCELLED', 'RETURNED']) expectError(await t.gql(SET_STATUS, { id: o.id, s, price: 1 }, p.token), 'CONFLICT');
  });

  it('cancels before READY', async () => {
    const p = await authorizedPartner();
    for (const path of [[], ['DIAGNOSED'], ['DIAGNOSED', 'IN_REPAIR']]) {
      const o = await openOrder(t, p.token);
      for (const s of path) await t.gql(SET_STATUS, { id: o.id, s }, p.token);
      expect((await t.gql(SET_STATUS, { id: o.id, s: 'CANCELLED' }, p.token)).data.setRepairOrderStatus.status).toBe('CANCELLED');
    }
  });

  it('of concurrent moves from the same status exactly one succeeds', async () => {
    const p = await authorizedPartner();
    const o = await openOrder(t, p.token);
    const results = await Promise.all(Array.from({ length: 6 }, () => t.gql(SET_STATUS, { id: o.id, s: 'DIAGNOSED' }, p.token)));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    for (const r of results.filter((x) => x.errors)) expect(r.errors![0].extensions.code).toBe('CONFLICT');
    expect(await count(t, 'SELECT COUNT(*) AS n FROM repair_order_status_span WHERE orderId = ?', [o.id])).toBe(2);
    expect(await count(t, 'SELECT COUNT(*) AS n FROM repair_order_status_span WHERE orderId = ? AND leftAt IS NULL', [o.id])).toBe(1);
  });

  it('records the time spent in each status', async () => {
    const p = await authorizedPartner();
    const actor = partnerActor(p);
    const t0 = Date.now() - 10 * DAY;
    const at = (h: number) => new Date(t0 + h * HOUR);
    const order = await tx(t, (em) => openRepairOrder(em, actor, orderInput() as never, at(0)));
    await tx(t, (em) => setRepairOrderStatus(em, actor, order.id, RepairOrderStatus.DIAGNOSED, {}, at(2)));
    await tx(t, (em) => setRepairOrderStatus(em, actor, order.id, RepairOrderStatus.IN_REPAIR, { note: 'waiting for a screen' }, at(5)));
    await tx(t, (em) => setRepairOrderStatus(em, actor, order.id, RepairOrderStatus.READY, {}, at(29)));
    const o = (await t.gql(ORDER, { id: String(order.id) }, p.token)).data.repairOrder;
    expect(o.turnaroundSeconds).toBe(29 * 3600);
    expect(o.statusHistory.map((s: any) => [s.status, s.seconds])).toEqual([
      ['RECEIVED', 2 * 3600],
      ['DIAGNOSED', 3 * 3600],
      ['IN_REPAIR', 24 * 3600],
      ['READY', expect.any(Number)],
    ]);
    expect(o.statusHistory[2].note).toBe('waiting for a screen');
    expect(o.statusHistory[3].seconds).toBeGreaterThanOrEqual(10 * 24 * 3600 - 29 * 3600 - 60);
    const times = Object.fromEntries(o.timeInStatus.map((x: any) => [x.status, x.seconds]));
    expect(times).toMatchObject({ RECEIVED: 7200, DIAGNOSED: 10800, IN_REPAIR: 86400 });
  });
});

describe('partner scoping of orders', () => {
  it("a partner never reads or moves another partner's orders", async () => {
    const a = await authorizedPartner();
    const b = await authorizedPartner();
    const mine = await openOrder(t, a.token);
    const theirs = await openOrder(t, b.token);
    const get = await t.gql(ORDER, { id: theirs.id }, a.token);
    expectError(get, 'NOT_FOUND');
    expectError(await t.gql(SET_STATUS, { id: theirs.id, s: 'DIAGNOSED' }, a.token), 'NOT_FOUND');
    expect((await t.gql(ORDER, { id: theirs.id }, b.token)).data.repairOrder.status).toBe('RECEIVED');
    const list = await t.gql(ORDERS, { first: 200 }, a.token);
    expect(list.data.repairOrders.edges.map((e: any) => e.node.id)).toEqual([mine.id]);
    expectError(await t.gql(ORDERS, { f: { partnerId: b.id } }, a.token), 'NOT_FOUND');
    // Staff see both.
    const staff = await t.token('aftersales');
    expect((await t.gql(ORDER, { id: theirs.id }, staff)).data.repairOrder.partner.id).toBe(b.id);
    expect((await t.gql(SET_STATUS, { id: theirs.id, s: 'DIAGNOSED' }, staff)).data.setRepairOrderStatus.status).toBe('DIAGNOSED');
  });
});

describe('listing orders', () => {
  it('filters and pages newest first', async () => {
    const p = await authorizedPartner(['Samsung', 'Kyocera']);
    const msisdn = nextMsisdn();
    const serial = nextMeid();
    const o1 = await openOrder(t, p.token, { customerMsisdn: msisdn });
    const o2 = await openOrder(t, p.token, { brand: 'Kyocera', model: 'KZ-820', serial });
    const o3 = await openOrder(t, p.token);
    await t.gql(SET_STATUS, { id: o3.id, s: 'CANCELLED' }, p.token);
    const ids = async (f: Record<string, unknown>) => (await t.gql(ORDERS, { f }, p.token)).data.repairOrders.edges.map((e: any) => e.node.id);
    expect(await ids({})).toEqual([o3.id, o2.id, o1.id]);
    expect(await ids({ open: true })).toEqual([o2.id, o1.id]);
    expect(await ids({ open: false })).toEqual([o3.id]);
    expect(await ids({ status: 'CANCELLED' })).toEqual([o3.id]);
    expect(await ids({ brand: 'kyocera' })).toEqual([o2.id]);
    expect(await ids({ customerMsisdn: `+86 ${msisdn}` })).toEqual([o1.id]);
    expect(await ids({ serial: serial.toLowerCase() })).toEqual([o2.id]);
    const page1 = await t.gql(ORDERS, { first: 2 }, p.token);
    expect(page1.data.repairOrders.pageInfo.hasNextPage).toBe(true);
    const page2 = await t.gql(ORDERS, { first: 2, after: page1.data.repairOrders.pageInfo.endCursor }, p.token);
    expect(page2.data.repairOrders.edges.map((e: any) => e.node.id)).toEqual([o1.id]);
  });

  it('a nested order list runs a constant number of statements', async () => {
    const QUERY = `query($f: RepairOrderFilter){ repairOrders(filter:$f, first: 200){ edges { node { id partner { code region { code } } statusHistory { status seconds } timeInStatus { status seconds } } } } }`;
    const staff = await t.token('aftersales');
    const a = await authorizedPartner(['Samsung'], 'JIANLI');
    const b = await authorizedPartner(['Samsung'], 'JIANLI');
    for (let i = 0; i < 2; i++) await openOrder(t, a.token);
    t.sql.reset();
    const small = await t.gql(QUERY, { f: { brand: 'Samsung' } }, staff);
    const smallCount = t.sql.count;
    for (let i = 0; i < 6; i++) {
      const o = await openOrder(t, i % 2 ? a.token : b.token);
      await t.gql(SET_STATUS, { id: o.id, s: 'DIAGNOSED' }, staff);
    }
    t.sql.reset();
    const big = await t.gql(QUERY, { f: { brand: 'Samsung' } }, staff);
    expect(big.errors).toBeUndefined();
    expect(big.data.repairOrders.edges.length).toBeGreaterThan(small.data.repairOrders.edges.length);
    expect(t.sql.count).toBe(smallCount);
  });
});

describe('turnaround', () => {
  const TURNAROUND = `query($f: TurnaroundFilter){ repairTurnaround(filter:$f){ from to orders medianSeconds partners { partner { id } orders medianSeconds medianHours } } }`;

  it('is the median time from RECEIVED to READY per partner, over orders that became READY in the window', async () => {
    const x = await authorizedPartner(['Samsung'], 'JIANGLING');
    const y = await authorizedPartner(['Samsung'], 'JIANGLING');
    const idle = await authorizedPartner(['Samsung'], 'JIANGLING');
    const base = new Date('2025-03-10T02:00:00Z').getTime();
    await tx(t, async (em) => {
      const actor = await staffActor(t);
      for (const p of [x, y, idle]) {
        await grantBrandAuthorization(
          em,
          actor,
          Number(p.id),
          {
            brand: 'Kyocera',
            certificateNo: `KY-T-${p.id}`,
            validFrom: new Date(base - 30 * DAY),
            validTo: new Date(base + 90 * DAY),
            grantedVia: GrantedVia.MANUFACTURER,
          },
          new Date(base - 30 * DAY),
        );
      }
    });
    const readyAfter = async (p: Partner, hours: number, startOffsetDays = 0) => {
      const actor = partnerActor(p);
      const start = base + startOffsetDays * DAY;
      const o = await tx(t, (em) => openRepairOrder(em, actor, orderInput({ brand: 'Kyocera', model: 'KZ-820' }) as never, new Date(start)));
      await tx(t, (em) => setRepairOrderStatus(em, actor, o.id, RepairOrderStatus.DIAGNOSED, {}, new Date(start + HOUR / 2)));
      await tx(t, (em) => setRepairOrderStatus(em, actor, o.id, RepairOrderStatus.IN_REPAIR, {}, new Date(start + HOUR)));
      await tx(t, (em) => setRepairOrderStatus(em, actor, o.id, RepairOrderStatus.READY, {}, new Date(start + hours * HOUR)));
    };
    await readyAfter(x, 2);
    await readyAfter(x, 9);
    await readyAfter(x, 4);
    await readyAfter(y, 1);
    await readyAfter(y, 3);
    await readyAfter(y, 50, 40); // ready in April: outside a March window

    const staff = await t.token('aftersales');
    const res = await t.gql(TURNAROUND, { f: { from: '2025-03', to: '2025-03', regionCode: 'JIANGLING' } }, staff);
    expect(res.errors).toBeUndefined();
    const r = res.data.repairTurnaround;
    expect(r).toMatchObject({ from: '2025-03', to: '2025-03', orders: 5, medianSeconds: 3 * 3600 });
    const row = (p: Partner) => r.partners.find((q: any) => q.partner.id === p.id);
    expect(row(x)).toMatchObject({ orders: 3, medianSeconds: 4 * 3600, medianHours: 4 });
    expect(row(y)).toMatchObject({ orders: 2, medianSeconds: 2 * 3600, medianHours: 2 });
    expect(row(idle)).toMatchObject({ orders: 0, medianSeconds: null });

    const april = (await t.gql(TURNAROUND, { f: { from: '2025-04', to: '2025-04', regionCode: 'JIANGLING' } }, staff)).data.repairTurnaround;
    expect(april.partners.find((q: any) => q.partner.id === y.id)).toMatchObject({ orders: 1, medianSeconds: 50 * 3600 });

    // A partner sees its own row only.
    const own = (await t.gql(TURNAROUND, { f: { from: '2025-03', to: '2025-04' } }, x.token)).data.repairTurnaround;
    expect(own.partners.map((q: any) => q.partner.id)).toEqual([x.id]);
    expect(own.orders).toBe(3);
    expectError(await t.gql(TURNAROUND, { f: { from: '2025-13' } }, staff), 'BAD_USER_INPUT', 'filter.from');
    expectError(await t.gql(TURNAROUND, { f: { from: '2025-05', to: '2025-04' } }, staff), 'BAD_USER_INPUT', 'filter.to');
  });
});

describe('getOpenRepairOrderForPartner (used by parts and loaners)', () => {
  it("returns an open order of the partner; another partner's is NOT_FOUND; a closed one CONFLICT", async () => {
    const a = await authorizedPartner();
    const b = await authorizedPartner();
    const o = await openOrder(t, a.token);
    const found = await tx(t, (em) => getOpenRepairOrderForPartner(em, Number(o.id), Number(a.id), { lock: true }));
    expect(found.id).toBe(Number(o.id));
    expect((await tx(t, (em) => getOpenRepairOrderForPartner(em, Number(o.id), null))).partnerId).toBe(Number(a.id));
    await expect(tx(t, (em) => getOpenRepairOrderForPartner(em, Number(o.id), Number(b.id)))).rejects.toBeInstanceOf(NotFoundError);
    await expect(tx(t, (em) => getOpenRepairOrderForPartner(em, 99999999, null))).rejects.toBeInstanceOf(NotFoundError);
    await t.gql(SET_STATUS, { id: o.id, s: 'CANCELLED' }, a.token);
    await expect(tx(t, (em) => getOpenRepairOrderForPartner(em, Number(o.id), Number(a.id)))).rejects.toBeInstanceOf(ConflictError);
  });
});
