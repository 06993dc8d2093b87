/**
 * A job state's page lineage, for diffs on every route: the hand-over step at which each
 * DIFF_PAGE_SIZE page of its memory last changed. A hub that holds a base of the job taken
 * at step t needs exactly the pages changed after t; with the lineage beside the state,
 * any hub can send it those, not only the hub that handed the state over.
 *
 * Steps are the job's hand-over count (ExecRequest.handovers, the sealing sequence): the
 * state a hub receives is at step h, the state its run leaves at h + 1. A page's step is
 * the last run that changed its bytes, so every page whose step is at most t holds what it
 * held at t (a page that changed and changed back counts as changed). What a hub does not
 * know (a whole state without steps, or a diff without them) it takes as changed at the
 * step it learnt it: more pages travel later, never too few.
 *   const l = Lineage.start(full.memory.length, h, full.steps);   // a whole state came in at step h
 *   l.received(diff, h);                                   // or a diff was applied to the base
 *   l.ran(before.memory, after.memory, h + 1);             // what the run changed
 *   encodeCheckpoint(l.diffFor(after, { id, step: t }));   // for a hub whose base is at t
 */
import { DIFF_PAGE_SIZE } from './codec.js';
import { changedPages } from './diff.js';
import { CheckpointError } from './errors.js';
import type { Checkpoint, CheckpointDiff } from './types.js';

/** A base another hub holds: its checkpoint id and the step it was taken at. */
export interface HeldBase { id: string; step: number }

export class Lineage {
  private constructor(private at: number, private steps: Uint32Array) {}

  /**
   * A state of `memoryLength` bytes taken whole at `step`, with the page steps it came with
   * (Checkpoint.steps), or without: then every page counts as changed at `step`. Steps that
   * do not fit (another length, a step after `step`) are not used.
   */
  static start(memoryLength: number, step: number, steps?: Uint32Array): Lineage {
    const n = pageCount(memoryLength);
    if (steps && steps.length === n && steps.every((s) => s <= step)) return new Lineage(step, steps.slice());
    return new Lineage(step, new Uint32Array(n).fill(step));
  }

  /** The step of the state the lineage describes. */
  get step(): number {
    return this.at;
  }

  /**
   * A diff was applied to the base this lineage describes, giving the state at `step`.
   *
   * # Errors
   * CheckpointError 'base-mismatch' if the diff holds only the pages changed after a step
   * later than this base's (pages this base lacks would be missing), or says pages changed
   * after `step`.
   */
  received(diff: CheckpointDiff, step: number): void {
    if (diff.since !== undefined && diff.since > this.at) {
      throw new CheckpointError('base-mismatch', `diff ${diff.id} holds the pages changed after step ${diff.since}, but base ${diff.base} was taken at step ${this.at}; send the state whole`);
    }
    if (step < this.at) throw new CheckpointError('base-mismatch', `diff ${diff.id} is for step ${step}, before base ${diff.base}'s step ${this.at}`);
    // Checked whole before anything changes: a refused diff leaves the lineage as it was.
    const steps = diff.steps;
    if (steps && diff.pageSize !== DIFF_PAGE_SIZE) {
      throw new CheckpointError('base-mismatch', `diff ${diff.id} has page steps for ${diff.pageSize}-byte pages; steps are kept per ${DIFF_PAGE_SIZE}-byte page`);
    }
    if (steps) {
      for (let i = 0; i < steps.length; i++) {
        if (steps[i] > step) throw new CheckpointError('base-mismatch', `diff ${diff.id} says page ${diff.pages[i].index} changed at step ${steps[i]}, after its own step ${step}`);
      }
    }
    this.grow(diff.memoryLength, step);
    if (steps) {
      for (let i = 0; i < diff.pages.length; i++) this.steps[diff.pages[i].index] = steps[i];
    } else {
      // Any page size: every 4 KiB page a carried page overlaps changed now.
      for (const { index, bytes } of diff.pages) {
        const start = index * diff.pageSize;
        this.steps.fill(step, Math.floor(start / DIFF_PAGE_SIZE), Math.ceil((start + bytes.length) / DIFF_PAGE_SIZE));
      }
    }
    this.at = step;
  }

  /**
   * A run took the memory from `before` to `after`, whose state is at `step`. Returns the
   * pages it changed (DIFF_PAGE_SIZE each; every page past `before`'s end counts).
   */
  ran(before: Uint8Array, after: Uint8Array, step: number): number[] {
    return this.changed(changedPages(before, after), after.length, step);
  }

  /**
   * `ran`, with the pages the run changed found by the caller (a diff held apart from its
   * base compares them itself: PendingDiff.changedIn); `memoryLength` is the memory's
   * after the run. Returns `pages`.
   */
  changed(pages: number[], memoryLength: number, step: number): number[] {
    this.grow(memoryLength, step);
    for (const index of pages) this.steps[index] = step;
    this.at = step;
    return pages;
  }

  /**
   * `state` (the one this lineage describes) as a diff for a hub holding `base`: the pages
   * changed after the base's step, each a view of `state.memory` (encode it at once).
   *
   * # Errors
   * CheckpointError 'base-mismatch' if the base claims a step after this state's.
   */
  diffFor(state: Checkpoint, base: HeldBase): CheckpointDiff {
    if (base.step > this.at) throw new CheckpointError('base-mismatch', `base ${base.id} is said to be at step ${base.step}, after this state's step ${this.at}`);
    const length = state.memory.length;
    const indices: number[] = [];
    for (let p = 0; p < this.steps.length; p++) if (this.steps[p] > base.step) indices.push(p);
    const pages = indices.map((index) => {
      const start = index * DIFF_PAGE_SIZE;
      return { index, bytes: state.memory.subarray(start, Math.min(start + DIFF_PAGE_SIZE, length)) };
    });
    return {
      kind: 'diff', id: state.id, base: base.id, bundle: state.bundle, entry: state.entry, fragment: state.fragment, paused: state.paused, yields: state.yields,
      memoryLength: length, pageSize: DIFF_PAGE_SIZE, pages, since: base.step, steps: Uint32Array.from(indices, (p) => this.steps[p]),
      ...(state.output?.byteLength ? { output: state.output } : {}),
    };
  }

  /** `state` (the one this lineage describes) whole, with its page steps, for a hub that holds no base. */
  whole(state: Checkpoint): Checkpoint {
    return { ...state, steps: this.steps.subarray(0, pageCount(state.memory.length)) };
  }

  /** Pages a grown memory adds count as changed at `step` (they were not there before). */
  private grow(memoryLength: number, step: number): void {
    const n = pageCount(memoryLength);
    if (n <= this.steps.length) return;
    const steps = new Uint32Array(n).fill(step);
    steps.set(this.steps);
    this.steps = steps;
  }
}

function pageCount(memoryLength: number): number {
  return Math.ceil(memoryLength / DIFF_PAGE_SIZE);
}
