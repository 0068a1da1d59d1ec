import { execute, GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { limitResponses } from '../../src/common/response-limits';

/**
 * The time limit of one operation (OPERATION_TIMEOUT_MS) under both executors: resolvers that take
 * longer than the limit between them end the operation with the limit's error, and nothing below
 * the point where it was crossed runs.
 */
function slowSchema(calls: string[]) {
  const Leaf = new GraphQLObjectType({ name: 'Leaf', fields: { name: { type: GraphQLString } } });
  const Node: GraphQLObjectType = new GraphQLObjectType({
    name: 'Node',
    fields: () => ({
      children: {
        type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(Leaf))),
        resolve: async () => {
          calls.push('children');
          return [{ name: 'a' }];
        },
      },
    }),
  });
  const Query = new GraphQLObjectType({
    name: 'Query',
    fields: {
      slow: {
        type: new GraphQLList(Node),
        resolve: async () => {
          calls.push('slow');
          await new Promise((r) => setTimeout(r, 250));
          return [{}, {}];
        },
      },
    },
  });
  return limitResponses(new GraphQLSchema({ query: Query }));
}

const context = (timeoutMs: number, maxObjects = 1000) => ({ config: { limits: { operationTimeoutMs: timeoutMs, responseMaxObjects: maxObjects } } });
const document = parse('{ slow { children { name } } }');

describe('the operation time limit', () => {
  it('ends an operation that runs past it (graphql-js)', async () => {
    const calls: string[] = [];
    const result = await execute({ schema: slowSchema(calls), document, contextValue: context(100) });
    expect(result.errors?.[0].message).toMatch(/ran longer than 100 ms/);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'operationTime' });
    expect(calls).toEqual(['slow']);
  });

  it('ends an operation that runs past it (graphql-jit)', async () => {
    const calls: string[] = [];
    const compiled = compileQuery(slowSchema(calls), document);
    if (!isCompiledQuery(compiled)) throw new Error('not compiled');
    const result = await compiled.query(undefined, context(100), {});
    expect(result.errors?.[0].message).toMatch(/ran longer than 100 ms/);
    expect(calls).toEqual(['slow']);
  });

  it('lets an operation within it run to the end', async () => {
    const calls: string[] = [];
    const result = await execute({ schema: slowSchema(calls), document, contextValue: context(5000) });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ slow: [{ children: [{ name: 'a' }] }, { children: [{ name: 'a' }] }] });
  });

  it('counts objects as they are produced', async () => {
    const calls: string[] = [];
    // 2 nodes, then 1 leaf under each: the second leaf list passes a cap of 3.
    const result = await execute({ schema: slowSchema(calls), document, contextValue: context(5000, 3) });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'responseObjects', maxObjects: 3 });
  });
});
