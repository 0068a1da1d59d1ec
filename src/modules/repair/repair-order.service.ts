import { EntityManager } from 'typeorm';
import { Network } from '../../common/network';
import { AuthUser, scopePartner, tenantPartnerOf } from '../../common/auth';
import { execute, isMysql, toDbDate } from '../../common/db';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../common/errors';
import { parseOptionalId } from '../../common/ids';
import { assertFen } from '../../common/money';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { parsePeriod } from '../../common/period';
import { isValidMsisdn, normalizeMsisdn } from '../../common/validators/msisdn';
import { assertSerial, normalizeSerial, parseSerial } from '../../common/validators/serial';
import { recordChange } from '../changelog/change-log.service';
import { regionByCode } from '../regions/region.service';
import { checkAuthorization } from './authorization.service';
import { brandByCodeOrName, modelOfBrand } from './handset.service';
import { requireActivePartner } from './partner.service';
import { MAX_REPAIR_PRICE_FEN, serviceTypeByCode } from './price.service';
import { OPEN_REPAIR_STATUSES, REPAIR_TRANSITIONS, RepairOrder, RepairOrderStatus, RepairOrderStatusSpan } from './repair-order.entity';
import { PartnerStatus, RepairPartner } from './repair-partner.entity';
import { OpenRepairOrderInput, RepairOrderFilter, TurnaroundFilter } from './repair.inputs';
import { TurnaroundReport } from './repair.types';
import { assertVisible, isAftersalesStaff } from './repair.scope';
import { RepairConflict } from './repair.errors';

/**
 * For other modules (parts consumed against an order, loaners lent against it): the order, if it
 * exists, belongs to `partnerId` (null: any partner, for staff) and is still open. Another partner's
 * order is NOT_FOUND, like a missing one, so its existence does not leak; a returned or cancelled
 * order is CONFLICT. With `lock`, MySQL holds the row until the transaction ends, so the order
 * cannot be closed under the caller's feet.
 */
export async function getOpenRepairOrderForPartner(
  em: EntityManager,
  orderId: number,
  partnerId: number | null,
  options: { lock?: boolean } = {},
): Promise<RepairOrder> {
  const qb = em.getRepository(RepairOrder).createQueryBuilder('o').where('o.id = :id', { id: orderId });
  if (options.lock && isMysql(em)) qb.setLock('pessimistic_write');
  const order = await qb.getOne();
  if (!order || (partnerId != null && order.partnerId !== partnerId)) throw new NotFoundError('RepairOrder', orderId);
  if (!OPEN_REPAIR_STATUSES.includes(order.status)) {
    throw new ConflictError(RepairConflict.ORDER_CLOSED, `Repair order ${orderId} is ${order.status}: it is closed`, {
      repairOrderId: orderId,
      status: order.status,
    });
  }
  return order;
}

function trimmed(v: string | null | undefined): string {
  return (v ?? '').trim();
}

/**
 * Open an order for a customer's handset at a partner. The partner must hold a brand authorization
 * valid now; only after-sales staff may open one without, marking it out-of-authorization with a reason.
 */
