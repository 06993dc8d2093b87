import { createHash } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CheckpointError,
  DIFF_PAGE_SIZE,
  applyDiff,
  copyPages,
  decodeCheckpoint,
  diffCheckpoint,
  encodeCheckpoint,
  newCheckpointId,
  type Checkpoint,
  type CheckpointDiff,
} from '../runtime/snapshot/index.js';
import { copySparse } from '../runtime/exec/sparse-copy.js';

const diffs = suite('checkpoint diffs');

const WASM_PAGE = 65536;
const BUNDLE = createHash('sha256').update('test bundle').digest('hex');

/** mulberry32: a tiny seeded PRNG, so that a failing seed can be replayed. */
function prng(seed: number): (bound: number) => number {
  let a = seed >>> 0;
  return (bound) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * bound | 0;
  };
}

function checkpoint(memory: Uint8Array, overrides: Partial<Checkpoint> = {}): Checkpoint {
  return { kind: 'full', id: newCheckpointId(), bundle: BUNDLE, entry: 'main', fragment: 0, paused: false, yields: 0, memory, ...overrides };
}

function randomMemory(random: (bound: number) => number, wasmPages: number): Uint8Array {
  const memory = new Uint8Array(wasmPages * WASM_PAGE);
  // Mostly zeros with scattered data, like a real heap.
  for (let i = random(2000); i > 0; i--) memory[random(memory.length)] = random(256);
  return memory;
}

/** The next checkpoint of the same job: mutated, possibly grown memory, new control state. */
function successor(random: (bound: number) => number, base: Checkpoint): Checkpoint {
  const memory = new Uint8Array(base.memory.length + random(3) * WASM_PAGE);
  memory.set(base.memory);
  for (let i = random(60); i > 0; i--) {
    const at = random(memory.length);
    if (random(4) === 0) memory.fill(random(256), at, Math.min(memory.length, at + random(3 * DIFF_PAGE_SIZE)));
    else memory[at] = random(256);
  }
  // Also grow with non-zero data at the far end sometimes.
  if (memory.length > base.memory.length && random(2) === 0) memory[memory.length - 1] = 1 + random(255);
  return checkpoint(memory, { fragment: base.fragment + 1 + random(5), paused: random(2) === 0, yields: base.yields + random(100), entry: base.entry });
}

/** Pages that differ, by the obvious byte loop, to check the fast comparison against. */
function changedPages(base: Uint8Array, next: Uint8Array): number[] {
  const pages: number[] = [];
  for (let start = 0; start < next.length; start += DIFF_PAGE_SIZE) {
    for (let i = start; i < start + DIFF_PAGE_SIZE; i++) {
      if (i >= base.length || base[i] !== next[i]) {
        pages.push(start / DIFF_PAGE_SIZE);
        break;
      }
    }
  }
  return pages;
}

function assertSameFull(actual: Checkpoint, expected: Checkpoint): void {
  const { memory: am, ...aRest } = actual;
  const { memory: em, ...eRest } = expected;
  assert.equal(aRest, eRest);
  assert.is(am.length, em.length);
  assert.ok(Buffer.from(am.buffer, am.byteOffset, am.length).equals(em), 'memory is byte-identical');
}

function expectError(fn: () => unknown, code: string, message: RegExp): void {
  try {
    fn();
  } catch (err) {
    assert.instance(err, CheckpointError);
    assert.is((err as CheckpointError).name, 'CheckpointError');
    assert.is((err as CheckpointError).code, code);
    assert.match((err as CheckpointError).message, message);
    return;
  }
  assert.unreachable('expected a CheckpointError');
}

diffs('applying a diff reproduces the next checkpoint byte for byte over many seeds', () => {
  for (let seed = 1; seed <= 150; seed++) {
    const random = prng(seed);
    const base = checkpoint(randomMemory(random, 1 + random(4)), { fragment: random(10), yields: random(50) });
    const next = successor(random, base);
    const diff = diffCheckpoint(base, next);
    assert.equal(diff.pages.map((p) => p.index), changedPages(base.memory, next.memory), `seed ${seed}: diff pages`);
    assertSameFull(applyDiff(base, diff), next);
    // And the same after the diff has been through the wire format.
    const decoded = decodeCheckpoint(encodeCheckpoint(diff)) as CheckpointDiff;
    assertSameFull(applyDiff(base, decoded), next);
  }
});

diffs('a chain of diffs applied in turn reproduces the last checkpoint', () => {
  const random = prng(99);
  let sender = checkpoint(randomMemory(random, 2));
  let receiver = decodeCheckpoint(encodeCheckpoint(sender)) as Checkpoint;
  for (let step = 0; step < 20; step++) {
    const next = successor(random, sender);
    const wire = encodeCheckpoint(diffCheckpoint(sender, next));
    receiver = applyDiff(receiver, decodeCheckpoint(wire) as CheckpointDiff);
    assertSameFull(receiver, next);
    sender = next;
  }
});

