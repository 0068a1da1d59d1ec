import { DataSource, EntityManager } from 'typeorm';
import { AuthUser, signToken } from '../../common/auth';
import { isMysql } from '../../common/db';
import { BadInputError, ConflictError, NotFoundError, TooManyRequestsError, UnauthenticatedError } from '../../common/errors';
import { parseId, parseOptionalId } from '../../common/ids';
import { ConnectionArgs, paginate } from '../../common/pagination';
import { Role } from '../../common/roles';
import { optionalText } from '../../common/text';
import { RequestMeta, Signals, signalsOf } from '../../common/signals';
import { afterCommit, inTransaction } from '../../common/tx';
import type { AppConfig } from '../../config';
import { recordChange } from '../changelog/change-log.service';
import { likeEscape } from '../agents/agent.service';
import { dummyHash, hashPassword, verifyPassword } from './password';
import { assertPasswordPolicy, temporaryPassword } from './password-policy';
import { User } from './user.entity';
import { CreateUserInput, UpdateUserInput, UserFilter } from './user.inputs';
import { loginSubject, loginSucceeded, recordLoginAttempt, Reservation, reserveLoginAttempt } from './login-throttle';
import { IdentityConflict } from './identity.errors';

export function toAuthUser(u: User): AuthUser {
  return {
    id: u.id,
    username: u.username,
    role: u.role,
    repairPartnerId: u.repairPartnerId == null ? null : Number(u.repairPartnerId),
    agentId: u.agentId == null ? null : Number(u.agentId),
    tokenVersion: Number(u.tokenVersion ?? 0),
  };
}

export interface Session {
  token: string;
  user: User;
  expiresAt: Date;
  mustChangePassword: boolean;
}

async function issue(config: AppConfig, user: User): Promise<Session> {
  const token = await signToken(toAuthUser(user), config.jwtSecret, config.jwtTtlSeconds);
  return { token, user, expiresAt: new Date(Date.now() + config.jwtTtlSeconds * 1000), mustChangePassword: !!user.mustChangePassword };
}

/**
 * The attempt is counted (reserveLoginAttempt) before any password is checked; an unknown or
 * disabled user costs the same scrypt check as a known one. A user who must change a reset
 * password gets a token all the same, which the session check limits to changePassword and me.
 */
export async function login(ds: DataSource, config: AppConfig, username: string, password: string, ip: string, meta: RequestMeta = {}): Promise<Session> {
  const em = ds.manager;
  const user = await em.getRepository(User).findOne({ where: { username } });
  // What the security log and the metrics hear (security-events.ts): the name as typed, cut to the
  // column's 64 characters, and the user's id when the name is a user's.
  const said = { username: username.slice(0, 64), address: ip, userId: user?.id, requestId: meta.requestId };
  let reservation: Reservation;
  try {
    reservation = await reserveLoginAttempt(ds, loginSubject(user?.id ?? null, username), user?.username ?? null, ip);
  } catch (err) {
    if (err instanceof TooManyRequestsError) signalsOf(ds).emit('login', { outcome: 'locked', ...said });
    throw err;
  }
  const ok = user && user.active ? await verifyPassword(password, user.passwordHash) : (await verifyPassword(password, await dummyHash()), false);
  await recordLoginAttempt(em, username, ip, !!ok);
  if (!user || !ok) {
    signalsOf(ds).emit('login', { outcome: 'failed', ...said, reason: !user ? 'unknownUser' : !user.active ? 'disabled' : 'wrongPassword' });
    throw new UnauthenticatedError('Wrong username or password');
  }
  await loginSucceeded(em, reservation);
  // New: no successful login of this user from this address in THROTTLE.knownAddressMs (30 days),
  // read from login_attempt before this attempt was recorded (login-throttle.ts knownAddress).
  signalsOf(ds).emit('login', { outcome: 'ok', ...said, newAddress: !reservation.knownAddress });
  return issue(config, user);
}

async function exists(em: EntityManager, table: 'repair_partner' | 'agent', id: number): Promise<boolean> {
  const rows = await em.query(`SELECT id FROM ${table} WHERE id = ?`, [id]);
  return rows.length > 0;
}

