/**
 * Exact, portable checkpoints: the public entry of the snapshot part.
 *
 * Full checkpoints carry a fragment's whole linear memory; diffs carry the pages that
 * changed since a base. Both travel in a versioned, CRC-checked frame: a CBOR meta map
 * and the raw pages (zero pages of a full checkpoint left out). Usage:
 *   const bytes = encodeCheckpoint(diffCheckpoint(previous, executor.capture()));
 *   const cp = decodeCheckpoint(bytes);   // throws CheckpointError, never anything else
 *   const full = cp.kind === 'diff' ? applyDiff(previous, cp) : cp;
 */
export type { AnyCheckpoint, Checkpoint, CheckpointDiff } from './types.js';
export { CheckpointError } from './errors.js';
export type { CheckpointErrorCode } from './errors.js';
export {
  CHECKPOINT_FORMAT_VERSION,
  CHECKPOINT_HEADER_BYTES,
  CHECKPOINT_MAGIC,
  DEFAULT_MAX_CHECKPOINT_BYTES,
  checksumCheckpoint,
  decodeCheckpoint,
  encodeCheckpoint,
  nonZeroPages,
} from './codec.js';
export type { DecodeCheckpointOptions, EncodeCheckpointOptions } from './codec.js';
export { DIFF_PAGE_SIZE, applyDiff, applyDiffInPlace, changedPages, copyPages, diffCheckpoint, newCheckpointId } from './diff.js';
export { Lineage, type HeldBase } from './lineage.js';
export { deferDiff, type PendingDiff } from './pending.js';
export type { DiffOptions } from './diff.js';
