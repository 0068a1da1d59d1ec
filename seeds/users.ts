import { EntityManager } from 'typeorm';
import { Role } from '../src/common/roles';
import { hashPassword } from '../src/modules/identity/password';
import { User } from '../src/modules/identity/user.entity';

/** The branch's own demo staff; present in every database, tests included. */
export const STAFF_USERS: { username: string; role: Role }[] = [
  { username: 'admin', role: Role.ADMIN },
  { username: 'staff', role: Role.AGENCY_STAFF },
  { username: 'auditor', role: Role.AUDITOR },
  { username: 'aftersales', role: Role.AFTERSALES_STAFF },
  { username: 'finance', role: Role.FINANCE },
  { username: 'service', role: Role.CUSTOMER_SERVICE },
];

/** Tenant demo users, bound to demo data by code: agent AGT-0001, partners RP-01 and RP-02. */
export const TENANT_USERS = [
  { username: 'shop1', role: Role.REPAIR_PARTNER, partnerCode: 'RP-01' },
  { username: 'shop2', role: Role.REPAIR_PARTNER, partnerCode: 'RP-02' },
  { username: 'agent1', role: Role.AGENT, agentCode: 'AGT-0001' },
];

export async function seedStaffUsers(em: EntityManager, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  const now = new Date();
  await em.getRepository(User).insert(STAFF_USERS.map((u) => ({ ...u, passwordHash, repairPartnerId: null, agentId: null, active: true, createdAt: now })));
}

async function idByCode(em: EntityManager, table: string, code: string): Promise<number | null> {
  if (!em.connection.entityMetadatas.some((m) => m.tableName === table)) return null;
  const rows: { id: number }[] = await em.query(`SELECT id FROM ${table} WHERE code = ?`, [code]);
  return rows.length ? Number(rows[0].id) : null;
}

export async function seedTenantUsers(em: EntityManager, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  const now = new Date();
  for (const u of TENANT_USERS) {
    const repairPartnerId = 'partnerCode' in u ? await idByCode(em, 'repair_partner', u.partnerCode!) : null;
    const agentId = 'agentCode' in u ? await idByCode(em, 'agent', u.agentCode!) : null;
    // Skipped when the demo data it is bound to is absent (a module not seeded).
    if (u.role === Role.REPAIR_PARTNER && !repairPartnerId) continue;
    if (u.role === Role.AGENT && !agentId) continue;
    await em.getRepository(User).insert({ username: u.username, role: u.role, passwordHash, repairPartnerId, agentId, active: true, createdAt: now });
  }
}