/** A role's bindings: a partner for REPAIR_PARTNER, an agent for AGENT, nothing for the others. */
async function assertBindings(em: EntityManager, role: Role, repairPartnerId: number | null, agentId: number | null): Promise<void> {
  if (role === Role.REPAIR_PARTNER) {
    if (!repairPartnerId) throw new BadInputError('input.repairPartnerId', 'is required for REPAIR_PARTNER users');
    if (!(await exists(em, 'repair_partner', repairPartnerId))) throw new BadInputError('input.repairPartnerId', 'no such repair partner');
  } else if (repairPartnerId) {
    throw new BadInputError('input.repairPartnerId', 'only REPAIR_PARTNER users are bound to a partner');
  }
  if (role === Role.AGENT) {
    if (!agentId) throw new BadInputError('input.agentId', 'is required for AGENT users');
    if (!(await exists(em, 'agent', agentId))) throw new BadInputError('input.agentId', 'no such agent');
  } else if (agentId) {
    throw new BadInputError('input.agentId', 'only AGENT users are bound to an agent');
  }
}

/** An account change for the security log (security-events.ts), said once the transaction of `em` commits. */
function accountChanged(
  em: EntityManager,
  actor: AuthUser | null,
  user: User,
  action: Signals['account']['action'],
  meta: RequestMeta,
  details?: Record<string, unknown>,
): void {
  const payload: Signals['account'] = {
    action,
    actorId: actor?.id,
    actorUsername: actor?.username,
    userId: user.id,
    username: user.username,
    requestId: meta.requestId,
    address: meta.address,
    details,
  };
  afterCommit(em, () => signalsOf(em).emit('account', payload));
}

export async function createUser(
  em: EntityManager,
  actor: AuthUser | null,
  input: CreateUserInput,
  options: { mustChangePassword?: boolean; meta?: RequestMeta } = {},
): Promise<User> {
  const repairPartnerId = parseOptionalId(input.repairPartnerId, 'input.repairPartnerId');
  const agentId = parseOptionalId(input.agentId, 'input.agentId');
  assertPasswordPolicy('input.password', input.password, input.username);
  const displayName = optionalText('input.displayName', input.displayName, 100);
  await assertBindings(em, input.role, repairPartnerId, agentId);
  const repo = em.getRepository(User);
  if (await repo.findOne({ where: { username: input.username } })) {
    throw new ConflictError(IdentityConflict.ALREADY_EXISTS, `username "${input.username}" is taken`, { field: 'input.username' });
  }
  const user = repo.create({
    username: input.username,
    passwordHash: await hashPassword(input.password),
    role: input.role,
    repairPartnerId,
    agentId,
    active: true,
    displayName,
    tokenVersion: 0,
    mustChangePassword: !!options.mustChangePassword,
    createdAt: new Date(),
  });
  await repo.save(user);
  await recordChange(em, actor, {
    action: actor ? 'createUser' : 'createAdmin',
    entityType: 'User',
    entityId: user.id,
    data: { username: user.username, role: user.role, repairPartnerId, agentId, displayName },
  });
  accountChanged(em, actor, user, 'created', options.meta ?? {}, { role: user.role, repairPartnerId, agentId });
  return user;
}

export function listUsers(em: EntityManager, filter: UserFilter | undefined, args: ConnectionArgs) {
  const qb = em.getRepository(User).createQueryBuilder('u');
  if (filter?.role) qb.andWhere('u.role = :role', { role: filter.role });
  if (filter?.active != null) qb.andWhere('u.active = :active', { active: filter.active });
  const search = optionalText('filter.search', filter?.search, 64);
  if (search) {
    qb.andWhere("(u.username LIKE :s ESCAPE '!' OR u.displayName LIKE :s ESCAPE '!')", { s: `%${likeEscape(search)}%` });
  }
  return paginate(qb, args);
}

const forUpdate = (em: EntityManager) => (isMysql(em) ? ' FOR UPDATE' : '');

