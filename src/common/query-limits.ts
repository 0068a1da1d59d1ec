import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ValidationRule } from 'graphql';

export const QUERY_LIMITS = {
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 20,
  maxTokens: 3000,
};

let armor: ReturnType<ApolloArmor['protect']> | undefined;
function protection() {
  return (armor ??= new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: QUERY_LIMITS.maxAliases },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives },
    maxTokens: { n: QUERY_LIMITS.maxTokens },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect());
}

export function queryLimitRules(): ValidationRule[] {
  return protection().validationRules;
}

export function queryLimitPlugins(): ApolloServerPlugin[] {
  return protection().plugins as ApolloServerPlugin[];
}
