import { Role } from '../../src/common/roles';
import { inTransaction } from '../../src/common/tx';
import { updateUser } from '../../src/modules/identity/user.service';
import { startTestApp, TestApp, expectError, PASSWORD, USER_PASSWORD, expectConflict } from '../helpers/app';

/** User administration (issue 18): users, updateUser, resetPassword, changePassword, logoutEverywhere, the policy, the last admin. */
let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.token('admin');
});
afterAll(() => t.stop());

const LOGIN = `mutation($u:String!,$p:String!){ login(username:$u,password:$p){ token mustChangePassword user { id username } } }`;
const CREATE = `mutation($i: CreateUserInput!){ createUser(input:$i){ id username role displayName active mustChangePassword } }`;
const UPDATE = `mutation($id: ID!, $i: UpdateUserInput!){ updateUser(id:$id, input:$i){ id role repairPartnerId agentId active displayName } }`;
const RESET = `mutation($id: ID!){ resetPassword(userId:$id){ temporaryPassword user { id mustChangePassword } } }`;
const CHANGE = `mutation($c:String!,$n:String!){ changePassword(currentPassword:$c, newPassword:$n){ token mustChangePassword user { id } } }`;
const LOGOUT = `mutation($id: ID!){ logoutEverywhere(userId:$id){ id } }`;
const ME = `{ me { id username active mustChangePassword displayName } }`;

let seq = 0;
async function makeUser(role = 'FINANCE', extra: Record<string, unknown> = {}): Promise<{ id: string; username: string; token: string }> {
  const username = `acct_${++seq}_${Date.now().toString(36)}`;
  const res = await t.gql(CREATE, { i: { username, password: USER_PASSWORD, role, ...extra } }, admin);
  if (!res.data?.createUser) throw new Error(JSON.stringify(res.errors));
  const login = await t.gql(LOGIN, { u: username, p: USER_PASSWORD });
  return { id: res.data.createUser.id, username, token: login.data.login.token };
}

async function changesOf(id: string) {
  const res = await t.gql(
    `query($id: ID!){ changeLog(entityType:"User", entityId:$id, first: 50){ edges { node { action actorName data } } } }`,
    { id },
    admin,
  );
  return res.data.changeLog.edges.map((e: any) => e.node);
}

describe('password policy', () => {
  it.each([
    ['short-pw-11', 'must be at least 12 characters'],
    ['demo-password', 'too common'],
    ['Password1234', 'too common'],
    ['aaaaaaaaaaaaaaaa', 'too common'],
  ])('createUser refuses %s naming input.password', async (password, why) => {
    const err = expectError(await t.gql(CREATE, { i: { username: `pol_${++seq}`, password, role: 'FINANCE' } }, admin), 'BAD_USER_INPUT', 'input.password');
    expect(err.message).toContain(why);
  });

  it('refuses a password that contains the username, and writes nothing', async () => {
    const err = expectError(
      await t.gql(CREATE, { i: { username: 'carol', password: 'my-name-is-Carol!', role: 'FINANCE' } }, admin),
      'BAD_USER_INPUT',
      'input.password',
    );
    expect(err.message).toContain('username');
    const list = await t.gql(`{ users(filter: { search: "carol" }) { totalCount } }`, {}, admin);
    expect(list.data.users.totalCount).toBe(0);
  });

  it('the seeded demo users keep the demo password (seeds bypass the policy)', async () => {
    expect((await t.gql(LOGIN, { u: 'auditor', p: PASSWORD })).data.login.token).toBeTruthy();
  });
});

describe('users', () => {
  it('lists users as a connection, filtered by role, active and search', async () => {
    const a = await makeUser('AUDITOR', { displayName: 'Zhang Wei' });
    const b = await makeUser('AUDITOR');
    await t.gql(UPDATE, { id: b.id, i: { active: false } }, admin);
    const auditors = await t.gql(`{ users(first: 200, filter: { role: AUDITOR }) { totalCount edges { node { username role active } } } }`, {}, admin);
    const names = auditors.data.users.edges.map((e: any) => e.node.username);
    expect(names).toEqual(expect.arrayContaining(['auditor', a.username, b.username]));
    expect(auditors.data.users.edges.every((e: any) => e.node.role === 'AUDITOR')).toBe(true);
    const inactive = await t.gql(`{ users(filter: { role: AUDITOR, active: false }) { edges { node { username } } } }`, {}, admin);
    expect(inactive.data.users.edges.map((e: any) => e.node.username)).toEqual([b.username]);
    const search = await t.gql(`{ users(filter: { search: "zhang" }) { edges { node { username displayName } } } }`, {}, admin);
    expect(search.data.users.edges.map((e: any) => e.node.username)).toEqual([a.username]);
    // % and _ are taken literally.
    expect((await t.gql(`{ users(filter: { search: "%" }) { totalCount } }`, {}, admin)).data.users.totalCount).toBe(0);
  });

  it('pages with first and after, without repeats', async () => {
    const p1 = await t.gql(`{ users(first: 2) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`, {}, admin);
    expect(p1.data.users.edges).toHaveLength(2);
    expect(p1.data.users.pageInfo.hasNextPage).toBe(true);
    const p2 = await t.gql(`query($a: String){ users(first: 2, after: $a) { edges { node { id } } } }`, { a: p1.data.users.pageInfo.endCursor }, admin);
    const ids = [...p1.data.users.edges, ...p2.data.users.edges].map((e: any) => e.node.id);
    expect(new Set(ids).size).toBe(4);
    expectError(await t.gql(`{ users(first: 201) { totalCount } }`, {}, admin), 'BAD_USER_INPUT', 'first');
  });
});