/** The user row, locked for the rest of the transaction on MySQL (SQLite's transactions are serial). */
async function lockUser(em: EntityManager, id: number, field: string): Promise<User> {
  const rows: { id: number }[] = await em.query(`SELECT id FROM app_user WHERE id = ?${forUpdate(em)}`, [id]);
  if (!rows.length) throw new NotFoundError('User', id);
  const user = await em.getRepository(User).findOne({ where: { id } });
  if (!user) throw new BadInputError(field, 'no such user');
  return user;
}

/**
 * Refuses to leave no active ADMIN. Locks every active ADMIN row (in key order, the same in every
 * transaction), so two admins demoting each other at once are serialized and the second sees the
 * first's change: exactly one of them wins.
 */
async function assertNotLastAdmin(em: EntityManager, userId: number): Promise<void> {
  const rows: { id: number | string }[] = await em.query(`SELECT id FROM app_user WHERE role = ? AND active = ? ORDER BY id${forUpdate(em)}`, [
    Role.ADMIN,
    true,
  ]);
  if (!rows.some((r) => Number(r.id) !== userId)) {
    throw new ConflictError(
      IdentityConflict.LAST_ACTIVE_ADMIN,
      'This is the last active ADMIN: make another user ADMIN before disabling or demoting this one',
      { field: 'id' },
    );
  }
}

function bump(user: User): void {
  user.tokenVersion = Number(user.tokenVersion ?? 0) + 1;
}

export async function updateUser(em: EntityManager, actor: AuthUser, idRaw: string, input: UpdateUserInput, meta: RequestMeta = {}): Promise<User> {
  const id = parseId(idRaw, 'id');
  // Lock the admins first when this may take an admin away, so the lock order is the same everywhere.
  const before = await em.getRepository(User).findOne({ where: { id } });
  if (!before) throw new NotFoundError('User', id);
  const removesAdmin = (u: User) => u.role === Role.ADMIN && u.active && ((input.role != null && input.role !== Role.ADMIN) || input.active === false);
  if (removesAdmin(before)) await assertNotLastAdmin(em, id);
  const user = await lockUser(em, id, 'id');
  if (!removesAdmin(before) && removesAdmin(user)) await assertNotLastAdmin(em, id);

  const role = input.role ?? user.role;
  // A binding not given is kept while the role keeps it, and dropped when the role changes away.
  const repairPartnerId =
    input.repairPartnerId !== undefined
      ? parseOptionalId(input.repairPartnerId, 'input.repairPartnerId')
      : role === Role.REPAIR_PARTNER
        ? user.repairPartnerId
        : null;
  const agentId = input.agentId !== undefined ? parseOptionalId(input.agentId, 'input.agentId') : role === Role.AGENT ? user.agentId : null;
  await assertBindings(em, role, repairPartnerId == null ? null : Number(repairPartnerId), agentId == null ? null : Number(agentId));
  if (input.active === null) throw new BadInputError('input.active', 'must be true or false when given');
  const active = input.active ?? user.active;
  const displayName = input.displayName !== undefined ? optionalText('input.displayName', input.displayName, 100) : user.displayName;

  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const note = (k: string, from: unknown, to: unknown) => {
    if ((from ?? null) !== (to ?? null)) changes[k] = { from: from ?? null, to: to ?? null };
  };
  note('role', user.role, role);
  note('repairPartnerId', user.repairPartnerId == null ? null : Number(user.repairPartnerId), repairPartnerId);
  note('agentId', user.agentId == null ? null : Number(user.agentId), agentId);
  note('active', !!user.active, !!active);
  note('displayName', user.displayName, displayName);
  if (!Object.keys(changes).length) return user;

  const endsSessions = ['role', 'repairPartnerId', 'agentId', 'active'].some((k) => k in changes);
  Object.assign(user, { role, repairPartnerId, agentId, active, displayName });
  if (endsSessions) bump(user);
  await em.getRepository(User).save(user);
  await recordChange(em, actor, {
    action: 'updateUser',
    entityType: 'User',
    entityId: user.id,
    data: { username: user.username, changes, sessionsEnded: endsSessions },
  });
  // One event per kind of change (a SIEM rule matches on the event name); a display name is not one.
  if (changes.role) accountChanged(em, actor, user, 'roleChanged', meta, { from: changes.role.from, to: changes.role.to });
  if (changes.active) accountChanged(em, actor, user, active ? 'enabled' : 'disabled', meta);
  if (changes.repairPartnerId || changes.agentId) {
    const binding: Record<string, unknown> = {};
    if (changes.repairPartnerId) binding.repairPartnerId = changes.repairPartnerId;
    if (changes.agentId) binding.agentId = changes.agentId;
    accountChanged(em, actor, user, 'bindingChanged', meta, binding);
  }
  return user;
}

