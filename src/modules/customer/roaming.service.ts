import { EntityManager } from 'typeorm';
import { placeholders } from '../../common/db';
import type { AuthUser } from '../../common/auth';
import { BadInputError, ConflictError } from '../../common/errors';
import { assertFen } from '../../common/money';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { parsePeriod } from '../../common/period';
import { requiredText } from '../../common/text';
import { isValidMsisdn, normalizeMsisdn } from '../../common/validators/msisdn';
import { recordChange } from '../changelog/change-log.service';
import { regionByCode } from '../regions/region.service';
import { WaiverSource } from './customer.enums';
import { BorderCellInput, ManualWaiverInput, RoamingChargeInput, RoamingWaiverFilter } from './customer.inputs';
import { BorderCell, RoamingWaiver } from './roaming-waiver.entity';
import { CustomerConflict } from './customer.errors';
import { AutoWaiverResult } from './customer.types';

export const MAX_CHARGES_PER_CALL = 5000;

export function parseMsisdn(raw: string, field: string): string {
  const m = normalizeMsisdn(raw ?? '');
  if (!isValidMsisdn(m)) throw new BadInputError(field, 'must be an 11-digit mobile number starting with 1');
  return m;
}

/** The region of each number that has a live record here (its agent's region); one statement. */
export async function lineRegions(em: EntityManager, msisdns: string[]): Promise<Map<string, { registrationId: number; agentId: number; regionId: number }>> {
  const out = new Map<string, { registrationId: number; agentId: number; regionId: number }>();
  const unique = [...new Set(msisdns)];
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    const rows: { msisdn: string; id: number; agentId: number; regionId: number }[] = await em.query(
      `SELECT r.activeMsisdn AS msisdn, r.id, r.agentId, a.regionId FROM registration r JOIN agent a ON a.id = r.agentId
        WHERE r.activeMsisdn IN (${placeholders(chunk.length)})`,
      chunk,
    );
    for (const r of rows) out.set(r.msisdn, { registrationId: Number(r.id), agentId: Number(r.agentId), regionId: Number(r.regionId) });
  }
  return out;
}

export async function setBorderCell(em: EntityManager, actor: AuthUser, input: BorderCellInput): Promise<BorderCell> {
  const cellId = requiredText('input.cellId', input.cellId, 32);
  const description = requiredText('input.description', input.description, 100);
  const region = await regionByCode(em, input.regionCode, 'input.regionCode');
  const repo = em.getRepository(BorderCell);
  if (await repo.findOne({ where: { cellId } })) await repo.update({ cellId }, { regionId: region.id, description });
  else await repo.insert({ cellId, regionId: region.id, description });
  await recordChange(em, actor, { action: 'setBorderCell', entityType: 'BorderCell', entityId: cellId, data: { regionCode: region.code, description } });
  return (await repo.findOne({ where: { cellId } }))!;
}

export function listBorderCells(em: EntityManager): Promise<BorderCell[]> {
  return em.getRepository(BorderCell).find({ order: { cellId: 'ASC' } });
}

/**
 * A month's roaming charges from billing: those picked up by a listed border cell are waived
 * (source AUTO), the rest left alone. Everything is validated before anything is written; the
 * same line, month and cell is waived once whatever how often the list is applied.
 */
