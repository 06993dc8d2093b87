/**
 * Stand-ins for what a hub part talks to when it is tested alone, without a NATS server:
 * a logger that keeps its lines, in-memory job records and checkpoint store (the same
 * compare-and-set rules as runtime/net/jobs.ts, in a Map), and a promise to settle by hand.
 * Each part's real counterpart runs in the process-level tests (mesh, jobs, failover…).
 *   const log = capturingLogger();  part.doSomething();  assert.ok(log.lines.some((l) => l.msg === 'fenced'));
 */
import type { CheckpointStore, CommitOutcome, JobResultFields } from '../../runtime/net/index.js';
import type { Logger } from '../../runtime/hub/index.js';
import type { RecordStore } from '../../runtime/hub/internal.js';

export interface LogLine { level: string; msg: string; [field: string]: unknown }

export function capturingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (msg: string, fields: Record<string, unknown> = {}) => { lines.push({ level, msg, ...fields }); };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Job records in memory: one attempt current per job, a result committed once. */
export class MemoryRecords implements RecordStore {
  readonly jobs = new Map<string, { attempt: number; state: 'running' | 'done' | 'failed'; committed?: { attempt: number; hub: string } }>();
  readonly bundles = new Map<string, Uint8Array>();
  /** Commits that throw before one goes through (a server restarting). */
  failNext = 0;
  commits = 0;

  async commit(job: string, attempt: number, f: JobResultFields): Promise<CommitOutcome> {
    this.commits++;
    if (this.failNext > 0) { this.failNext--; throw new Error('timeout: the server is restarting'); }
    const rec = this.jobs.get(job);
    if (!rec) return 'unknown';
    if (rec.state === 'done') return rec.committed?.attempt === attempt ? 'already' : 'fenced';
    if (rec.state !== 'running' || rec.attempt !== attempt) return 'fenced';
    rec.state = 'done';
    rec.committed = { attempt, hub: f.hub };
    return 'committed';
  }

  async fail(job: string, attempt: number): Promise<unknown> {
    const rec = this.jobs.get(job);
    if (rec && rec.state === 'running' && rec.attempt === attempt) rec.state = 'failed';
    return rec;
  }

  async bundle(hash: string): Promise<Uint8Array | undefined> {
    return this.bundles.get(hash);
  }
}

/** A checkpoint store in memory whose puts wait until `release()` (a slow store). */
export class SlowCheckpointStore implements CheckpointStore {
  readonly puts: Array<{ job: string; bytes: Uint8Array }> = [];
  private waiting: Array<() => void> = [];
  held = true;

  async put(job: string, checkpoint: Uint8Array): Promise<void> {
    if (this.held) await new Promise<void>((r) => this.waiting.push(r));
    this.puts.push({ job, bytes: checkpoint });
  }

  async get(job: string): Promise<Uint8Array | undefined> {
    return [...this.puts].reverse().find((p) => p.job === job)?.bytes;
  }

  async delete(): Promise<void> {}

  async names(prefix: string): Promise<string[]> {
    return [...new Set(this.puts.map((p) => p.job).filter((n) => n.startsWith(prefix)))];
  }

  /** Let every waiting put finish, and the next ones go through at once. */
  release(): void {
    this.held = false;
    for (const r of this.waiting.splice(0)) r();
  }
}

/** Resolves once `check()` holds, polling every 5 ms; rejects after `ms`. */
export async function until(check: () => boolean, ms = 5000, what = 'the condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what} did not hold within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
