/** Finance: subsidy totals by region for 2025, the revolving fund, and the year's subsidy register as CSV. */
import { parse } from 'csv-parse/sync';
import { RevolvingFundDocument, SubsidyTotalsByRegionDocument } from './gql/graphql';
import { BASE_URL, check, login, main, run, yuan } from './client';

export async function finance(): Promise<void> {
  const { client, token } = await login('finance');

  const { subsidyTotals } = await run(client, SubsidyTotalsByRegionDocument, { from: '2025-01', to: '2025-12' });
  check(subsidyTotals.length > 0, 'no subsidy totals for 2025');
  const totalFen = subsidyTotals.reduce((sum, t) => sum + t.amountFen, 0);
  console.log(`finance: 2025 subsidies by region: ${subsidyTotals.map((t) => `${t.label} ${yuan(t.amountFen)}`).join(', ')}; total ${yuan(totalFen)}`);

  const { revolvingFund: fund } = await run(client, RevolvingFundDocument, {});
  check(fund.limitFen === fund.outstandingFen + fund.availableFen, 'fund: limit != outstanding + available');
  console.log(`finance: revolving fund ${yuan(fund.outstandingFen)} outstanding of ${yuan(fund.limitFen)}, ${fund.partners.length} partners`);

  // The CSV export is a plain HTTP route with the same bearer token.
  const res = await fetch(`${BASE_URL}/exports/subsidies.csv?from=2025-01&to=2025-12`, { headers: { authorization: `Bearer ${token}` } });
  check(res.ok, `CSV export: HTTP ${res.status} ${await res.clone().text()}`);
  check(/attachment; filename="subsidies_2025-01_2025-12.csv"/.test(res.headers.get('content-disposition') ?? ''), 'CSV export: no attachment header');
  const rows: Record<string, string>[] = parse(await res.text(), { bom: true, columns: true, skip_empty_lines: true });
  check(rows.length > 0 && 'amountFen' in rows[0], 'CSV export: no rows or no amountFen column');
  // Every fen of the totals is in the register: the file's amounts add up to the same sum.
  const csvFen = rows.reduce((sum, row) => sum + Number(row.amountFen), 0);
  check(csvFen === totalFen, `CSV export: ${csvFen} fen in the file, ${totalFen} in the totals`);
  console.log(`finance: downloaded ${rows.length} subsidy rows for 2025 as CSV, adding up to ${yuan(csvFen)}`);
}

main(finance, module);
