import { ASTVisitor, DocumentNode, FragmentDefinitionNode, GraphQLError, Kind, parse, SelectionSetNode, ValidationContext } from 'graphql';
import { BadInputError } from '../../common/errors';
import type { Context } from '../../common/context';

/**
 * One password check per HTTP request (issue 17: aliases and batches ran 75 scrypt checks in one
 * request). Three doors: a validation rule refuses an operation with more than one login field
 * (aliases, fragments); the body check refuses a batch that contains a login; and the resolver
 * claims the request's one login, which also covers what the first two cannot see (a batch of
 * persisted-query hashes).
 */
export const ONE_LOGIN_MESSAGE = 'One login per request: send login alone, once, not aliased, repeated or in a batch';

function loginFields(set: SelectionSetNode, fragments: (name: string) => FragmentDefinitionNode | null | undefined, seen = new Set<string>()): number {
  let n = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) n += sel.name.value === 'login' ? 1 : 0;
    else if (sel.kind === Kind.INLINE_FRAGMENT) n += loginFields(sel.selectionSet, fragments, seen);
    else if (!seen.has(sel.name.value)) {
      seen.add(sel.name.value);
      const f = fragments(sel.name.value);
      if (f) n += loginFields(f.selectionSet, fragments, seen);
    }
  }
  return n;
}

/** Validation rule: a mutation operation may select `login` at most once. */
export function oneLoginPerOperation(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (node.operation !== 'mutation') return;
      if (loginFields(node.selectionSet, (name) => context.getFragment(name)) > 1) {
        context.reportError(new GraphQLError(ONE_LOGIN_MESSAGE, { nodes: [node] }));
      }
    },
  };
}

function documentHasLogin(doc: DocumentNode): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  return doc.definitions.some(
    (d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'mutation' && loginFields(d.selectionSet, (n) => fragments.get(n)) > 0,
  );
}

/** For the HTTP body check: a batch (JSON array of more than one operation) holding a login is refused. */
export function loginBatchProblem(body: unknown): string | null {
  if (!Array.isArray(body) || body.length < 2) return null;
  for (const op of body) {
    const query = (op as { query?: unknown } | null)?.query;
    if (typeof query !== 'string' || !query.includes('login')) continue;
    try {
      if (documentHasLogin(parse(query, { noLocation: true }))) return ONE_LOGIN_MESSAGE;
    } catch {
      // Unparseable: Apollo answers it with GRAPHQL_PARSE_FAILED.
    }
  }
  return null;
}

/** In the login resolver: the request's first login goes on, any other is refused before its password is checked. */
export function claimLogin(ctx: Context): void {
  if (ctx.claimOnce && !ctx.claimOnce('login')) throw new BadInputError('login', ONE_LOGIN_MESSAGE);
}
