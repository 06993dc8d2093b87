/**
 * What ends a routed job other than its outcome: its own deadline (`timeoutMs`, from
 * submission) or a cancel (the caller's `signal`). One AbortSignal carries both to every
 * wait of the job (for hubs, for a reply), and `error` says which it was, and where it
 * struck: a job still waiting for a capable hub ends with `no-hubs` / `no-capable-hub`
 * (exit 4), one that was running with `timeout` (exit 5), a cancelled one with `cancelled`.
 *   const stop = new JobStop(opts.timeoutMs, opts.signal);
 *   try { await work(stop.signal) } catch (e) { if (stop.signal.aborted) throw stop.error(waiting) } finally { stop.dispose() }
 */
import { JobError, type JobErrorCode } from '../errors.js';

export type StopReason = 'deadline' | 'cancelled';

export class JobStop {
  private readonly ctl = new AbortController();
  private readonly timer: NodeJS.Timeout | undefined;
  /** When the deadline passes (epoch ms); undefined: none. */
  readonly at: number | undefined;
  reason: StopReason | undefined;
  /** Who cancelled: this client (its signal), or the job record said so (weave jobs cancel). */
  by: 'client' | 'record' = 'client';
  private readonly onCaller = () => this.abort('cancelled');

  constructor(readonly timeoutMs: number | undefined, private readonly caller?: AbortSignal) {
    if (timeoutMs !== undefined) {
      this.at = Date.now() + timeoutMs;
      this.timer = setTimeout(() => this.abort('deadline'), timeoutMs);
    }
    if (caller?.aborted) this.abort('cancelled');
    else caller?.addEventListener('abort', this.onCaller, { once: true });
  }

  get signal(): AbortSignal {
    return this.ctl.signal;
  }

  /** Stop the job now (a cancel from the record, say). */
  abort(reason: StopReason, by: 'client' | 'record' = 'client'): void {
    if (this.reason) return;
    this.reason = reason;
    this.by = by;
    this.ctl.abort(reason);
  }

  /**
   * The error the job ends with. `waiting`: it had no capable hub when it stopped (the
   * wait's own error, to keep its message), else it was running.
   */
  error(waiting?: JobError): JobError {
    if (this.reason === 'cancelled') return new JobError(`the job was cancelled${this.by === 'record' ? ' (its record says so: weave jobs cancel)' : ''}; its result will not be delivered`, { code: 'cancelled' });
    const secs = `${((this.timeoutMs ?? 0) / 1000).toFixed(1)} s`;
    if (waiting) return new JobError(`the job's --timeout (${secs}) passed while it waited: ${waiting.message}`, { code: waiting.code as JobErrorCode, cause: waiting });
    return new JobError(`the job's --timeout (${secs}) passed while it ran; it was stopped`, { code: 'timeout' });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.caller?.removeEventListener('abort', this.onCaller);
  }
}
