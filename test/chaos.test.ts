/**
 * The short chaos run CI does (npm run chaos is the long one): jobs over 4 real hub
 * processes while hubs are SIGKILLed and restarted and the NATS server restarts once;
 * every job must complete with its reference result, none delivered twice, and every
 * restart must begin from the newest stored checkpoint. Its jobs are longer than the
 * bench's default (--work 12-30, 3 to 7 s each), so that the kills of a 16 s run land
 * while they run.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { slowCases } from './helpers/slow.js';

const test = suite('chaos');

slowCases(test)('a short chaos run: every job completes, bit-exact, exactly once', () => {
  const r = spawnSync(process.execPath, ['dist/bench/chaos.js', '--jobs', '5', '--hubs', '4', '--seconds', '16', '--kill-every-ms', '3000', '--work', '12-30'], { encoding: 'utf8', timeout: 300_000 });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  assert.is(r.status, 0, `${r.stdout}\n${r.stderr}`);
  const m = /^bench chaos: jobs=(\d+) completed=(\d+) wrong=(\d+) duplicated=(\d+) kills=(\d+) pauses=(\d+) server_restarts=(\d+) median_recovery_ms=(\d+) false_failovers=(\d+) p99_recovery_ms=(\d+) lost_work_max=(-?\d+)$/.exec(last);
  assert.ok(m, last);
  const [, jobs, completed, wrong, duplicated, kills, , restarts, , falseFailovers] = m!.map(Number);
  assert.is(falseFailovers, 0);
  assert.is(completed, jobs);
  assert.is(wrong, 0);
  assert.is(duplicated, 0);
  assert.ok(kills >= 1, `kills ${kills}`);
  assert.is(restarts, 1);
});

test.run();
