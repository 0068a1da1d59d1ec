import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  DocumentNode,
  getNamedType,
  GraphQLError,
  GraphQLSchema,
  isListType,
  getNullableType,
  isCompositeType,
  OperationDefinitionNode,
  getVariableValues,
  Kind,
  ValidationRule,
  visit,
} from 'graphql';
import { ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE, MAX_PAGE } from './pagination';
import type { Context } from './context';
import { tokenRefusal } from './require-token';
import { inputShapeProblem } from './input-limits';
import { responseLimitPlugin } from './response-limits';
import { signalsOf } from './signals';

/**
 * Limits a hostile or careless client cannot get past. Depth, aliases, directives and tokens are
 * graphql-armor validation rules; cost is graphql-query-complexity with list sizes multiplying.
 */
export const QUERY_LIMITS = {
  maxDepth: 12,
  maxAliases: 15,
  maxDirectives: 20,
  maxTokens: 4000,
  /** Cost of the whole operation: each object costs 1, times the size of every list it is in. */
  maxCost: 60_000,
  /**
   * Size assumed for a plain (unpaginated) list of objects, e.g. a partner's contacts or a part's
   * stock: these hold a handful. 20 made a page of 200 partners with their contacts, prices (with
   * history) and equipment (with custody) cost 272,401; at 5 it costs 23,401. A list the data makes
   * longer is what the response cap (response-limits.ts) is for.
   */
  plainListSize: 5,
  /** Operations in one batched HTTP request. */
  maxBatch: 5,
};

let armor: ReturnType<ApolloArmor['protect']> | undefined;
function protection() {
  return (armor ??= new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: QUERY_LIMITS.maxAliases },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives },
    // Counted by Apollo's own parser (parseOptions.maxTokens): armor's plugin answers a syntax error with 500.
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect());
}

export function queryLimitRules(): ValidationRule[] {
  return protection().validationRules;
}

/**
 * Every object the response can hold costs 1: a connection (its page info included), each of its
 * nodes, a nested single object, each item of a plain list. A connection multiplies what is under
 * it by `first` (or the default page), a plain list of objects by a fixed estimate; `edges` adds
 * nothing of its own (its node is counted). Scalars and enums are free. So the cost is the number
 * of objects the operation can produce at most (plain lists aside), multiplied through nesting.
 */
const listEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  const type = getNullableType(field.type);
  const named = getNamedType(field.type);
  if (!isCompositeType(named)) return 0;
  if (named.name === 'PageInfo') return 0;
  if (named.name.endsWith('Connection')) {
    const first = typeof args.first === 'number' ? Math.min(Math.max(args.first, 0), MAX_PAGE) : DEFAULT_PAGE;
    return 1 + first * childComplexity;
  }
  if (isListType(type) && named.name.endsWith('Edge')) return childComplexity;
  if (isListType(type)) return QUERY_LIMITS.plainListSize * (1 + childComplexity);
  return 1 + childComplexity;
};

/**
 * Coercion errors counted before the cost check or execution give up on the variables. graphql-js
 * stops at this many (its `maxErrors`); graphql-jit and graphql-query-complexity have no cap, and
 * 30,000 bad list items cost seconds of CPU and 60,000 errors. Fewer errors than this are left to
 * execution, which reports each naming its field.
 */
export const MAX_COERCION_ERRORS = 10;

/** Null when the variables coerce (or fail on fewer than MAX_COERCION_ERRORS values), else the error ending the request. */
function tooManyCoercionErrors(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown>): GraphQLError | null {
  const defs = operation.variableDefinitions ?? [];
  if (defs.length === 0) return null;
  const result = getVariableValues(schema, defs, variables, { maxErrors: MAX_COERCION_ERRORS });
  if (!result.errors || result.errors.length <= MAX_COERCION_ERRORS) return null;
  const first = result.errors[0].message;
  const name = /^Variable "\$(\w+)"/.exec(first)?.[1];
  return new GraphQLError(`${first} (and more: checking stopped after ${MAX_COERCION_ERRORS} values that do not fit their types)`, {
    extensions: { code: 'BAD_USER_INPUT', field: name ?? 'variables', http: { status: 400 } },
  });
}