export async function openRepairOrder(em: EntityManager, actor: AuthUser, input: OpenRepairOrderInput, now = new Date()): Promise<RepairOrder> {
  const partnerId = scopePartner(actor, parseOptionalId(input.partnerId, 'input.partnerId'));
  if (partnerId == null) throw new BadInputError('input.partnerId', 'is required');
  const customerMsisdn = normalizeMsisdn(input.customerMsisdn ?? '');
  if (!isValidMsisdn(customerMsisdn)) throw new BadInputError('input.customerMsisdn', 'must be an 11-digit mobile number starting with 1');
  const brand = await brandByCodeOrName(em, input.brand, 'input.brand');
  const modelName = trimmed(input.model);
  if (!modelName) throw new BadInputError('input.model', 'must not be blank');
  const fault = trimmed(input.fault);
  if (!fault) throw new BadInputError('input.fault', 'must not be blank');
  const serial = assertSerial('input.serial', input.serial);
  const serialNetwork = serial.kind === 'IMEI' ? Network.GSM : Network.CDMA;
  const model = await modelOfBrand(em, brand.id, modelName);
  if (model && model.network !== serialNetwork) {
    throw new BadInputError(
      'input.serial',
      `${brand.name} ${model.name} is a ${model.network} handset, so its serial is ${model.network === Network.CDMA ? 'a MEID' : 'an IMEI'}, not ${serial.kind === 'IMEI' ? 'an IMEI' : 'a MEID'}`,
    );
  }
  const serviceType = input.serviceType ? (await serviceTypeByCode(em, input.serviceType, 'input.serviceType')).code : null;
  const wantsOutOfAuthorization = !!input.outOfAuthorization;
  const outReason = trimmed(input.outOfAuthorizationReason) || null;
  if (wantsOutOfAuthorization) {
    if (!isAftersalesStaff(actor)) throw new ForbiddenError('Only after-sales staff may open an order out of authorization');
    if (!outReason) throw new BadInputError('input.outOfAuthorizationReason', 'is required with outOfAuthorization');
  }

  const partner = await requireActivePartner(em, partnerId, 'it cannot open repair orders');
  const check = await checkAuthorization(em, partnerId, brand, now);
  if (!check.authorization && !wantsOutOfAuthorization) {
    throw new ConflictError(RepairConflict.NOT_AUTHORIZED, `Partner ${partner.code} may not repair ${brand.name} handsets: it ${check.reason}`, {
      detail: check.reason,
      partnerId,
      brand: brand.name,
    });
  }
  // An order that is covered after all needs no exception.
  const outOfAuthorization = !check.authorization;
  const repo = em.getRepository(RepairOrder);
  const order = repo.create({
    partnerId,
    customerMsisdn,
    brand: brand.name,
    model: model?.name ?? modelName,
    network: model?.network ?? serialNetwork,
    serial: serial.value,
    fault,
    underWarranty: !!input.underWarranty,
    serviceType,
    status: RepairOrderStatus.RECEIVED,
    outOfAuthorization,
    outOfAuthorizationReason: outOfAuthorization ? outReason : null,
    authorizationId: check.authorization?.id ?? null,
    priceChargedFen: null,
    openedAt: now,
    statusChangedAt: now,
    readyAt: null,
    closedAt: null,
    turnaroundSeconds: null,
    openedById: actor.id,
  });
  await repo.insert(order);
  await em.getRepository(RepairOrderStatusSpan).insert({
    orderId: order.id,
    status: RepairOrderStatus.RECEIVED,
    enteredAt: now,
    leftAt: null,
    seconds: null,
    actorId: actor.id,
    actorName: actor.username,
    note: null,
  });
  await recordChange(em, actor, {
    action: 'openRepairOrder',
    entityType: 'RepairOrder',
    entityId: order.id,
    data: {
      partnerId,
      brand: brand.name,
      model: order.model,
      serial: order.serial,
      underWarranty: order.underWarranty,
      outOfAuthorization,
      outOfAuthorizationReason: order.outOfAuthorizationReason,
      authorizationId: order.authorizationId,
    },
  });
  return order;
}

export interface StatusChangeOptions {
  priceChargedFen?: number | null;
  serviceType?: string | null;
  note?: string | null;
}

/**
 * Move an order along RECEIVED → DIAGNOSED → IN_REPAIR → READY → RETURNED (or CANCELLED before it is
 * READY). The write is conditional on the status read, so two concurrent moves cannot both succeed.
 * Closes the span of the status left and opens one for the status entered: time in each status.
 */