describe('updateUser', () => {
  it('changes the display name without ending sessions, and logs who did it', async () => {
    const u = await makeUser();
    const res = await t.gql(UPDATE, { id: u.id, i: { displayName: 'Li Na' } }, admin);
    expect(res.data.updateUser.displayName).toBe('Li Na');
    expect((await t.gql(ME, {}, u.token)).data.me.displayName).toBe('Li Na');
    const [entry] = await changesOf(u.id);
    expect(entry).toMatchObject({ action: 'updateUser', actorName: 'admin' });
    expect(JSON.parse(entry.data)).toMatchObject({ changes: { displayName: { from: null, to: 'Li Na' } }, sessionsEnded: false });
  });

  it('checks bindings against the role, naming the field, and writes nothing', async () => {
    const u = await makeUser('AFTERSALES_STAFF');
    expectError(await t.gql(UPDATE, { id: u.id, i: { role: 'REPAIR_PARTNER' } }, admin), 'BAD_USER_INPUT', 'input.repairPartnerId');
    expectError(await t.gql(UPDATE, { id: u.id, i: { repairPartnerId: '1' } }, admin), 'BAD_USER_INPUT', 'input.repairPartnerId');
    expectError(await t.gql(UPDATE, { id: u.id, i: { role: 'AGENT', agentId: '999999' } }, admin), 'BAD_USER_INPUT', 'input.agentId');
    expectError(await t.gql(UPDATE, { id: u.id, i: { displayName: 'x'.repeat(101) } }, admin), 'BAD_USER_INPUT', 'input.displayName');
    expectError(await t.gql(UPDATE, { id: '999999', i: { active: false } }, admin), 'NOT_FOUND');
    expect((await t.gql(ME, {}, u.token)).data.me.username).toBe(u.username);
    expect(await changesOf(u.id)).toEqual([expect.objectContaining({ action: 'createUser' })]);
  });

  it('a role change drops the old binding and ends the sessions at once on this replica', async () => {
    const partner = await t.gql(
      `mutation { createRepairPartner(input: { code: "RP-ACC", name: "Accounts test shop", regionCode: "SONGZI", premisesProvided: false, monthlyWageSubsidyFen: 0 }) { id } }`,
      {},
      admin,
    );
    const pid = partner.data.createRepairPartner.id;
    const shop = await makeUser('REPAIR_PARTNER', { repairPartnerId: pid });
    const res = await t.gql(UPDATE, { id: shop.id, i: { role: 'FINANCE' } }, admin);
    expect(res.data.updateUser).toMatchObject({ role: 'FINANCE', repairPartnerId: null });
    expect(expectError(await t.gql(ME, {}, shop.token), 'UNAUTHENTICATED').message).toMatch(/session has ended/);
    const relog = await t.gql(LOGIN, { u: shop.username, p: USER_PASSWORD });
    expect((await t.gql(`{ me { role } }`, {}, relog.data.login.token)).data.me.role).toBe('FINANCE');
  });

  it('a disabled user cannot log in, and me never answers for them', async () => {
    const u = await makeUser();
    await t.gql(UPDATE, { id: u.id, i: { active: false } }, admin);
    expect(expectError(await t.gql(ME, {}, u.token), 'UNAUTHENTICATED').message).toMatch(/disabled/);
    expectError(await t.gql(LOGIN, { u: u.username, p: USER_PASSWORD }), 'UNAUTHENTICATED');
    await t.gql(UPDATE, { id: u.id, i: { active: true } }, admin);
    expectError(await t.gql(ME, {}, u.token), 'UNAUTHENTICATED'); // the old token stays ended
    expect((await t.gql(LOGIN, { u: u.username, p: USER_PASSWORD })).data.login.token).toBeTruthy();
  });
});

