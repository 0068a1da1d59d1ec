/** Every example against one server (AGENTNET_URL, default http://127.0.0.1:4000); CI runs this. */
import { agencyStaff } from './agency-staff';
import { finance } from './finance';
import { repairShop } from './repair-shop';
import { BASE_URL } from './client';

async function runAll(): Promise<void> {
  console.log(`examples against ${BASE_URL}`);
  for (const example of [agencyStaff, repairShop, finance]) await example();
}

runAll().catch((err) => {
  process.stderr.write(`example failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
