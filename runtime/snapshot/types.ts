/**
 * The shape of an exact checkpoint, shared by the codec, the executor and the hubs.
 *
 * A checkpoint is everything a fresh instance of a fragment module needs to continue
 * bit-exactly: the whole linear memory (mutable globals are spilled into a reserved area
 * of it before capture, and the Asyncify unwind buffer lives in it too), plus where to
 * continue. Usage:
 *   const cp = executor.capture();            // Checkpoint
 *   const bytes = encodeCheckpoint(cp);       // versioned, checksummed; see docs/checkpoint-format.md
 *   const again = decodeCheckpoint(bytes);    // throws CheckpointError on bad input
 */

/** A full checkpoint: complete linear memory plus the control position. */
export interface Checkpoint {
  kind: 'full';
  /** Unique id of this checkpoint (random hex). Diffs name their base by it. */
  id: string;
  /** Content hash (hex sha-256) of the bundle this state belongs to. */
  bundle: string;
  /** Exported entry function of the job. */
  entry: string;
  /** Fragment to continue: the one paused in (paused=true) or the next to start. */
  fragment: number;
  /** True when paused mid-fragment at a yield point: resume needs an Asyncify rewind. */
  paused: boolean;
  /** Yield points passed so far in this job. */
  yields: number;
  /** The complete linear memory, byte for byte. */
  memory: Uint8Array;
  /** The job's output so far (io.output-write); absent when empty. */
  output?: Uint8Array;
  /**
   * The hand-over step at which each DIFF_PAGE_SIZE page last changed (runtime/snapshot/
   * lineage.ts), one per page of memory: a hub that takes the state whole can then send
   * later hubs only what changed since their bases. Absent: not known.
   */
  steps?: Uint32Array;
}

/** A differential checkpoint: the pages that changed since checkpoint `base`. */
export interface CheckpointDiff {
  kind: 'diff';
  id: string;
  /** Id of the full checkpoint this diff applies to. */
  base: string;
  bundle: string;
  entry: string;
  fragment: number;
  paused: boolean;
  yields: number;
  /** Byte length of the memory after applying the diff (memory can only grow). */
  memoryLength: number;
  /** Size of a diff page in bytes (DIFF_PAGE_SIZE from diffCheckpoint; decoded diffs may
   *  carry any power of two from 256 to 65536). */
  pageSize: number;
  /** Changed pages, by increasing index: page index and its full new contents (the last
   *  page may be short). Pages from diffCheckpoint and decodeCheckpoint are views into
   *  a few buffers that the diff owns, not into the memory they came from. */
  pages: Array<{ index: number; bytes: Uint8Array }>;
  /** The job's whole output so far (it only grows, and is small next to memory). */
  output?: Uint8Array;
  /**
   * A route diff (runtime/snapshot/lineage.ts): it holds every page changed after the
   * job's hand-over step `since`, so it applies to the base it names only if that base was
   * taken at step `since` or later (the receiver checks). Absent: it applies to exactly
   * the state its base names.
   */
  since?: number;
  /** With `since`: the hand-over step at which each of `pages` last changed, in order (each above `since`). */
  steps?: Uint32Array;
}

export type AnyCheckpoint = Checkpoint | CheckpointDiff;
