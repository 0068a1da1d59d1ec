import { EntityManager } from 'typeorm';
import { AuthUser, signToken } from '../../common/auth';
import { BadInputError, ConflictError, UnauthenticatedError } from '../../common/errors';
import { parseOptionalId } from '../../common/ids';
import { Role } from '../../common/roles';
import type { AppConfig } from '../../config';
import { recordChange } from '../changelog/change-log.service';
import { dummyHash, hashPassword, verifyPassword } from './password';
import { User } from './user.entity';
import { CreateUserInput } from './user.inputs';
import { assertLoginAllowed, recordLoginAttempt } from './login-throttle';

export function toAuthUser(u: User): AuthUser {
  return { id: u.id, username: u.username, role: u.role, repairPartnerId: u.repairPartnerId, agentId: u.agentId };
}

export async function login(
  em: EntityManager,
  config: AppConfig,
  username: string,
  password: string,
  ip: string,
): Promise<{ token: string; user: User; expiresAt: Date }> {
  await assertLoginAllowed(em, username, ip);
  const user = await em.getRepository(User).findOne({ where: { username } });
  const ok = user && user.active ? await verifyPassword(password, user.passwordHash) : (await verifyPassword(password, await dummyHash()), false);
  await recordLoginAttempt(em, username, ip, !!ok);
  if (!user || !ok) throw new UnauthenticatedError('Wrong username or password');
  const token = await signToken(toAuthUser(user), config.jwtSecret, config.jwtTtlSeconds);
  return { token, user, expiresAt: new Date(Date.now() + config.jwtTtlSeconds * 1000) };
}

async function exists(em: EntityManager, table: 'repair_partner' | 'agent', id: number): Promise<boolean> {
  const rows = await em.query(`SELECT id FROM ${table} WHERE id = ?`, [id]);
  return rows.length > 0;
}

export async function createUser(em: EntityManager, actor: AuthUser, input: CreateUserInput): Promise<User> {
  const repairPartnerId = parseOptionalId(input.repairPartnerId, 'input.repairPartnerId');
  const agentId = parseOptionalId(input.agentId, 'input.agentId');
  if (input.role === Role.REPAIR_PARTNER) {
    if (!repairPartnerId) throw new BadInputError('input.repairPartnerId', 'is required for REPAIR_PARTNER users');
    if (!(await exists(em, 'repair_partner', repairPartnerId))) throw new BadInputError('input.repairPartnerId', 'no such repair partner');
  } else if (repairPartnerId) {
    throw new BadInputError('input.repairPartnerId', 'only REPAIR_PARTNER users are bound to a partner');
  }
  if (input.role === Role.AGENT) {
    if (!agentId) throw new BadInputError('input.agentId', 'is required for AGENT users');
    if (!(await exists(em, 'agent', agentId))) throw new BadInputError('input.agentId', 'no such agent');
  } else if (agentId) {
    throw new BadInputError('input.agentId', 'only AGENT users are bound to an agent');
  }
  const repo = em.getRepository(User);
  if (await repo.findOne({ where: { username: input.username } })) {
    throw new ConflictError(`username "${input.username}" is taken`, { field: 'input.username' });
  }
  const user = repo.create({
    username: input.username,
    passwordHash: await hashPassword(input.password),
    role: input.role,
    repairPartnerId,
    agentId,
    active: true,
    createdAt: new Date(),
  });
  await repo.save(user);
  await recordChange(em, actor, {
    action: 'createUser',
    entityType: 'User',
    entityId: user.id,
    data: { username: user.username, role: user.role, repairPartnerId, agentId },
  });
  return user;
}
