import { BadInputError } from './errors';

/** Asia/Shanghai has been UTC+8 all year since 1991: no daylight saving to account for. */
export const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

export interface Period {
  /** "YYYY-MM" */
  key: string;
  year: number;
  month: number;
  /** First instant of the month in Shanghai, as a UTC Date. */
  start: Date;
  /** First instant of the next month in Shanghai (exclusive end). */
  end: Date;
}

const PERIOD_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isPeriod(value: string): boolean {
  return PERIOD_RE.test(value);
}

export function parsePeriod(value: string, field = 'period'): Period {
  const m = PERIOD_RE.exec(value ?? '');
  if (!m) throw new BadInputError(field, `must be a month "YYYY-MM", got "${value}"`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (year < 1990 || year > 2200) throw new BadInputError(field, 'year out of range');
  return makePeriod(year, month);
}

function makePeriod(year: number, month: number): Period {
  const start = new Date(Date.UTC(year, month - 1, 1) - SHANGHAI_OFFSET_MS);
  const end = new Date(Date.UTC(year, month, 1) - SHANGHAI_OFFSET_MS);
  return { key: `${year}-${String(month).padStart(2, '0')}`, year, month, start, end };
}

/** The Shanghai month an instant falls in. */
export function periodOf(date: Date): Period {
  const local = new Date(date.getTime() + SHANGHAI_OFFSET_MS);
  return makePeriod(local.getUTCFullYear(), local.getUTCMonth() + 1);
}

/** periodOf(date).key without building the Period: imports call it for every activated row. */
export function periodKeyOf(date: Date): string {
  return new Date(date.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 7);
}

export function nextPeriod(p: Period | string): Period {
  const q = typeof p === 'string' ? parsePeriod(p) : p;
  return q.month === 12 ? makePeriod(q.year + 1, 1) : makePeriod(q.year, q.month + 1);
}

export function previousPeriod(p: Period | string): Period {
  const q = typeof p === 'string' ? parsePeriod(p) : p;
  return q.month === 1 ? makePeriod(q.year - 1, 12) : makePeriod(q.year, q.month - 1);
}

/** Every period from..to inclusive; BAD_USER_INPUT when reversed or longer than maxMonths. */
export function periodRange(from: string, to: string, maxMonths = 120): Period[] {
  const a = parsePeriod(from, 'from');
  const b = parsePeriod(to, 'to');
  if (b.start < a.start) throw new BadInputError('to', 'must not be before from');
  const out: Period[] = [];
  for (let p = a; p.start <= b.start; p = nextPeriod(p)) {
    out.push(p);
    if (out.length > maxMonths) throw new BadInputError('to', `range is longer than ${maxMonths} months`);
  }
  return out;
}
