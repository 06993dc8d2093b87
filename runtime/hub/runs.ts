/**
 * The runs table: which exec job keys run (or wait) on which slot of this hub, the tag
 * that pauses only one of them, and the moves asked of them. A job sticks to one slot,
 * which holds its base checkpoint for diffs; a new job goes to the slot with the fewest
 * requests in flight. Pure bookkeeping: tested without threads or a server.
 *   const runs = new RunsTable({ size: 2, inFlight: (s) => pool.inFlight(s) });
 *   const run = runs.start('job.0', { fragment: 3 });   ...   runs.end(run);
 */
import { boundedMap } from '../util/index.js';

/** A run on a slot of this hub. */
export interface Run {
  /** The exec job key. */
  job: string;
  slot: number;
  /** Pauses only this run (SlotExec.tag); never reused. */
  tag: number;
  /** The fragment it started in (for log lines). */
  fragment: number;
  /** The job its fences name (records.ts fencedJob: its record, or the job id of its key) and its attempt. */
  record?: string;
  attempt?: number;
  /** The job's client's signing key (hex): only its fences drop the run. */
  client?: string;
  /** Re-weaving asked it to move to this hub (sealed to `key` when given); `here`: this hub decided it (weaving.ts), not the engine. */
  move?: { to: string; key?: Uint8Array; here?: boolean };
  /** The job's bundle hash, and the bytes of the state it came with (what a move carries, about). */
  bundle?: string;
  stateBytes?: number;
  /** An engine's exec (not a hand-over): the engine still holds its state and waits for the reply. */
  fromEngine?: boolean;
}

/** Jobs whose slot is remembered; one forgotten gets a slot afresh (and a `no-base` for a diff, which the engine resolves). */
const MAX_SLOT_JOBS = 4096;

export class RunsTable {
  /** By exec job key, in arrival order: a slot serves its runs in turn. */
  private readonly runs = new Map<string, Run>();
  private readonly jobSlot = boundedMap<string, number>(MAX_SLOT_JOBS);
  private nextTag = 1;

  constructor(private readonly slots: { readonly size: number; inFlight(slot: number): number }) {}

  /** The slot `job` runs on: the one it ran on before, else the least busy. */
  slotFor(job: string): number {
    let slot = this.jobSlot.get(job);
    if (slot === undefined) {
      slot = 0;
      for (let i = 1; i < this.slots.size; i++) if (this.slots.inFlight(i) < this.slots.inFlight(slot)) slot = i;
      this.jobSlot.set(job, slot);
    }
    return slot;
  }

  /** Forget where `job` ran (its base is gone); returns the slot it had. */
  forgetSlot(job: string): number | undefined {
    const slot = this.jobSlot.get(job);
    this.jobSlot.delete(job);
    return slot;
  }

  /** Jobs with a slot here (whose base may be held). */
  jobs(): number {
    return this.jobSlot.size;
  }

  /** Track a run of `job` on its slot. */
  start(job: string, at: { fragment: number; record?: string; attempt?: number; client?: string; fromEngine?: boolean; bundle?: string; stateBytes?: number }): Run {
    const run: Run = { job, slot: this.slotFor(job), tag: this.nextTag++, ...at };
    this.runs.set(job, run);
    return run;
  }

  /** The run is over here (answered, handed over, or failed). */
  end(run: Run): void {
    if (this.runs.get(run.job) === run) this.runs.delete(run.job);
  }

  get(job: string): Run | undefined {
    return this.runs.get(job);
  }

  /** The exec job keys running or queued here, at most `max` (adverts carry them). */
  keys(max = 1024): string[] {
    return [...this.runs.keys()].slice(0, max);
  }

  /**
   * The run a slot is on, for log lines: a slot serves its runs in arrival order, so the
   * oldest one tracked on it. `fragment` is the one that run started in.
   */
  runOn(slot: number): { job: string; fragment: number } | Record<string, never> {
    for (const [job, run] of this.runs) if (run.slot === slot) return { job, fragment: run.fragment };
    return {};
  }

  /** Runs of job record `record` of client `client` (hex) older than `attempt` (a fence drops them). */
  olderThan(record: string, attempt: number, client: string): Run[] {
    return [...this.runs.values()].filter((r) => r.record === record && r.client === client && (r.attempt ?? 0) < attempt);
  }

  /** The run tagged `tag` on `slot`, if tracked. */
  byTag(slot: number, tag: number): Run | undefined {
    for (const run of this.runs.values()) if (run.slot === slot && run.tag === tag) return run;
    return undefined;
  }

  /** Ask `job`'s run to move to `to`; undefined when it does not run here. `here`: this hub decided it. */
  askMove(job: string, to: string, key?: Uint8Array, here?: boolean): Run | undefined {
    const run = this.runs.get(job);
    if (run) run.move = { to, key, ...(here ? { here } : {}) };
    return run;
  }
}
