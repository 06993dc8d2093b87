/**
 * Route diffs in the slots themselves (HubCore, no server): a job moving round-robin over
 * three cores, each told which base the next one holds (SlotExec.diffTo, from the route's
 * `bases`), ends exact, and after the first round every hand-over is a diff of the pages
 * changed since the receiver's base. A diff its base cannot take (pages changed after a
 * step later than the base's) is refused with `no-base`, and the base is not spoiled.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { walkBundle, WALK_ARGS } from './helpers/walk.js';
import { HubCore, type SlotExec, type SlotRan } from '../runtime/hub/slot/index.js';
import { decodeCheckpoint, type HeldBase } from '../runtime/snapshot/index.js';
import { PROTOCOL_VERSION } from '../runtime/protocol/index.js';

const test = suite('route diffs in slots');
const ARGS = WALK_ARGS;
const EVERY = 2;
let bundleBytes: Uint8Array;
let hash = '';
let first = 0;

test.before(async () => {
  ({ bytes: bundleBytes, hash, first } = await walkBundle());
});

const exec = (handovers: number, extra: Partial<SlotExec>): SlotExec => ({
  kind: 'exec', v: PROTOCOL_VERSION, job: 'walk.0', bundle: hash, bundleBytes, entry: 'walk', fragment: first, migrateEvery: EVERY,
  stay: true, route: ['a', 'b', 'c'], handovers, ...extra,
});

async function ran(core: HubCore, req: SlotExec): Promise<SlotRan> {
  const r = await core.handle(req);
  assert.is(r.kind, 'ran', JSON.stringify(r).slice(0, 300));
  return r as SlotRan;
}

/** The job run on one slot alone, without moving: what every route must end with. */
const alone = () => ran(new HubCore('alone'), exec(0, { migrateEvery: 0, args: ARGS, route: ['alone'] }));

/**
 * The job moving round-robin over `cores`, each told which base the next one holds.
 * `handedOver(hop, sent, ran)` sees each hand-over: the checkpoint sent, and what the
 * receiving core made of it. Returns the last reply and the number of hand-overs.
 */
async function roundRobin(cores: HubCore[], handedOver: (hop: number, sent: Uint8Array, r: SlotRan, by: SlotRan) => void, opts: { sealed?: boolean } = {}): Promise<{ r: SlotRan; hops: number }> {
  const held = new Map<number, HeldBase>();
  let r = await ran(cores[0], exec(0, { args: ARGS, full: true }));
  let hop = 0;
  while (r.outcome !== 'done') {
    held.set(hop % cores.length, r.kept!);
    hop++;
    const to = held.get((hop + 1) % cores.length);
    const sent = r.checkpoint!;
    // `sealed`: as a secure hub runs it, diffs for the next hub sealed in place (no CRC), every state opened authenticated.
    const by = r;
    r = await ran(cores[hop % cores.length], exec(hop, {
      fragment: r.fragment, checkpoint: sent, ...(to ? { diffTo: to } : { full: true }), ...(opts.sealed ? { opened: true, ...(to ? { sealsDiff: true } : {}) } : {}),
    }));
    handedOver(hop, sent, r, by);
  }
  return { r, hops: hop };
}

test('round-robin over three slots: exact, and diffs of what each lacks after the first round', async () => {
  let diffs = 0;
  const { r } = await roundRobin(['a', 'b', 'c'].map((id) => new HubCore(id)), (hop, sent) => {
    if (hop <= 3) return;
    assert.is(decodeCheckpoint(sent).kind, 'diff', `hand-over ${hop}`);
    diffs++;
  });
  assert.ok(diffs > 10, `${diffs} diffs`);
  assert.equal([...r.result!], [...(await alone()).result!]);
});

test('slots that reuse the buffer each state came in for the state they send on: still exact', async () => {
  // As in a hub's slot threads: room around each checkpoint, requests' buffers theirs.
  const cores = ['a', 'b', 'c'].map((id) => new HubCore(id, () => false, { headroom: 64, tailroom: 16, recycleInput: true }));
  let reused = 0;
  const { r, hops } = await roundRobin(cores, (_, sent, next) => { if (next.checkpoint?.buffer === sent.buffer) reused++; });
  assert.ok(reused > hops / 2, `${reused} of ${hops} hand-overs encoded into the buffer they came in`);
  assert.equal([...r.result!], [...(await alone()).result!]);
});

