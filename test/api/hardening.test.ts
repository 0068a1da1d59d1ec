import { inTransaction } from '../../src/common/tx';
import { createUser } from '../../src/modules/identity/user.service';
import { Role } from '../../src/common/roles';
import { QUERY_LIMITS } from '../../src/common/query-limits';
import { startTestApp, TestApp, expectError } from '../helpers/app';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.token('admin');
});
afterAll(() => t.stop());

const CREATE = `mutation($i: CreateUserInput!){ createUser(input:$i){ id } }`;

describe('query limits', () => {
  it('refuses too many aliases, and keeps serving', async () => {
    const q = `{ ${Array.from({ length: QUERY_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    const res = await t.gql(q, {}, admin);
    expect(res.errors?.[0].message).toMatch(/alias/i);
    expect(res.data ?? null).toBeNull();
    expect((await t.gql(`{ me { id } }`, {}, admin)).data.me.id).toBeTruthy();
  });

  it('refuses a document with too many tokens, naming the limit', async () => {
    const q = `{ me { ${Array.from({ length: QUERY_LIMITS.maxTokens }, () => 'id').join(' ')} } }`;
    const res = await t.gql(q, {}, admin);
    expect(res.status).toBe(400);
    expect(res.errors?.[0].message).toMatch(new RegExp(`more that ${QUERY_LIMITS.maxTokens} tokens`));
  });

  it('refuses a body over the size limit', async () => {
    const res = await t
      .http()
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({ query: `{ me { id } }`, variables: { pad: 'x'.repeat(1_100_000) } });
    expect(res.status).toBe(413);
  });

  it('runs small batches and refuses large ones', async () => {
    const op = { query: `{ me { username } }` };
    const ok = await t.http().post('/graphql').set('content-type', 'application/json').set('authorization', `Bearer ${admin}`).send([op, op]);
    expect(ok.status).toBe(200);
    expect(ok.body).toHaveLength(2);
    const big = await t
      .http()
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${admin}`)
      .send(Array(QUERY_LIMITS.maxBatch + 1).fill(op));
    expect(big.status).toBe(400);
    expect(big.body.errors[0].message).toMatch(/at most 5 operations/);
  });

  it('refuses a page larger than the maximum and negative pages', async () => {
    expectError(await t.gql(`{ changeLog(first: 201) { totalCount } }`, {}, admin), 'BAD_USER_INPUT', 'first');
    expectError(await t.gql(`{ changeLog(first: -1) { totalCount } }`, {}, admin), 'BAD_USER_INPUT', 'first');
    expectError(await t.gql(`{ changeLog(after: "bm90LWEtY3Vyc29y") { totalCount } }`, {}, admin), 'BAD_USER_INPUT', 'after');
  });
});

describe('pagination', () => {
  it('walks a list page by page without skipping or repeating', async () => {
    for (let i = 0; i < 7; i++) {
      await t.gql(CREATE, { i: { username: `pager${i}`, password: 'Test-passphrase-4711', role: 'FINANCE' } }, admin);
    }
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    let total = 0;
    do {
      const res: any = await t.gql(
        `query($a: String){ changeLog(entityType: "User", first: 3, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`,
        { a: after },
        admin,
      );
      const c = res.data.changeLog;
      total = c.totalCount;
      seen.push(...c.edges.map((e: any) => e.node.id));
      after = c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null;
      pages++;
    } while (after && pages < 20);
    expect(total).toBeGreaterThanOrEqual(7);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    // Newest first.
    expect([...seen].map(Number)).toEqual([...seen].map(Number).sort((a, b) => b - a));
  });

  it('defaults to 50 and allows 0', async () => {
    const zero = await t.gql(`{ changeLog(first: 0) { totalCount edges { cursor } pageInfo { hasNextPage } } }`, {}, admin);
    expect(zero.data.changeLog.edges).toEqual([]);
  });
});

describe('change log and transactions', () => {
  it('a mutation that fails after writing leaves neither its change nor its log entry', async () => {
    const actor = { id: 1, username: 'admin', role: Role.ADMIN, repairPartnerId: null, agentId: null };
    await expect(
      inTransaction(t.app.ds, async (em) => {
        await createUser(em, actor, { username: 'rolledback', password: 'Test-passphrase-4711', role: Role.FINANCE });
        throw new Error('a later step failed');
      }),
    ).rejects.toThrow('a later step failed');
    const log = await t.gql(`{ changeLog(entityType: "User", first: 200) { edges { node { data } } } }`, {}, admin);
    expect(JSON.stringify(log.data)).not.toContain('rolledback');
    const login = await t.gql(`mutation { login(username: "rolledback", password: "Test-passphrase-4711") { token } }`);
    expectError(login, 'UNAUTHENTICATED');
  });

  it('the change log has no mutation to edit or delete it', () => {
    const mutations = Object.keys(t.app.schema.getMutationType()!.getFields());
    expect(mutations.filter((m) => /changelog/i.test(m))).toEqual([]);
  });
});

describe('errors in production', () => {
  it('hides internals: no stack trace, no SQL', async () => {
    const prod = await startTestApp({ nodeEnv: 'production' });
    try {
      const token = await prod.token('admin');
      await prod.app.ds.query('ALTER TABLE region RENAME TO region_gone');
      const res = await prod.gql(`{ regions { code } }`, {}, token);
      const err = expectError(res, 'INTERNAL_SERVER_ERROR');
      expect(err.message).toBe('Internal server error');
      expect(JSON.stringify(res.body)).not.toMatch(/select|sqlite|mysql|no such table|doesn't exist|stacktrace|\.ts:/i);
      // Introspection is off in production.
      const intro = await prod.gql(`{ __schema { queryType { name } } }`, {}, token);
      expect(intro.errors?.[0].message).toMatch(/introspection/i);
    } finally {
      await prod.stop();
    }
  });

  it('shows the message in development, and introspection is on', async () => {
    const intro = await t.gql(`{ __schema { queryType { name } } }`, {}, admin);
    expect(intro.data.__schema.queryType.name).toBe('Query');
  });
});

describe('variables that do not coerce', () => {
  it('are BAD_USER_INPUT naming the variable and field, with status 400', async () => {
    const res = await t.gql(
      `mutation($i: CreateUserInput!){ createUser(input:$i){ id } }`,
      { i: { username: 'abc', password: 'Test-passphrase-4711' } },
      admin,
    );
    expect(res.status).toBe(400);
    expectError(res, 'BAD_USER_INPUT', 'i.role');
  });
});
