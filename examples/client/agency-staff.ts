/** Agency staff: page through every agent, then submit a customer record for agent AGT-0001. */
import { AgentsPageDocument, SubmitRegistrationsDocument, type AgentsPageQuery } from './gql/graphql';
import { check, login, main, run } from './client';

type AgentNode = AgentsPageQuery['agents']['edges'][number]['node'];

export async function agencyStaff(): Promise<void> {
  const { client } = await login('staff');

  const agents: AgentNode[] = [];
  let after: string | null | undefined;
  let total = 0;
  let pages = 0;
  do {
    const { agents: page } = await run(client, AgentsPageDocument, { first: 50, after });
    agents.push(...page.edges.map((e) => e.node));
    total = page.totalCount;
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    pages++;
  } while (after);
  check(agents.length === total, `paged ${agents.length} agents, the API counts ${total}`);
  const active = agents.filter((a) => a.status === 'ACTIVE').length;
  console.log(`agency staff: ${total} agents in ${pages} pages, ${active} active`);

  const agent = agents.find((a) => a.code === 'AGT-0001');
  check(agent, 'agent AGT-0001 is not in the list');
  // A number of its own each run (the demo database keeps what earlier runs submitted).
  const msisdn = `1330${String(Date.now() % 1e7).padStart(7, '0')}`;
  const { submitRegistrations: result } = await run(
    client,
    SubmitRegistrationsDocument,
    {
      agentId: agent.id,
      records: [
        { msisdn, customerName: '張偉', idType: 'RESIDENT_ID', idNumber: '11010519491231002X', network: 'CDMA', tariffPlanCode: 'CDMA-RYT', openedAt: new Date().toISOString() },
        { msisdn: '12345', customerName: '李娜', idType: 'RESIDENT_ID', idNumber: '11010519491231002X', network: 'CDMA', tariffPlanCode: 'CDMA-RYT', openedAt: new Date().toISOString() },
      ],
    },
    'mutation',
  );
  check(result.accepted === 1 && result.rejected === 1, `expected 1 accepted and 1 rejected, got ${JSON.stringify(result)}`);
  const rejected = result.results.find((r) => r.errors.length > 0)!;
  const registration = result.results.find((r) => r.registration)!.registration!;
  console.log(
    `agency staff: submitted 2 records for ${agent.code}: ${registration.msisdn} ${registration.status} (id ${registration.idNumberMasked}); ` +
      `record ${rejected.index} rejected: ${rejected.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
  );
}

main(agencyStaff, module);
