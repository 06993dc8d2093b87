/**
 * What a hub remembers of each job key it has seen, for as long as the job may still send
 * it anything: the client that owns the key (pinned by its first ticket or sealed
 * checkpoint), the highest hand-over sequence taken, whether the engine's own exec was
 * taken, and the job's current ticket (route, keys, inboxes). Replay protection rests on
 * it, so it never forgets a key a peer could replay into while the key is in use: unlike
 * an LRU, a flood of junk keys cannot push a live one out. A key is forgotten only
 * `retainMs` after it was last used; when the table is full, new keys are refused
 * (`full`) instead.
 *   const marks = new JobMarks({ retainMs: 3_600_000, maxKeys: 100_000 });
 *   const m = marks.take('j.0');   // undefined: full; refuse the request
 */
import type { ExecTicket } from '../net/index.js';

export interface JobMark {
  /** The owning client's keys (hex): the signing key from its ticket, the sealing key from its exec. */
  clientSign?: string;
  clientSeal?: string;
  /** The highest hand-over sequence whose sealed checkpoint was taken; -1 before any. */
  seq: number;
  /** The engine's own exec (no `from`) for this key was taken: a second one is a replay. */
  engineExec: boolean;
  /** The ticket the job runs under here, and its signature (a move replaces it). */
  ticket?: ExecTicket;
  sig?: Uint8Array;
  /** When this key was last used (epoch ms). */
  at: number;
}

export interface JobMarksOptions {
  /** Forget a key this long after its last use. @default 1 h */
  retainMs?: number;
  /** Keys held at most; beyond, new keys are refused. @default 100000 (about 40 MiB) */
  maxKeys?: number;
}

export const DEFAULT_MARKS_RETAIN_MS = 3_600_000;
export const DEFAULT_MAX_MARKED_KEYS = 100_000;

export class JobMarks {
  private readonly marks = new Map<string, JobMark>();
  private readonly retainMs: number;
  private readonly maxKeys: number;
  private nextPrune = 0;

  constructor(opts: JobMarksOptions = {}) {
    this.retainMs = opts.retainMs ?? DEFAULT_MARKS_RETAIN_MS;
    this.maxKeys = opts.maxKeys ?? DEFAULT_MAX_MARKED_KEYS;
  }

  get size(): number {
    return this.marks.size;
  }

  /** The marks of `job`, without making any. */
  get(job: string): JobMark | undefined {
    return this.marks.get(job);
  }

  /** The marks of `job`, made when new (touched either way); undefined when the table is full. */
  take(job: string, now = Date.now()): JobMark | undefined {
    let m = this.marks.get(job);
    if (!m) {
      this.prune(now);
      if (this.marks.size >= this.maxKeys) return undefined;
      m = { seq: -1, engineExec: false, at: now };
      this.marks.set(job, m);
    }
    m.at = now;
    return m;
  }

  /** Forget keys unused for `retainMs`: at most once a second, oldest first (Map order is insertion). */
  private prune(now: number): void {
    if (now < this.nextPrune) return;
    this.nextPrune = now + 1000;
    for (const [k, m] of this.marks) if (now - m.at > this.retainMs) this.marks.delete(k);
  }
}
