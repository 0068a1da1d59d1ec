import { SHANGHAI_OFFSET_MS } from '../../common/period';

const INSTANT_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Read an instant as agents and back-office files write it: ISO-8601 with an offset or Z
 * ("2005-03-01T10:20:00+08:00"), or a local time without one ("2005-03-01 10:20", "2005-03-01"),
 * which is Asia/Shanghai time, the branch's clock. Null when it is not a real date and time.
 */
export function parseInstant(raw: string): Date | null {
  const m = INSTANT_RE.exec(raw.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  const parts = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)];
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const local = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5], ms);
  const check = new Date(local);
  if (
    check.getUTCFullYear() !== parts[0] ||
    check.getUTCMonth() !== parts[1] - 1 ||
    check.getUTCDate() !== parts[2] ||
    parts[3] > 23 ||
    parts[4] > 59 ||
    parts[5] > 59
  ) {
    return null;
  }
  let offsetMs = SHANGHAI_OFFSET_MS;
  if (zone) {
    if (zone.toUpperCase() === 'Z') offsetMs = 0;
    else {
      const sign = zone[0] === '-' ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      const oh = Number(digits.slice(0, 2));
      const om = Number(digits.slice(2) || '0');
      if (oh > 14 || om > 59) return null;
      offsetMs = sign * (oh * 60 + om) * 60_000;
    }
  }
  return new Date(local - offsetMs);
}

/** The Asia/Shanghai calendar day of an instant. */
export function shanghaiDay(d: Date): { year: number; month: number; day: number } {
  const local = new Date(d.getTime() + SHANGHAI_OFFSET_MS);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}
