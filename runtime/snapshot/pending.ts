/**
 * A diff held beside its base instead of written into it.
 *
 * A hub that receives a diff for a job whose paused instance it still holds (the spare
 * in slot/core.ts) used to write the diff's pages into its base first, then copy them from
 * the base into the instance, and after the run copy the pages the run changed from the
 * instance into the base again: the diff's pages were written into the base twice, the
 * first time before the fragment could resume (a 16 MiB state: about 2 ms of the
 * pause-to-resume). Held apart, the pages go straight into the instance; the base stays as
 * it was until the run is over, and is then brought up to the run's memory once, for the
 * pages the diff carried and those the run changed together.
 *
 * The pages of `diff` are views of the bytes it was decoded from: those must not change
 * until the base is brought up to date (or `settle` ran).
 *   const p = deferDiff(base, diff);            // undefined: apply it now (applyDiffInPlace)
 *   x.restoreWrites(p.state, p.writes);          // the instance holds the base already
 *   // ... the run, which leaves `live` ...
 *   const changed = p.changedIn(live.memory);    // = changedPages(applied state, live.memory)
 *   copyPages(p.state.memory, live.memory, p.withPages(changed));   // the base is `live` now
 *   // or, when the instance could not be used after all: const state = p.settle();
 */
import { DIFF_PAGE_SIZE, asBuffer } from './codec.js';
import { validateCheckpoint } from './schema.js';
import type { Checkpoint, CheckpointDiff } from './types.js';

export class PendingDiff {
  private settled = false;

  /**
   * @param state the state the diff gives, except that its memory is the base's, which
   *   holds the old bytes of `indices`' pages until `settle`.
   * @param srcs the buffers the diff's pages lie in (one, for a decoded diff), as Buffers.
   * @param src by page index, which of `srcs` holds the diff's bytes for it; -1: not carried.
   * @param at by page index, where in it they start.
   * @param indices the pages the diff carries, ascending.
   */
  private constructor(
    readonly state: Checkpoint,
    private readonly srcs: readonly Buffer[],
    private readonly src: Int32Array,
    private readonly at: Uint32Array,
    readonly indices: readonly number[],
  ) {}

  /** `diff` held against `base` (see deferDiff). */
  static of(base: Checkpoint, diff: CheckpointDiff): PendingDiff | undefined {
    if (diff.kind !== 'diff' || diff.pageSize !== DIFF_PAGE_SIZE || diff.memoryLength !== base.memory.length || diff.base !== base.id || diff.bundle !== base.bundle) return undefined;
    // Sorted and unique, each page of its exact length (a short last page at the memory's end).
    validateCheckpoint(diff, 'cannot apply diff', 'pass a diff made by diffCheckpoint or decodeCheckpoint');
    const count = Math.ceil(diff.memoryLength / DIFF_PAGE_SIZE);
    const src = new Int32Array(count).fill(-1);
    const at = new Uint32Array(count);
    const srcs: Buffer[] = [];
    const indices: number[] = new Array(diff.pages.length);
    // Typed arrays by index, not a page object per page: a 16 MiB diff has 4,096 of them,
    // and going through them per page cost more than the compare they are for.
    let last: ArrayBufferLike | undefined;
    for (let i = 0; i < diff.pages.length; i++) {
      const { index, bytes } = diff.pages[i];
      if (bytes.buffer !== last) {
        last = bytes.buffer;
        let k = srcs.findIndex((b) => b.buffer === last);
        if (k < 0) k = srcs.push(Buffer.from(last, 0, last.byteLength)) - 1;
        src[index] = k;
      } else {
        src[index] = src[indices[i - 1]];
      }
      at[index] = bytes.byteOffset;
      indices[i] = index;
    }
    const state: Checkpoint = {
      kind: 'full', id: diff.id, bundle: diff.bundle, entry: diff.entry, fragment: diff.fragment,
      paused: diff.paused, yields: diff.yields, memory: base.memory, ...(diff.output?.byteLength ? { output: diff.output } : {}),
    };
    return new PendingDiff(state, srcs, src, at, indices);
  }

