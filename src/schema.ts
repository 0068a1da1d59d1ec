import { GraphQLSchema, isObjectType, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema, getMetadataStorage } from 'type-graphql';
import { authChecker } from './common/auth';
import { DateTime } from './common/scalars';
import { resolvers } from './modules/registry';

let cached: Promise<GraphQLSchema> | undefined;

/** The schema is the same for every app instance in a process, so it is built once. */
export function getSchema(): Promise<GraphQLSchema> {
  return (cached ??= buildSchema({
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
    resolvers: resolvers as [Function, ...Function[]],
    authChecker,
    authMode: 'error',
    validate: { forbidUnknownValues: false },
    scalarsMap: [{ type: Date, scalar: DateTime }],
  }).then(withPlainFieldsUnwrapped));
}

/**
 * graphql-jit reads a field without a resolver as a plain value, never awaiting it: only a
 * property declared with a type that cannot be a promise (a string, number, boolean, date, array
 * or class) loses its wrapper. `Promise<T>`, `T | Promise<T>` and generics (reflected as Object)
 * keep theirs, unless the field is declared `simple`.
 */
function syncDesignType(target: object, property: string): boolean {
  const type: unknown = Reflect.getMetadata('design:type', (target as { prototype: object }).prototype, property);
  return typeof type === 'function' && type !== Object && type !== Promise;
}

/**
 * type-graphql gives every plain `@Field` a resolver that runs the field's middleware chain and
 * then reads the property, even when there is no middleware to run. On a page of agents with their
 * latest records that is about a thousand calls per request, each allocating its promise chain and
 * resolve info (a quarter of the allocation profile). The default resolver reads the same
 * property, so the wrapper is removed from every field that has no field resolver, no
 * `@Authorized`, no middleware, no arguments, the same name in the schema as on the class and a
 * value that cannot be a promise (syncDesignType); any other field keeps type-graphql's resolver.
 */
function withPlainFieldsUnwrapped(schema: GraphQLSchema): GraphQLSchema {
  const storage = getMetadataStorage();
  for (const objectType of storage.objectTypes) {
    const type = schema.getType(objectType.name);
    if (!isObjectType(type)) continue;
    const gqlFields = type.getFields();
    for (const field of objectType.fields ?? []) {
      const gqlField = gqlFields[field.schemaName];
      if (!gqlField?.resolve) continue;
      const hasFieldResolver = storage.fieldResolvers.some((r) => r.getObjectType?.() === field.target && r.methodName === field.name);
      const plain =
        !hasFieldResolver &&
        field.roles === undefined &&
        !field.middlewares?.length &&
        !field.params?.length &&
        field.name === field.schemaName &&
        (field.simple === true || syncDesignType(field.target, field.name));
      if (plain) gqlField.resolve = undefined;
    }
  }
  return schema;
}

/** The SDL as committed in schema/schema.graphql: sorted, so diffs show real changes only. */
export async function printSdl(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await getSchema()))}\n`;
}