diffs('an unchanged memory gives an empty diff and grown memory ships every new page', () => {
  const base = checkpoint(randomMemory(prng(7), 2));
  const same = checkpoint(base.memory.slice(), { fragment: 4 });
  const empty = diffCheckpoint(base, same);
  assert.equal(empty.pages, []);
  assert.is(empty.memoryLength, 2 * WASM_PAGE);
  assert.is(empty.pageSize, DIFF_PAGE_SIZE);
  assertSameFull(applyDiff(base, empty), same);

  const grownMemory = new Uint8Array(4 * WASM_PAGE);
  grownMemory.set(base.memory);
  const grown = checkpoint(grownMemory);
  const diff = diffCheckpoint(base, grown);
  const firstNew = (2 * WASM_PAGE) / DIFF_PAGE_SIZE;
  assert.equal(diff.pages.map((p) => p.index), Array.from({ length: firstNew }, (_, i) => firstNew + i));
  assertSameFull(applyDiff(base, diff), grown);
});

diffs('diffs find single-byte changes in a 16 MiB memory at page edges', () => {
  const base = checkpoint(new Uint8Array(16 << 20));
  const memory = base.memory.slice();
  const touched = [0, DIFF_PAGE_SIZE - 1, DIFF_PAGE_SIZE, 5_000_003, memory.length - 1];
  for (const at of touched) memory[at] = 0x5a;
  const next = checkpoint(memory);
  const diff = diffCheckpoint(base, next);
  assert.equal(diff.pages.map((p) => p.index), [0, 1, Math.floor(5_000_003 / DIFF_PAGE_SIZE), memory.length / DIFF_PAGE_SIZE - 1]);
  assertSameFull(applyDiff(base, diff), next);
});

diffs('diffing and applying never mutate or alias their inputs', () => {
  const random = prng(3);
  const base = checkpoint(randomMemory(random, 1));
  const baseCopy = base.memory.slice();
  const next = successor(random, base);
  next.memory[0] ^= 1;
  const diff = diffCheckpoint(base, next);
  const pageCopies = diff.pages.map((p) => p.bytes.slice());
  next.memory.fill(0xee);
  assert.equal(diff.pages.map((p) => p.bytes), pageCopies, 'diff pages are copies, not views of next');
  const applied = applyDiff(base, diff);
  applied.memory.fill(0x11);
  assert.ok(Buffer.from(base.memory).equals(baseCopy), 'base memory unchanged');
  assert.equal(diff.pages.map((p) => p.bytes), pageCopies, 'diff pages unchanged');
  assert.is.not(applyDiff(base, diff).memory, base.memory);
});

diffs('diff pages are plain copies that share a few fresh buffers, not one each', () => {
  const random = prng(11);
  const base = checkpoint(randomMemory(random, 2));
  // Every page dirty, so that the pages fill more than one 64 KiB slab.
  const next = checkpoint(base.memory.map((byte) => byte ^ 0x5a));
  const diff = diffCheckpoint(base, next);
  assert.is(diff.pages.length, (2 * WASM_PAGE) / DIFF_PAGE_SIZE);
  const buffers = new Set<ArrayBufferLike>();
  diff.pages.forEach(({ index, bytes }, i) => {
    assert.is(index, i);
    assert.is(Object.getPrototypeOf(bytes), Uint8Array.prototype);
    assert.is.not(bytes.buffer, next.memory.buffer);
    assert.ok(Buffer.from(bytes).equals(next.memory.subarray(index * DIFF_PAGE_SIZE, (index + 1) * DIFF_PAGE_SIZE)), `page ${index}`);
    buffers.add(bytes.buffer);
  });
  assert.ok(buffers.size > 1 && buffers.size <= 4, `${buffers.size} buffers`);
  assertSameFull(applyDiff(base, diff), next);
  assertSameFull(applyDiff(base, decodeCheckpoint(encodeCheckpoint(diff)) as CheckpointDiff), next);
});

