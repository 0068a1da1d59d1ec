import { EntityManager, In } from 'typeorm';
import { tenantPartnerOf } from '../../common/auth';
import type { AuthUser } from '../../common/auth';
import { execute, isMysql, placeholders, toDbDate } from '../../common/db';
import { BadInputError, ConflictError, isUniqueViolation, NotFoundError } from '../../common/errors';
import { parseId, parseOptionalId } from '../../common/ids';
import { toFen } from '../../common/money';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { normalizeSerial, parseSerial, Serial } from '../../common/validators/serial';
import { recordChanges } from '../changelog/change-log.service';
import { PartnerStatus, RepairPartner } from '../repair/repair-partner.entity';
import { LoanerEvent, LoanerEventType } from './loaner-event.entity';
import { LoanerPhone, LoanerSerialKind, LoanerStatus } from './loaner-phone.entity';
import { LoanerPhoneFilter, LoanerPhoneInput } from './loaners.inputs';
import { addEvents, NewEvent, parseLoanerIds } from './loaners.common';
import { requiredText } from '../../common/text';
import { LoanersConflict } from './loaners.errors';
import { LoanerInputError, LoanerRegistrationResult, LoanerSummary, RegisterLoanerPhonesPayload } from './loaners.types';

export const MAX_REGISTER = 1000;

/* ------------------------------------------------------------------ reading */

interface Catalogue {
  /** Upper-case brand code or name → the brand's name and id. */
  brands: Map<string, { id: number; name: string }>;
  /** `${brandId}|${UPPER(model)}` → the model's name and network. */
  models: Map<string, { name: string; network: string }>;
}

/**
 * The repair module's handset brands and models (reference data, a few dozen rows), read once per
 * call: loaners name their brand as repair orders do, and a known model fixes the network, hence
 * whether the serial must be an IMEI (GSM) or a MEID (CDMA).
 */
async function handsetCatalogue(em: EntityManager): Promise<Catalogue> {
  const brandRows: { id: unknown; code: string; name: string }[] = await em.query('SELECT id, code, name FROM handset_brand');
  const modelRows: { brandId: unknown; name: string; network: string }[] = await em.query('SELECT brandId, name, network FROM handset_model');
  const brands = new Map<string, { id: number; name: string }>();
  for (const b of brandRows) {
    const v = { id: Number(b.id), name: b.name };
    brands.set(b.code.toUpperCase(), v);
    brands.set(b.name.toUpperCase(), v);
  }
  const models = new Map(modelRows.map((m) => [`${Number(m.brandId)}|${m.name.toUpperCase()}`, { name: m.name, network: m.network }]));
  return { brands, models };
}

/** A loaner the actor may see: staff see all; a partner only those it holds. Others are NOT_FOUND. */
export async function getLoaner(em: EntityManager, actor: AuthUser, idRaw: string | number, field = 'id'): Promise<LoanerPhone> {
  const id = parseId(idRaw, field);
  const own = tenantPartnerOf(actor);
  const loaner = await em.getRepository(LoanerPhone).findOne({ where: { id } });
  if (!loaner || (own !== null && loaner.partnerId !== own)) throw new NotFoundError('LoanerPhone', id);
  return loaner;
}

export async function listLoaners(em: EntityManager, actor: AuthUser, filter: LoanerPhoneFilter | null | undefined, args: ConnectionArgs) {
  const f = filter ?? {};
  const own = tenantPartnerOf(actor);
  const requested = parseOptionalId(f.partnerId, 'filter.partnerId');
  const qb = em.getRepository(LoanerPhone).createQueryBuilder('l');
  if (own !== null) {
    qb.andWhere('l.partnerId = :own', { own });
    // Another partner's loaners by filter: nothing, not an error that would confirm they exist.
    if (requested !== null && requested !== own) qb.andWhere('1 = 0');
  } else if (requested !== null) {
    qb.andWhere('l.partnerId = :requested', { requested });
  }
  if (f.atCentre === true) qb.andWhere('l.partnerId IS NULL');
  if (f.atCentre === false) qb.andWhere('l.partnerId IS NOT NULL');
  if (f.status) qb.andWhere('l.status = :status', { status: f.status });
  if (f.brand) {
    const brand = (await handsetCatalogue(em)).brands.get(f.brand.trim().toUpperCase());
    qb.andWhere('l.brand = :brand', { brand: brand?.name ?? f.brand.trim() });
  }
  if (f.serial) {
    let s = normalizeSerial(f.serial);
    // A MEID as printed carries its check digit; the stored MEID does not.
    const parsed = parseSerial(s);
    if (parsed.ok) s = parsed.serial.value;
    if (!/^[0-9A-F]+$/.test(s)) throw new BadInputError('filter.serial', 'may hold only digits and hex digits A-F');
    qb.andWhere('l.serial LIKE :serial', { serial: `${s}%` });
  }
  return paginate(qb, args);
}

