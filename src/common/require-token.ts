import type { ApolloServerPlugin } from '@apollo/server';
import { DocumentNode, GraphQLError, Kind, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import type { Context } from '../context';
import { UnauthenticatedError } from './errors';

/**
 * Operations anyone may call without a token. Everything else needs one, whatever its decorators
 * say; introspection (__schema, __type) too: the schema is shown to logged-in users only.
 */
const PUBLIC_FIELDS = new Set(['Mutation.login', 'Query.__typename', 'Mutation.__typename']);

function rootFields(set: SelectionSetNode, fragments: Record<string, SelectionSetNode>, out: string[] = []): string[] {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) out.push(sel.name.value);
    else if (sel.kind === Kind.INLINE_FRAGMENT) rootFields(sel.selectionSet, fragments, out);
    else if (fragments[sel.name.value]) rootFields(fragments[sel.name.value], fragments, out);
  }
  return out;
}

/**
 * The refusal an operation gets without a valid token (null when it may run): only login is open
 * (introspection needs a token too: the workbench asks for it after logging in). Also asked by the cost check, which must not spend anything on an
 * operation refused here.
 */
export function tokenRefusal(contextValue: Context, operation: OperationDefinitionNode, document: DocumentNode): GraphQLError | null {
  if (contextValue.user) return null;
  const parent = operation.operation === 'mutation' ? 'Mutation' : operation.operation === 'subscription' ? 'Subscription' : 'Query';
  const fragments: Record<string, SelectionSetNode> = {};
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def.selectionSet;
  if (!rootFields(operation.selectionSet, fragments).some((f) => !PUBLIC_FIELDS.has(`${parent}.${f}`))) return null;
  const why = (contextValue.authError ?? new UnauthenticatedError()).message;
  return new GraphQLError(why, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/**
 * Without a valid token only login may run: checked once per operation,
 * before execution, rather than by a middleware around every field (type-graphql wraps every
 * field of every type in a global middleware, which cost more than the queries themselves).
 */
export const requireTokenPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue, operation, document }) {
        if (!operation) return;
        const refusal = tokenRefusal(contextValue, operation, document);
        if (refusal) throw refusal;
      },
    };
  },
};
