import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema, MiddlewareFn } from 'type-graphql';
import { authChecker } from './common/auth';
import { UnauthenticatedError } from './common/errors';
import { DateTime } from './common/scalars';
import type { Context } from './context';
import { resolvers } from './modules/registry';

/** Operations anyone may call without a token. Everything else needs one, whatever its decorators say. */
const PUBLIC_OPERATIONS = new Set(['Mutation.login']);

const requireToken: MiddlewareFn<Context> = async ({ context, info }, next) => {
  const parent = info.parentType.name;
  if ((parent === 'Query' || parent === 'Mutation') && !context.user && !PUBLIC_OPERATIONS.has(`${parent}.${info.fieldName}`)) {
    throw context.authError ?? new UnauthenticatedError();
  }
  return next();
};

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
    globalMiddlewares: [requireToken],
  }));
}

/** The SDL as committed in schema/schema.graphql: sorted, so diffs show real changes only. */
export async function printSdl(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await getSchema()))}\n`;
}