diffs('applyDiff places pages by index, however their bytes are laid out', () => {
  const base = checkpoint(new Uint8Array(WASM_PAGE).fill(9));
  // Side by side in one buffer but not neighbours in memory, then neighbours in memory
  // held in separate arrays, then a run that is both.
  const shared = new Uint8Array(5 * DIFF_PAGE_SIZE);
  for (let i = 0; i < 5; i++) shared.fill(10 + i, i * DIFF_PAGE_SIZE, (i + 1) * DIFF_PAGE_SIZE);
  const view = (i: number) => shared.subarray(i * DIFF_PAGE_SIZE, (i + 1) * DIFF_PAGE_SIZE);
  const pages = [
    { index: 1, bytes: view(0) },
    { index: 3, bytes: view(1) },
    { index: 4, bytes: new Uint8Array(DIFF_PAGE_SIZE).fill(20) },
    { index: 5, bytes: new Uint8Array(DIFF_PAGE_SIZE).fill(21) },
    { index: 7, bytes: view(2) },
    { index: 8, bytes: view(3) },
    { index: 9, bytes: view(4) },
  ];
  const diff: CheckpointDiff = { ...diffCheckpoint(base, base), id: 'laid-out', pages };
  const expected = base.memory.slice();
  for (const { index, bytes } of pages) expected.set(bytes, index * DIFF_PAGE_SIZE);
  assertSameFull(applyDiff(base, diff), checkpoint(expected, { id: 'laid-out' }));
  // The same through the wire format, where all pages come back in one buffer.
  assertSameFull(applyDiff(base, decodeCheckpoint(encodeCheckpoint(diff)) as CheckpointDiff), checkpoint(expected, { id: 'laid-out' }));
});

diffs('applyDiff zeroes grown memory that the diff does not list', () => {
  for (let round = 0; round < 20; round++) {
    // Leave dirty garbage around for the allocator to hand out again.
    for (let i = 0; i < 8; i++) Buffer.allocUnsafeSlow(3 * WASM_PAGE).fill(0xab);
    const base = checkpoint(new Uint8Array(WASM_PAGE).fill(1));
    const diff: CheckpointDiff = {
      ...diffCheckpoint(base, base), memoryLength: 3 * WASM_PAGE,
      pages: [{ index: 20, bytes: new Uint8Array(DIFF_PAGE_SIZE).fill(2) }],
    };
    const expected = new Uint8Array(3 * WASM_PAGE);
    expected.fill(1, 0, WASM_PAGE);
    expected.fill(2, 20 * DIFF_PAGE_SIZE, 21 * DIFF_PAGE_SIZE);
    assertSameFull(applyDiff(base, diff), checkpoint(expected, { id: base.id }));
  }
});

diffs('the diff id defaults to next.id and can be chosen', () => {
  const base = checkpoint(new Uint8Array(WASM_PAGE));
  const next = checkpoint(new Uint8Array(WASM_PAGE));
  assert.is(diffCheckpoint(base, next).id, next.id);
  const diff = diffCheckpoint(base, next, 'custom-id');
  assert.is(diff.id, 'custom-id');
  assert.is(diff.base, base.id);
  assert.is(applyDiff(base, diff).id, 'custom-id');
});

