/**
 * Brings records stored before the identity rules of issues 19 and 26 up to them
 * (`npm run ids:backfill`, scripts/backfill-identity-numbers.ts):
 * - a 15-digit resident number was hashed as typed, so it and its 18-character form counted as two
 *   people: its idHash becomes the hash of the 18-character form (what prepareRecord now writes);
 * - its mask kept 3 + 3 characters: it becomes 4 + 4;
 * - OBSOLETE_ID_CARD and UNKNOWN_REGION_CODE are added where they apply.
 * The numbers are decrypted in memory only; nothing else changes (the line-limit flag of records
 * already stored is not recomputed). Idempotent: a second run changes nothing. One keyset batch of
 * RESIDENT_ID records per transaction, so it can run beside the app.
 */
import { DataSource, EntityManager } from 'typeorm';
import { execute, fromDbDate, placeholders } from '../../common/db';
import { inTransaction } from '../../common/tx';
import { ageOn, canonicalResidentId, checkResidentId, FIRST_GENERATION_INVALID_FROM, maskIdNumber } from '../../common/validators/id-card';
import { isUnknownRegion } from '../../common/validators/region-code';
import type { AppConfig } from '../../config';
import { recordChange } from '../changelog/change-log.service';
import { identityCipher } from './identity-crypto';
import { shanghaiDay } from './instant';
import { RegistrationFlag } from './registration.entity';

const FLAG_ORDER = Object.values(RegistrationFlag);

interface Row {
  id: number | string;
  idCipher: string;
  idKeyId: string;
  idHash: string;
  idMasked: string;
  flags: string | null;
  openedAt: unknown;
}

export interface BackfillResult {
  examined: number;
  rehashed: number;
  flagged: number;
}

/** One batch after `afterId`; returns the counts and the last id examined (null when done). */
export async function backfillIdentityBatch(
  em: EntityManager,
  config: AppConfig,
  afterId: number,
  limit = 1000,
): Promise<BackfillResult & { lastId: number | null }> {
  const cipher = identityCipher(config);
  const rows: Row[] = await em.query(
    `SELECT id, idCipher, idKeyId, idHash, idMasked, flags, openedAt FROM registration
      WHERE idType = 'RESIDENT_ID' AND id > ? ORDER BY id LIMIT ${Number(limit)}`,
    [afterId],
  );
  let rehashed = 0;
  let flagged = 0;
  const updates: { id: number; idHash: string; idMasked: string; flags: string }[] = [];
  for (const r of rows) {
    const number = cipher.decrypt(r.idCipher, r.idKeyId);
    const idHash = cipher.hash(canonicalResidentId(number));
    const idMasked = maskIdNumber(number);
    const had = new Set((r.flags ?? '').split(',').filter(Boolean));
    const flags = new Set(had);
    if (/^\d{15}$/.test(number) && ageOn(FIRST_GENERATION_INVALID_FROM, shanghaiDay(fromDbDate(r.openedAt)!)) >= 0) {
      flags.add(RegistrationFlag.OBSOLETE_ID_CARD);
    }
    if (/^\d{15}$|^\d{17}[\dX]$/.test(number) && isUnknownRegion(number, checkResidentId(number).birthDate)) flags.add(RegistrationFlag.UNKNOWN_REGION_CODE);
    const newFlags = FLAG_ORDER.filter((f) => flags.has(f)).join(',');
    if (idHash === r.idHash && idMasked === r.idMasked && flags.size === had.size) continue;
    if (idHash !== r.idHash) rehashed++;
    if (flags.size !== had.size) flagged++;
    updates.push({ id: Number(r.id), idHash, idMasked, flags: newFlags });
  }
  for (let i = 0; i < updates.length; i += 200) {
    const part = updates.slice(i, i + 200);
    const cases = () => `CASE id ${part.map(() => 'WHEN ? THEN ?').join(' ')} END`;
    const params = (col: 'idHash' | 'idMasked' | 'flags') => part.flatMap((u) => [u.id, u[col]]);
    await execute(
      em,
      `UPDATE registration SET idHash = ${cases()}, idMasked = ${cases()}, flags = ${cases()},
              flagged = CASE WHEN ${cases()} = '' THEN 0 ELSE 1 END
        WHERE id IN (${placeholders(part.length)})`,
      [...params('idHash'), ...params('idMasked'), ...params('flags'), ...params('flags'), ...part.map((u) => u.id)],
    );
  }
  return { examined: rows.length, rehashed, flagged, lastId: rows.length ? Number(rows[rows.length - 1].id) : null };
}

/** Every RESIDENT_ID record, a transaction per batch, with one change-log entry per batch that changed anything. */
export async function backfillIdentityNumbers(ds: DataSource, config: AppConfig, batchSize = 1000): Promise<BackfillResult> {
  const total: BackfillResult = { examined: 0, rehashed: 0, flagged: 0 };
  let after = 0;
  for (;;) {
    const r = await inTransaction(ds, async (em) => {
      const b = await backfillIdentityBatch(em, config, after, batchSize);
      if (b.rehashed || b.flagged) {
        await recordChange(em, null, {
          action: 'backfillIdentityNumbers',
          entityType: 'Registration',
          entityId: 'identity-numbers',
          data: { fromId: after + 1, toId: b.lastId, rehashed: b.rehashed, flagged: b.flagged },
        });
      }
      return b;
    });
    total.examined += r.examined;
    total.rehashed += r.rehashed;
    total.flagged += r.flagged;
    if (r.lastId === null || r.examined < batchSize) return total;
    after = r.lastId;
  }
}
