import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker } from './common/auth';
import { validateArgument, withDirectFieldResolvers, withPlainFieldsUnwrapped } from './runtime/execution/resolver-wiring';
import { DateTime } from './common/scalars';
import { runtimeOn } from './runtime/switches';
import { resolvers } from './modules/registry';

let cached: Promise<GraphQLSchema> | undefined;

/** The schema is the same for every app instance in a process, so it is built once. */
export function getSchema(): Promise<GraphQLSchema> {
  return (cached ??= buildSchema({
    resolvers: resolvers as [Function, ...Function[]],
    authChecker,
    authMode: 'error',
    validate: { forbidUnknownValues: false },
    ...(runtimeOn('wiring') ? { validateFn: validateArgument } : {}),
    scalarsMap: [{ type: Date, scalar: DateTime }],
  }).then((schema) => (runtimeOn('wiring') ? withDirectFieldResolvers(withPlainFieldsUnwrapped(schema)) : schema)));
}

/** The SDL as committed in schema/schema.graphql: sorted, so diffs show real changes only. */
export async function printSdl(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await getSchema()))}\n`;
}