diffs('applyDiff rejects a diff taken against another checkpoint', () => {
  const base = checkpoint(new Uint8Array(WASM_PAGE), { id: 'aaaaaaaaaaaaaaaa' });
  const other = checkpoint(new Uint8Array(WASM_PAGE), { id: 'bbbbbbbbbbbbbbbb' });
  const diff = diffCheckpoint(base, checkpoint(new Uint8Array(WASM_PAGE), { id: 'cccccccccccccccc' }));
  expectError(() => applyDiff(other, diff), 'base-mismatch', /^diff cccccccccccccccc applies to checkpoint aaaaaaaaaaaaaaaa, not bbbbbbbbbbbbbbbb; apply it to checkpoint aaaaaaaaaaaaaaaa/);
  const foreign = { ...base, bundle: 'f'.repeat(64) };
  expectError(() => applyDiff(foreign, diff), 'base-mismatch', /belongs to bundle [0-9a-f]{64} but base aaaaaaaaaaaaaaaa to bundle f{64}; fetch a full checkpoint/);
  const bigger = { ...base, memory: new Uint8Array(2 * WASM_PAGE) };
  expectError(() => applyDiff(bigger, diff), 'base-mismatch', /describes 65536 bytes of memory, less than base aaaaaaaaaaaaaaaa's 131072/);
});

diffs('diffCheckpoint rejects another bundle and shrunk memory', () => {
  const base = checkpoint(new Uint8Array(2 * WASM_PAGE));
  expectError(() => diffCheckpoint(base, checkpoint(new Uint8Array(2 * WASM_PAGE), { bundle: '0'.repeat(64) })), 'base-mismatch', /different bundles .*diff only checkpoints of the same job/);
  expectError(() => diffCheckpoint(base, checkpoint(new Uint8Array(WASM_PAGE))), 'base-mismatch', /next memory \(65536 bytes\) is shorter than base memory \(131072 bytes\)/);
});

diffs('diff functions reject inputs out of schema', () => {
  const base = checkpoint(new Uint8Array(WASM_PAGE));
  const diff = diffCheckpoint(base, checkpoint(new Uint8Array(WASM_PAGE)));
  expectError(() => diffCheckpoint(checkpoint(new Uint8Array(100)), base), 'malformed', /^invalid base checkpoint: field 'memory' must be bytes whose length is a multiple of 65536/);
  expectError(() => applyDiff(diff as unknown as Checkpoint, diff), 'malformed', /^invalid base checkpoint: expected kind 'full', got 'diff'; apply diffs first/);
  const outside = { ...diff, pages: [{ index: 16, bytes: new Uint8Array(DIFF_PAGE_SIZE) }] };
  expectError(() => applyDiff(base, outside), 'malformed', /^cannot apply diff: field 'pages\[0\]\.index' must be an integer in \[0, 16\), got 16/);
});

diffs('newCheckpointId returns distinct 16-character hex ids', () => {
  const ids = new Set(Array.from({ length: 1000 }, newCheckpointId));
  assert.is(ids.size, 1000);
  for (const id of ids) assert.match(id, /^[0-9a-f]{16}$/);
});

diffs('a restore into fresh memory writes only non-zero blocks above the instance\'s own pages, and the result is the checkpoint byte for byte', () => {
  const rnd = prng(77);
  for (let round = 0; round < 40; round++) {
    const pages = 1 + rnd(6);
    const from = WASM_PAGE * (1 + rnd(pages));
    // Some rounds as a fresh instance of a deferred-start bundle: its data segments only.
    const start = round % 3 ? 0 : rnd(from);
    const src = new Uint8Array(pages * WASM_PAGE);
    // Sparse: a few runs of bytes, some straddling 4 KiB blocks, one byte alone at a block's end.
    for (let k = rnd(8); k > 0; k--) {
      const at = rnd(src.length - 5000);
      for (let i = 0; i < 1 + rnd(5000); i++) src[at + i] = 1 + rnd(255);
    }
    src[src.length - 1] = round & 1 ? 9 : 0;
    // The instance's own pages hold other bytes (its data segments), which must all go.
    const dst = new Uint8Array(src.length);
    dst.fill(0xee, start, from);
    copySparse(dst, src, { start, end: from });
    assert.ok(Buffer.compare(dst, src) === 0, `round ${round}: ${pages} pages, from ${from}`);
  }
  // A view at an odd offset (not word-aligned) still copies exactly.
  const backing = new Uint8Array(2 * WASM_PAGE + 1);
  backing[1 + WASM_PAGE + 3] = 5;
  const odd = backing.subarray(1);
  const dst = new Uint8Array(2 * WASM_PAGE);
  copySparse(dst, odd, { start: 0, end: WASM_PAGE });
  assert.ok(Buffer.compare(dst, odd) === 0);
});

diffs('copyPages of the changed pages makes the old memory equal the new, copying nothing else', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const random = prng(seed);
    const before = randomMemory(random, 1 + random(3));
    const after = before.slice();
    // Scattered single bytes, runs of pages, the first and the last page (a memory's length
    // is whole Wasm pages, so the last diff page is whole too; a shorter tail is below).
    for (let k = random(30); k > 0; k--) after[random(after.length)] ^= 1 + random(255);
    const run = random(after.length / DIFF_PAGE_SIZE);
    after.fill(7, run * DIFF_PAGE_SIZE, Math.min(after.length, (run + 1 + random(5)) * DIFF_PAGE_SIZE));
    if (seed % 3 === 0) { after[0] ^= 1; after[after.length - 1] ^= 1; }
    const pages = changedPages(before, after);
    const old = before.slice();
    copyPages(before, after, pages);
    assert.ok(Buffer.compare(before, after) === 0, `seed ${seed}: equal after copying ${pages.length} pages`);
    // Nothing outside those pages was written: poison them in a copy and compare.
    const marked = old.slice();
    copyPages(marked, new Uint8Array(after.length).fill(0xee), pages);
    for (let p = 0; p < after.length / DIFF_PAGE_SIZE; p++) {
      const a = marked.subarray(p * DIFF_PAGE_SIZE, (p + 1) * DIFF_PAGE_SIZE);
      if (!pages.includes(p)) assert.ok(Buffer.compare(a, old.subarray(p * DIFF_PAGE_SIZE, (p + 1) * DIFF_PAGE_SIZE)) === 0, `seed ${seed}: page ${p} untouched`);
    }
  }
  // A length that is not whole diff pages: the last page is copied up to the end.
  const a = new Uint8Array(DIFF_PAGE_SIZE + 10);
  const b = a.slice();
  b[DIFF_PAGE_SIZE + 9] = 3;
  copyPages(a, b, changedPages(a, b));
  assert.is(a[DIFF_PAGE_SIZE + 9], 3);
});

diffs.run();
