/**
 * The cost of the UNKNOWN_REGION_CODE look-up per record (issue 26), for a machine too busy for
 * `npm run bench:import`: build the table once, then 7 runs over a million numbers.
 * `npx ts-node --transpile-only bench/region-lookup.ts`
 */
import { isKnownRegionCode } from '../src/common/validators/region-code';
import { withCheckChar } from '../src/common/validators/id-card';
const t0 = process.hrtime.bigint();
isKnownRegionCode('421002');
const build = Number(process.hrtime.bigint() - t0) / 1e6;
const ids: string[] = [];
const regions = ['421002', '110101', '990000', '440305', '421099', '110223'];
for (let i = 0; i < 1_000_000; i++) ids.push(withCheckChar(`${regions[i % 6]}1980010${i % 10}${String(i % 1000).padStart(3, '0')}`));
const runs: number[] = [];
for (let r = 0; r < 7; r++) {
  let hits = 0;
  const s = process.hrtime.bigint();
  for (const id of ids) if (isKnownRegionCode(id.slice(0, 6))) hits++;
  runs.push(Number(process.hrtime.bigint() - s) / ids.length);
  if (hits === 0) throw new Error();
}
runs.sort((a, b) => a - b);
console.log(
  `table build ${build.toFixed(1)} ms once; lookup (slice + Map.has) per record: median ${runs[3].toFixed(1)} ns, min ${runs[0].toFixed(1)} ns over 7 x 1e6`,
);