test('sealed hand-overs: each diff leaves without a CRC (the seal authenticates it), says so, and the route still ends exact', async () => {
  let unchecked = 0;
  const { r } = await roundRobin(['a', 'b', 'c'].map((id) => new HubCore(id)), (hop, sent, _, by) => {
    if (hop <= 3) return;
    assert.is(by.unchecked, true, `hand-over ${hop} says it has no CRC`);
    assert.is(new DataView(sent.buffer, sent.byteOffset).getUint32(14), 0, `hand-over ${hop}: no CRC`);
    assert.throws(() => decodeCheckpoint(sent), /checksum/);
    unchecked++;
  }, { sealed: true });
  assert.ok(unchecked > 10, `${unchecked} diffs without a CRC`);
  assert.equal([...r.result!], [...(await alone()).result!]);
});

test('a slot that took a diff into its paused instance keeps the state that left it as its base: exported mid-route, it ends exact', async () => {
  // From the second round on, each slot takes its diff into the instance the job paused in
  // there, and brings its base up to the state that leaves only after the reply
  // (HubCore.afterReply, which the next request runs first when nothing else did).
  const cores = ['a', 'b', 'c'].map((id) => new HubCore(id));
  const exported: Array<Promise<{ state: Uint8Array; fragment: number; hop: number }>> = [];
  await roundRobin(cores, (hop, _sent, r) => {
    if (hop < 6 || hop > 12 || r.outcome !== 'paused') return;
    exported.push(cores[hop % 3].handle({ kind: 'export', v: PROTOCOL_VERSION, job: 'walk.0' }).then((e) => {
      const state = e.kind === 'ok' && 'checkpoint' in e ? e.checkpoint : undefined;
      assert.ok(state, JSON.stringify(e).slice(0, 200));
      return { state, fragment: r.fragment, hop };
    }));
  });
  assert.ok(exported.length >= 5, `${exported.length} states exported`);
  const expected = [...(await alone()).result!];
  for (const e of await Promise.all(exported)) {
    const on = await ran(new HubCore('z'), exec(e.hop + 1, { fragment: e.fragment, checkpoint: e.state, migrateEvery: 0, route: ['z'] }));
    assert.equal([...on.result!], expected, `from the state exported after hand-over ${e.hop}`);
  }
});

test('a diff of the pages changed after a later step than the base is refused with no-base; the base then takes the right one', async () => {
  const [a, b] = [new HubCore('a'), new HubCore('b')];
  const r0 = await ran(a, exec(0, { args: ARGS, full: true }));
  const r1 = await ran(b, exec(1, { fragment: r0.fragment, checkpoint: r0.checkpoint, full: true }));
  // b's state goes back to a, as if a's base were at step 2 (it is at 1): pages changed at step 2 alone.
  const wrong = await b.handle(exec(1, { fragment: r0.fragment, checkpoint: r0.checkpoint, diffTo: { id: r0.kept!.id, step: 2 } }));
  assert.is(wrong.kind, 'ran');
  const stale = await a.handle(exec(2, { fragment: (wrong as SlotRan).fragment, checkpoint: (wrong as SlotRan).checkpoint }));
  assert.equal([stale.kind, stale.kind === 'error' && stale.code], ['error', 'no-base']);
  assert.match((stale as { message: string }).message, /changed after step 2, but base \w+ was taken at step 1/);
  const right = await b.handle(exec(1, { fragment: r0.fragment, checkpoint: r0.checkpoint, diffTo: r0.kept! }));
  assert.ok(right.kind === 'ran' && decodeCheckpoint(right.checkpoint!).kind === 'diff');
  const on = await ran(a, exec(2, { fragment: (right as SlotRan).fragment, checkpoint: (right as SlotRan).checkpoint, migrateEvery: 0, route: ['a'] }));
  assert.equal([...on.result!], [...(await alone()).result!]);
  assert.ok(r1.kept);
});

test.run();
