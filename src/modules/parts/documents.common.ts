import { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth';
import { scopePartner } from '../../common/auth';
import { BadInputError } from '../../common/errors';
import { parseOptionalId } from '../../common/ids';
import { RepairPartner } from '../repair/repair-partner.entity';
import { ParsedLine } from './parts.common';
import { placeholders } from '../../common/db';

export interface PartRef {
  id: number;
  sku: string;
  name: string;
}

/** The parts a document names; an unknown one is BAD_USER_INPUT on its line. */
export async function loadParts(em: EntityManager, field: string, lines: ParsedLine[]): Promise<Map<number, PartRef>> {
  const ids = lines.map((l) => l.partId);
  const rows: { id: number; sku: string; name: string }[] = await em.query(`SELECT id, sku, name FROM part WHERE id IN (${placeholders(ids.length)})`, ids);
  const parts = new Map(rows.map((r) => [Number(r.id), { id: Number(r.id), sku: r.sku, name: r.name }]));
  for (const l of lines) {
    if (!parts.has(l.partId)) throw new BadInputError(`${field}.${l.index}.partId`, `no part ${l.partId}`);
  }
  return parts;
}

/** The partner a movement is for: a REPAIR_PARTNER's own (it may leave it out); staff must name one. */
export function resolvePartnerId(actor: AuthUser, raw: string | null | undefined, field: string): number {
  const id = scopePartner(actor, parseOptionalId(raw, field));
  if (id == null) throw new BadInputError(field, 'is required');
  return id;
}

export async function loadPartner(em: EntityManager, partnerId: number, field: string): Promise<RepairPartner> {
  const partner = await em.getRepository(RepairPartner).findOne({ where: { id: partnerId } });
  if (!partner) throw new BadInputError(field, `no repair partner ${partnerId}`);
  return partner;
}

/** Lock rows in one order (by part id) in every transaction, so two issues never wait on each other in a cycle. */
export function byPartId<T extends { partId: number }>(lines: T[]): T[] {
  return [...lines].sort((a, b) => a.partId - b.partId);
}

const KEY = /^[A-Za-z0-9._:-]{1,64}$/;

export function parseIdempotencyKey(field: string, raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  if (!KEY.test(raw)) throw new BadInputError(field, 'must be 1 to 64 letters, digits or . _ : -');
  return raw;
}
