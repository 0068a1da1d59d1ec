import path from 'node:path';
import { HeaderMap } from '@apollo/server';

/**
 * patches/@apollo+server+5.5.1.patch (applied by patch-package on install): the gateway request
 * context Apollo hands our graphql-jit executor keeps its `status` accessors on a class's
 * prototype instead of an object literal's. With the literal, V8 kept each request's whole
 * context and answer alive through young-generation collections (bench/README.md); this checks the
 * patch is in place, so an upgrade of @apollo/server that drops it fails here, and that the object
 * still behaves as Apollo's did.
 */

const { makeGatewayGraphQLRequestContext } = require(
  path.join(path.dirname(require.resolve('@apollo/server')), 'utils', 'makeGatewayGraphQLRequestContext.js'),
);

function requestContext() {
  const headers = new HeaderMap([['x-in', '1']]);
  return {
    request: { query: '{ a }', variables: { v: 1 }, operationName: 'Op', http: { method: 'POST', headers: new HeaderMap(), search: '' } },
    response: { http: { headers, status: undefined as number | undefined } },
    contextValue: { user: 'u' },
    schema: {},
    document: {},
    metrics: {},
  };
}

describe("Apollo's gateway request context (patched)", () => {
  it('keeps status on a prototype, not as accessors of its own', () => {
    const ctx = makeGatewayGraphQLRequestContext(requestContext(), { logger: console, cache: {} }, {});
    expect(Object.getOwnPropertyDescriptor(ctx.response.http, 'status')).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(Object.getPrototypeOf(ctx.response.http), 'status')?.get).toBeInstanceOf(Function);
  });

  it('reads and writes the status and headers of the request context, as before', () => {
    const rc = requestContext();
    const ctx = makeGatewayGraphQLRequestContext(rc, { logger: console, cache: {} }, {});
    expect(ctx.response.http.status).toBeUndefined();
    ctx.response.http.status = 418;
    expect(rc.response.http.status).toBe(418);
    rc.response.http.status = 200;
    expect(ctx.response.http.status).toBe(200);
    expect(ctx.response.http.headers.get('x-in')).toBe('1');
    ctx.response.http.headers.set('x-out', '2');
    expect(rc.response.http.headers.get('x-out')).toBe('2');
    expect(ctx.context).toBe(rc.contextValue);
    expect(ctx.request).toMatchObject({ query: '{ a }', variables: { v: 1 }, operationName: 'Op' });
  });
});
