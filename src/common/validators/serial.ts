import { BadInputError } from '../errors';

/**
 * Handset serials. An IMEI (GSM) is 15 decimal digits whose last digit is a Luhn check digit over
 * the first 14. A MEID (CDMA) is 14 hexadecimal digits; its check digit is not part of the MEID
 * but is printed on labels, so a 15th character may follow and must then be right. The MEID check
 * digit is the Luhn algorithm run in base 16 (3GPP2 S.R0048: AF0123450ABCDE → C).
 *
 * A 15-character string of decimal digits only is taken as an IMEI: all-decimal identifiers are the
 * IMEI number space, and checking them in base 10 keeps the IMEI check strict.
 */
export type SerialKind = 'IMEI' | 'MEID';

export interface Serial {
  kind: SerialKind;
  /** The canonical form that is stored and compared: IMEI 15 digits; MEID 14 upper-case hex digits. */
  value: string;
  /** The check digit (IMEI: its 15th digit; MEID: computed, whether or not it was given). */
  checkDigit: string;
}

export type SerialResult = { ok: true; serial: Serial } | { ok: false; reason: string };

/**
 * Luhn check digit of `body` in base 10 or 16: from the right, every other digit (starting with the
 * rightmost) is doubled and a doubled value of two digits counts as the sum of its digits in that
 * base; the check digit brings the total to a multiple of the base.
 */
export function luhnCheckDigit(body: string, base: 10 | 16): string {
  let sum = 0;
  let double = true;
  for (let i = body.length - 1; i >= 0; i--) {
    let d = parseInt(body[i], base);
    if (Number.isNaN(d)) throw new Error(`"${body[i]}" is not a base-${base} digit`);
    if (double) {
      d *= 2;
      if (d >= base) d = Math.floor(d / base) + (d % base);
    }
    sum += d;
    double = !double;
  }
  return ((base - (sum % base)) % base).toString(base).toUpperCase();
}

/** Labels print serials with spaces or dashes ("35-209900-176148-1"); those carry no meaning. */
export function normalizeSerial(raw: string): string {
  return String(raw ?? '')
    .replace(/[\s-]+/g, '')
    .toUpperCase();
}

export function parseSerial(raw: string | null | undefined): SerialResult {
  const s = normalizeSerial(raw ?? '');
  if (!s) return { ok: false, reason: 'is required' };
  if (/^\d{15}$/.test(s)) {
    const expected = luhnCheckDigit(s.slice(0, 14), 10);
    if (s[14] !== expected) return { ok: false, reason: `is not a valid IMEI: the check digit should be ${expected}, not ${s[14]}` };
    return { ok: true, serial: { kind: 'IMEI', value: s, checkDigit: expected } };
  }
  if (/^[0-9A-F]{14}$/.test(s)) {
    return { ok: true, serial: { kind: 'MEID', value: s, checkDigit: luhnCheckDigit(s, 16) } };
  }
  if (/^[0-9A-F]{15}$/.test(s)) {
    const expected = luhnCheckDigit(s.slice(0, 14), 16);
    if (s[14] !== expected) return { ok: false, reason: `is not a valid MEID: the check digit should be ${expected}, not ${s[14]}` };
    return { ok: true, serial: { kind: 'MEID', value: s.slice(0, 14), checkDigit: expected } };
  }
  if (/^\d+$/.test(s)) return { ok: false, reason: `is not an IMEI (15 digits) or a MEID (14 hex digits): it has ${s.length} digits` };
  if (/^[0-9A-F]+$/.test(s)) return { ok: false, reason: `is not a MEID: it has ${s.length} hex digits, not 14 (or 15 with the check digit)` };
  return { ok: false, reason: 'may hold only digits (IMEI) or hex digits 0-9 A-F (MEID)' };
}

/** The canonical serial, or BAD_USER_INPUT naming the field with the reason. */
export function assertSerial(field: string, raw: string | null | undefined): Serial {
  const r = parseSerial(raw);
  if (!r.ok) throw new BadInputError(field, r.reason);
  return r.serial;
}

export function isValidImei(raw: string): boolean {
  const r = parseSerial(raw);
  return r.ok && r.serial.kind === 'IMEI';
}

export function isValidMeid(raw: string): boolean {
  const r = parseSerial(raw);
  return r.ok && r.serial.kind === 'MEID';
}

/** A full IMEI from its first 14 digits (seeds, tests). */
export function imeiFromBody(body14: string): string {
  if (!/^\d{14}$/.test(body14)) throw new Error('an IMEI body is 14 digits');
  return body14 + luhnCheckDigit(body14, 10);
}

/** The MEID as printed on a label: 14 hex digits and the check digit. */
export function meidWithCheckDigit(meid14: string): string {
  const s = meid14.toUpperCase();
  if (!/^[0-9A-F]{14}$/.test(s)) throw new Error('a MEID is 14 hex digits');
  return s + luhnCheckDigit(s, 16);
}
