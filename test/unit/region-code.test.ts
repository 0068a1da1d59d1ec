import { canonicalResidentId, maskIdNumber, secondGenerationForm, withCheckChar } from '../../src/common/validators/id-card';
import { isKnownProvincePrefix, isKnownRegionCode, isUnknownRegion, regionName } from '../../src/common/validators/region-code';

describe('GB/T 2260 codes', () => {
  it('knows current codes and those abolished since 2002, and nothing else', () => {
    for (const c of ['421002', '421088', '110101', '440305', '500101', '810000', '820000', '830000']) expect(isKnownRegionCode(c)).toBe(true);
    // Abolished after 2002: 崇文區 and 宣武區 (2010), 閘北區 (2015).
    for (const c of ['110103', '110104', '310108']) expect(isKnownRegionCode(c)).toBe(true);
    for (const c of ['990000', '000000', '190101', '720101', '421099', '4210', '4210021', 'ABCDEF']) expect(isKnownRegionCode(c)).toBe(false);
  });
  it('flags an unknown whole code only for holders born from 2003 on; the province always', () => {
    const born = (year: number) => ({ year, month: 6, day: 1 });
    // 通縣 (abolished 1997) and 黃岡地區 (1995) are in no covered edition: accepted for a holder born before 2003.
    for (const six of ['110223', '422100']) {
      expect(isUnknownRegion(`${six}19650101001X`, born(1965))).toBe(false);
      expect(isUnknownRegion(`${six}20050101001X`, born(2005))).toBe(true);
    }
    expect(isUnknownRegion('42109919800101123X', born(1980))).toBe(false);
    expect(isUnknownRegion('42109920050101123X', born(2005))).toBe(true);
    expect(isUnknownRegion('42109920050101123X', null)).toBe(true);
    expect(isUnknownRegion('110103197001010011', born(1970))).toBe(false);
    for (const id of ['990000198001011234', '000000198001011235', '720101198001011234']) expect(isUnknownRegion(id, born(1980))).toBe(true);
  });
  it('checks the province prefix exactly', () => {
    const real = [
      '11',
      '12',
      '13',
      '14',
      '15',
      '21',
      '22',
      '23',
      '31',
      '32',
      '33',
      '34',
      '35',
      '36',
      '37',
      '41',
      '42',
      '43',
      '44',
      '45',
      '46',
      '50',
      '51',
      '52',
      '53',
      '54',
      '61',
      '62',
      '63',
      '64',
      '65',
      '71',
      '81',
      '82',
      '83',
    ];
    for (let p = 0; p < 100; p++) {
      const two = String(p).padStart(2, '0');
      expect({ two, known: isKnownProvincePrefix(two) }).toEqual({ two, known: real.includes(two) });
    }
  });
  it('names a division province first, skipping grouping rows', () => {
    expect(regionName('421002')).toBe('湖北省荆州市沙市区');
    expect(regionName('429004')).toBe('湖北省仙桃市');
    expect(regionName('110101')).toBe('北京市东城区');
    expect(regionName('420000')).toBe('湖北省');
    expect(regionName('990000')).toBeNull();
    // Not in a covered edition: named as far as it is known.
    expect(regionName('110223')).toBe('北京市');
    expect(regionName('421099')).toBe('湖北省荆州市');
  });
});

describe('first-generation numbers', () => {
  it('convert to the 18-character form of GB 11643', () => {
    expect(secondGenerationForm('421002780909333')).toBe('421002197809093330');
    expect(canonicalResidentId('421002780909333')).toBe('421002197809093330');
    expect(canonicalResidentId('421002197809093330')).toBe('421002197809093330');
    expect(withCheckChar('42100219800101123')).toBe('421002198001011237');
  });
  it('are masked 4 + 4', () => {
    expect(maskIdNumber('421002780909333')).toBe('4210*******9333');
    expect(maskIdNumber('421002197809093330')).toBe('4210**********3330');
    expect(maskIdNumber('E12345678')).toBe('E1*****78');
  });
});
