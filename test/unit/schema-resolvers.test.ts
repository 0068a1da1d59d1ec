import 'reflect-metadata';
import { GraphQLObjectType } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { getSchema } from '../../src/schema';

/**
 * getSchema drops type-graphql's pass-through resolver from plain fields (withPlainFieldsUnwrapped).
 * What must keep a resolver: fields with roles or middleware (their checks run there), field
 * resolvers, and values that may be promises (graphql-jit does not await a plain field).
 */
describe('plain fields without a resolver', () => {
  it('keeps the resolver of every field that has roles, a field resolver or a promise', async () => {
    const schema = await getSchema();
    const field = (type: string, name: string) => (schema.getType(type) as GraphQLObjectType).getFields()[name];
    expect(field('Registration', 'idNumber').resolve).toBeDefined(); // @Authorized field resolver
    expect(field('Registration', 'agent').resolve).toBeDefined(); // field resolver through a loader
    expect(field('RegistrationConnection', 'totalCount').resolve).toBeDefined(); // a promise
    expect(field('Registration', 'msisdn').resolve).toBeUndefined();
    expect(field('Agent', 'code').resolve).toBeUndefined();
    expect(field('RegistrationEdge', 'node').resolve).toBeUndefined();

    // Every object field declared with @Authorized or middleware, anywhere, still has a resolver.
    const storage = getMetadataStorage();
    const guarded = storage.objectTypes.flatMap((t) =>
      (t.fields ?? []).filter((f) => f.roles !== undefined || f.middlewares?.length).map((f) => [t.name, f.schemaName] as const),
    );
    for (const [type, name] of guarded) expect({ type, name, resolve: typeof field(type, name)?.resolve }).toEqual({ type, name, resolve: 'function' });
  });
});