/**
 * A loaner's history, oldest first. A partner sees only the events that concern it (allocation to
 * it, its loans, take-back from it), for loaners it holds or held.
 */
export async function loanerHistory(em: EntityManager, actor: AuthUser, loanerIdRaw: string, args: ConnectionArgs) {
  const loanerId = parseId(loanerIdRaw, 'loanerId');
  const own = tenantPartnerOf(actor);
  const qb = em.getRepository(LoanerEvent).createQueryBuilder('e').where('e.loanerId = :loanerId', { loanerId });
  if (own === null) {
    if (!(await em.getRepository(LoanerPhone).existsBy({ id: loanerId }))) throw new NotFoundError('LoanerPhone', loanerId);
  } else {
    const holds = await em.getRepository(LoanerPhone).existsBy({ id: loanerId, partnerId: own });
    const held = holds || (await em.getRepository(LoanerEvent).existsBy({ loanerId, partnerId: own }));
    if (!held) throw new NotFoundError('LoanerPhone', loanerId);
    qb.andWhere('e.partnerId = :own', { own });
  }
  return paginate(qb, args);
}

/** Counts by status, and per partner what it holds, what is overdue and the deposits it holds. */
export async function loanerSummary(em: EntityManager, actor: AuthUser, now = new Date()): Promise<LoanerSummary> {
  const own = tenantPartnerOf(actor);
  const where = own === null ? '' : 'WHERE partnerId = ?';
  const p = own === null ? [] : [own];
  const byStatusPartner: { partnerId: number | null; status: LoanerStatus; n: unknown }[] = await em.query(
    `SELECT partnerId, status, COUNT(*) AS n FROM loaner_phone ${where} GROUP BY partnerId, status`,
    p,
  );
  const open: { partnerId: number; overdue: unknown; held: unknown }[] = await em.query(
    `SELECT partnerId, SUM(CASE WHEN dueAt < ? THEN 1 ELSE 0 END) AS overdue, SUM(depositFen) AS held
       FROM loaner_loan WHERE returnedAt IS NULL ${own === null ? '' : 'AND partnerId = ?'} GROUP BY partnerId`,
    [toDbDate(now), ...p],
  );
  const statusTotals = new Map<LoanerStatus, number>();
  const partners = new Map<number, LoanerSummary['partners'][number]>();
  const partnerRow = (partnerId: number) => {
    let row = partners.get(partnerId);
    if (!row) {
      row = { partnerId, total: 0, allocated: 0, onLoan: 0, inService: 0, lost: 0, overdueLoans: 0, depositsHeldFen: 0 };
      partners.set(partnerId, row);
    }
    return row;
  };
  for (const r of byStatusPartner) {
    const n = Number(r.n);
    statusTotals.set(r.status, (statusTotals.get(r.status) ?? 0) + n);
    if (r.partnerId === null || r.status === LoanerStatus.RETIRED || r.status === LoanerStatus.IN_POOL) continue;
    const row = partnerRow(Number(r.partnerId));
    row.total += n;
    if (r.status === LoanerStatus.ALLOCATED) row.allocated += n;
    if (r.status === LoanerStatus.ON_LOAN) row.onLoan += n;
    if (r.status === LoanerStatus.IN_SERVICE) row.inService += n;
    if (r.status === LoanerStatus.LOST) row.lost += n;
  }
  for (const r of open) {
    const row = partnerRow(Number(r.partnerId));
    row.overdueLoans = Number(r.overdue ?? 0);
    row.depositsHeldFen = toFen(r.held);
  }
  return {
    total: [...statusTotals.values()].reduce((a, b) => a + b, 0),
    byStatus: Object.values(LoanerStatus).map((status) => ({ status, count: statusTotals.get(status) ?? 0 })),
    partners: [...partners.values()].sort((a, b) => a.partnerId - b.partnerId),
  };
}

