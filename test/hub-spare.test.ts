/**
 * The spare instance of a slot (HubCore, no server): the instance a job paused in is kept
 * for that job's return, its memory already mapped. A restore into it must leave nothing
 * of what it held: a job that comes back with its next state, and one that comes back
 * with an older state of its own (a restart from a stored checkpoint), both end as the
 * job run alone does. And the instance a job finished in, renewed for the same client's
 * next job (FragmentExecutor.renew): that job must run as in a fresh instance, module-level
 * state, strings, input and output included, and no other client's job may get it.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { walkBundle, WALK_ARGS } from './helpers/walk.js';
import { HubCore, type SlotExec, type SlotRan } from '../runtime/hub/slot/index.js';
import { FragmentExecutor, loadBundle } from '../runtime/exec/index.js';
import { cachedBundle } from './helpers/build-cache.js';
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

/** A bundle's bytes, hash, and each entry's first fragment. */
async function bundleOf(file: string, yieldInterval: number) {
  const bytes = await cachedBundle(file, { yieldInterval });
  const b = await loadBundle(bytes);
  return { bytes, hash: b.hash, first: (entry: string) => b.manifest.entries.find((e) => e.name === entry)!.fragments[0] };
}

/** Instances made by FragmentExecutor.create while `f` runs. */
async function counting<T>(f: (made: () => number) => Promise<T>): Promise<T> {
  const create = FragmentExecutor.create;
  let n = 0;
  FragmentExecutor.create = (...a: Parameters<typeof create>) => { n++; return create.apply(FragmentExecutor, a); };
  try {
    return await f(() => n);
  } finally {
    FragmentExecutor.create = create;
  }
}

test("a finished job's instance runs the same client's next job as a fresh one; another client's, or one after a grown memory, gets a new one", async () => {
  const m = await bundleOf('test/programs/multi-export.ts', 64);
  const job = (n: number, entry: string, args: number[], owner?: string): SlotExec => ({
    kind: 'exec', v: PROTOCOL_VERSION, job: `m${n}.0`, bundle: m.hash, bundleBytes: m.bytes, entry, fragment: m.first(entry), migrateEvery: 0, args, stay: true, full: true,
    ...(owner ? { owner } : {}),
  });
  // boom() counts its calls in a module-level variable, mix() fills a module-level Map,
  // words() builds strings, grow(100000) grows the memory: a renewed instance that kept
  // anything would give boom() another count.
  const plan: Array<[string, number[], string | undefined, boolean]> = [
    ['boom', [300], 'x', false], ['boom', [300], 'x', true], ['mix', [200], 'x', true], ['words', [90], 'x', true], ['boom', [300], 'x', true],
    ['boom', [300], 'y', false], ['boom', [300], undefined, false], ['grow', [100_000], undefined, true], ['boom', [300], undefined, false],
  ];
  const core = new HubCore('r');
  await counting(async (made) => {
    for (const [i, [entry, args, owner, renewed]] of plan.entries()) {
      const before = made();
      const r = await ran(core, job(i, entry, args, owner));
      const alone = await ran(new HubCore('alone'), job(i, entry, args, owner));
      assert.equal([r.outcome, [...r.result!], r.yields], [alone.outcome, [...alone.result!], alone.yields], `job ${i}: ${entry}(${args})`);
      assert.is(made() - before - 1, renewed ? 0 : 1, `job ${i}: ${entry}(${args}) of ${owner ?? 'no client'} ${renewed ? 'renewed' : 'made'} an instance`);
    }
  });
});

test("a renewed instance reads its own job's input and writes its own output, never the last job's", async () => {
  const h = await bundleOf('test/programs/host-calls.ts', 7);
  const job = (n: number, input?: string): SlotExec => ({
    kind: 'exec', v: PROTOCOL_VERSION, job: `h${n}.0`, bundle: h.hash, bundleBytes: h.bytes, entry: 'everything', fragment: h.first('everything'), migrateEvery: 0,
    args: [8, 3], stay: true, full: true, owner: 'x', ...(input ? { input: new TextEncoder().encode(input) } : {}),
  });
  const core = new HubCore('r');
  await counting(async (made) => {
    for (const [i, input] of ['first job\'s secret', 'b', undefined, 'a longer input than the ones before it'].entries()) {
      const r = await ran(core, job(i, input));
      const alone = await ran(new HubCore('alone'), job(i, input));
      assert.equal([[...r.result!], [...(r.output ?? [])]], [[...alone.result!], [...(alone.output ?? [])]], `job ${i} (input ${input})`);
    }
    assert.is(made(), 4 + 1, 'one instance on the shared core, one per alone');
  });
});

test.run();
