/**
 * Route diffs (runtime/snapshot/lineage.ts): a job's state moving round-robin over hubs
 * that each keep a base and its page lineage, as slots do (runtime/hub/slot/core.ts), every
 * hand-over through the codec. Each hub must rebuild the state byte for byte from a diff of
 * exactly the pages changed since it last held it, and refuse what its base cannot take.
 */
import { createHash } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CheckpointError, DIFF_PAGE_SIZE, Lineage, applyDiffInPlace, changedPages, decodeCheckpoint, encodeCheckpoint, newCheckpointId,
  type Checkpoint, type CheckpointDiff,
} from '../runtime/snapshot/index.js';
import { prngBelow } from './helpers/programs.js';

const test = suite('route diffs');
const WASM_PAGE = 65536;
const BUNDLE = createHash('sha256').update('lineage test bundle').digest('hex');

const state = (memory: Uint8Array, yields: number): Checkpoint =>
  ({ kind: 'full', id: newCheckpointId(), bundle: BUNDLE, entry: 'main', fragment: 0, paused: true, yields, memory });

/** A run: a few scattered writes, now and then a page written back to what it held, now and then growth. */
function run(random: (n: number) => number, memory: Uint8Array): Uint8Array {
  let out = memory;
  if (random(10) === 0) {
    out = new Uint8Array(memory.length + WASM_PAGE);
    out.set(memory);
  } else {
    out = memory.slice();
  }
  const writes = 1 + random(6);
  for (let w = 0; w < writes; w++) out[random(out.length)] = 1 + random(255);
  return out;
}

interface Hub { base?: Checkpoint; lineage?: Lineage }

/** A hub takes `bytes` at `step`, as a slot does: a diff against its base, or the state whole. */
function take(hub: Hub, bytes: Uint8Array, step: number): Checkpoint {
  const cp = decodeCheckpoint(bytes, { share: true });
  if (cp.kind === 'diff') {
    assert.ok(hub.base && hub.lineage && hub.base.id === cp.base, 'a diff for the base this hub holds');
    hub.lineage.received(cp, step);
    return applyDiffInPlace(hub.base, cp);
  }
  hub.lineage = Lineage.start(cp.memory.length, step, cp.steps);
  return cp;
}

for (const hubs of [2, 3, 4, 5]) {
  test(`a state moving round-robin over ${hubs} hubs arrives exact, with only the pages changed since each hub held it`, () => {
    const random = prngBelow(hubs * 7919);
    const holders: Hub[] = Array.from({ length: hubs }, () => ({}));
    const held: Array<{ id: string; step: number } | undefined> = new Array(hubs).fill(undefined);
    const history: Uint8Array[] = [];
    let memory = new Uint8Array(2 * WASM_PAGE);
    memory[100] = 1;
    let hub = 0;
    let lineage = Lineage.start(memory.length, 0);
    let current = state(memory, 0);
    let diffs = 0;
    for (let step = 1; step <= 60; step++) {
      // The hub at `hub` ran: from `current` to a new state, left at `step`.
      const next = state(run(random, current.memory), step);
      lineage.ran(current.memory, next.memory, step);
      history[step] = next.memory.slice();
      holders[hub].base = { ...next, memory: next.memory.slice() };
      holders[hub].lineage = lineage;
      held[hub] = { id: next.id, step };
      const to = (hub + 1) % hubs;
      const base = held[to];
      const wire = encodeCheckpoint(base ? lineage.diffFor(next, base) : lineage.whole(next));
      if (base) {
        diffs++;
        const d = decodeCheckpoint(wire) as CheckpointDiff;
        // Exactly the pages that changed in some run since the receiver's base was taken.
        const want = new Set<number>();
        for (let s = base.step + 1; s <= step; s++) for (const p of changedPages(history[s - 1] ?? new Uint8Array(0), history[s])) want.add(p);
        assert.equal(d.pages.map((p) => p.index), [...want].sort((a, b) => a - b), `step ${step}: pages sent to hub ${to}`);
        assert.ok(d.steps!.every((s) => s > base.step && s <= step));
      }
      const arrived = take(holders[to], wire, step);
      assert.ok(Buffer.from(arrived.memory).equals(Buffer.from(next.memory)), `step ${step}: hub ${to} rebuilt the state exactly`);
      hub = to;
      lineage = holders[to].lineage!;
      current = arrived;
    }
    assert.ok(diffs >= 60 - hubs, `${diffs} hand-overs went as diffs`);
  });
}

