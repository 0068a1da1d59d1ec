import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';
import { findSecrets, testPasswords } from '../../scripts/log-secrets';
import { identityCipher } from '../../src/modules/agents/identity-crypto';
import { expectError, startTestApp, TestApp } from '../helpers/app';
import { createAgent, freshId, record, submitOk } from './registrations.fixtures';

/**
 * Logs hold no secrets. Every line the app writes in this file (pino at debug, every statement
 * logged as slow with DB_SLOW_QUERY_MS = 0, and anything printed to the console) is captured while
 * it logs users in (right and wrong passwords, by POST and by GET), reads records by identity
 * number in GET URLs and in variables, and submits records; then the capture is searched for every
 * identity number and password used, and for their keyed hashes and password hashes (SQL parameters).
 */
let t: TestApp;
const lines: string[] = [];
const printed: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(String(chunk));
    done();
  },
});

const USER_PASSWORD = 'Log-Test-Secret-Pass-4711';
const WRONG_PASSWORD = 'Wrong-Guess-Pass-0815';
const GET_PASSWORD = 'Get-Login-Secret-9191';

beforeAll(async () => {
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
  }
  t = await startTestApp({ dbSlowQueryMs: 0 }, { logger: createLogger('debug', undefined, sink) });
});
afterAll(async () => {
  await t.stop();
  jest.restoreAllMocks();
});

it('request logs, slow-query logs and the console carry no identity number, password, or their hashes', async () => {
  const admin = await t.token('admin');
  const username = `logtest_${Date.now().toString(36)}`;
  const created = await t.gql(
    `mutation($i: CreateUserInput!){ createUser(input:$i){ id } }`,
    { i: { username, password: USER_PASSWORD, role: 'AGENCY_STAFF' } },
    admin,
  );
  expect(created.errors).toBeUndefined();
  const LOGIN = `mutation($u:String!,$p:String!){ login(username:$u,password:$p){ token } }`;
  const token = (await t.gql(LOGIN, { u: username, p: USER_PASSWORD })).data.login.token as string;
  expectError(await t.gql(LOGIN, { u: username, p: WRONG_PASSWORD }), 'UNAUTHENTICATED');
  // A login sent as GET is refused (mutations are POST only), and its URL holds the password.
  const getLogin = await t
    .http()
    .get('/graphql')
    .query({ query: `mutation { login(username: "${username}", password: "${GET_PASSWORD}") { token } }` });
  expect(getLogin.status).toBeGreaterThanOrEqual(400);

  const agent = await createAgent(t);
  const ids = [freshId(), freshId(), freshId(), freshId()];
  await submitOk(t, agent.id, [record({ idNumber: ids[0] }), record({ idNumber: ids[1] })], token);
  // GET with the identity number in the document, and in the variables.
  const inDoc = await t
    .http()
    .get('/graphql')
    .set('authorization', `Bearer ${token}`)
    .set('apollo-require-preflight', 'true')
    .query({ query: `{ registrations(filter: { idNumber: "${ids[0]}" }) { totalCount } }` });
  expect(inDoc.body.data.registrations.totalCount).toBe(1);
  const inVars = await t
    .http()
    .get('/graphql')
    .set('authorization', `Bearer ${token}`)
    .set('apollo-require-preflight', 'true')
    .query({ query: `query($f: RegistrationFilter){ registrations(filter: $f) { totalCount } }`, variables: JSON.stringify({ f: { idNumber: ids[2] } }) });
  expect(inVars.body.data.registrations.totalCount).toBe(0);
  // POST with the number in the variables; a bad one in a rejected record.
  const posted = await t.gql(`query($f: RegistrationFilter){ registrations(filter: $f) { totalCount } }`, { f: { idNumber: ids[1] } }, token);
  expect(posted.data.registrations.totalCount).toBe(1);
  const rejected = await t.gql(
    `mutation($a: ID!, $r: [RegistrationInput!]!){ submitRegistrations(agentId:$a, records:$r){ rejected } }`,
    { a: agent.id, r: [record({ idNumber: ids[3].slice(0, 17) + 'Q' })] },
    token,
  );
  expect(rejected.data.submitRegistrations.rejected).toBe(1);

  const text = lines.join('') + printed.join('\n');
  // The capture is real: request lines with their URLs redacted, slow statements without parameters.
  expect(text).toContain('"msg":"request completed"');
  expect(text).toContain('/graphql?query=[redacted]');
  expect(text).toContain('/graphql?query=[redacted]&variables=[redacted]');
  expect(text).toContain('"msg":"slow query"');
  expect(text).toMatch(/"sql":"INSERT INTO `?registration/);

  const cipher = identityCipher(t.config);
  const [{ passwordHash }] = await t.app.ds.query('SELECT passwordHash FROM app_user WHERE username = ?', [username]);
  const secrets = [
    ...ids,
    ids[3].slice(0, 17) + 'Q',
    ...ids.map((id) => cipher.hash(id)),
    USER_PASSWORD,
    WRONG_PASSWORD,
    GET_PASSWORD,
    'demo-password',
    String(passwordHash),
    token,
  ];
  const leaks = secrets.filter((s) => text.includes(s) || text.includes(encodeURIComponent(s)));
  expect(leaks).toEqual([]);
  // The lead's script (scripts/log-secrets.ts) finds nothing either: no valid identity number at all, no test password.
  expect(findSecrets(text, [...testPasswords(), USER_PASSWORD, WRONG_PASSWORD, GET_PASSWORD])).toEqual([]);
});

it('the log-secrets script finds identity numbers (plain or URL-encoded) and test passwords', () => {
  const id = freshId();
  const hits = findSecrets(`{"url":"/graphql?query=%7B%20x(id%3A%20%22${id}%22)"}\nclean line\n{"password":"demo-password"}`, testPasswords());
  expect(hits.map((h) => h.line)).toEqual([1, 3]);
  expect(testPasswords()).toEqual(expect.arrayContaining(['demo-password', USER_PASSWORD]));
});
