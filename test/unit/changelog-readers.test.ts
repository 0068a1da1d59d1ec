import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import '../../src/modules/registry';
import { entityTypeReaders, readableEntityTypes } from '../../src/modules/changelog/change-log.service';
import { Role } from '../../src/common/roles';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Entity types only ADMIN reads on purpose (no module declares them). */
const ADMIN_ONLY = new Set(['User']);

it('every entity type the code writes to the change log has readers declared by its module (or is ADMIN-only on purpose)', () => {
  const written = new Set<string>();
  for (const file of sources(join(__dirname, '../../src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/entityType: '(\w+)'/g)) written.add(m[1]);
  }
  expect(written.size).toBeGreaterThan(20);
  const undeclared = [...written].filter((type) => entityTypeReaders(type).length === 1 && !ADMIN_ONLY.has(type));
  expect(undeclared).toEqual([]);
});

it("readers follow the resolvers' role lists", () => {
  expect(readableEntityTypes(Role.ADMIN)).toBeNull();
  expect(readableEntityTypes(Role.FINANCE)).not.toContain('Registration');
  expect(readableEntityTypes(Role.AFTERSALES_STAFF)).not.toContain('Registration');
  expect(readableEntityTypes(Role.AUDITOR)).toContain('Registration');
  expect(readableEntityTypes(Role.FINANCE)).toContain('FundPolicy');
  expect(readableEntityTypes(Role.AGENCY_STAFF)).not.toContain('FundPolicy');
  expect(readableEntityTypes(Role.AGENCY_STAFF)).not.toContain('User');
});
