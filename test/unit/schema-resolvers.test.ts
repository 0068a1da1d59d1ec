import 'reflect-metadata';
import { GraphQLObjectType } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { getSchema } from '../../src/schema';
import { ForbiddenError, UnauthenticatedError } from '../../src/common/errors';
import { Role } from '../../src/common/roles';
import { Agent } from '../../src/modules/agents/agent.entity';
import { Registration } from '../../src/modules/agents/registration.entity';

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

/**
 * getSchema calls simple field resolvers directly instead of through type-graphql's middleware
 * chain (withDirectFieldResolvers); the answers and the role checks must stay the same.
 */
describe('field resolvers called directly', () => {
  const info = {} as never;
  it('checks roles as @Authorized does, and answers as type-graphql does for any root', async () => {
    const schema = await getSchema();
    const field = (type: string, name: string) => (schema.getType(type) as GraphQLObjectType).getFields()[name].resolve!;
    const reg = Object.assign(new Registration(), { id: 7, agentId: 3, tariffPlanCode: 'cdma-xsk-39', idCipher: 'x', idKeyId: 'k' });
    const as = (role: Role | null) => ({ user: role ? { id: 1, role } : null, authError: null }) as never;
    const plans: unknown[] = [];
    const withPlans = (role: Role) =>
      ({ ...(as(role) as object), loaders: { agents: { tariffPlanByCode: { load: async (code: string) => (plans.push(code), { code }) } } } }) as never;

    // No roles: the resolver runs for whoever asks.
    await expect(Promise.resolve(field('Registration', 'tariffPlan')(reg, {}, withPlans(Role.AGENCY_STAFF), info))).resolves.toEqual({ code: 'cdma-xsk-39' });
    // @Authorized(AUDITOR): others are refused before the resolver runs, as type-graphql's check does.
    expect(() => field('Registration', 'idNumber')(reg, {}, as(Role.AGENCY_STAFF), info)).toThrow(ForbiddenError);
    expect(() => field('Registration', 'idNumber')(reg, {}, as(null), info)).toThrow(UnauthenticatedError);
    // A root that is not an entity goes through type-graphql, which converts it: the same answer.
    await expect(Promise.resolve(field('Registration', 'tariffPlan')({ tariffPlanCode: 'gsm-1' }, {}, withPlans(Role.AUDITOR), info))).resolves.toEqual({
      code: 'gsm-1',
    });
    expect(plans).toEqual(['cdma-xsk-39', 'gsm-1']);
    // Arguments are passed as given: Agent.registrations reads `first` from them.
    const loaded: unknown[] = [];
    const ctx = {
      ...(as(Role.AGENCY_STAFF) as object),
      loaders: { agents: { registrationsPage: { load: async (k: unknown) => (loaded.push(k), []) } } },
    } as never;
    const page = await (field('Agent', 'registrations')(Object.assign(new Agent(), { id: 3 }), { first: 2 }, ctx, info) as Promise<{ edges: unknown[] }>);
    expect(page.edges).toEqual([]);
    expect(loaded).toEqual([{ agentId: 3, limit: 3, beforeId: null, columns: null }]);
  });
});
