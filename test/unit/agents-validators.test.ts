import {
  ageOn,
  checkResidentId,
  isWellFormedOtherId,
  maskIdNumber,
  normalizeIdNumber,
  residentIdCheckChar,
  withCheckChar,
} from '../../src/common/validators/id-card';
import { isValidMsisdn, normalizeMsisdn } from '../../src/common/validators/msisdn';
import { IdentityCipher } from '../../src/modules/agents/identity-crypto';
import { parseInstant, shanghaiDay } from '../../src/modules/agents/instant';
import { loadDataCell } from '../../src/modules/agents/registration-ingest';

describe('resident id numbers', () => {
  it('computes the ISO 7064 MOD 11-2 check character of published examples', () => {
    // GB 11643-1999's own example and two well-known specimen numbers.
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(residentIdCheckChar('44052418800101001')).toBe('4');
    expect(residentIdCheckChar('34052419800101001')).toBe('X');
  });

  it('accepts a valid number and reads its birth date', () => {
    expect(checkResidentId('11010519491231002X')).toEqual({
      wellFormed: true,
      generation: 2,
      checksumValid: true,
      birthDate: { year: 1949, month: 12, day: 31 },
    });
  });

  it('flags a wrong check character but still reads the birth date', () => {
    expect(checkResidentId('110105194912310021')).toMatchObject({ wellFormed: true, checksumValid: false, birthDate: { year: 1949, month: 12, day: 31 } });
  });

  it.each([
    ['month 13', '19801301'],
    ['30 February', '19800230'],
    ['29 February of a common year', '19810229'],
    ['day 0', '19800100'],
    ['before 1900', '18991231'],
  ])('has no birth date for %s', (_name, ymd) => {
    const id = withCheckChar(`421002${ymd}123`);
    expect(checkResidentId(id)).toMatchObject({ wellFormed: true, checksumValid: true, birthDate: null });
  });

  it('reads 29 February of a leap year', () => {
    expect(checkResidentId(withCheckChar('42100220000229123')).birthDate).toEqual({ year: 2000, month: 2, day: 29 });
  });

  it('reads first-generation 15-digit numbers (19YYMMDD, no check character)', () => {
    expect(checkResidentId('421002750315123')).toEqual({ wellFormed: true, generation: 1, checksumValid: true, birthDate: { year: 1975, month: 3, day: 15 } });
    expect(checkResidentId('421002751315123').birthDate).toBeNull();
  });

  it.each(['', '4210021980010112', '42100219800101123Y', '4210021980010112XX', 'X21002198001011234', '42100219800101 123X'])(
    'refuses %p as malformed',
    (raw) => {
      expect(checkResidentId(raw).wellFormed).toBe(false);
    },
  );

  it('normalizes spaces and a lower-case x', () => {
    expect(normalizeIdNumber(' 110105 19491231 002x ')).toBe('11010519491231002X');
  });

  it('counts age by calendar day, the birthday itself included', () => {
    const birth = { year: 2009, month: 6, day: 15 };
    expect(ageOn(birth, { year: 2025, month: 6, day: 14 })).toBe(15);
    expect(ageOn(birth, { year: 2025, month: 6, day: 15 })).toBe(16);
    expect(ageOn(birth, { year: 2025, month: 12, day: 31 })).toBe(16);
  });

  it('masks all but the first and last 4, less on short numbers', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
    expect(maskIdNumber('E12345678')).toBe('E1*****78');
    expect(maskIdNumber('ABC')).toBe('***');
  });

  it('accepts other documents of 5 to 20 letters and digits', () => {
    expect(isWellFormedOtherId('E12345678')).toBe(true);
    expect(isWellFormedOtherId('E123')).toBe(false);
    expect(isWellFormedOtherId('E1234-5678')).toBe(false);
  });
});

