import { serverAudits } from 'graphql-http';
import { startTestApp, TestApp } from '../helpers/app';

/**
 * The GraphQL-over-HTTP specification's audit suite (graphql-http) against the real server.
 * Every MUST audit passes; SHOULD/MAY audits are checked too, with the few that Apollo Server
 * answers differently listed (and why) rather than skipped silently.
 */
let t: TestApp;
let bearer = '';
beforeAll(async () => {
  t = await startTestApp();
  bearer = `Bearer ${await t.token('staff')}`;
});
afterAll(() => t.stop());

/** SHOULD/MAY audits Apollo Server 5 answers another way, by audit id. */
const WHY_400 =
  'Apollo Server answers a request that cannot execute with 400 for application/json too; the spec asks 200 there only ' +
  'for legacy clients (SHOULD), and 400 is what Apollo clients expect';
const KNOWN_DEVIATIONS: Record<string, string> = {
  '572B': WHY_400, // document parsing failure
  FDE2: WHY_400, // document validation failure
  '7B9B': WHY_400, // variable coercion failure
};

/** The audits ask for introspection (`__type`), which needs a token: every request carries one. */
const withToken: typeof fetch = (input, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set('authorization', bearer);
  return fetch(input, { ...init, headers });
};
const audits = serverAudits({ url: () => `${t.app.url}/graphql`, fetchFn: withToken });

describe('GraphQL over HTTP audits', () => {
  for (const audit of audits) {
    const deviation = KNOWN_DEVIATIONS[audit.id];
    it(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      if (deviation) {
        expect(audit.name.startsWith('MUST')).toBe(false);
        return;
      }
      if (result.status !== 'ok') {
        throw new Error(`${audit.name}: ${result.reason}${'response' in result ? ` (status ${result.response.status})` : ''}`);
      }
    });
  }
});
