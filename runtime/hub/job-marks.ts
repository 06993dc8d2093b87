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
import { DEFAULT_MAX_RETAINED_KEYS, DEFAULT_RETAIN_MS, RetainedTable, type RetainedTableOptions } from './retained-table.js';

export interface JobMark {
  /** The owning client's keys (hex): the signing key from its ticket, the sealing key from its exec. */
  clientSign?: string;
  clientSeal?: string;
  /** The highest hand-over sequence whose sealed checkpoint was taken; -1 before any. */
  seq: number;
  /** The engine's own exec (no `from`) for this key was taken: a second one is a replay. */
  engineExec: boolean;
  /** The ticket the job runs under here, and its signature unless it came MACed (a move replaces both). */
  ticket?: ExecTicket;
  sig?: Uint8Array;
  /** When this key was last used (epoch ms). */
  at: number;
}

export type JobMarksOptions = RetainedTableOptions;

export const DEFAULT_MARKS_RETAIN_MS = DEFAULT_RETAIN_MS;
export const DEFAULT_MAX_MARKED_KEYS = DEFAULT_MAX_RETAINED_KEYS;

export class JobMarks {
  private readonly marks: RetainedTable<JobMark>;

  constructor(opts: JobMarksOptions = {}) {
    this.marks = new RetainedTable(opts);
  }

  get size(): number {
    return this.marks.size;
  }

  /** The marks of `job`, without making any. */
  get(job: string): JobMark | undefined {
    return this.marks.get(job);
  }

  /**
   * Forget `job`'s marks at `at` (epoch ms), sooner than their retention, and meanwhile
   * keep only what refuses a replay (the client, the sequence, the engine exec taken): see
   * SealGate.finished. A hub running tiny jobs at hundreds a second holds a few hundred
   * thousand such keys (about 200 bytes each) apart from its live ones.
   */
  expire(job: string, at: number): void {
    const m = this.marks.get(job);
    if (!m) return;
    m.ticket = undefined;
    m.sig = undefined;
    this.marks.expire(job, at);
  }

  /** The marks of `job`, made when new (touched either way); undefined when the table is full. */
  take(job: string, now = Date.now()): JobMark | undefined {
    const m = this.marks.take(job, () => ({ seq: -1, engineExec: false, at: now }), now);
    if (m) m.at = now;
    return m;
  }
}
