import { Column, ColumnOptions } from 'typeorm';

/**
 * An instant, stored in UTC with milliseconds (DATETIME(3) on MySQL, text on SQLite). Set it in
 * code (`new Date()`), not with database defaults: SQLite's default has another text format,
 * which would break comparisons in raw SQL.
 */
export function DateTimeColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ type: 'datetime', precision: 3, ...options });
}

/** Enum values stored as short strings: portable, and readable in SQL. */
export function EnumColumn(values: object, options: ColumnOptions = {}): PropertyDecorator {
  const longest = Math.max(...Object.values(values).map((v) => String(v).length));
  return Column({ type: 'varchar', length: Math.max(16, longest), ...options });
}
