/**
 * Mainland resident identity numbers (居民身份證號碼).
 *
 * Second generation (GB 11643-1999), 18 characters: 6-digit region code, birth date YYYYMMDD,
 * 3-digit sequence, and a check character computed with ISO 7064 MOD 11-2 (`0-9` or `X`).
 * First generation, 15 digits: region code, birth date YYMMDD (1900s), 3-digit sequence, no check
 * character. First-generation cards were still in circulation when the branch's agents opened
 * lines, so they are well formed here; only the 18-character form can fail its checksum.
 *
 * The functions never throw and never echo the number: callers build their own messages so that an
 * identity number cannot end up in an error, a log line or the change log.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** Upper-case and without surrounding or inner spaces, the form we validate, hash and store. */
export function normalizeIdNumber(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

/** The ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

export interface BirthDate {
  year: number;
  month: number;
  day: number;
}

export interface ResidentIdCheck {
  /** 18 characters (17 digits + digit or X) or 15 digits; anything else is not a resident id number. */
  wellFormed: boolean;
  generation: 1 | 2 | null;
  /** False only for an 18-character number whose check character is wrong. */
  checksumValid: boolean;
  /** The birth date encoded in the number when it is a real calendar date, else null. */
  birthDate: BirthDate | null;
}

function realDate(year: number, month: number, day: number): BirthDate | null {
  if (month < 1 || month > 12 || day < 1) return null;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days ? { year, month, day } : null;
}

export function checkResidentId(normalized: string): ResidentIdCheck {
  if (/^\d{17}[\dX]$/.test(normalized)) {
    const year = Number(normalized.slice(6, 10));
    const birth = realDate(year, Number(normalized.slice(10, 12)), Number(normalized.slice(12, 14)));
    return {
      wellFormed: true,
      generation: 2,
      checksumValid: residentIdCheckChar(normalized.slice(0, 17)) === normalized[17],
      // Nobody holding a card was born before 1900.
      birthDate: birth && year >= 1900 ? birth : null,
    };
  }
  if (/^\d{15}$/.test(normalized)) {
    const birth = realDate(1900 + Number(normalized.slice(6, 8)), Number(normalized.slice(8, 10)), Number(normalized.slice(10, 12)));
    return { wellFormed: true, generation: 1, checksumValid: true, birthDate: birth };
  }
  return { wellFormed: false, generation: null, checksumValid: false, birthDate: null };
}

/** Whole years of age on a calendar day (the birthday itself counts as the new year). */
export function ageOn(birth: BirthDate, on: BirthDate): number {
  let age = on.year - birth.year;
  if (on.month < birth.month || (on.month === birth.month && on.day < birth.day)) age--;
  return age;
}

/**
 * The 18-character form of a first-generation number (GB 11643-1999): "19" inserted after the
 * 6-digit region code (first-generation cards were issued to people born in the 1900s) and the
 * check character appended. Both forms name one person, so the keyed hash and the line count use
 * this one; what was typed is kept (encrypted) for auditors.
 */
export function secondGenerationForm(fifteen: string): string {
  return withCheckChar(`${fifteen.slice(0, 6)}19${fifteen.slice(6)}`);
}

/** The form that identifies a person: a 15-digit resident number as its 18-character form, anything else as given. */
export function canonicalResidentId(normalized: string): string {
  return /^\d{15}$/.test(normalized) ? secondGenerationForm(normalized) : normalized;
}

/** First-generation cards ceased to be valid on this day (Asia/Shanghai). */
export const FIRST_GENERATION_INVALID_FROM: BirthDate = { year: 2013, month: 1, day: 1 };

/** A well-formed 18-character number for tests and generated data: the check character appended. */
export function withCheckChar(first17: string): string {
  return first17 + residentIdCheckChar(first17);
}

/**
 * Identity documents other than the resident card (passports, Hong Kong/Macao and Taiwan permits,
 * military ids): 5 to 20 letters and digits, which covers every format in use.
 */
export function isWellFormedOtherId(normalized: string): boolean {
  return /^[A-Z0-9]{5,20}$/.test(normalized);
}

/**
 * Keep the first and last 4 characters and star the rest, for both resident forms (18 and 15).
 * Numbers shorter than 15 keep less (a quarter of their length at each end), so that masking
 * never gives most of a number away.
 */
export function maskIdNumber(normalized: string): string {
  const keep = normalized.length >= 15 ? 4 : Math.floor(normalized.length / 4);
  if (keep === 0) return '*'.repeat(normalized.length);
  return normalized.slice(0, keep) + '*'.repeat(normalized.length - 2 * keep) + normalized.slice(-keep);
}
