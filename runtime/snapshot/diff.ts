/**
 * Page diffs between checkpoints of one job, so that hubs ship only what changed.
 *
 * A diff names its base by id; applying it to that base yields the next full checkpoint
 * byte for byte. Usage:
 *   const diff = diffCheckpoint(previous, executor.capture());
 *   const bytes = encodeCheckpoint(diff);                // usually far smaller
 *   const next = applyDiff(previous, decodeCheckpoint(bytes) as CheckpointDiff);
 */
import { randomBytes } from 'node:crypto';
import { DIFF_PAGE_SIZE, asBuffer, uninitialized } from './codec.js';
import { validateCheckpoint } from './schema.js';
import { CheckpointError } from './errors.js';
import type { Checkpoint, CheckpointDiff } from './types.js';

// Defined by the codec, which pages full checkpoints the same way.
export { DIFF_PAGE_SIZE };

/** 16 pages; see diffCheckpoint for why not more. */
const SLAB_BYTES = 16 * DIFF_PAGE_SIZE;

/** A fresh random checkpoint id: 16 lowercase hex characters (64 bits). */
export function newCheckpointId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * The pages of `next` that differ from `base`, plus every page beyond the end of base's
 * memory. The diff owns copies of those pages, side by side in new 64 KiB buffers (each
 * page a view of one); `base` and `next` are not modified.
 *
 * @param id the diff's id; defaults to `next.id`, so that applying the diff reproduces
 *   `next` exactly, id included.
 *
 * # Errors
 * CheckpointError 'base-mismatch' if the bundles differ or next's memory is shorter than
 * base's (memory only grows within a job); 'malformed' if either input is out of schema.
 */
export function diffCheckpoint(base: Checkpoint, next: Checkpoint, id: string = next.id, opts: DiffOptions = {}): CheckpointDiff {
  expectFull(base, 'base');
  expectFull(next, 'next');
  if (base.bundle !== next.bundle) {
    throw new CheckpointError(
      'base-mismatch',
      `cannot diff checkpoints of different bundles (base ${base.bundle}, next ${next.bundle}); ` +
        'diff only checkpoints of the same job',
    );
  }
  const baseLength = base.memory.length;
  const nextLength = next.memory.length;
  if (nextLength < baseLength) {
    throw new CheckpointError(
      'base-mismatch',
      `cannot diff: next memory (${nextLength} bytes) is shorter than base memory (${baseLength} bytes), ` +
        'but wasm memory only grows; check that base is an earlier checkpoint of the same job',
    );
  }
  const changed = changedPages(base.memory, next.memory);
  let size = 0;
  for (const index of changed) size += Math.min(DIFF_PAGE_SIZE, nextLength - index * DIFF_PAGE_SIZE);
  if (opts.share) {
    const shared = changed.map((index) => {
      const start = index * DIFF_PAGE_SIZE;
      return { index, bytes: next.memory.subarray(start, Math.min(start + DIFF_PAGE_SIZE, nextLength)) };
    });
    return { kind: 'diff', id, base: base.id, bundle: next.bundle, entry: next.entry, fragment: next.fragment, paused: next.paused, yields: next.yields, memoryLength: nextLength, pageSize: DIFF_PAGE_SIZE, pages: shared, ...withOutput(next.output, true) };
  }
  // Pages are copied into 64 KiB slabs, not one buffer each (4096 allocations for a
  // dirty 16 MiB memory) nor one for all: a slab is below glibc's default mmap threshold
  // (128 KiB), so it comes from the heap and reuses memory already faulted in, where a
  // 16 MiB buffer is a fresh mapping that faults on every 4 KiB page as it is written.
  // That made one buffer slower than per-page copies. Every page but the memory's last
  // is whole, so no page straddles two slabs.
  const pages: CheckpointDiff['pages'] = new Array(changed.length);
  let slab: Uint8Array = new Uint8Array(0);
  let at = 0;
  let copied = 0;
  for (let n = 0; n < changed.length; n++) {
    const index = changed[n];
    const start = index * DIFF_PAGE_SIZE;
    const length = Math.min(DIFF_PAGE_SIZE, nextLength - start);
    if (at === slab.length) {
      slab = uninitialized(Math.min(SLAB_BYTES, size - copied));
      at = 0;
    }
    slab.set(next.memory.subarray(start, start + length), at);
    pages[n] = { index, bytes: slab.subarray(at, at + length) };
    at += length;
    copied += length;
  }
  return {
    kind: 'diff',
    id,
    base: base.id,
    bundle: next.bundle,
    entry: next.entry,
    fragment: next.fragment,
    paused: next.paused,
    yields: next.yields,
    memoryLength: nextLength,
    pageSize: DIFF_PAGE_SIZE,
    pages,
    ...withOutput(next.output, false),
  };
}

/**
 * Indices of the DIFF_PAGE_SIZE pages of `next` that differ from `base`, and of every page
 * beyond the end of `base` (memory only grows). Neither is modified.
 */
export function changedPages(base: Uint8Array, next: Uint8Array): number[] {
  // Buffer#compare on ranges is a native memcmp with no per-page allocation.
  const a = asBuffer(base);
  const b = asBuffer(next);
  const changed: number[] = [];
  for (let start = 0, index = 0; start < b.length; start += DIFF_PAGE_SIZE, index++) {
    const end = Math.min(start + DIFF_PAGE_SIZE, b.length);
    if (end <= a.length && b.compare(a, start, end, start, end) === 0) continue;
    changed.push(index);
  }
  return changed;
}

