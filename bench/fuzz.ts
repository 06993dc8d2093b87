/**
 * `npm run fuzz`: the decoder property tests at scale, 100,000 cases of each target by
 * default. Prints each target's outcomes and exits 1 on any failure, naming the seed and
 * case to replay with `caseBytes` (test/corpus/fuzz-cases.ts).
 *   node dist/bench/fuzz.js [CASES] [SEED]
 */
import { fuzz, type FuzzTarget } from '../test/corpus/fuzz-cases.js';

const cases = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? Date.now() % 1_000_000);
let failed = 0;
for (const target of ['checkpoint', 'message'] as FuzzTarget[]) {
  const t0 = performance.now();
  const r = fuzz(target, cases, seed);
  const s = (performance.now() - t0) / 1000;
  console.log(`${target}: ${r.cases} cases (seed ${seed}) in ${s.toFixed(1)} s: ${r.decoded} decoded, rejected ${JSON.stringify(r.rejected)}, slowest ${r.maxMs.toFixed(1)} ms, ${r.failures.length} failures`);
  for (const f of r.failures) console.log(`  FAIL seed ${f.seed} case ${f.index}: ${f.error}`);
  failed += r.failures.length;
}
process.exit(failed ? 1 : 0);