test('a diff of the pages changed after a later step than the base is refused, and leaves the base as it was', () => {
  const memory = new Uint8Array(WASM_PAGE);
  const a = Lineage.start(memory.length, 3);
  const s = state(memory, 0);
  const later = { ...Lineage.start(memory.length, 9).diffFor(s, { id: 'x', step: 5 }) };
  assert.throws(() => a.received(later, 9), (e: Error) => e instanceof CheckpointError && e.code === 'base-mismatch' && /after step 5/.test(e.message));
  const future: CheckpointDiff = { ...later, since: 2, steps: Uint32Array.from([12]), pages: [{ index: 0, bytes: new Uint8Array(DIFF_PAGE_SIZE) }] };
  assert.throws(() => a.received(future, 9), (e: Error) => e instanceof CheckpointError && /changed at step 12, after its own step 9/.test(e.message));
  const wide: CheckpointDiff = { ...later, since: 2, pageSize: 65536, steps: Uint32Array.from([4]), pages: [{ index: 0, bytes: new Uint8Array(WASM_PAGE) }] };
  assert.throws(() => a.received(wide, 9), /steps for 65536-byte pages/);
  assert.is(a.step, 3);
  assert.throws(() => a.diffFor(s, { id: 'y', step: 4 }), /after this state's step 3/);
  // A diff without steps, of 64 KiB pages: every 4 KiB page it covers changed at its step.
  a.received({ ...wide, since: undefined, steps: undefined }, 9);
  assert.equal([...a.diffFor(s, { id: 'z', step: 8 }).steps!], new Array(16).fill(9));
});

test('since and steps survive the codec; steps that do not fit are refused as malformed', () => {
  const memory = new Uint8Array(WASM_PAGE);
  memory[5000] = 7;
  const l = Lineage.start(memory.length, 1);
  const next = memory.slice();
  next[9000] = 3;
  l.ran(memory, next, 2);
  const d = l.diffFor(state(next, 2), { id: 'base1', step: 1 });
  const back = decodeCheckpoint(encodeCheckpoint(d)) as CheckpointDiff;
  assert.is(back.since, 1);
  assert.equal([...back.steps!], [2]);
  assert.equal(back.pages.map((p) => p.index), [2]);
  const whole = decodeCheckpoint(encodeCheckpoint(l.whole(state(next, 2)))) as Checkpoint;
  assert.equal([...whole.steps!], Array.from({ length: 16 }, (_, i) => (i === 2 ? 2 : 1)));
  const bad = (cp: unknown, field: RegExp) => assert.throws(() => encodeCheckpoint(cp as CheckpointDiff), (e: Error) => e instanceof CheckpointError && e.code === 'malformed' && field.test(e.message));
  bad({ ...d, steps: Uint32Array.from([1]) }, /steps\[0\]' must be a step after since \(1\)/);
  bad({ ...d, steps: Uint32Array.from([2, 2]) }, /'steps' must be a Uint32Array of 1 steps/);
  bad({ ...d, since: undefined }, /'since' must be a u32 hand-over step/);
  bad({ ...state(next, 2), steps: new Uint32Array(3) }, /'steps' must be a Uint32Array of 16 steps/);
  // A whole state whose steps do not fit its length or step is taken as changed at its step.
  assert.equal([...Lineage.start(memory.length, 1, Uint32Array.from({ length: 16 }, () => 5)).diffFor(state(next, 1), { id: 'b', step: 0 }).steps!], new Array(16).fill(1));
});

test.run();