export async function setRepairOrderStatus(
  em: EntityManager,
  actor: AuthUser,
  id: number,
  status: RepairOrderStatus,
  opts: StatusChangeOptions = {},
  now = new Date(),
): Promise<RepairOrder> {
  const note = trimmed(opts.note) || null;
  if (note && note.length > 255) throw new BadInputError('note', 'must be at most 255 characters');
  if (opts.priceChargedFen != null) {
    assertFen('priceChargedFen', opts.priceChargedFen);
    if (opts.priceChargedFen > MAX_REPAIR_PRICE_FEN) throw new BadInputError('priceChargedFen', `must be at most ${MAX_REPAIR_PRICE_FEN} fen`);
  }
  const serviceType = opts.serviceType ? (await serviceTypeByCode(em, opts.serviceType, 'serviceType')).code : undefined;
  const repo = em.getRepository(RepairOrder);
  const order = await repo.findOne({ where: { id } });
  if (!order) throw new NotFoundError('RepairOrder', id);
  assertVisible(actor, order.partnerId, 'RepairOrder', id);
  const allowed = REPAIR_TRANSITIONS[order.status];
  if (!allowed.includes(status)) {
    throw new ConflictError(
      RepairConflict.TRANSITION_NOT_ALLOWED,
      `Repair order ${id} is ${order.status}: it cannot become ${status}` + (allowed.length ? ` (it may become ${allowed.join(' or ')})` : ' (it is closed)'),
      { from: order.status, to: status, allowed: [...allowed] },
    );
  }
  if (order.underWarranty && opts.priceChargedFen != null && opts.priceChargedFen !== 0) {
    throw new BadInputError(
      'priceChargedFen',
      `must be 0: repair order ${id} is a warranty repair, which the customer does not pay for ` +
        '(if the warranty does not apply, change it first with setRepairOrderWarranty and a reason)',
    );
  }
  let priceChargedFen = opts.priceChargedFen ?? order.priceChargedFen;
  if (status === RepairOrderStatus.RETURNED && priceChargedFen == null) {
    if (!order.underWarranty) throw new BadInputError('priceChargedFen', 'is required when the handset goes back to the customer (0 if nothing was charged)');
    priceChargedFen = 0;
  }
  const seconds = Math.max(0, Math.round((now.getTime() - order.statusChangedAt.getTime()) / 1000));
  const readyAt = status === RepairOrderStatus.READY ? now : order.readyAt;
  const turnaroundSeconds =
    status === RepairOrderStatus.READY ? Math.max(0, Math.round((now.getTime() - order.openedAt.getTime()) / 1000)) : order.turnaroundSeconds;
  const closedAt = OPEN_REPAIR_STATUSES.includes(status) ? null : now;
  const { affected } = await execute(
    em,
    `UPDATE repair_order SET status = ?, statusChangedAt = ?, readyAt = ?, turnaroundSeconds = ?, closedAt = ?, priceChargedFen = ?, serviceType = ?
      WHERE id = ? AND status = ?`,
    [
      status,
      toDbDate(now),
      readyAt ? toDbDate(readyAt) : null,
      turnaroundSeconds,
      closedAt ? toDbDate(closedAt) : null,
      priceChargedFen,
      serviceType ?? order.serviceType,
      id,
      order.status,
    ],
  );
  if (affected !== 1)
    throw new ConflictError(RepairConflict.CHANGED_MEANWHILE, `Repair order ${id} changed status meanwhile: reload and retry`, { repairOrderId: id });
  await execute(em, 'UPDATE repair_order_status_span SET leftAt = ?, seconds = ? WHERE orderId = ? AND leftAt IS NULL', [toDbDate(now), seconds, id]);
  await em.getRepository(RepairOrderStatusSpan).insert({
    orderId: id,
    status,
    enteredAt: now,
    leftAt: null,
    seconds: null,
    actorId: actor.id,
    actorName: actor.username,
    note,
  });
  await recordChange(em, actor, {
    action: 'setRepairOrderStatus',
    entityType: 'RepairOrder',
    entityId: id,
    data: { from: order.status, to: status, priceChargedFen, note },
  });
  return {
    ...order,
    status,
    statusChangedAt: now,
    readyAt,
    turnaroundSeconds,
    closedAt,
    priceChargedFen,
    serviceType: serviceType ?? order.serviceType,
  } as RepairOrder;
}

/**
 * Change whether an open order is a warranty repair, with a reason (change-logged with the old and
 * new value): the only way a warranty order comes to charge the customer. The write is conditional
 * on the status and warranty read, like a status move. Making an order a warranty repair clears a
 * charge recorded before, since a warranty repair charges 0.
 */
