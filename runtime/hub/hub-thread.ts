/**
 * A HubCore on a worker thread, driven by messages: the embedded mesh runs one per hub,
 * a hub daemon one per slot. Requests queue in the worker in arrival order.
 *
 * `preempt()` makes the fragment running on the thread pause at its next yield point (a
 * flag in shared memory that the worker polls there; `preemptRun(tag)` only one run), so its state comes back as a
 * `paused` checkpoint; `resume()` clears the flag.
 *   const t = new HubThread('hub-1');
 *   const reply = await t.request({ kind: 'ping', v: 1 });
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { HubReply, HubRequest } from './protocol.js';
import { TransportError } from './errors.js';
import { serveMainCalls, type MainAnswer, type MainCall } from './blocking.js';

interface Pending { resolve: (r: HubReply) => void; reject: (e: Error) => void; onRestored?: (at: number) => void; onStored?: (checkpoint: Uint8Array, yields: number) => void }

const SCRIPT = fileURLToPath(new URL('./hub-worker.js', import.meta.url));

export interface HubThreadOptions {
  /** Free bytes before each checkpoint returned (HubCoreOptions.headroom). */
  headroom?: number;
  /** Datasets the thread reads itself: name -> file path. */
  datasets?: Record<string, string>;
  /** Behave this many times slower (HubCoreOptions.throttle). @default 1 */
  throttle?: number;
  /** The hub has a GPU: the thread's gpu calls go to `onMainCall`. @default false */
  gpu?: boolean;
  /** Answers what the thread cannot do itself (a dataset held elsewhere, GPU work). @default unavailable */
  onMainCall?: (call: MainCall) => Promise<MainAnswer>;
}

export class HubThread {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dead: Error | undefined;
  private readonly worker: Worker;
  /** [0]: pause whatever runs; [1]: pause the run with this tag (0: none); [2]: throttle x 100. */
  private readonly flag = new Int32Array(new SharedArrayBuffer(12));
  /** Bytes of base checkpoints the thread's HubCore holds, as its last reply said. */
  held = 0;

  constructor(readonly id: string, opts: HubThreadOptions = {}) {
    this.setThrottle(opts.throttle ?? 1);
    this.worker = new Worker(SCRIPT, { workerData: { hubId: id, preempt: this.flag, headroom: opts.headroom ?? 0, datasets: opts.datasets ?? {}, gpu: opts.gpu ?? false } });
    // A fragment reading a dataset this hub does not serve blocks until the main thread answers.
    serveMainCalls(this.worker, opts.onMainCall ?? (async () => ({ status: -1 })));
    this.worker.on('message', (msg: { id: number; reply?: HubReply; restored?: number; stored?: Uint8Array; yields?: number; mainCall?: unknown }) => {
      if (msg.mainCall) return;
      const p = this.pending.get(msg.id);
      if (msg.restored !== undefined) return p?.onRestored?.(msg.restored);
      if (msg.stored !== undefined) return p?.onStored?.(msg.stored, msg.yields ?? 0);
      this.pending.delete(msg.id);
      const held = (msg.reply as { held?: unknown } | undefined)?.held;
      if (typeof held === 'number') this.held = held;
      p?.resolve(msg.reply!);
    });
    const fail = (err: Error) => {
      this.dead = new TransportError(`hub thread ${id} stopped: ${err.message}`, { cause: err, code: 'hub-lost' });
      for (const p of this.pending.values()) p.reject(this.dead);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  }

  /** Requests sent and not yet answered (the one running plus the queue). */
  get inFlight(): number {
    return this.pending.size;
  }

  /** `onRestored` fires when the state is restored and the fragment starts running. */
  request(req: HubRequest, opts: { transfer?: ArrayBuffer[]; onRestored?: (at: number) => void; onStored?: (checkpoint: Uint8Array, yields: number) => void } = {}): Promise<HubReply> {
    if (this.dead) return Promise.reject(this.dead);
    const transfer = opts.transfer ?? [];
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject, onRestored: opts.onRestored, onStored: opts.onStored });
      this.worker.postMessage({ id, req }, transfer);
    });
  }

  preempt(): void {
    Atomics.store(this.flag, 0, 1);
  }

  resume(): void {
    Atomics.store(this.flag, 0, 0);
  }

  /** Pause only the run tagged `tag` (ExecRequest.tag), at its next yield point. */
  preemptRun(tag: number): void {
    Atomics.store(this.flag, 1, tag);
  }

  /** Forget a run's pause request once that run is over (tags are never reused). */
  clearRun(tag: number): void {
    Atomics.compareExchange(this.flag, 1, tag, 0);
  }

  /** Run fragments as if `factor` times slower from their next yield point on. */
  setThrottle(factor: number): void {
    Atomics.store(this.flag, 2, Math.round(factor * 100));
  }

  async close(): Promise<void> {
    this.dead ??= new TransportError(`hub thread ${this.id} closed`, { code: 'closed' });
    await this.worker.terminate();
  }
}