/* ------------------------------------------------------------------ registering */

/**
 * Registers handsets into the centre's pool. Each item is checked on its own: a bad serial, a
 * missing brand or model, a serial listed twice or already registered rejects that item with the
 * reason, and the others are registered.
 */
export async function registerLoanerPhones(em: EntityManager, actor: AuthUser, items: LoanerPhoneInput[]): Promise<RegisterLoanerPhonesPayload> {
  if (!Array.isArray(items) || items.length === 0) throw new BadInputError('input', 'must list at least one loaner');
  if (items.length > MAX_REGISTER) throw new BadInputError('input', `at most ${MAX_REGISTER} loaners a call`);

  const catalogue = await handsetCatalogue(em);
  const results: LoanerRegistrationResult[] = items.map((_, index) => ({ index, loaner: null, errors: [] }));
  const candidates: { index: number; serial: Serial; brand: string; model: string }[] = [];
  const firstBySerial = new Map<string, number>();
  items.forEach((item, i) => {
    const errors: LoanerInputError[] = results[i].errors;
    const text = (name: 'brand' | 'model') => {
      const v = String(item[name] ?? '').trim();
      if (!v) errors.push({ field: `input.${i}.${name}`, message: 'is required' });
      else if (v.length > 64) errors.push({ field: `input.${i}.${name}`, message: 'must be at most 64 characters' });
      return v;
    };
    const brandText = text('brand');
    let model = text('model');
    const brand = brandText ? catalogue.brands.get(brandText.toUpperCase()) : undefined;
    if (brandText && !brand) errors.push({ field: `input.${i}.brand`, message: `unknown handset brand "${brandText}" (see handsetBrands)` });
    const parsed = parseSerial(item.serial);
    if (!parsed.ok) errors.push({ field: `input.${i}.serial`, message: parsed.reason });
    const known = brand && model ? catalogue.models.get(`${brand.id}|${model.toUpperCase()}`) : undefined;
    if (known) {
      model = known.name;
      const wanted = known.network === 'CDMA' ? 'MEID' : 'IMEI';
      if (parsed.ok && parsed.serial.kind !== wanted) {
        errors.push({
          field: `input.${i}.serial`,
          message: `${brand!.name} ${known.name} is a ${known.network} handset, so its serial is ${wanted === 'MEID' ? 'a MEID' : 'an IMEI'}`,
        });
      }
    }
    if (errors.length || !parsed.ok || !brand) return;
    const prev = firstBySerial.get(parsed.serial.value);
    if (prev !== undefined) {
      errors.push({ field: `input.${i}.serial`, message: `is the same handset as input.${prev}.serial` });
      return;
    }
    firstBySerial.set(parsed.serial.value, i);
    candidates.push({ index: i, serial: parsed.serial, brand: brand.name, model });
  });

  const existing = new Set<string>();
  for (let i = 0; i < candidates.length; i += 500) {
    const chunk = candidates.slice(i, i + 500).map((c) => c.serial.value);
    const rows: { serial: string }[] = await em.query(`SELECT serial FROM loaner_phone WHERE serial IN (${placeholders(chunk.length)})`, chunk);
    for (const r of rows) existing.add(r.serial);
  }
  const accepted = candidates.filter((c) => {
    if (!existing.has(c.serial.value)) return true;
    results[c.index].errors.push({ field: `input.${c.index}.serial`, message: 'a loaner with this serial is already registered' });
    return false;
  });

  const now = new Date();
  const bySerial = new Map<string, LoanerPhone>();
  try {
    for (let i = 0; i < accepted.length; i += 200) {
      const chunk = accepted.slice(i, i + 200);
      await em
        .createQueryBuilder()
        .insert()
        .into(LoanerPhone)
        .values(
          chunk.map((c) => ({
            serial: c.serial.value,
            serialKind: c.serial.kind as LoanerSerialKind,
            brand: c.brand,
            model: c.model,
            status: LoanerStatus.IN_POOL,
            partnerId: null,
            registeredAt: now,
            allocatedAt: null,
            statusChangedAt: now,
          })),
        )
        .updateEntity(false)
        .execute();
      const saved = await em.getRepository(LoanerPhone).findBy({ serial: In(chunk.map((c) => c.serial.value)) });
      for (const l of saved) bySerial.set(l.serial, l);
    }
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError(
        LoanersConflict.CHANGED_MEANWHILE,
        'A serial in this request was registered by another request at the same moment; nothing was registered: send it again',
      );
    throw err;
  }

  const loaners = accepted.map((c) => {
    const loaner = bySerial.get(c.serial.value)!;
    results[c.index].loaner = loaner;
    return loaner;
  });
  await addEvents(
    em,
    actor,
    loaners.map((l) => ({
      loanerId: l.id,
      type: LoanerEventType.REGISTERED,
      fromStatus: null,
      toStatus: LoanerStatus.IN_POOL,
      partnerId: null,
      loanId: null,
      note: null,
    })),
    now,
  );
  await recordChanges(
    em,
    actor,
    loaners.map((l) => ({
      action: 'registerLoanerPhone',
      entityType: 'LoanerPhone',
      entityId: l.id,
      data: { serial: l.serial, serialKind: l.serialKind, brand: l.brand, model: l.model },
    })),
  );
  return { registered: loaners.length, rejected: items.length - loaners.length, results };
}

