import { inList } from '../../src/common/db';

/**
 * MariaDB rewrites an IN list of 1,000 values or more (in_predicate_conversion_threshold) into a
 * join that read the whole registration index; inList keeps every list at 500 or fewer.
 */
describe('inList', () => {
  const lists = (sql: string) => [...sql.matchAll(/IN \(([^)]*)\)/g)].map((m) => m[1].split(', ').length);

  it('one list up to 500 values', () => {
    expect(inList('msisdn', 1)).toBe('msisdn IN (?)');
    expect(lists(inList('msisdn', 500))).toEqual([500]);
  });

  it('OR-ed lists of at most 500 beyond that, every value once', () => {
    expect(lists(inList('idHash', 1000))).toEqual([500, 500]);
    expect(lists(inList('idHash', 1001))).toEqual([500, 500, 1]);
    const sql = inList('idHash', 1234);
    expect(sql.startsWith('(idHash IN (') && sql.endsWith(')')).toBe(true);
    expect(sql.split(' OR ')).toHaveLength(3);
    expect(lists(sql).reduce((a, b) => a + b, 0)).toBe(1234);
  });
});