/** Demotes every active admin but `keep` (through `token`, an admin's), so the test knows who is left. */
async function onlyAdmins(token: string, keep: string[]) {
  const rows: { id: number }[] = await t.app.ds.query(`SELECT id FROM app_user WHERE role = 'ADMIN' AND active = ?`, [true]);
  for (const r of rows) {
    if (keep.includes(String(r.id))) continue;
    expect((await t.gql(UPDATE, { id: String(r.id), i: { role: 'AUDITOR' } }, token)).errors).toBeUndefined();
  }
}

describe('the last active admin', () => {
  it('cannot be disabled or demoted; another admin can', async () => {
    const me = (await t.gql(ME, {}, admin)).data.me;
    await onlyAdmins(admin, [me.id]);
    const others = await t.gql(`{ users(filter: { role: ADMIN, active: true }) { totalCount } }`, {}, admin);
    expect(others.data.users.totalCount).toBe(1);
    expectConflict(await t.gql(UPDATE, { id: me.id, i: { active: false } }, admin), 'LAST_ACTIVE_ADMIN');
    expectConflict(await t.gql(UPDATE, { id: me.id, i: { role: 'FINANCE' } }, admin), 'LAST_ACTIVE_ADMIN');
    expect((await t.gql(ME, {}, admin)).data.me.active).toBe(true);

    const second = await makeUser('ADMIN');
    const demoted = await t.gql(UPDATE, { id: second.id, i: { role: 'FINANCE' } }, admin);
    expect(demoted.data.updateUser.role).toBe('FINANCE');
  });

  it('two admins disabling each other at the same moment: exactly one wins', async () => {
    const a = await makeUser('ADMIN');
    const b = await makeUser('ADMIN');
    const seeded = (await t.gql(ME, {}, admin)).data.me.id;
    await onlyAdmins(a.token, [a.id, b.id]);
    try {
      const [ra, rb] = await Promise.all([
        t.gql(UPDATE, { id: b.id, i: { active: false } }, a.token),
        t.gql(UPDATE, { id: a.id, i: { active: false } }, b.token),
      ]);
      const ok = [ra, rb].filter((r) => !r.errors);
      expect(ok).toHaveLength(1);
      // The loser is refused by the rule, or (when its request started after the winner's commit)
      // by its own ended session.
      const loser = [ra, rb].find((r) => r.errors)!;
      expect(['CONFLICT', 'UNAUTHENTICATED']).toContain(loser.errors![0].extensions.code);
      const left = await t.app.ds.query(`SELECT COUNT(*) AS n FROM app_user WHERE role = 'ADMIN' AND active = ?`, [true]);
      expect(Number(left[0].n)).toBe(1);
    } finally {
      // Put the seeded admin back, through whichever admin is left.
      const [row] = await t.app.ds.query(`SELECT username FROM app_user WHERE role = 'ADMIN' AND active = ?`, [true]);
      const tok = (await t.gql(LOGIN, { u: row.username, p: USER_PASSWORD })).data.login.token;
      expect((await t.gql(UPDATE, { id: seeded, i: { role: 'ADMIN' } }, tok)).errors).toBeUndefined();
      admin = (await t.gql(LOGIN, { u: 'admin', p: PASSWORD })).data.login.token;
    }
  });
});

