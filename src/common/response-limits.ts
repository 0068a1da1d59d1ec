import type { ApolloServerPlugin } from '@apollo/server';
import {
  defaultFieldResolver,
  getNamedType,
  getNullableType,
  GraphQLError,
  GraphQLFieldResolver,
  GraphQLSchema,
  isCompositeType,
  isListType,
  isObjectType,
  OperationDefinitionNode,
} from 'graphql';
import type { Context } from './context';

/**
 * The second line behind the cost check, which trusts its estimates (a plain list is assumed to
 * hold 5 items; a list the data makes longer fools it): every resolver that returns objects is
 * wrapped once, at start, to count what it returns (a connection: itself and its nodes; a list: its
 * items; an object: 1) against the operation's budget, and to look at the clock. Past the cap on
 * objects or the time limit, the resolver that crossed it and every one after it throw, so the
 * executor stops descending, and the answer is one error saying which limit ended the operation
 * (responseLimitPlugin) instead of a response that grows until the heap runs out.
 *
 * Both executors call the same resolvers (graphql-jit compiles the schema's functions in), so this
 * holds for either. Fields without a resolver of their own (a plain property) are not wrapped,
 * but for lists of objects, which are; a connection's `edges` is counted by the connection.
 */
export const RESPONSE_LIMITS = {
  /** Objects one operation's response may hold: above the cost maximum, so an honest estimate never meets it. */
  maxObjects: 100_000,
  /** How long one operation may run, counted from its first resolver (ms). */
  timeoutMs: 30_000,
};

interface Budget {
  objects: number;
  maxObjects: number;
  deadline: number;
  timeoutMs: number;
  exceeded: GraphQLError | null;
}

const BUDGETS = Symbol('responseBudgets');
type WithBudgets = Context & { [BUDGETS]?: Map<OperationDefinitionNode, Budget> };

/** One budget per operation (an HTTP batch shares its context, not its budgets). */
function budgetFor(ctx: WithBudgets, operation: OperationDefinitionNode): Budget {
  let budgets = ctx[BUDGETS];
  if (!budgets) ctx[BUDGETS] = budgets = new Map();
  let b = budgets.get(operation);
  if (!b) {
    const limits = ctx.config?.limits;
    const timeoutMs = limits?.operationTimeoutMs ?? RESPONSE_LIMITS.timeoutMs;
    b = { objects: 0, maxObjects: limits?.responseMaxObjects ?? RESPONSE_LIMITS.maxObjects, deadline: Date.now() + timeoutMs, timeoutMs, exceeded: null };
    budgets.set(operation, b);
  }
  return b;
}

function tooLarge(b: Budget): GraphQLError {
  return new GraphQLError(
    `The response would hold more than ${b.maxObjects} objects, so the operation was stopped: ask for smaller pages (first) or fewer nested lists`,
    { extensions: { code: 'BAD_USER_INPUT', field: 'query', limit: 'responseObjects', maxObjects: b.maxObjects } },
  );
}

function tooLong(b: Budget): GraphQLError {
  return new GraphQLError(`The operation ran longer than ${b.timeoutMs} ms, so it was stopped: ask for smaller pages (first) or fewer nested lists`, {
    extensions: { code: 'BAD_USER_INPUT', field: 'query', limit: 'operationTime', timeoutMs: b.timeoutMs },
  });
}

function objectsIn(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (Array.isArray(value)) return value.length;
  const edges = (value as { edges?: unknown }).edges;
  return Array.isArray(edges) ? 1 + edges.length : 1;
}

function counted(b: Budget, value: unknown): unknown {
  b.objects += objectsIn(value);
  if (b.objects > b.maxObjects) throw (b.exceeded ??= tooLarge(b));
  return value;
}

function limited(resolve: GraphQLFieldResolver<unknown, Context>): GraphQLFieldResolver<unknown, Context> {
  return (source, args, ctx, info) => {
    const b = budgetFor(ctx as WithBudgets, info.operation);
    if (b.exceeded) throw b.exceeded;
    if (Date.now() > b.deadline) throw (b.exceeded = tooLong(b));
    const value = resolve(source, args, ctx, info);
    if (value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function') {
      return (value as Promise<unknown>).then((v) => counted(b, v));
    }
    return counted(b, value);
  };
}

const wrapped = new WeakSet<GraphQLSchema>();

/** Wraps the schema's object-returning resolvers (once per schema; it is shared by the apps of a process). */
export function limitResponses(schema: GraphQLSchema): GraphQLSchema {
  if (wrapped.has(schema)) return schema;
  wrapped.add(schema);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      if (!isCompositeType(named)) continue;
      const list = isListType(getNullableType(field.type));
      if (field.resolve) field.resolve = limited(field.resolve);
      else if (list && !named.name.endsWith('Edge')) field.resolve = limited(defaultFieldResolver);
    }
  }
  return schema;
}

/** An operation a limit ended is answered with that limit's error alone (400), not with what it had built. */
export const responseLimitPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, operation, response }) {
        const b = operation ? (contextValue as WithBudgets)[BUDGETS]?.get(operation) : undefined;
        if (!b?.exceeded || response.body.kind !== 'single') return;
        contextValue.log.warn({ limit: b.exceeded.extensions.limit, objects: b.objects }, 'a response limit ended an operation');
        response.body.singleResult = { errors: [{ message: b.exceeded.message, extensions: b.exceeded.extensions }] };
        response.http.status = 400;
      },
    };
  },
};