export async function setRepairOrderWarranty(em: EntityManager, actor: AuthUser, id: number, underWarranty: boolean, reasonRaw: string): Promise<RepairOrder> {
  const reason = trimmed(reasonRaw);
  if (!reason) throw new BadInputError('reason', 'is required');
  if (reason.length > 255) throw new BadInputError('reason', 'must be at most 255 characters');
  const order = await em.getRepository(RepairOrder).findOne({ where: { id } });
  if (!order) throw new NotFoundError('RepairOrder', id);
  assertVisible(actor, order.partnerId, 'RepairOrder', id);
  if (!OPEN_REPAIR_STATUSES.includes(order.status)) {
    throw new ConflictError(RepairConflict.ORDER_CLOSED, `Repair order ${id} is ${order.status}: its warranty status can no longer change`, {
      status: order.status,
    });
  }
  if (order.underWarranty === underWarranty) {
    throw new ConflictError(RepairConflict.WARRANTY_ALREADY_SET, `Repair order ${id} is already ${underWarranty ? '' : 'not '}a warranty repair`, {
      underWarranty,
    });
  }
  const priceChargedFen = underWarranty && order.priceChargedFen ? 0 : order.priceChargedFen;
  const { affected } = await execute(em, 'UPDATE repair_order SET underWarranty = ?, priceChargedFen = ? WHERE id = ? AND status = ? AND underWarranty = ?', [
    underWarranty ? 1 : 0,
    priceChargedFen,
    id,
    order.status,
    order.underWarranty ? 1 : 0,
  ]);
  if (affected !== 1)
    throw new ConflictError(RepairConflict.CHANGED_MEANWHILE, `Repair order ${id} changed meanwhile: reload and retry`, { repairOrderId: id });
  await recordChange(em, actor, {
    action: 'setRepairOrderWarranty',
    entityType: 'RepairOrder',
    entityId: id,
    data: {
      from: order.underWarranty,
      to: underWarranty,
      reason,
      ...(priceChargedFen !== order.priceChargedFen ? { priceChargedFen: { from: order.priceChargedFen, to: priceChargedFen } } : {}),
    },
  });
  return { ...order, underWarranty, priceChargedFen } as RepairOrder;
}

export async function getRepairOrder(em: EntityManager, user: AuthUser, id: number): Promise<RepairOrder> {
  const order = await em.getRepository(RepairOrder).findOne({ where: { id } });
  if (!order) throw new NotFoundError('RepairOrder', id);
  assertVisible(user, order.partnerId, 'RepairOrder', id);
  return order;
}

/** Newest first; a partner sees only its own orders. */
export async function listRepairOrders(em: EntityManager, user: AuthUser, filter: RepairOrderFilter = {}, args: ConnectionArgs) {
  const qb = em.getRepository(RepairOrder).createQueryBuilder('o');
  const partnerId = scopePartner(user, parseOptionalId(filter.partnerId, 'filter.partnerId'));
  if (partnerId != null) qb.andWhere('o.partnerId = :partnerId', { partnerId });
  if (filter.status) qb.andWhere('o.status = :status', { status: filter.status });
  if (filter.open != null) {
    qb.andWhere(`o.status ${filter.open ? 'IN' : 'NOT IN'} (:...open)`, { open: [...OPEN_REPAIR_STATUSES] });
  }
  if (filter.brand) qb.andWhere('o.brand = :brand', { brand: (await brandByCodeOrName(em, filter.brand, 'filter.brand')).name });
  if (filter.customerMsisdn) qb.andWhere('o.customerMsisdn = :msisdn', { msisdn: normalizeMsisdn(filter.customerMsisdn) });
  if (filter.serial) {
    const parsed = parseSerial(filter.serial);
    qb.andWhere('o.serial = :serial', { serial: parsed.ok ? parsed.serial.value : normalizeSerial(filter.serial) });
  }
  if (filter.outOfAuthorization != null) qb.andWhere('o.outOfAuthorization = :ooa', { ooa: filter.outOfAuthorization });
  if (filter.openedFrom) qb.andWhere('o.openedAt >= :from', { from: toDbDate(filter.openedFrom) });
  if (filter.openedTo) qb.andWhere('o.openedAt < :to', { to: toDbDate(filter.openedTo) });
  return paginate(qb, args, [{ column: 'o.id', value: (n) => n.id, direction: 'DESC' }]);
}

/** Seconds per status, summing every stay; the current stay counts up to `now` unless the order is closed. */
export function timeInStatus(spans: RepairOrderStatusSpan[], now = new Date()): { status: RepairOrderStatus; seconds: number }[] {
  const totals = new Map<RepairOrderStatus, number>();
  for (const s of spans) {
    const secs = spanSeconds(s, now);
    if (secs == null) continue;
    totals.set(s.status, (totals.get(s.status) ?? 0) + secs);
  }
  return [...totals].map(([status, seconds]) => ({ status, seconds }));
}