describe('msisdn', () => {
  it.each([
    ['13312345678', '13312345678', true],
    ['133 1234 5678', '13312345678', true],
    ['133-1234-5678', '13312345678', true],
    ['+8613312345678', '13312345678', true],
    ['008613312345678', '13312345678', true],
    ['23312345678', '23312345678', false],
    ['1331234567', '1331234567', false],
    ['8613312345678', '8613312345678', false],
  ])('%p → %p valid %p', (raw, normalized, valid) => {
    expect(normalizeMsisdn(raw)).toBe(normalized);
    expect(isValidMsisdn(normalizeMsisdn(raw))).toBe(valid);
  });
});

describe('instants', () => {
  it.each([
    ['2005-03-01T10:20:00+08:00', '2005-03-01T02:20:00.000Z'],
    ['2005-03-01T02:20:00Z', '2005-03-01T02:20:00.000Z'],
    ['2005-03-01T02:20:00.5z', '2005-03-01T02:20:00.500Z'],
    ['2005-03-01 10:20', '2005-03-01T02:20:00.000Z'],
    ['2005-03-01', '2005-02-28T16:00:00.000Z'],
    ['2005-03-01T10:20:00-0500', '2005-03-01T15:20:00.000Z'],
  ])('reads %p', (raw, iso) => {
    expect(parseInstant(raw)?.toISOString()).toBe(iso);
  });

  it.each(['2005-02-29', '2005-13-01', '2005-03-01T24:00', '2005-03-01T10:60', '03/01/2005', 'now', '2005-03-01T10:00+15:00'])('refuses %p', (raw) => {
    expect(parseInstant(raw)).toBeNull();
  });

  it('knows the Shanghai day of an instant', () => {
    expect(shanghaiDay(new Date('2005-02-28T16:00:00Z'))).toEqual({ year: 2005, month: 3, day: 1 });
  });
});

describe('identity encryption', () => {
  const k1 = Buffer.alloc(32, 7);
  const k2 = Buffer.alloc(32, 9);
  const hmac = Buffer.alloc(32, 3);

  it('round-trips under the key named by its key id, with a fresh nonce each time', () => {
    const c = new IdentityCipher({ k1, k2 }, 'k2', hmac);
    const a = c.encrypt('11010519491231002X');
    const b = c.encrypt('11010519491231002X');
    expect(a.idKeyId).toBe('k2');
    expect(a.idCipher).not.toBe(b.idCipher);
    expect(c.decrypt(a.idCipher, a.idKeyId)).toBe('11010519491231002X');
    const old = new IdentityCipher({ k1 }, 'k1', hmac).encrypt('E12345678');
    expect(c.decrypt(old.idCipher, 'k1')).toBe('E12345678');
  });

  it('refuses a tampered value or a missing key', () => {
    const c = new IdentityCipher({ k1 }, 'k1', hmac);
    const { idCipher } = c.encrypt('11010519491231002X');
    const raw = Buffer.from(idCipher, 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() => c.decrypt(raw.toString('base64'), 'k1')).toThrow();
    expect(() => c.decrypt(idCipher, 'k9')).toThrow(/not configured/);
  });

  it('hashes equal numbers alike under one key and differently under another', () => {
    const a = new IdentityCipher({ k1 }, 'k1', hmac);
    const b = new IdentityCipher({ k1 }, 'k1', Buffer.alloc(32, 4));
    expect(a.hash('X1')).toBe(a.hash('X1'));
    expect(a.hash('X1')).not.toBe(a.hash('X2'));
    expect(a.hash('X1')).not.toBe(b.hash('X1'));
    expect(a.hash('X1')).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe('bulk import helpers', () => {
  it('escapes LOAD DATA cells', () => {
    expect(loadDataCell(null)).toBe('\\N');
    expect(loadDataCell(12)).toBe('12');
    expect(loadDataCell('a\\b\tc\nd')).toBe('a\\\\b\\tc\\nd');
    expect(loadDataCell('\\N')).toBe('\\\\N');
  });
});
