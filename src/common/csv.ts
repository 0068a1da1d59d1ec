/**
 * Every CSV this platform writes (the exports and the import's rejects file) goes through here, so
 * that all of them follow one convention (README, "CSV files") and none can carry a formula.
 *
 * - Spreadsheets run a cell whose first visible character is = + - @ as a formula (and skip NULs,
 *   control characters and spaces before it). Such a text cell gets a leading apostrophe, which
 *   spreadsheets read as "text" and do not show.
 * - Numbers are written as numbers and never get the apostrophe: a refund of -12.50 stays a number
 *   a spreadsheet can add up. Only JavaScript numbers and CsvNumber values are numbers; text that
 *   looks like a number ("-1" typed into a note) is text and is neutralised.
 * - Cells holding a comma, a semicolon (the separator of spreadsheets set to many European
 *   locales), a tab, a quote or a line break are quoted (csv-stringify doubles inner quotes).
 * - UTF-8 with a byte-order mark (so Excel reads Chinese names), CRLF line ends, a header row.
 */
import { stringify, Options, Stringifier } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { fenToYuan } from './money';
import { SHANGHAI_OFFSET_MS } from './period';

/** A decimal written as it is (yuan with two decimals, "-12.50"): a number, not text. */
export class CsvNumber {
  constructor(readonly text: string) {
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(`not a decimal number: ${JSON.stringify(text)}`);
  }
}

const INVISIBLE_LEAD = /^[\s\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u2060\ufeff]+/;
const FORMULA_START = new Set(['=', '+', '-', '@']);

/** The text as a spreadsheet may show it without running it: a leading ' when its first visible character starts a formula. */
export function neutralizeCell(value: string): string {
  const visible = value.replace(INVISIBLE_LEAD, '');
  return visible && FORMULA_START.has(visible[0]) ? `'${value}` : value;
}

/** csv-stringify's options for one file of these columns (streaming or not). */
export function csvOptions(columns: readonly string[], opts: { header?: boolean; bom?: boolean } = {}): Options {
  return {
    bom: opts.bom ?? true,
    header: opts.header ?? true,
    columns: [...columns],
    record_delimiter: 'windows',
    quoted_match: /[,;\t\r\n"]/,
    cast: {
      string: (v) => neutralizeCell(v),
      number: (v) => String(v),
      bigint: (v) => String(v),
      boolean: (v) => (v ? 'true' : 'false'),
      date: (v) => v.toISOString(),
      object: (v) => {
        if (v instanceof CsvNumber) return v.text;
        throw new Error('a CSV cell must be text, a number, a boolean or a date');
      },
    },
  };
}

/** A streaming writer: write arrays (in column order) or objects keyed by column. */
export function csvStream(columns: readonly string[], opts?: { header?: boolean; bom?: boolean }): Stringifier {
  return stringify(csvOptions(columns, opts));
}

/** Rows to CSV text at once (small files and pages). */
export function csvText(columns: readonly string[], rows: unknown[][], opts?: { header?: boolean; bom?: boolean }): string {
  return stringifySync(rows, csvOptions(columns, opts));
}

/** Instants in every CSV: ISO 8601 in Asia/Shanghai time with its offset, "2025-03-01T10:20:00+08:00". */
export function csvInstant(d: Date | null | undefined): string {
  if (!d) return '';
  return `${new Date(d.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** An amount of fen as the two columns every CSV carries: fen (exact integer), then yuan (two decimals). */
export function fenAndYuan(fen: number): [number, CsvNumber] {
  return [fen, new CsvNumber(fenToYuan(fen))];
}
