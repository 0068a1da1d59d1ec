import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  DocumentNode,
  getNamedType,
  GraphQLError,
  GraphQLSchema,
  isListType,
  getNullableType,
  isObjectType,
  ValidationRule,
} from 'graphql';
import { ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE, MAX_PAGE } from './pagination';

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
  /** Size assumed for a plain (unpaginated) list of objects, e.g. regions or findings. */
  plainListSize: 20,
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
 * A connection field multiplies what is under it by `first` (or the default page); `edges` then
 * costs nothing extra. A plain list of objects multiplies by a fixed estimate. Scalars are free.
 */
const listEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  const type = getNullableType(field.type);
  const named = getNamedType(field.type);
  if (!isObjectType(named)) return 0;
  if (named.name.endsWith('Connection')) {
    const first = typeof args.first === 'number' ? Math.min(Math.max(args.first, 0), MAX_PAGE) : DEFAULT_PAGE;
    return 1 + first * childComplexity;
  }
  if (isListType(type) && named.name.endsWith('Edge')) return childComplexity;
  if (isListType(type)) return 1 + QUERY_LIMITS.plainListSize * childComplexity;
  return undefined;
};

/**
 * The cost of a parsed document depends only on it, the operation and the variables. Apollo keeps
 * parsed documents in its bounded store, so costs are kept per document (a WeakMap, gone with the
 * document) and per operation and variables, a few dozen each: clients send the same documents
 * with a handful of variable sets, and the walk over the document showed in the profile. Keys
 * longer than 2 kB (variables carrying records) are not kept.
 */
const COSTS_PER_DOCUMENT = 32;
const costs = new WeakMap<DocumentNode, Map<string, number | null>>();

function costOf(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>): number | null {
  let known = costs.get(document);
  if (!known) costs.set(document, (known = new Map()));
  const key = `${operationName ?? ''}\u0000${JSON.stringify(variables)}`;
  const hit = known.get(key);
  if (hit !== undefined) return hit;
  let cost: number | null;
  try {
    cost = getComplexity({ schema, query: document, operationName, variables, estimators: [listEstimator, simpleEstimator({ defaultComplexity: 0 })] });
  } catch {
    // Variables that do not coerce: execution reports that as a 400 with the variable named.
    cost = null;
  }
  if (key.length > 2048) return cost; // large inputs (a batch of records) are not worth keeping
  if (known.size >= COSTS_PER_DOCUMENT) known.delete(known.keys().next().value!);
  known.set(key, cost);
  return cost;
}

function costPlugin(schema: GraphQLSchema): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const cost = costOf(schema, document, request.operationName ?? undefined, request.variables ?? {});
          if (cost === null) return;
          if (cost > QUERY_LIMITS.maxCost) {
            throw new GraphQLError(
              `Query cost ${cost} exceeds the maximum of ${QUERY_LIMITS.maxCost}: ask for smaller pages (first) or fewer nested lists`,
              { extensions: { code: 'BAD_USER_INPUT', field: 'query', cost, maxCost: QUERY_LIMITS.maxCost, http: { status: 400 } } },
            );
          }
        },
      };
    },
  };
}

export function queryLimitPlugins(schema: GraphQLSchema): ApolloServerPlugin[] {
  return [...(protection().plugins as ApolloServerPlugin[]), costPlugin(schema)];
}