/** A closed stay's length; an open stay in an open status runs until now; a final status has none. */
export function spanSeconds(s: RepairOrderStatusSpan, now = new Date()): number | null {
  if (s.seconds != null) return s.seconds;
  if (!OPEN_REPAIR_STATUSES.includes(s.status)) return null;
  return Math.max(0, Math.round((now.getTime() - s.enteredAt.getTime()) / 1000));
}

/**
 * Median time from RECEIVED to READY per partner, over orders that became READY in the window.
 * Window functions (SQLite ≥ 3.25, MariaDB ≥ 10.2) pick the middle rows in SQL, so the statement
 * count does not depend on the number of orders or partners.
 */
export async function repairTurnaround(em: EntityManager, user: AuthUser, filter: TurnaroundFilter = {}): Promise<TurnaroundReport> {
  const from = filter.from ? parsePeriod(filter.from, 'filter.from') : null;
  const to = filter.to ? parsePeriod(filter.to, 'filter.to') : null;
  if (from && to && to.start < from.start) throw new BadInputError('filter.to', 'must not be before from');
  const region = filter.regionCode ? await regionByCode(em, filter.regionCode, 'filter.regionCode') : null;
  const own = tenantPartnerOf(user);

  const where: string[] = ['o.readyAt IS NOT NULL'];
  const params: unknown[] = [];
  if (from) {
    where.push('o.readyAt >= ?');
    params.push(toDbDate(from.start));
  }
  if (to) {
    where.push('o.readyAt < ?');
    params.push(toDbDate(to.end));
  }
  if (region) {
    where.push('p.regionId = ?');
    params.push(region.id);
  }
  if (own != null) {
    where.push('o.partnerId = ?');
    params.push(own);
  }
  const base = `FROM repair_order o JOIN repair_partner p ON p.id = o.partnerId WHERE ${where.join(' AND ')}`;
  // rn*2 between cnt and cnt+2 picks the middle row of an odd count and the middle two of an even one.
  const perPartner: { partnerId: unknown; n: unknown; median: unknown }[] = await em.query(
    `SELECT x.partnerId AS partnerId, MAX(x.cnt) AS n, AVG(x.s) AS median FROM (
       SELECT o.partnerId AS partnerId, o.turnaroundSeconds AS s,
              ROW_NUMBER() OVER (PARTITION BY o.partnerId ORDER BY o.turnaroundSeconds, o.id) AS rn,
              COUNT(*) OVER (PARTITION BY o.partnerId) AS cnt
       ${base}) x
     WHERE x.rn * 2 >= x.cnt AND x.rn * 2 <= x.cnt + 2
     GROUP BY x.partnerId`,
    params,
  );
  const overall: { n: unknown; median: unknown }[] = await em.query(
    `SELECT MAX(x.cnt) AS n, AVG(x.s) AS median FROM (
       SELECT o.turnaroundSeconds AS s,
              ROW_NUMBER() OVER (ORDER BY o.turnaroundSeconds, o.id) AS rn,
              COUNT(*) OVER () AS cnt
       ${base}) x
     WHERE x.rn * 2 >= x.cnt AND x.rn * 2 <= x.cnt + 2`,
    params,
  );
  // Partners without orders in the window are listed too (unless terminated): a blank is news.
  const pq = em.getRepository(RepairPartner).createQueryBuilder('p').select(['p.id', 'p.status']).orderBy('p.id', 'ASC');
  if (region) pq.andWhere('p.regionId = :regionId', { regionId: region.id });
  if (own != null) pq.andWhere('p.id = :own', { own });
  const partners = await pq.getMany();
  const stats = new Map(perPartner.map((r) => [Number(r.partnerId), { n: Number(r.n), median: Math.round(Number(r.median)) }]));
  const rows = partners
    .filter((p) => stats.has(p.id) || p.status !== PartnerStatus.TERMINATED)
    .map((p) => {
      const s = stats.get(p.id);
      return {
        partnerId: p.id,
        orders: s?.n ?? 0,
        medianSeconds: s ? s.median : null,
        medianHours: s ? Math.round(s.median / 360) / 10 : null,
      };
    });
  const o = overall[0];
  const overallN = o && o.n != null ? Number(o.n) : 0;
  return {
    from: from?.key ?? null,
    to: to?.key ?? null,
    orders: overallN,
    medianSeconds: overallN ? Math.round(Number(o.median)) : null,
    partners: rows,
  };
}