export async function applyAutoWaivers(em: EntityManager, actor: AuthUser, periodRaw: string, charges: RoamingChargeInput[]): Promise<AutoWaiverResult> {
  const period = parsePeriod(periodRaw, 'period').key;
  if (!charges.length) throw new BadInputError('charges', 'must not be empty');
  if (charges.length > MAX_CHARGES_PER_CALL) throw new BadInputError('charges', `at most ${MAX_CHARGES_PER_CALL} per call`);
  const clean = charges.map((c, i) => ({
    msisdn: parseMsisdn(c.msisdn, `charges.${i}.msisdn`),
    cellId: requiredText(`charges.${i}.cellId`, c.cellId, 32),
    amountFen: assertFen(`charges.${i}.amountFen`, c.amountFen, { allowZero: false }),
  }));
  const cells = new Map((await listBorderCells(em)).map((c) => [c.cellId, c]));
  const lines = await lineRegions(
    em,
    clean.map((c) => c.msisdn),
  );
  const existing = new Set(
    (
      (await em.query(`SELECT msisdn, cellKey FROM roaming_waiver WHERE period = ? AND source = 'AUTO'`, [period])) as { msisdn: string; cellKey: string }[]
    ).map((r) => `${r.msisdn}|${r.cellKey}`),
  );
  const now = new Date();
  const result: AutoWaiverResult = { waived: 0, waivedFen: 0, notBorder: 0, duplicates: 0 };
  const rows: Partial<RoamingWaiver>[] = [];
  for (const c of clean) {
    const cell = cells.get(c.cellId);
    if (!cell) {
      result.notBorder++;
      continue;
    }
    const key = `${c.msisdn}|${c.cellId}`;
    if (existing.has(key)) {
      result.duplicates++;
      continue;
    }
    existing.add(key);
    rows.push({
      msisdn: c.msisdn,
      regionId: lines.get(c.msisdn)?.regionId ?? cell.regionId,
      period,
      amountFen: c.amountFen,
      source: WaiverSource.AUTO,
      cellKey: c.cellId,
      complaintId: null,
      note: null,
      createdAt: now,
      createdById: actor.id,
    });
    result.waived++;
    result.waivedFen += c.amountFen;
  }
  for (let i = 0; i < rows.length; i += 500) await em.getRepository(RoamingWaiver).insert(rows.slice(i, i + 500));
  await recordChange(em, actor, { action: 'applyAutoRoamingWaivers', entityType: 'RoamingWaiver', entityId: period, data: { ...result } });
  return result;
}

/** One waiver by hand (one per line and month), or on an upheld ROAMING_CHARGE complaint. */
export async function addWaiver(
  em: EntityManager,
  actor: AuthUser,
  w: { msisdn: string; period: string; amountFen: number; regionId: number; source: WaiverSource; complaintId: number | null; note: string | null },
  now = new Date(),
): Promise<RoamingWaiver> {
  const cellKey = w.source === WaiverSource.COMPLAINT ? `C${w.complaintId}` : 'MANUAL';
  const repo = em.getRepository(RoamingWaiver);
  const dup = await repo.findOne({ where: { msisdn: w.msisdn, period: w.period, source: w.source, cellKey } });
  if (dup)
    throw new ConflictError(CustomerConflict.ALREADY_WAIVED, `Roaming charges of ${w.msisdn} in ${w.period} were already waived by hand (waiver ${dup.id})`, {
      waiverId: dup.id,
    });
  const row = repo.create({ ...w, cellKey, createdAt: now, createdById: actor.id });
  await repo.insert(row);
  return row;
}

export async function waiveRoamingManually(em: EntityManager, actor: AuthUser, input: ManualWaiverInput): Promise<RoamingWaiver> {
  const msisdn = parseMsisdn(input.msisdn, 'input.msisdn');
  const period = parsePeriod(input.period, 'input.period').key;
  const amountFen = assertFen('input.amountFen', input.amountFen, { allowZero: false });
  const note = requiredText('input.note', input.note, 255);
  const line = (await lineRegions(em, [msisdn])).get(msisdn);
  let regionId = line?.regionId;
  if (input.regionCode) regionId = (await regionByCode(em, input.regionCode, 'input.regionCode')).id;
  if (!regionId) throw new BadInputError('input.regionCode', 'is required: the line has no record here');
  const w = await addWaiver(em, actor, { msisdn, period, amountFen, regionId, source: WaiverSource.MANUAL, complaintId: null, note });
  await recordChange(em, actor, { action: 'waiveRoamingManually', entityType: 'RoamingWaiver', entityId: w.id, data: { msisdn, period, amountFen } });
  return w;
}

export async function listWaivers(em: EntityManager, filter: RoamingWaiverFilter | undefined, args: ConnectionArgs) {
  const qb = em.getRepository(RoamingWaiver).createQueryBuilder('w');
  if (filter?.period) qb.andWhere('w.period = :period', { period: parsePeriod(filter.period, 'filter.period').key });
  if (filter?.msisdn) qb.andWhere('w.msisdn = :msisdn', { msisdn: parseMsisdn(filter.msisdn, 'filter.msisdn') });
  if (filter?.source) qb.andWhere('w.source = :source', { source: filter.source });
  if (filter?.regionCode) qb.andWhere('w.regionId = :regionId', { regionId: (await regionByCode(em, filter.regionCode, 'filter.regionCode')).id });
  return paginate(qb, args, [{ column: 'w.id', value: (w) => w.id, direction: 'DESC' }]);
}
