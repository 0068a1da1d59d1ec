/**
 * What every example shares: the server's address, an urql client that sends the bearer token,
 * and a login. The operations are the .graphql files (docs/operations, login.graphql); their
 * typed documents are generated into ./gql by `npm run examples:codegen`.
 */
import { Client, fetchExchange, type AnyVariables, type TypedDocumentNode } from '@urql/core';
import { LoginDocument } from './gql/graphql';

export const BASE_URL = (process.env.AGENTNET_URL || 'http://127.0.0.1:4000').replace(/\/$/, '');
export const PASSWORD = process.env.AGENTNET_PASSWORD || 'demo-password';

export interface Session {
  client: Client;
  token: string;
  username: string;
}

function makeClient(token?: string): Client {
  return new Client({
    url: `${BASE_URL}/graphql`,
    exchanges: [fetchExchange],
    requestPolicy: 'network-only',
    fetchOptions: (): RequestInit => ({ headers: token ? { authorization: `Bearer ${token}` } : ({} as Record<string, string>) }),
  });
}

/** The data of an operation, or an Error naming it with the server's messages. */
export async function run<Data, Variables extends AnyVariables>(
  client: Client,
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
  kind: 'query' | 'mutation' = 'query',
): Promise<Data> {
  const result = kind === 'query' ? await client.query(document, variables).toPromise() : await client.mutation(document, variables).toPromise();
  if (result.error || !result.data) {
    const name = document.definitions.map((d) => ('name' in d && d.name ? d.name.value : '')).join('');
    throw new Error(`${name}: ${result.error?.message ?? 'no data'}`);
  }
  return result.data;
}

export async function login(username: string, password = PASSWORD): Promise<Session> {
  const data = await run(makeClient(), LoginDocument, { username, password }, 'mutation');
  return { client: makeClient(data.login.token), token: data.login.token, username: data.login.user.username };
}

export function yuan(fen: number): string {
  return `¥${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Run an example's main when the file is started directly; a failure exits with 1. */
export function main(fn: () => Promise<void>, module: NodeModule): void {
  if (require.main !== module) return;
  fn().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
