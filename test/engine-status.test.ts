/**
 * The stepwise engine's status while a step runs (the progress line's source), with a
 * stand-in transport: the yield count it reports never goes back.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { statusReporter, type StepwiseTransport } from '../runtime/engine/internal.js';
import type { JobStatus } from '../runtime/engine/index.js';

const test = suite('engine status');

test('between a step ending on the hub and its reply arriving, the yields shown stay where they were', () => {
  // The hub's sample reads the running job's count, then 0 once the step is over on the
  // hub, while the engine has not yet read the reply that carries the final count.
  let sampled = 0;
  const transport = { kind: 'stepwise', yieldsNow: () => sampled } as unknown as StepwiseTransport;
  const stats = { fragments: 0, checkpoints: 0, migrations: 0, retries: 0, yields: 0 };
  const shown: JobStatus[] = [];
  const status = statusReporter(transport, 'j', [0, 1], stats, (s) => shown.push(s));
  status.running('h', 0);
  sampled = 5_120;
  status.running('h', 0);
  sampled = 0; // the step is over on the hub; its reply is on its way
  status.running('h', 0);
  status.stopped();
  stats.yields = 5_200; // the reply
  status.running('h', 1);
  status.stopped();
  assert.equal(shown.map((s) => s.yields), [0, 5_120, 5_120, 5_200]);
});

test('a step no tick sampled still ends on its count: the one in its reply, reported once it is in', () => {
  // A short step on a loaded machine: every tick fell while the hub compiled the bundle, so
  // the hub's sample read 0 each time (a clean-clone CI run's log ended on '0 yields').
  const transport = { kind: 'stepwise', yieldsNow: () => 0 } as unknown as StepwiseTransport;
  const stats = { fragments: 0, checkpoints: 0, migrations: 0, retries: 0, yields: 0 };
  const shown: JobStatus[] = [];
  const status = statusReporter(transport, 'j', [0, 1], stats, (s) => shown.push(s));
  status.running('h', 1);
  status.running('h', 1);
  status.stopped();
  stats.yields = 120_185;
  status.settled('h', 1);
  assert.equal(shown.map((s) => s.yields), [0, 0, 120_185]);
  assert.is(shown[2].fragment, 1);
});

test.run();
