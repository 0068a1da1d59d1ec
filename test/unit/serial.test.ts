import { assertSerial, imeiFromBody, isValidImei, isValidMeid, luhnCheckDigit, meidWithCheckDigit, parseSerial } from '../../src/common/validators/serial';

describe('luhnCheckDigit', () => {
  it('computes IMEI check digits (base 10) of published examples', () => {
    // 3GPP TS 23.003 / Wikipedia example 49015420323751-8; a common sample IMEI 35209900176148-1.
    expect(luhnCheckDigit('49015420323751', 10)).toBe('8');
    expect(luhnCheckDigit('35209900176148', 10)).toBe('1');
    expect(luhnCheckDigit('00000000000000', 10)).toBe('0');
  });

  it('computes MEID check digits (base 16) of published examples', () => {
    // 3GPP2 S.R0048 example: MEID AF 01 23 45 0A BC DE, check digit C.
    expect(luhnCheckDigit('AF0123450ABCDE', 16)).toBe('C');
    // Widely quoted example: 6C4BFFC0000004 with check digit 4.
    expect(luhnCheckDigit('6C4BFFC0000004', 16)).toBe('4');
  });

  it('refuses a digit outside the base', () => {
    expect(() => luhnCheckDigit('12A', 10)).toThrow();
  });
});

describe('parseSerial: IMEI', () => {
  it.each(['490154203237518', '352099001761481', '35-209900-176148-1', ' 490154 203237 518 '])('accepts %s', (s) => {
    const r = parseSerial(s);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.serial.kind).toBe('IMEI');
      expect(r.serial.value).toMatch(/^\d{15}$/);
    }
  });

  it.each(['490154203237519', '352099001761480', '490154203237581'])('rejects %s with the expected check digit', (s) => {
    const r = parseSerial(s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/IMEI.*check digit should be \d/);
  });

  it('rejects a transposition of neighbouring digits (what Luhn is for)', () => {
    expect(isValidImei('490154203237518')).toBe(true);
    expect(isValidImei('940154203237518')).toBe(false);
  });

  it.each(['4901542032375', '4901542032375180', '49015420323751800'])('rejects %s by length', (s) => {
    const r = parseSerial(s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/digits/);
  });
});

describe('parseSerial: MEID', () => {
  it('accepts 14 hex digits, any case, and stores them upper-case', () => {
    const r = parseSerial('af0123450abcde');
    expect(r).toEqual({ ok: true, serial: { kind: 'MEID', value: 'AF0123450ABCDE', checkDigit: 'C' } });
  });

  it('accepts a 15th character when it is the right check digit, and drops it', () => {
    expect(parseSerial('AF0123450ABCDEC')).toEqual({ ok: true, serial: { kind: 'MEID', value: 'AF0123450ABCDE', checkDigit: 'C' } });
    expect(parseSerial('6C4BFFC00000044')).toEqual({ ok: true, serial: { kind: 'MEID', value: '6C4BFFC0000004', checkDigit: '4' } });
    expect(isValidMeid('A0 0000 0000 2329 9')).toBe(true);
  });

  it('rejects a wrong check digit and says which one is right', () => {
    const r = parseSerial('AF0123450ABCDED');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe('is not a valid MEID: the check digit should be C, not D');
  });

  it('rejects a wrong length or a non-hex character', () => {
    for (const s of ['AF0123450ABCD', 'AF0123450ABCDEC0', 'AG0123450ABCDE', 'AF0123450ABCD!']) {
      expect(parseSerial(s).ok).toBe(false);
    }
    const r = parseSerial('AG0123450ABCDE');
    if (!r.ok) expect(r.reason).toMatch(/hex digits/);
  });

  it('the same MEID with and without its check digit is one serial', () => {
    const a = assertSerial('s', 'A0000000002329');
    const b = assertSerial('s', 'A00000000023299');
    expect(a.value).toBe(b.value);
  });
});

describe('assertSerial', () => {
  it('throws BAD_USER_INPUT naming the field', () => {
    try {
      assertSerial('input.0.serial', '123');
      throw new Error('did not throw');
    } catch (err) {
      const e = err as { extensions?: { code?: string; field?: string } };
      expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.0.serial' });
    }
    expect(() => assertSerial('x', '')).toThrow(/x: is required/);
  });
});

describe('builders for seeds', () => {
  it('produce serials that validate', () => {
    expect(imeiFromBody('35209900176148')).toBe('352099001761481');
    expect(meidWithCheckDigit('af0123450abcde')).toBe('AF0123450ABCDEC');
    for (let i = 0; i < 200; i++) {
      const body = String(86000000000000 + i * 7919).padStart(14, '0');
      expect(isValidImei(imeiFromBody(body))).toBe(true);
      const meid = (0xa0000000000000 + i * 104729).toString(16).toUpperCase();
      expect(isValidMeid(meidWithCheckDigit(meid))).toBe(true);
    }
  });
});
