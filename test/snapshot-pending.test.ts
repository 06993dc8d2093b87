/**
 * A diff held beside its base (snapshot/pending.ts), against the diff applied at once
 * (applyDiff), on random memories: the pages it restores, the pages a later memory differs
 * in, the base brought up to that memory, and settle, all as the applied diff gives them;
 * for diffs as the codec decodes them (pages viewing one buffer) and as diffCheckpoint
 * makes them (pages in buffers of their own), with memories that grow after the diff.
 */
import { createHash } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  DIFF_PAGE_SIZE, applyDiff, changedPages, copyPages, decodeCheckpoint, deferDiff, diffCheckpoint, encodeCheckpoint, newCheckpointId,
  type Checkpoint, type CheckpointDiff,
} from '../runtime/snapshot/index.js';
import { prngBelow } from './helpers/programs.js';

const test = suite('pending diffs');
const WASM_PAGE = 65536;
const BUNDLE = createHash('sha256').update('pending test bundle').digest('hex');

const full = (memory: Uint8Array): Checkpoint => ({ kind: 'full', id: newCheckpointId(), bundle: BUNDLE, entry: 'main', fragment: 3, paused: true, yields: 7, memory });

/** `from` with some pages rewritten (some of them to what they held: no change), some bytes flipped, grown by `grow` Wasm pages. */
function mutate(random: (n: number) => number, from: Uint8Array, grow = 0): Uint8Array {
  const out = new Uint8Array(from.length + grow * WASM_PAGE);
  out.set(from);
  const pages = out.length / DIFF_PAGE_SIZE;
  for (let k = random(pages / 2); k > 0; k--) {
    const at = random(pages) * DIFF_PAGE_SIZE;
    if (random(3) === 0) out[at + random(DIFF_PAGE_SIZE)] ^= 1 + random(255);
    else for (let i = 0; i < DIFF_PAGE_SIZE; i += 1 + random(64)) out[at + i] = random(256);
  }
  return out;
}

function randomMemory(random: (n: number) => number, wasmPages: number): Uint8Array {
  const m = new Uint8Array(wasmPages * WASM_PAGE);
  for (let i = 0; i < m.length; i += 1 + random(200)) m[i] = random(256);
  return m;
}

for (const decoded of [true, false]) {
  test(`agrees with the diff applied at once (${decoded ? 'decoded, pages in one buffer' : 'diffCheckpoint, pages in buffers of their own'})`, () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = prngBelow(seed);
      const base = full(randomMemory(random, 1 + random(4)));
      const mid = full(mutate(random, base.memory));
      const made = diffCheckpoint(base, mid);
      const diff = decoded ? decodeCheckpoint(encodeCheckpoint(made), { share: true }) as CheckpointDiff : made;
      const applied = applyDiff(base, diff);
      // A run after it: changes some pages, puts some of the diff's back as the base had them, may grow.
      const live = mutate(random, applied.memory, random(4) === 0 ? 1 : 0);
      for (const p of diff.pages) if (random(4) === 0) live.set(base.memory.subarray(p.index * DIFF_PAGE_SIZE, (p.index + 1) * DIFF_PAGE_SIZE), p.index * DIFF_PAGE_SIZE);

      const held = { ...base, memory: base.memory.slice() };
      const p = deferDiff(held, diff);
      assert.ok(p, `seed ${seed}: deferred`);
      assert.is(p.state.memory, held.memory, `seed ${seed}: the state's memory is the base's`);
      assert.equal(p.indices, diff.pages.map((x) => x.index), `seed ${seed}: pages`);
      // Restored over the base: the applied state.
      const instance = base.memory.slice();
      for (const [at, bytes] of p.writes) instance.set(bytes, at);
      assert.ok(Buffer.from(instance).equals(Buffer.from(applied.memory)), `seed ${seed}: restored state`);
      assert.equal({ ...p.state, memory: undefined }, { ...applied, memory: undefined }, `seed ${seed}: the state's fields`);
      // The pages the run changed, as the applied state gives them.
      const changed = p.changedIn(live);
      assert.equal(changed, changedPages(applied.memory, live), `seed ${seed}: changed pages`);
      // The base brought up to the run's memory (same length) from those and the diff's.
      if (live.length === held.memory.length) {
        copyPages(held.memory, live, p.withPages(changed));
        assert.ok(Buffer.from(held.memory).equals(Buffer.from(live)), `seed ${seed}: base brought up to date`);
      }
      // The base untouched until then: settle gives the applied state.
      const other = { ...base, memory: base.memory.slice() };
      const q = deferDiff(other, diff)!;
      assert.ok(Buffer.from(q.settle().memory).equals(Buffer.from(applied.memory)), `seed ${seed}: settled`);
      assert.ok(Buffer.from(q.settle().memory).equals(Buffer.from(applied.memory)), `seed ${seed}: settled twice`);
      assert.throws(() => q.changedIn(live), /after settle/);
    }
  });
}

test('consecutive pages that lie side by side are restored in one write', () => {
  const random = prngBelow(9);
  const base = full(randomMemory(random, 4));
  const next = full(base.memory.slice());
  // Pages 3-9 and 20-21 change: two runs.
  for (const i of [3, 4, 5, 6, 7, 8, 9, 20, 21]) next.memory[i * DIFF_PAGE_SIZE + 7] ^= 0xff;
  const decoded = decodeCheckpoint(encodeCheckpoint(diffCheckpoint(base, next)), { share: true }) as CheckpointDiff;
  const p = deferDiff({ ...base, memory: base.memory.slice() }, decoded)!;
  assert.equal(p.writes.map(([at, bytes]) => [at / DIFF_PAGE_SIZE, bytes.byteLength / DIFF_PAGE_SIZE]), [[3, 7], [20, 2]]);
  const restored = base.memory.slice();
  for (const [at, bytes] of p.writes) restored.set(bytes, at);
  assert.ok(Buffer.from(restored).equals(Buffer.from(next.memory)));
});

test('withPages merges two ascending lists into one, each page once', () => {
  const base = full(new Uint8Array(WASM_PAGE));
  const next = full(base.memory.slice());
  for (const i of [1, 4, 5, 9]) next.memory[i * DIFF_PAGE_SIZE] = 1;
  const p = deferDiff({ ...base, memory: base.memory.slice() }, diffCheckpoint(base, next))!;
  assert.equal(p.withPages([]), [1, 4, 5, 9]);
  assert.equal(p.withPages([0, 4, 6, 9, 15]), [0, 1, 4, 5, 6, 9, 15]);
  assert.equal(p.withPages([2, 3]), [1, 2, 3, 4, 5, 9]);
});

test('not deferred where it could not be: another base, another length, another bundle', () => {
  const random = prngBelow(5);
  const base = full(randomMemory(random, 2));
  const next = full(mutate(random, base.memory));
  const diff = diffCheckpoint(base, next);
  assert.is(deferDiff(full(base.memory.slice()), diff), undefined, 'another base id');
  assert.is(deferDiff({ ...base, memory: base.memory.slice(0, WASM_PAGE) }, diff), undefined, 'another length');
  assert.is(deferDiff({ ...base, bundle: 'f'.repeat(64) }, diff), undefined, 'another bundle');
  const grown = diffCheckpoint(base, full(mutate(random, base.memory, 1)));
  assert.is(deferDiff(base, grown), undefined, 'a diff that grows the memory');
});

test.run();
