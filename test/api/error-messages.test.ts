import { expectConflict, expectError, startTestApp, TestApp } from '../helpers/app';
import { createAgent, record, submitOk } from './registrations.fixtures';

/**
 * Errors that help and leak nothing: FORBIDDEN names the roles that may do it; in production no
 * "Did you mean …" hint answers a mistyped field, argument, type or enum value (with a token or
 * without), with graphql-jit and with graphql-js; outside production the hints stay (they help).
 */
describe('FORBIDDEN names the roles that may', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.stop());

  it('in its message and in extensions.allowedRoles', async () => {
    const err = expectError(await t.gql(`mutation { waivePenalty(id: "1", reason: "r") { id } }`, {}, await t.token('finance')), 'FORBIDDEN');
    expect(err.message).toBe('Role FINANCE may not do this; roles that may: AGENCY_STAFF, ADMIN');
    expect(err.extensions.allowedRoles).toEqual(['AGENCY_STAFF', 'ADMIN']);
    const issue = expectError(
      await t.gql(`mutation { issueParts(input: { partnerId: "1", lines: [{ partId: "1", quantity: 1 }] }) { id } }`, {}, await t.token('finance')),
      'FORBIDDEN',
    );
    expect(issue.message).toBe('Role FINANCE may not do this; roles that may: AFTERSALES_STAFF, REPAIR_PARTNER, ADMIN');
    await submitOk(t, (await createAgent(t)).id, [record()]);
    const fieldLevel = expectError(await t.gql(`{ registrations(first: 1) { edges { node { idNumber } } } }`, {}, await t.token('staff')), 'FORBIDDEN');
    expect(fieldLevel.message).toContain('roles that may: AUDITOR, ADMIN');
  });
});

/**
 * A business rule's refusal reads the same whichever executor ran: extensions carry the module's
 * reason next to the code and the details, nothing else (no stack, in development either).
 */
describe.each(['development', 'production'] as const)('CONFLICT carries its reason, graphql-jit and graphql-js alike (%s)', (nodeEnv) => {
  let jit: TestApp;
  let js: TestApp;
  beforeAll(async () => {
    jit = await startTestApp({ graphqlJit: true, nodeEnv });
    js = await startTestApp({ graphqlJit: false, nodeEnv });
  });
  afterAll(async () => {
    await jit?.stop();
    await js?.stop();
  });

  it('in extensions.reason, with the same answer from both', async () => {
    const SUSPEND = `mutation($id: ID!){ setAgentStatus(id: $id, status: SUSPENDED, reason: "checking") { status } }`;
    const answers = [];
    for (const app of [jit, js]) {
      const agent = await createAgent(app);
      const staff = await app.token('staff');
      expect((await app.gql(SUSPEND, { id: agent.id }, staff)).data.setAgentStatus.status).toBe('SUSPENDED');
      const again = await app.gql(SUSPEND, { id: agent.id }, staff);
      const err = expectConflict(again, 'ALREADY_IN_STATUS');
      expect(err.extensions).toEqual({ code: 'CONFLICT', reason: 'ALREADY_IN_STATUS', status: 'SUSPENDED' });
      answers.push({ status: again.status, errors: again.errors!.map((e) => ({ ...e, message: e.message.replace(agent.code, '<code>') })) });
    }
    expect(answers[0]).toEqual(answers[1]);
  });
});

const MISTYPED: [string, string][] = [
  ['a field', `{ me { usernme } }`],
  ['a root field', `{ agentz(first: 1) { totalCount } }`],
  ['an argument', `{ agents(frist: 1) { totalCount } }`],
  ['a type in a fragment', `{ me { ... on Usr { id } } }`],
  ['an enum value', `{ penalties(filter: { status: CONFIRMD }) { totalCount } }`],
  ['an input field', `{ agents(filter: { regionCod: "X" }) { totalCount } }`],
];

describe.each([true, false])('suggestions (graphqlJit: %s)', (graphqlJit) => {
  let prod: TestApp;
  let dev: TestApp;
  beforeAll(async () => {
    prod = await startTestApp({ nodeEnv: 'production', graphqlJit });
    dev = await startTestApp({ graphqlJit });
  });
  afterAll(async () => {
    await prod.stop();
    await dev.stop();
  });

  it.each(MISTYPED)('in production none for %s, with or without a token', async (_what, query) => {
    const token = await prod.token('admin');
    for (const res of [await prod.gql(query, {}, null), await prod.gql(query, {}, token)]) {
      expect(res.errors?.length).toBeGreaterThan(0);
      for (const e of res.errors!) expect(e.message).not.toMatch(/did you mean/i);
    }
    // A mistyped variable's enum value too.
    const v = await prod.gql(`query($s: PenaltyStatus){ penalties(filter: { status: $s }) { totalCount } }`, { s: 'CONFIRMD' }, token);
    expect(v.errors![0].message).not.toMatch(/did you mean/i);
    expect(v.errors![0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('outside production the hint is kept (the check above can fail)', async () => {
    const res = await dev.gql(`{ me { usernme } }`, {}, await dev.token('admin'));
    expect(res.errors![0].message).toMatch(/Did you mean "username"\?/);
  });
});
