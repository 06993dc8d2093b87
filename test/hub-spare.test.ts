/**
 * The spare instance of a slot (HubCore, no server): the instance a job paused in is kept
 * for that job's return, its memory already mapped. A restore into it must leave nothing
 * of what it held: a job that comes back with its next state, and one that comes back
 * with an older state of its own (a restart from a stored checkpoint), both end as the
 * job run alone does.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { walkBundle, WALK_ARGS } from './helpers/walk.js';
import { HubCore, type SlotExec, type SlotRan } from '../runtime/hub/slot/index.js';
import { PROTOCOL_VERSION } from '../runtime/protocol/index.js';

const test = suite('slot spare');
const ARGS = WALK_ARGS;
let bundleBytes: Uint8Array;
let hash = '';
let first = 0;

test.before(async () => {
  ({ bytes: bundleBytes, hash, first } = await walkBundle());
});

const exec = (extra: Partial<SlotExec>): SlotExec => ({
  kind: 'exec', v: PROTOCOL_VERSION, job: 'walk.0', bundle: hash, bundleBytes, entry: 'walk', fragment: first, migrateEvery: 2,
  stay: true, full: true, ...extra,
});

async function ran(core: HubCore, req: SlotExec): Promise<SlotRan> {
  const r = await core.handle(req);
  assert.is(r.kind, 'ran', JSON.stringify(r).slice(0, 300));
  return r as SlotRan;
}

/** Run to the end on `core` from a paused reply, never pausing again. */
const finish = (core: HubCore, from: SlotRan) => ran(core, exec({ fragment: from.fragment, checkpoint: from.checkpoint, migrateEvery: 0 }));

test('a job back with its next state, and one back with an older state of its own, both end exact in the instance it paused in', async () => {
  const alone = await ran(new HubCore('alone'), exec({ migrateEvery: 0, args: ARGS }));
  // Ping-pong: every return to `a` or `b` restores into the instance the job paused in there.
  const [a, b] = [new HubCore('a'), new HubCore('b')];
  const r0 = await ran(a, exec({ args: ARGS }));
  let r = r0;
  const states: SlotRan[] = [r0];
  for (let i = 1; i <= 6; i++) {
    r = await ran(i % 2 ? b : a, exec({ fragment: r.fragment, checkpoint: r.checkpoint }));
    assert.is(r.outcome, 'paused');
    // The reply's count is the job's, read before the instance is made ready again.
    assert.ok(r.yields > states[i - 1].yields, `hand-over ${i}: ${r.yields} yields after ${states[i - 1].yields}`);
    states.push(r);
  }
  // `b` holds, as its spare, the instance it made to restore the job's 1st state, which
  // paused after the 5th; give it the 1st state again: every page that instance wrote
  // since must be overwritten, zero pages too (its first restore wrote only non-zero ones).
  const older = await finish(b, states[1]);
  assert.equal([older.outcome, [...older.result!]], ['done', [...alone.result!]]);
  const fresh = await finish(new HubCore('fresh'), states[1]);
  assert.equal(older.yields, fresh.yields);
  // And the newest state, into `a`'s spare (the instance it paused in last).
  assert.equal([...(await finish(a, states[6])).result!], [...alone.result!]);
});

test.run();
