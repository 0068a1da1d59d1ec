import type { ApolloServerPlugin } from '@apollo/server';
import { DocumentNode, GraphQLError, Kind, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import type { Context } from './context';
import { UnauthenticatedError } from './errors';

/**
 * Operations anyone may call without a token. Everything else needs one, whatever its decorators
 * say; introspection (__schema, __type) too: the schema is shown to logged-in users only.
 */
const PUBLIC_FIELDS = new Set(['Mutation.login', 'Query.__typename', 'Mutation.__typename']);
/** What a user whose password was reset may do until changePassword (sessions.ts sets mustChangePassword). */
const PASSWORD_CHANGE_FIELDS = new Set(['Mutation.changePassword', 'Query.me', 'Query.__typename', 'Mutation.__typename']);
const PASSWORD_CHANGE_REQUIRED = 'Your password was reset: call changePassword before anything else';

function rootFields(set: SelectionSetNode, fragments: Record<string, SelectionSetNode>, out: string[] = []): string[] {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) out.push(sel.name.value);
    else if (sel.kind === Kind.INLINE_FRAGMENT) rootFields(sel.selectionSet, fragments, out);
    else if (fragments[sel.name.value]) rootFields(fragments[sel.name.value], fragments, out);
  }
  return out;
}

/**
 * The refusal an operation gets (null when it may run): without a valid token only login is open
 * (introspection needs a token too: the workbench asks for it after logging in); a user whose
 * password was reset may only change it (and read `me`). Also asked by the cost check, which must
 * not spend anything on an operation refused here.
 */
export function tokenRefusal(contextValue: Context, operation: OperationDefinitionNode, document: DocumentNode): GraphQLError | null {
  const user = contextValue.user;
  if (user && !user.mustChangePassword) return null;
  const parent = operation.operation === 'mutation' ? 'Mutation' : operation.operation === 'subscription' ? 'Subscription' : 'Query';
  const fragments: Record<string, SelectionSetNode> = {};
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def.selectionSet;
  const fields = rootFields(operation.selectionSet, fragments).map((f) => `${parent}.${f}`);
  if (user) {
    if (fields.every((f) => PASSWORD_CHANGE_FIELDS.has(f))) return null;
    return new GraphQLError(PASSWORD_CHANGE_REQUIRED, { extensions: { code: 'FORBIDDEN', reason: 'PASSWORD_CHANGE_REQUIRED', http: { status: 403 } } });
  }
  if (fields.every((f) => PUBLIC_FIELDS.has(f))) return null;
  const why = (contextValue.authError ?? new UnauthenticatedError()).message;
  return new GraphQLError(why, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/**
 * Without a valid token only login may run (tokenRefusal): checked once per operation,
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