/* ------------------------------------------------------------------ moving between centre and partners */

/**
 * The loaners named, read with a row lock on MySQL (in id order, so concurrent bulk moves do not
 * deadlock): what is read is what the conditional UPDATE that follows will find. Unknown ids are
 * BAD_USER_INPUT naming their position.
 */
async function lockLoaners(em: EntityManager, ids: number[], field: string): Promise<Map<number, LoanerPhone>> {
  const qb = em.getRepository(LoanerPhone).createQueryBuilder('l').where('l.id IN (:...ids)', { ids }).orderBy('l.id', 'ASC');
  if (isMysql(em)) qb.setLock('pessimistic_write');
  const rows = await qb.getMany();
  const map = new Map(rows.map((r) => [r.id, r]));
  ids.forEach((id, i) => {
    if (!map.has(id)) throw new BadInputError(`${field}.${i}`, `no such loaner: ${id}`);
  });
  return map;
}

function listSerials(loaners: LoanerPhone[]): string {
  const shown = loaners.slice(0, 10).map((l) => `${l.serial} (${l.status})`);
  return shown.join(', ') + (loaners.length > 10 ? ` and ${loaners.length - 10} more` : '');
}

interface Move {
  ids: number[];
  from: LoanerStatus[];
  to: LoanerStatus;
  /** SQL assignments besides status, and their parameters. */
  set: string;
  params: unknown[];
  event: LoanerEventType;
  action: string;
  why: string;
  note?: string | null;
  /** The partner to record on each event (default: the partner that held it). */
  eventPartner?: (l: LoanerPhone) => number | null;
  extraData?: Record<string, unknown>;
}

/**
 * Move many loaners from one of `from` to `to`, all or nothing: any loaner not in a `from` status
 * is CONFLICT and nothing moves. The UPDATE is conditional on the status as well, so that even
 * without the lock (SQLite serialises writers anyway) a loaner that changed meanwhile is not moved.
 */
async function moveLoaners(em: EntityManager, actor: AuthUser, field: string, m: Move): Promise<LoanerPhone[]> {
  const before = await lockLoaners(em, m.ids, field);
  const wrong = m.ids.map((id) => before.get(id)!).filter((l) => !m.from.includes(l.status));
  if (wrong.length)
    throw new ConflictError(LoanersConflict.TRANSITION_NOT_ALLOWED, `${m.why}: ${listSerials(wrong)}`, { loanerIds: wrong.map((l) => String(l.id)) });
  const now = new Date();
  const { affected } = await execute(
    em,
    `UPDATE loaner_phone SET status = ?, statusChangedAt = ?${m.set ? `, ${m.set}` : ''}
      WHERE status IN (${placeholders(m.from.length)}) AND id IN (${placeholders(m.ids.length)})`,
    [m.to, toDbDate(now), ...m.params, ...m.from, ...m.ids],
  );
  if (affected !== m.ids.length)
    throw new ConflictError(LoanersConflict.CHANGED_MEANWHILE, 'Some of these loaners changed meanwhile; nothing was moved: try again');
  const events: NewEvent[] = m.ids.map((id) => {
    const l = before.get(id)!;
    return {
      loanerId: id,
      type: m.event,
      fromStatus: l.status,
      toStatus: m.to,
      partnerId: m.eventPartner ? m.eventPartner(l) : l.partnerId,
      loanId: null,
      note: m.note ?? null,
    };
  });
  await addEvents(em, actor, events, now);
  await recordChanges(
    em,
    actor,
    events.map((e) => ({
      action: m.action,
      entityType: 'LoanerPhone',
      entityId: e.loanerId,
      data: { serial: before.get(e.loanerId)!.serial, from: e.fromStatus, to: e.toStatus, partnerId: e.partnerId, note: e.note, ...m.extraData },
    })),
  );
  const after = await em.getRepository(LoanerPhone).findBy({ id: In(m.ids) });
  const byId = new Map(after.map((l) => [l.id, l]));
  return m.ids.map((id) => byId.get(id)!);
}