export interface PasswordResetResult {
  user: User;
  temporaryPassword: string;
}

/** A one-time password, shown once; the user's sessions end and the next login must change it. */
export async function resetPassword(em: EntityManager, actor: AuthUser, userIdRaw: string, meta: RequestMeta = {}): Promise<PasswordResetResult> {
  const user = await lockUser(em, parseId(userIdRaw, 'userId'), 'userId');
  const temporary = temporaryPassword(user.username);
  user.passwordHash = await hashPassword(temporary);
  user.mustChangePassword = true;
  bump(user);
  await em.getRepository(User).save(user);
  await recordChange(em, actor, { action: 'resetPassword', entityType: 'User', entityId: user.id, data: { username: user.username, sessionsEnded: true } });
  accountChanged(em, actor, user, 'passwordReset', meta);
  return { user, temporaryPassword: temporary };
}

/**
 * The caller's own password. The current one is checked as a login is (counted first, so a stolen
 * token cannot be used to guess it); every session of the user ends, and the answer carries a new
 * token for this one.
 */
export async function changePassword(
  ds: DataSource,
  config: AppConfig,
  actor: AuthUser,
  currentPassword: string,
  newPassword: string,
  ip: string,
  meta: RequestMeta = {},
): Promise<Session> {
  const current = await ds.getRepository(User).findOne({ where: { id: actor.id } });
  if (!current) throw new UnauthenticatedError('This account is disabled: ask an administrator');
  const reservation = await reserveLoginAttempt(ds, loginSubject(current.id, current.username), current.username, ip);
  const ok = await verifyPassword(currentPassword, current.passwordHash);
  await recordLoginAttempt(ds.manager, current.username, ip, ok);
  if (!ok) throw new BadInputError('currentPassword', 'is not your current password');
  await loginSucceeded(ds.manager, reservation);
  assertPasswordPolicy('newPassword', newPassword, current.username);
  if (newPassword === currentPassword) throw new BadInputError('newPassword', 'must differ from the current password');
  const hash = await hashPassword(newPassword);
  const user = await inTransaction(ds, async (em) => {
    const u = await lockUser(em, actor.id, 'currentPassword');
    if (!u.active) throw new UnauthenticatedError('This account is disabled: ask an administrator');
    u.passwordHash = hash;
    u.mustChangePassword = false;
    bump(u);
    await em.getRepository(User).save(u);
    await recordChange(em, actor, { action: 'changePassword', entityType: 'User', entityId: u.id, data: { username: u.username, sessionsEnded: true } });
    accountChanged(em, actor, u, 'passwordChanged', meta);
    return u;
  });
  return issue(config, user);
}

export async function logoutEverywhere(em: EntityManager, actor: AuthUser, userIdRaw: string, meta: RequestMeta = {}): Promise<User> {
  const user = await lockUser(em, parseId(userIdRaw, 'userId'), 'userId');
  bump(user);
  await em.getRepository(User).save(user);
  await recordChange(em, actor, { action: 'logoutEverywhere', entityType: 'User', entityId: user.id, data: { username: user.username, sessionsEnded: true } });
  accountChanged(em, actor, user, 'loggedOutEverywhere', meta);
  return user;
}

export async function findMe(em: EntityManager, actor: AuthUser): Promise<User> {
  const user = await em.getRepository(User).findOne({ where: { id: actor.id } });
  // The session check refuses a disabled user's token before this; this holds if it is ever bypassed.
  if (!user || !user.active) throw new UnauthenticatedError('This account is disabled: ask an administrator');
  return user;
}
