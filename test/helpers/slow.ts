/**
 * Slow cases: tests worth running in CI but too slow for every local run (a job of many
 * seconds, a cluster failover). `npm test` skips them, `npm test -- --slow` and `.ci/run`
 * run them (scripts/test.mjs sets WEAVE_TEST_SLOW=1).
 *   const slow = slowCases(test);
 *   slow('a hub killed mid-job loses only the work since its last checkpoint', async () => { … });
 */
import type { Test } from 'uvu';

/** True when slow cases run. */
export const SLOW = process.env.WEAVE_TEST_SLOW === '1';

/** `test` when slow cases run, else its `skip` (uvu counts it skipped). */
export function slowCases<T>(test: Test<T>): Test<T> | Test<T>['skip'] {
  return SLOW ? test : test.skip;
}
