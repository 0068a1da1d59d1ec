import { startTestApp, TestApp } from '../helpers/app';

/**
 * The same bad variables sent to an app executing with graphql-jit and to one executing with
 * graphql-js: the answers (status and body) must be identical, in development (stacks shown when
 * there are any) as in production.
 */
const BAD_REQUESTS: { name: string; query: string; variables: Record<string, unknown> }[] = [
  {
    name: 'bad enum nested in an input object',
    query: 'query($filter: AgentFilter) { agents(first: 1, filter: $filter) { totalCount } }',
    variables: { filter: { status: 'ACTIV' } },
  },
  {
    name: 'bad enum at the top level',
    query: 'query($s: AgentStatus!) { agents(first: 1, filter: { status: $s }) { totalCount } }',
    variables: { s: 'SUSPEND' },
  },
  {
    name: 'wrong type nested in an input object',
    query: 'query($filter: AgentFilter) { agents(first: 1, filter: $filter) { totalCount } }',
    variables: { filter: { regionCode: 12, kind: 'NOPE' } },
  },
  {
    name: 'unknown field in an input object',
    query: 'query($filter: AgentFilter) { agents(first: 1, filter: $filter) { totalCount } }',
    variables: { filter: { sttus: 'ACTIVE' } },
  },
  {
    name: 'missing non-null variable',
    query: 'query($id: ID!) { agent(id: $id) { code } }',
    variables: {},
  },
  {
    name: 'list of bad enums',
    query: 'query($first: Int) { agents(first: $first) { totalCount } }',
    variables: { first: 'ten' },
  },
];

describe.each(['development', 'production'] as const)('variable coercion errors, graphql-jit vs graphql-js (%s)', (nodeEnv) => {
  let jit: TestApp;
  let js: TestApp;
  let jitToken: string;
  let jsToken: string;
  beforeAll(async () => {
    jit = await startTestApp({ graphqlJit: true, nodeEnv });
    js = await startTestApp({ graphqlJit: false, nodeEnv });
    jitToken = await jit.token('admin');
    jsToken = await js.token('admin');
  });
  afterAll(async () => {
    await jit?.stop();
    await js?.stop();
  });

  it.each(BAD_REQUESTS)('$name', async ({ query, variables }) => {
    const a = await jit.gql(query, variables, jitToken);
    const b = await js.gql(query, variables, jsToken);
    expect(b.status).toBe(400);
    expect({ status: a.status, body: a.body }).toEqual({ status: b.status, body: b.body });
    for (const e of a.body.errors) {
      expect(e.extensions.code).toBe('BAD_USER_INPUT');
      expect(e.locations).toBeDefined();
      expect(e.extensions.stacktrace).toBeUndefined();
    }
  });

  it('names the client\'s variable, with "Did you mean" except in production', async () => {
    const a = await jit.gql(BAD_REQUESTS[0].query, BAD_REQUESTS[0].variables, jitToken);
    // Production answers no suggestions (they describe the schema to whoever asks).
    const hint = nodeEnv === 'production' ? '' : ' Did you mean the enum value "ACTIVE"?';
    expect(a.errors![0].message).toBe(
      `Variable "$filter" got invalid value "ACTIV" at "filter.status"; Value "ACTIV" does not exist in "AgentStatus" enum.${hint}`,
    );
    expect(a.body.errors[0].locations).toEqual([{ line: 1, column: 7 }]);
    expect(a.errors![0].extensions.field).toBe('filter.status');
  });

  it('still executes good variables', async () => {
    const a = await jit.gql(BAD_REQUESTS[0].query, { filter: { status: 'ACTIVE' } }, jitToken);
    expect(a.errors).toBeUndefined();
    expect(typeof a.data.agents.totalCount).toBe('number');
  });
});
