import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { DocumentNode, execute, getOperationAST, GraphQLError, GraphQLSchema } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { compileQuery, CompiledQuery, isCompiledQuery } from 'graphql-jit';

/**
 * graphql-jit's errors leave `extensions` undefined when the thrown error had none, which Apollo's
 * error normalisation does not expect; rebuild those as graphql-js errors with the same message,
 * path, locations and original error.
 */
function asGraphQLError(e: GraphQLError): GraphQLError {
  if (e.extensions) return e;
  const copy = new GraphQLError(e.message, { path: e.path, originalError: e.originalError ?? undefined });
  (copy as { locations?: GraphQLError['locations'] }).locations = e.locations;
  return copy;
}

/**
 * Executes operations with graphql-jit: each parsed document is compiled once into a function that
 * walks the selection without graphql-js's per-field interpretation, which the profile of the
 * paging queries showed as the largest part of the server's own time. Apollo validates first and
 * formats the errors after, as for its own executor; this plugs in through Apollo's documented
 * executor hook (the gateway interface) with a fixed schema.
 *
 * Compiled queries are kept per parsed document in a WeakMap: Apollo keeps parsed documents in
 * its bounded LRU store, so a compiled query lives exactly as long as its document stays there.
 * A document graphql-jit cannot compile is executed by graphql-js.
 */
export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null>>();

  const compiledFor = (document: DocumentNode, operationName: string | undefined): CompiledQuery | null => {
    let byName = compiled.get(document);
    if (!byName) compiled.set(document, (byName = new Map()));
    const key = operationName ?? '';
    let query = byName.get(key);
    if (query === undefined) {
      const result = compileQuery(schema, document, operationName, { disableLeafSerialization: false });
      query = isCompiledQuery(result) ? result : null;
      byName.set(key, query);
    }
    return query;
  };

  const executor: GatewayExecutor = async (ctx) => {
    const operationName = ctx.operationName ?? ctx.request.operationName ?? undefined;
    const query = compiledFor(ctx.document, operationName);
    const variables = ctx.request.variables ?? {};
    if (!query) return execute({ schema, document: ctx.document, operationName, contextValue: ctx.context, variableValues: variables }) as never;
    // Variables are coerced by graphql-js first, exactly as its execute() does (same function, same
    // 50-error cap): graphql-jit's own coercion names the wrong variable for a bad value nested in
    // an input object and drops the locations, path and "Did you mean". Its errors go back as
    // graphql-js's would, so Apollo gives them BAD_USER_INPUT and a 400 as for its own executor.
    const operation = ctx.operation ?? getOperationAST(ctx.document, operationName);
    const coerced = getVariableValues(schema, operation?.variableDefinitions ?? [], variables, { maxErrors: 50 });
    if (coerced.errors) return { errors: coerced.errors };
    const result = await query.query(undefined, ctx.context, variables);
    if (result.errors?.length) return { ...result, errors: result.errors.map(asGraphQLError) } as never;
    return result as never;
  };

  return {
    async load() {
      return { schema, executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async stop() {
      /* nothing to release */
    },
  };
}
