/**
 * Exact, portable checkpoints: the public entry of the snapshot part.
 *
 * Full checkpoints carry a fragment's whole linear memory; diffs carry the pages that
 * changed since a base. Both travel as versioned, checksummed CBOR. Usage:
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
  decodeCheckpoint,
  encodeCheckpoint,
} from './codec.js';
export type { DecodeCheckpointOptions } from './codec.js';
export { DIFF_PAGE_SIZE, applyDiff, diffCheckpoint, newCheckpointId } from './diff.js';
