/**
 * Fixtures for the customer-side tests: agents and live lines through the agents module's API
 * (submit, then activate as agency staff, which schedules the callbacks).
 */
import type { TestApp } from '../helpers/app';
import { createAgent, record, submitOk } from './registrations.fixtures';

export { createAgent };

/** A line submitted and activated now; returns its registration id and msisdn. */
export async function activeLine(t: TestApp, agentId: string): Promise<{ id: string; msisdn: string; activatedAt: string }> {
  const [reg] = await submitOk(t, agentId, [record()]);
  const res = await t.gql(`mutation($id: ID!){ activateRegistration(id:$id){ id msisdn activatedAt status } }`, { id: reg.id }, await t.token('staff'));
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.activateRegistration;
}

/** A second desk user, for four eyes. */
export async function secondDesk(t: TestApp): Promise<string> {
  return t.userToken('CUSTOMER_SERVICE');
}

export const COMPLAINT_FIELDS = `id msisdn category state outcome description resolutionNote receivedAt dueAt period resolutionSeconds overdue
  agent { id } repairPartner { id } sp { id } region { code } finding { id type }
  compensation { id status amountFen basis multiplier fromDepositFen advancedFen period }`;

export async function openComplaint(t: TestApp, input: Record<string, unknown>, token?: string) {
  return t.gql(`mutation($i: OpenComplaintInput!){ openComplaint(input:$i){ ${COMPLAINT_FIELDS} } }`, { i: input }, token ?? (await t.token('service')));
}

export async function startAndResolve(t: TestApp, id: string, input: Record<string, unknown>, token?: string) {
  const tok = token ?? (await t.token('service'));
  const s = await t.gql(`mutation($id: ID!){ startComplaint(id:$id){ state } }`, { id }, tok);
  if (s.errors) throw new Error(JSON.stringify(s.errors));
  return t.gql(`mutation($id: ID!, $i: ResolveComplaintInput!){ resolveComplaint(id:$id, input:$i){ ${COMPLAINT_FIELDS} } }`, { id, i: input }, tok);
}