export async function allocateLoaners(em: EntityManager, actor: AuthUser, partnerIdRaw: string, loanerIdsRaw: string[]): Promise<LoanerPhone[]> {
  const partnerId = parseId(partnerIdRaw, 'partnerId');
  const ids = parseLoanerIds(loanerIdsRaw);
  const partner = await em.getRepository(RepairPartner).findOne({ where: { id: partnerId } });
  if (!partner) throw new NotFoundError('RepairPartner', partnerId);
  if (partner.status !== PartnerStatus.ACTIVE) {
    throw new ConflictError(LoanersConflict.PARTNER_NOT_ACTIVE, `Repair partner ${partner.code} is ${partner.status}: loaners go to active partners only`, {
      partnerId: String(partnerId),
    });
  }
  const now = new Date();
  return moveLoaners(em, actor, 'loanerIds', {
    ids,
    from: [LoanerStatus.IN_POOL],
    to: LoanerStatus.ALLOCATED,
    set: 'partnerId = ?, allocatedAt = ?',
    params: [partnerId, toDbDate(now)],
    event: LoanerEventType.ALLOCATED,
    action: 'allocateLoaner',
    why: 'Only loaners in the pool can be allocated (take them back first)',
    eventPartner: () => partnerId,
    extraData: { partnerCode: partner.code },
  });
}

export function takeBackLoaners(em: EntityManager, actor: AuthUser, loanerIdsRaw: string[], reason?: string | null): Promise<LoanerPhone[]> {
  const ids = parseLoanerIds(loanerIdsRaw);
  const note = reason ? requiredText('reason', reason, 500) : null;
  return moveLoaners(em, actor, 'loanerIds', {
    ids,
    from: [LoanerStatus.ALLOCATED],
    to: LoanerStatus.IN_POOL,
    set: 'partnerId = NULL, allocatedAt = NULL',
    params: [],
    event: LoanerEventType.TAKEN_BACK,
    action: 'takeBackLoaner',
    why: "Only loaners on a partner's shelf can be taken back (a loaner on loan must be returned first)",
    note,
  });
}

/** A damaged loaner is repaired: it goes back to the centre's pool, to be allocated again. */
export function completeLoanerService(em: EntityManager, actor: AuthUser, loanerIdsRaw: string[], note?: string | null): Promise<LoanerPhone[]> {
  const ids = parseLoanerIds(loanerIdsRaw);
  return moveLoaners(em, actor, 'loanerIds', {
    ids,
    from: [LoanerStatus.IN_SERVICE],
    to: LoanerStatus.IN_POOL,
    set: 'partnerId = NULL, allocatedAt = NULL',
    params: [],
    event: LoanerEventType.SERVICE_COMPLETED,
    action: 'completeLoanerService',
    why: 'Only loaners in service can come back from service',
    note: note ? requiredText('note', note, 500) : null,
  });
}

/** Write loaners off for good: beyond repair, lost, or worn out in the pool. */
export function retireLoaners(em: EntityManager, actor: AuthUser, loanerIdsRaw: string[], reason: string): Promise<LoanerPhone[]> {
  const ids = parseLoanerIds(loanerIdsRaw);
  const note = requiredText('reason', reason, 500);
  return moveLoaners(em, actor, 'loanerIds', {
    ids,
    from: [LoanerStatus.IN_POOL, LoanerStatus.IN_SERVICE, LoanerStatus.LOST],
    to: LoanerStatus.RETIRED,
    set: 'partnerId = NULL, allocatedAt = NULL',
    params: [],
    event: LoanerEventType.RETIRED,
    action: 'retireLoaner',
    why: 'Only loaners in the pool, in service or lost can be retired',
    note,
  });
}