  /**
   * What restoring the state writes over the base: the pages the diff carries, at their
   * offsets, consecutive pages that lie side by side in one buffer (a decoded diff's do)
   * as one write: a 16 MiB state rewritten whole is one copy, not 4,096.
   */
  get writes(): Array<readonly [number, Uint8Array]> {
    const out: Array<readonly [number, Uint8Array]> = [];
    const { indices: idx, src, at } = this;
    const memoryLength = this.state.memory.length;
    for (let k = 0; k < idx.length;) {
      const first = idx[k];
      const from = src[first];
      let length = Math.min(DIFF_PAGE_SIZE, memoryLength - first * DIFF_PAGE_SIZE);
      let j = k + 1;
      for (; j < idx.length; j++) {
        const i = idx[j];
        if (i !== idx[j - 1] + 1 || src[i] !== from || at[i] !== at[first] + length) break;
        length += Math.min(DIFF_PAGE_SIZE, memoryLength - i * DIFF_PAGE_SIZE);
      }
      const b = this.srcs[from];
      out.push([first * DIFF_PAGE_SIZE, new Uint8Array(b.buffer, at[first], length)] as const);
      k = j;
    }
    return out;
  }

  /**
   * The pages (ascending) in which `next` differs from the state the diff gives: as
   * changedPages(state, next) once applied. `next` may be longer (a run grew the memory):
   * every page past the state's end counts.
   */
  changedIn(next: Uint8Array): number[] {
    if (this.settled) throw new Error('PendingDiff.changedIn after settle: compare with state.memory');
    const base = asBuffer(this.state.memory);
    const b = asBuffer(next);
    const { src, at, srcs } = this;
    const carried = src.length;
    const memoryLength = base.length;
    const changed: number[] = [];
    for (let start = 0, index = 0; start < b.length; start += DIFF_PAGE_SIZE, index++) {
      const end = Math.min(start + DIFF_PAGE_SIZE, b.length);
      const s = index < carried ? src[index] : -1;
      if (s >= 0) {
        // A page the diff carries is compared with the diff's bytes, not the stale base's.
        const length = Math.min(DIFF_PAGE_SIZE, memoryLength - start);
        const from = at[index];
        if (end - start === length && b.compare(srcs[s], from, from + length, start, end) === 0) continue;
      } else if (end <= base.length && b.compare(base, start, end, start, end) === 0) {
        continue;
      }
      changed.push(index);
    }
    return changed;
  }

  /** `changed` (ascending) with the pages the diff carries, ascending and unique: what the base lacks of a memory whose changed pages are `changed`. */
  withPages(changed: readonly number[]): number[] {
    const a = this.indices;
    const out: number[] = [];
    for (let i = 0, j = 0; i < a.length || j < changed.length;) {
      if (j >= changed.length || (i < a.length && a[i] <= changed[j])) {
        if (j < changed.length && changed[j] === a[i]) j++;
        out.push(a[i++]);
      } else {
        out.push(changed[j++]);
      }
    }
    return out;
  }

  /** Write the diff's pages into the base now: `state` is then the applied state, as applyDiffInPlace gives it. */
  settle(): Checkpoint {
    if (!this.settled) {
      for (const [at, bytes] of this.writes) this.state.memory.set(bytes, at);
      this.settled = true;
    }
    return this.state;
  }
}

/**
 * `diff` held against `base` (whose memory becomes the state's, stale on the diff's pages
 * until the caller brings it up to date): undefined when it cannot be (another page size,
 * another length, not this base's diff), for applyDiffInPlace to do as it does. Throws
 * CheckpointError 'malformed' on a diff out of schema, as applyDiffInPlace.
 */
export function deferDiff(base: Checkpoint, diff: CheckpointDiff): PendingDiff | undefined {
  return PendingDiff.of(base, diff);
}