/**
 * Copy pages `pages` (DIFF_PAGE_SIZE each, ascending, as changedPages gives them) of `src`
 * into `dst` at the same offsets, each run of consecutive pages in one copy. With the
 * pages changedPages(dst, src) found, `dst` then equals `src` (same length) without
 * copying what was equal already.
 */
export function copyPages(dst: Uint8Array, src: Uint8Array, pages: readonly number[]): void {
  for (let i = 0; i < pages.length;) {
    let j = i + 1;
    while (j < pages.length && pages[j] === pages[j - 1] + 1) j++;
    const start = pages[i] * DIFF_PAGE_SIZE;
    const end = Math.min(src.length, pages[j - 1] * DIFF_PAGE_SIZE + DIFF_PAGE_SIZE);
    dst.set(src.subarray(start, end), start);
    i = j;
  }
}

export interface DiffOptions {
  /**
   * Make the pages views of `next.memory` instead of copies: for a diff that is encoded
   * at once while `next` stays unchanged (a hub replying with its state), one copy less.
   */
  share?: boolean;
}

/**
 * `applyDiff` that writes the pages into `base.memory` instead of a new memory (unless the
 * memory grew): for a caller that owns `base` and no longer needs it as it was (a hub
 * advancing its base checkpoint). Returns the new checkpoint, which may share `base`'s
 * memory; `base` must not be used afterwards. Same errors as applyDiff.
 */
export function applyDiffInPlace(base: Checkpoint, diff: CheckpointDiff): Checkpoint {
  if (diff.kind !== 'diff' || diff.memoryLength !== base.memory.length || diff.base !== base.id || diff.bundle !== base.bundle) {
    return applyDiff(base, diff);
  }
  validateCheckpoint(diff, 'cannot apply diff', 'pass a diff made by diffCheckpoint or decodeCheckpoint');
  const memory = base.memory;
  for (const page of diff.pages) memory.set(page.bytes, page.index * diff.pageSize);
  return {
    kind: 'full', id: diff.id, bundle: diff.bundle, entry: diff.entry, fragment: diff.fragment,
    paused: diff.paused, yields: diff.yields, memory, ...withOutput(diff.output, true),
  };
}

/**
 * Rebuilds the full checkpoint a diff describes. Returns a new checkpoint with
 * `id = diff.id` and a fresh memory; `base` and `diff` are not modified.
 *
 * # Errors
 * CheckpointError 'base-mismatch' if `diff.base` is not `base.id`, the bundles differ, or
 * the diff's memory is shorter than base's; 'malformed' if either input is out of schema.
 */
export function applyDiff(base: Checkpoint, diff: CheckpointDiff): Checkpoint {
  expectFull(base, 'base');
  validateCheckpoint(diff, 'cannot apply diff', 'pass a diff made by diffCheckpoint or decodeCheckpoint');
  if (diff.kind !== 'diff') {
    throw new CheckpointError('malformed', `cannot apply diff: got a checkpoint of kind '${(diff as { kind: string }).kind}', expected 'diff'`);
  }
  if (diff.base !== base.id) {
    throw new CheckpointError(
      'base-mismatch',
      `diff ${diff.id} applies to checkpoint ${diff.base}, not ${base.id}; ` +
        `apply it to checkpoint ${diff.base} or fetch a full checkpoint`,
    );
  }
  if (diff.bundle !== base.bundle) {
    throw new CheckpointError(
      'base-mismatch',
      `diff ${diff.id} belongs to bundle ${diff.bundle} but base ${base.id} to bundle ${base.bundle}; ` +
        'fetch a full checkpoint for this job',
    );
  }
  if (diff.memoryLength < base.memory.length) {
    throw new CheckpointError(
      'base-mismatch',
      `diff ${diff.id} describes ${diff.memoryLength} bytes of memory, less than base ${base.id}'s ` +
        `${base.memory.length}, but wasm memory only grows; fetch a full checkpoint`,
    );
  }
  // Every byte is written below (base, zeros for the grown part, then the pages), so the
  // allocator's zero fill would be a wasted pass.
  const memory = uninitialized(diff.memoryLength);
  memory.set(base.memory);
  memory.fill(0, base.memory.length);
  // Neighbouring pages that also lie side by side in one buffer (as diffCheckpoint and
  // decodeCheckpoint leave them) are copied with one `set`.
  const { pages, pageSize } = diff;
  for (let i = 0; i < pages.length;) {
    const { index, bytes } = pages[i];
    let length = bytes.length;
    while (++i < pages.length && pages[i].index === index + (length / pageSize)) {
      const next = pages[i].bytes;
      if (next.buffer !== bytes.buffer || next.byteOffset !== bytes.byteOffset + length) break;
      length += next.length;
    }
    memory.set(length === bytes.length ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, length), index * pageSize);
  }
  return {
    kind: 'full',
    id: diff.id,
    bundle: diff.bundle,
    entry: diff.entry,
    fragment: diff.fragment,
    paused: diff.paused,
    yields: diff.yields,
    memory,
    ...withOutput(diff.output, false),
  };
}

/** The `output` field to carry over: shared or copied like the pages, absent when empty. */
function withOutput(output: Uint8Array | undefined, share: boolean): { output?: Uint8Array } {
  if (!output?.byteLength) return {};
  return { output: share ? output : output.slice() };
}

function expectFull(cp: Checkpoint, name: string): void {
  validateCheckpoint(cp, `invalid ${name} checkpoint`, 'pass a checkpoint from capture or decodeCheckpoint');
  if (cp.kind !== 'full') {
    throw new CheckpointError('malformed', `invalid ${name} checkpoint: expected kind 'full', got '${(cp as { kind: string }).kind}'; apply diffs first`);
  }
}
