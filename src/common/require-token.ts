import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, SelectionSetNode } from 'graphql';
import type { Context } from '../context';
import { UnauthenticatedError } from './errors';

/** Operations anyone may call without a token. Everything else needs one, whatever its decorators say. */
const PUBLIC_FIELDS = new Set(['Mutation.login', 'Query.__typename', 'Mutation.__typename', 'Query.__schema', 'Query.__type']);
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
 * Without a valid token only login (and introspection) may run: checked once per operation,
 * before execution, rather than by a middleware around every field (type-graphql wraps every
 * field of every type in a global middleware, which cost more than the queries themselves).
 */
export const requireTokenPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue, operation, document }) {
        if ((contextValue.user && !contextValue.user.mustChangePassword) || !operation) return;
        const parent = operation.operation === 'mutation' ? 'Mutation' : operation.operation === 'subscription' ? 'Subscription' : 'Query';
        const fragments: Record<string, SelectionSetNode> = {};
        for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def.selectionSet;
        if (contextValue.user) {
          if (rootFields(operation.selectionSet, fragments).some((f) => !PASSWORD_CHANGE_FIELDS.has(`${parent}.${f}`))) {
            throw new GraphQLError(PASSWORD_CHANGE_REQUIRED, { extensions: { code: 'FORBIDDEN', reason: 'PASSWORD_CHANGE_REQUIRED', http: { status: 403 } } });
          }
          return;
        }
        if (rootFields(operation.selectionSet, fragments).some((f) => !PUBLIC_FIELDS.has(`${parent}.${f}`))) {
          const why = (contextValue.authError ?? new UnauthenticatedError()).message;
          throw new GraphQLError(why, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
        }
      },
    };
  },
};