describe('the last active admin, in two transactions at once', () => {
  it('one of two concurrent removals of the last two admins is refused', async () => {
    const a = await makeUser('ADMIN');
    const b = await makeUser('ADMIN');
    const seeded = (await t.gql(ME, {}, admin)).data.me.id;
    await onlyAdmins(a.token, [a.id, b.id]);
    const actor = { id: Number(a.id), username: a.username, role: Role.ADMIN, repairPartnerId: null, agentId: null };
    try {
      const results = await Promise.allSettled([
        inTransaction(t.app.ds, (em) => updateUser(em, actor, b.id, { active: false })),
        inTransaction(t.app.ds, (em) => updateUser(em, actor, a.id, { role: Role.FINANCE })),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason.extensions.code).toBe('CONFLICT');
      expect(refused.reason.message).toMatch(/last active ADMIN/);
      const left = await t.app.ds.query(`SELECT COUNT(*) AS n FROM app_user WHERE role = 'ADMIN' AND active = ?`, [true]);
      expect(Number(left[0].n)).toBe(1);
    } finally {
      const [row] = await t.app.ds.query(`SELECT username FROM app_user WHERE role = 'ADMIN' AND active = ?`, [true]);
      const tok = (await t.gql(LOGIN, { u: row.username, p: USER_PASSWORD })).data.login.token;
      expect((await t.gql(UPDATE, { id: seeded, i: { role: 'ADMIN' } }, tok)).errors).toBeUndefined();
      admin = (await t.gql(LOGIN, { u: 'admin', p: PASSWORD })).data.login.token;
    }
  });
});

describe('resetPassword and changePassword', () => {
  it('a reset ends the sessions, and the temporary password only lets the user change it', async () => {
    const u = await makeUser();
    const reset = await t.gql(RESET, { id: u.id }, admin);
    const temporary = reset.data.resetPassword.temporaryPassword;
    expect(temporary).toHaveLength(18);
    expect(reset.data.resetPassword.user.mustChangePassword).toBe(true);
    expectError(await t.gql(ME, {}, u.token), 'UNAUTHENTICATED');
    expectError(await t.gql(LOGIN, { u: u.username, p: USER_PASSWORD }), 'UNAUTHENTICATED');

    const login = await t.gql(LOGIN, { u: u.username, p: temporary });
    expect(login.data.login.mustChangePassword).toBe(true);
    const limited = login.data.login.token;
    expect((await t.gql(ME, {}, limited)).data.me.mustChangePassword).toBe(true);
    const refused = expectError(await t.gql(`{ regions { code } }`, {}, limited), 'FORBIDDEN');
    expect(refused.extensions.reason).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(refused.message).toMatch(/changePassword/);
    // The plain HTTP routes (CSV exports) refuse it too.
    const csv = await t.http().get('/exports/commission-statements.csv?period=2025-01').set('authorization', `Bearer ${limited}`);
    expect(csv.status).toBe(403);
    expect(csv.text).toMatch(/changePassword/);
    expectError(await t.gql(CHANGE, { c: temporary, n: 'short' }, limited), 'BAD_USER_INPUT', 'newPassword');
    expectError(await t.gql(CHANGE, { c: 'not-the-temporary', n: 'A-new-passphrase-1' }, limited), 'BAD_USER_INPUT', 'currentPassword');

    const changed = await t.gql(CHANGE, { c: temporary, n: 'A-new-passphrase-1' }, limited);
    expect(changed.data.changePassword.mustChangePassword).toBe(false);
    expectError(await t.gql(ME, {}, limited), 'UNAUTHENTICATED');
    expect((await t.gql(`{ regions { code } }`, {}, changed.data.changePassword.token)).data.regions.length).toBeGreaterThan(0);
    expectError(await t.gql(LOGIN, { u: u.username, p: temporary }), 'UNAUTHENTICATED');
    expect((await t.gql(LOGIN, { u: u.username, p: 'A-new-passphrase-1' })).data.login.mustChangePassword).toBe(false);

    const log = await changesOf(u.id);
    expect(log.map((e: any) => [e.action, e.actorName])).toEqual(
      expect.arrayContaining([
        ['resetPassword', 'admin'],
        ['changePassword', u.username],
      ]),
    );
    expect(JSON.stringify(log)).not.toContain(temporary);
    expect(JSON.stringify(log)).not.toContain('A-new-passphrase-1');
  });

  it('changePassword applies the policy and wants the current password', async () => {
    const u = await makeUser();
    expectError(await t.gql(CHANGE, { c: USER_PASSWORD, n: USER_PASSWORD }, u.token), 'BAD_USER_INPUT', 'newPassword');
    expectError(await t.gql(CHANGE, { c: USER_PASSWORD, n: `${u.username}-2026!` }, u.token), 'BAD_USER_INPUT', 'newPassword');
    expectError(await t.gql(CHANGE, { c: USER_PASSWORD, n: 'password1234' }, u.token), 'BAD_USER_INPUT', 'newPassword');
    expectError(await t.gql(CHANGE, { c: 'wrong-current-pw', n: 'Another-passphrase-2' }, u.token), 'BAD_USER_INPUT', 'currentPassword');
    // Nothing changed: the token and the password still work.
    expect((await t.gql(ME, {}, u.token)).data.me.username).toBe(u.username);
    expect((await t.gql(LOGIN, { u: u.username, p: USER_PASSWORD })).data.login.token).toBeTruthy();
  });

  it('resetting an unknown user is NOT_FOUND', async () => {
    expectError(await t.gql(RESET, { id: '999999' }, admin), 'NOT_FOUND');
  });
});

describe('logoutEverywhere', () => {
  it('ends every token of the user; a new login works', async () => {
    const u = await makeUser();
    const second = (await t.gql(LOGIN, { u: u.username, p: USER_PASSWORD })).data.login.token;
    await t.gql(LOGOUT, { id: u.id }, admin);
    expectError(await t.gql(ME, {}, u.token), 'UNAUTHENTICATED');
    expectError(await t.gql(ME, {}, second), 'UNAUTHENTICATED');
    const again = (await t.gql(LOGIN, { u: u.username, p: USER_PASSWORD })).data.login.token;
    expect((await t.gql(ME, {}, again)).data.me.username).toBe(u.username);
    expect((await changesOf(u.id))[0]).toMatchObject({ action: 'logoutEverywhere', actorName: 'admin' });
  });
});
