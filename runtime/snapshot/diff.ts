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
import { validateCheckpoint } from './codec.js';
import { CheckpointError } from './errors.js';
import type { Checkpoint, CheckpointDiff } from './types.js';

/** 4 KiB: small enough that a few scattered writes ship little, large enough that a
 *  16 MiB memory is only 4096 page comparisons. */
export const DIFF_PAGE_SIZE = 4096;

/** A fresh random checkpoint id: 16 lowercase hex characters (64 bits). */
export function newCheckpointId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * The pages of `next` that differ from `base`, plus every page beyond the end of base's
 * memory. The diff owns copies of those pages; `base` and `next` are not modified.
 *
 * @param id the diff's id; defaults to `next.id`, so that applying the diff reproduces
 *   `next` exactly, id included.
 *
 * # Errors
 * CheckpointError 'base-mismatch' if the bundles differ or next's memory is shorter than
 * base's (memory only grows within a job); 'malformed' if either input is out of schema.
 */
export function diffCheckpoint(base: Checkpoint, next: Checkpoint, id: string = next.id): CheckpointDiff {
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
  // Buffer#compare on ranges is a native memcmp with no per-page allocation.
  const a = asBuffer(base.memory);
  const b = asBuffer(next.memory);
  const pages: CheckpointDiff['pages'] = [];
  for (let start = 0, index = 0; start < nextLength; start += DIFF_PAGE_SIZE, index++) {
    const end = Math.min(start + DIFF_PAGE_SIZE, nextLength);
    if (end <= baseLength && b.compare(a, start, end, start, end) === 0) continue;
    pages.push({ index, bytes: next.memory.slice(start, end) });
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
  const memory = new Uint8Array(diff.memoryLength);
  memory.set(base.memory);
  for (const page of diff.pages) memory.set(page.bytes, page.index * diff.pageSize);
  return {
    kind: 'full',
    id: diff.id,
    bundle: diff.bundle,
    entry: diff.entry,
    fragment: diff.fragment,
    paused: diff.paused,
    yields: diff.yields,
    memory,
  };
}

function expectFull(cp: Checkpoint, name: string): void {
  validateCheckpoint(cp, `invalid ${name} checkpoint`, 'pass a checkpoint from capture or decodeCheckpoint');
  if (cp.kind !== 'full') {
    throw new CheckpointError('malformed', `invalid ${name} checkpoint: expected kind 'full', got '${(cp as { kind: string }).kind}'; apply diffs first`);
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
