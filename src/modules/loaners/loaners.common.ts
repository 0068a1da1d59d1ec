import { EntityManager } from 'typeorm';
import { AuthUser, tenantPartnerOf } from '../../common/auth';
import { BadInputError } from '../../common/errors';
import { parseId } from '../../common/ids';
import { LoanerEvent } from './loaner-event.entity';

/** A bulk call (allocate, take back, service, retire) names at most this many loaners. */
export const MAX_LOANERS_PER_CALL = 500;

export function parseLoanerIds(values: (string | number)[], field = 'loanerIds'): number[] {
  if (!Array.isArray(values) || values.length === 0) throw new BadInputError(field, 'must name at least one loaner');
  if (values.length > MAX_LOANERS_PER_CALL) throw new BadInputError(field, `at most ${MAX_LOANERS_PER_CALL} loaners a call`);
  const seen = new Map<number, number>();
  return values.map((v, i) => {
    const id = parseId(v, `${field}.${i}`);
    const prev = seen.get(id);
    if (prev !== undefined) throw new BadInputError(`${field}.${i}`, `names the same loaner as ${field}.${prev}`);
    seen.set(id, i);
    return id;
  });
}

export type NewEvent = Omit<LoanerEvent, 'id' | 'loanerRef' | 'at' | 'actorId' | 'actorName'>;

/** Append history rows in a few multi-row INSERTs. */
export async function addEvents(em: EntityManager, actor: AuthUser | null, events: NewEvent[], at = new Date()): Promise<void> {
  const rows = events.map((e) => ({ ...e, at, actorId: actor?.id ?? null, actorName: actor?.username ?? null }));
  for (let i = 0; i < rows.length; i += 500) {
    await em
      .createQueryBuilder()
      .insert()
      .into(LoanerEvent)
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

/**
 * Whether a viewer may follow a link to something held by `partnerId`: staff always; a partner only
 * to its own. A loan a partner made stays visible to it after the loaner moved on to another
 * partner, but the loaner's new holder and its new loan are not the old partner's to see.
 */
export function mayFollow(actor: AuthUser | null, partnerId: number | null): boolean {
  if (!actor) return false;
  const own = tenantPartnerOf(actor);
  return own === null || own === partnerId;
}
