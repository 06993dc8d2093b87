/**
 * The runs table alone (no threads, no server): sticky slots, the least busy slot for a
 * new job, tags that pause one run, moves, fences and the slot a log line names.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RunsTable } from '../runtime/hub/internal.js';

const test = suite('hub runs table');

function table(inFlight: number[]): RunsTable {
  return new RunsTable({ size: inFlight.length, inFlight: (s) => inFlight[s] });
}

test('a new job goes to the least busy slot and stays there, whatever the load later', () => {
  const load = [2, 0, 1];
  const runs = table(load);
  assert.is(runs.slotFor('a.0'), 1);
  load[1] = 5;
  assert.is(runs.slotFor('a.0'), 1, 'its base is on slot 1');
  assert.is(runs.slotFor('b.0'), 2);
  assert.is(runs.jobs(), 2);
  assert.is(runs.forgetSlot('a.0'), 1);
  assert.is(runs.slotFor('a.0'), 2, 'forgotten (no base): placed afresh');
});

test('every run gets a tag of its own, and ending an older run of a job leaves the newer one', () => {
  const runs = table([0, 0]);
  const first = runs.start('a.0', { fragment: 0 });
  const second = runs.start('a.0', { fragment: 3 });
  assert.is.not(first.tag, second.tag);
  runs.end(first);
  assert.is(runs.get('a.0'), second, 'a stale end does not drop the run that replaced it');
  runs.end(second);
  assert.is(runs.get('a.0'), undefined);
  assert.equal(runs.keys(), []);
});

test('a move is asked of a run that is here, and of no other', () => {
  const runs = table([0]);
  const run = runs.start('a.0', { fragment: 2 });
  const key = new Uint8Array(32).fill(7);
  assert.is(runs.askMove('a.0', 'b', key), run);
  assert.equal(run.move, { to: 'b', key });
  assert.is(runs.askMove('z.0', 'b'), undefined);
});

test('a fence finds the older attempts of its job, of its client, only', () => {
  const runs = table([0, 0]);
  runs.start('j.0', { fragment: 0, record: 'j', attempt: 0, client: 'c1' });
  runs.start('j.1', { fragment: 0, record: 'j', attempt: 1, client: 'c1' });
  runs.start('k.0', { fragment: 0, record: 'k', attempt: 0, client: 'c1' });
  runs.start('plain', { fragment: 0 });
  assert.equal(runs.olderThan('j', 1, 'c1').map((r) => r.job), ['j.0']);
  assert.equal(runs.olderThan('j', 2, 'c1').map((r) => r.job).sort(), ['j.0', 'j.1']);
  assert.equal(runs.olderThan('j', 2, 'c2'), [], "another client's fence of the same job id");
});

test('a log line about a slot names the oldest run there, with the fragment it started in', () => {
  const runs = table([0]);
  runs.start('a.0', { fragment: 4 });
  runs.start('b.0', { fragment: 9 });
  assert.equal(runs.runOn(0), { job: 'a.0', fragment: 4 });
  assert.equal(table([0]).runOn(0), {});
});

test.run();