/**
 * The cost of a parsed document depends only on it, the operation and the variables. Apollo keeps
 * parsed documents in its bounded store, so costs are kept per document (a WeakMap, gone with the
 * document) and per operation and variables, a few dozen each: clients send the same documents
 * with a handful of variable sets, and the walk over the document showed in the profile. Keys
 * longer than 2 kB (variables carrying records) are not kept. Variables are coerced once with an
 * error cap before the walk (which coerces them again, without one).
 */
const COSTS_PER_DOCUMENT = 32;

/** Each operation's cost, by its context, for the metrics' cost histogram (metrics.ts). */
const requestCosts = new WeakMap<object, number>();

/** The cost the cost check found for this operation (undefined when it was not checked). */
export function requestCost(context: object): number | undefined {
  return requestCosts.get(context);
}
const costs = new WeakMap<DocumentNode, Map<string, number | null>>();

/**
 * The variables a document's cost can depend on: those given to a `first` argument (the only size
 * the estimator reads) or to a directive (@include, @skip). A mutation's input (an issue's lines
 * and fresh idempotency key) changes with every call and leaves the cost alone, so costs are kept
 * by these variables only; the full set still goes through the coercion check on every new one.
 */
const sizeVariables = new WeakMap<DocumentNode, string[]>();

function costVariables(document: DocumentNode): string[] {
  let names = sizeVariables.get(document);
  if (names) return names;
  const found = new Set<string>();
  visit(document, {
    Argument(node) {
      if (node.name.value === 'first' && node.value.kind === Kind.VARIABLE) found.add(node.value.name.value);
    },
    Directive(node) {
      visit(node, {
        Variable(v) {
          found.add(v.name.value);
        },
      });
    },
  });
  names = [...found].sort();
  sizeVariables.set(document, names);
  return names;
}

function remember(known: Map<string, number | null>, key: string, cost: number | null): void {
  if (key.length > 2048) return; // large inputs (a batch of records) are not worth keeping
  if (known.size >= COSTS_PER_DOCUMENT) known.delete(known.keys().next().value!);
  known.set(key, cost);
}

function costOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
): number | null {
  let known = costs.get(document);
  if (!known) costs.set(document, (known = new Map()));
  const key = `${operationName ?? ''}\u0000${JSON.stringify(variables)}`;
  const hit = known.get(key);
  if (hit !== undefined) return hit;
  const refused = tooManyCoercionErrors(schema, operation, variables);
  if (refused) throw refused;
  const sizeKey = `${operationName ?? ''}\u0001${JSON.stringify(costVariables(document).map((n) => (n in variables ? [variables[n] ?? null] : [])))}`;
  let cost = known.get(sizeKey);
  if (cost === undefined) {
    try {
      cost = getComplexity({ schema, query: document, operationName, variables, estimators: [listEstimator, simpleEstimator({ defaultComplexity: 0 })] });
    } catch {
      // Variables that do not coerce: execution reports that as a 400 with the variable named.
      cost = null;
    }
    if (cost !== null) remember(known, sizeKey, cost);
  }
  remember(known, key, cost);
  return cost;
}

/**
 * Runs after the token check (require-token.ts): an operation that check refuses costs nothing
 * more here. Apollo starts every plugin's didResolveOperation together, so the refusal is asked
 * again rather than relying on the order of the plugins.
 */
function costPlugin(schema: GraphQLSchema): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation, contextValue }) {
          if (!operation || tokenRefusal(contextValue, operation, document)) return;
          const shape = inputShapeProblem(request.variables);
          if (shape) throw new GraphQLError(shape, { extensions: { code: 'BAD_USER_INPUT', field: 'variables', http: { status: 400 } } });
          const maxCost = contextValue.config.limits?.maxCost ?? QUERY_LIMITS.maxCost;
          const cost = costOf(schema, document, operation, request.operationName ?? undefined, request.variables ?? {});
          if (cost === null) return;
          requestCosts.set(contextValue, cost);
          if (cost > maxCost) {
            signalsOf(contextValue.ds).emit('refused', { limit: 'cost', userId: contextValue.user?.id, address: contextValue.ip });
            throw new GraphQLError(`Query cost ${cost} exceeds the maximum of ${maxCost}: ask for smaller pages (first) or fewer nested lists`, {
              extensions: { code: 'BAD_USER_INPUT', field: 'query', cost, maxCost, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

export function queryLimitPlugins(schema: GraphQLSchema): ApolloServerPlugin<Context>[] {
  return [...(protection().plugins as ApolloServerPlugin<Context>[]), costPlugin(schema), responseLimitPlugin];
}
