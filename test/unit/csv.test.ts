import { parse } from 'csv-parse/sync';
import { CsvNumber, csvInstant, csvText, fenAndYuan, neutralizeCell } from '../../src/common/csv';

describe('neutralizeCell', () => {
  it('defuses text whose first visible character starts a formula', () => {
    expect(neutralizeCell('=HYPERLINK("x")')).toBe(`'=HYPERLINK("x")`);
    expect(neutralizeCell('+86 店')).toBe(`'+86 店`);
    expect(neutralizeCell('-1')).toBe(`'-1`);
    expect(neutralizeCell('@SUM(A1)')).toBe(`'@SUM(A1)`);
    // NUL, control characters and spaces before the formula do not hide it (issue 18).
    expect(neutralizeCell('\u0000=1+1')).toBe(`'\u0000=1+1`);
    expect(neutralizeCell('\u0001\u001f\u007f =1')).toBe(`'\u0001\u001f\u007f =1`);
    expect(neutralizeCell('\t\r\n@x')).toBe(`'\t\r\n@x`);
    expect(neutralizeCell('\u3000\u00a0\ufeff-2')).toBe(`'\u3000\u00a0\ufeff-2`);
  });
  it('leaves other text alone', () => {
    expect(neutralizeCell('荊州北京路通訊店')).toBe('荊州北京路通訊店');
    expect(neutralizeCell('x;=1+1')).toBe('x;=1+1');
    expect(neutralizeCell('a-b')).toBe('a-b');
    expect(neutralizeCell('')).toBe('');
    expect(neutralizeCell('\u0000')).toBe('\u0000');
  });
});

describe('csvText', () => {
  const cols = ['text', 'fen', 'yuan', 'at'];
  const out = csvText(cols, [
    ['x;=1+1', ...fenAndYuan(-1250).slice(0, 1), new CsvNumber('-12.50'), csvInstant(new Date('2025-03-01T02:20:00Z'))],
    ['\u0000=cmd', 5, new CsvNumber('0.05'), ''],
    ['tab\there', 0, new CsvNumber('0.00'), ''],
    ['say "hi"\nbye', -1, new CsvNumber('-0.01'), ''],
    ['-12.50', 1, new CsvNumber('0.01'), ''],
  ]);

  it('starts with a BOM, ends lines with CRLF and has the header', () => {
    expect(out.startsWith('\uFEFFtext,fen,yuan,at\r\n')).toBe(true);
  });
  it('quotes cells with separators, quotes or line breaks; numbers stay bare', () => {
    const lines = out.slice(1).split('\r\n');
    expect(lines[1]).toBe('"x;=1+1",-1250,-12.50,2025-03-01T10:20:00+08:00');
    expect(lines[2]).toBe(`'\u0000=cmd,5,0.05,`);
    expect(lines[3]).toBe('"tab\there",0,0.00,');
    expect(lines[4]).toBe('"say ""hi""\nbye",-1,-0.01,');
    // Text that looks like a negative number is text: neutralised; the number columns are not.
    expect(lines[5]).toBe(`'-12.50,1,0.01,`);
  });
  it('reads back to the same cells', () => {
    const rows = parse(out, { bom: true });
    expect(rows[1]).toEqual(['x;=1+1', '-1250', '-12.50', '2025-03-01T10:20:00+08:00']);
    expect(rows[4]).toEqual(['say "hi"\nbye', '-1', '-0.01', '']);
  });
  it('refuses a cell that is neither text, number nor date', () => {
    expect(() => csvText(['a'], [[{ x: 1 }]])).toThrow(/CSV cell/);
    expect(() => new CsvNumber('1e5')).toThrow();
  });
});
