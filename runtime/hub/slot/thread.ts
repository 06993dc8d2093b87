/**
 * A HubCore on a worker thread, driven by messages: the embedded mesh runs one per hub,
 * a hub daemon one per slot. Requests wait here, in arrival order, and go to the worker
 * one at a time: a request not yet started can still be withdrawn (`withdraw`: a move of
 * a job that is waiting for the slot goes at once, not when the run ahead of it ends).
 *
 * `preempt()` makes the fragment running on the thread pause at its next yield point (a
 * flag in shared memory that the worker polls there; `preemptRun(tag)` only one run), so its state comes back as a
 * `paused` checkpoint; `resume()` clears the flag. A watchdog replaces a worker stuck in
 * one run past the sandbox's hard deadline (code with no yield point cannot be stopped in
 * the thread): that request gets 'deadline-exceeded', the others queued behind it
 * 'draining' (place elsewhere), and the slot goes on serving with a fresh worker.
 *   const t = new HubThread('hub-1');
 *   const reply = await t.request({ kind: 'ping', v: 1 });
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { PROTOCOL_VERSION, TransportError } from '../../protocol/index.js';
import { resolveSandboxLimits, type SandboxLimits } from '../../exec/index.js';
import { serveMainCalls, type MainAnswer, type MainCall } from './blocking.js';
import type { SlotReply, SlotRequest } from './types.js';

interface Waiting { id: number; req: SlotRequest; transfer: ArrayBuffer[] }

interface Pending {
  resolve: (r: SlotReply) => void; reject: (e: Error) => void; onRestored?: (at: number) => void; onStored?: (checkpoint: Uint8Array, yields: number) => void;
  /** The hub's own upkeep (an idle calibration), not work: not counted in `inFlight`. */
  upkeep?: boolean;
}

const SCRIPT = fileURLToPath(new URL('./worker.js', import.meta.url));

export interface HubThreadOptions {
  /** Free bytes before and after each checkpoint returned (HubCoreOptions.headroom, tailroom). */
  headroom?: number;
  tailroom?: number;
  /** Datasets the thread reads itself: name -> file path. */
  datasets?: Record<string, string>;
  /** Behave this many times slower (HubCoreOptions.throttle). @default 1 */
  throttle?: number;
  /** The hub has a GPU: the thread's gpu calls go to `onMainCall`. @default false */
  gpu?: boolean;
  /** Answers what the thread cannot do itself (a dataset held elsewhere, GPU work). @default unavailable */
  onMainCall?: (call: MainCall) => Promise<MainAnswer>;
  /** Limits for the thread's HubCore and its watchdog. @default the WEAVE_* environment, else the defaults */
  sandbox?: SandboxLimits;
  /**
   * Start the worker at the first request rather than now: a slot costs a thread and a
   * few hundred ms of CPU to start, which a hub whose extra slots are rarely all busy
   * (most hubs, and every short-lived one) need not pay. @default false
   */
  lazy?: boolean;
}

/** How often the watchdog looks at the running request's start time. */
const WATCHDOG_EVERY_MS = 250;

export class HubThread {
  private readonly pending = new Map<number, Pending>();
  /** Requests not yet sent to the worker (it runs one at a time), oldest first. */
  private readonly waiting: Waiting[] = [];
  /** The request the worker has now; undefined when it has none. */
  private sent: number | undefined;
  /** The tag of the exec the worker runs now (SlotExec.tag); 0 when none. */
  private sentTag = 0;
  /**
   * Tags of waiting execs asked to pause: each is paused as it starts. The flag's one
   * tag cell names the run going on only, so that asking a queued run to pause never
   * overwrites a pause asked of the running one (a fence of one and a move of the other
   * on a one-slot hub, seen in a chaos run: a fenced run went on for 45 s).
   */
  private readonly preempted = new Set<number>();
  private nextId = 1;
  private dead: Error | undefined;
  /** Undefined until the first request when lazy. */
  private worker: Worker | undefined;
  private readonly opts: HubThreadOptions;
  private readonly sandbox: SandboxLimits & { hardDeadlineMs: number };
  /** [0]: Date.now() when the worker began its current request, 0 when idle; [1]: that
   *  request's id; [2]: the running job's yield count, sampled every 256 yield points.
   *  Written by the worker. */
  private readonly runSince = new Float64Array(new SharedArrayBuffer(24));
  private readonly watchdog: NodeJS.Timeout;
  /** [0]: pause whatever runs; [1]: pause the run with this tag (0: none); [2]: throttle x 100. */
  // [0] pause all, [1] pause the run with this tag, [2] throttle, [3] yield points passed
  // (the heartbeat thread reads it: a run going on, whatever the main thread is doing).
  readonly flag = new Int32Array(new SharedArrayBuffer(16));
  /** Bytes of base checkpoints the thread's HubCore holds, as its last reply said. */
  held = 0;

  constructor(readonly id: string, opts: HubThreadOptions = {}) {
    this.setThrottle(opts.throttle ?? 1);
    const sandbox = resolveSandboxLimits(opts.sandbox);
    this.opts = opts;
    this.sandbox = sandbox;
    if (!opts.lazy) this.spawn(opts, sandbox);
    this.watchdog = setInterval(() => {
      const since = this.runSince[0];
      if (since > 0 && Date.now() - since > sandbox.hardDeadlineMs && !this.dead) void this.replace(opts, sandbox);
    }, WATCHDOG_EVERY_MS).unref();
  }

  private spawn(opts: HubThreadOptions, sandbox: SandboxLimits): void {
    const worker = new Worker(SCRIPT, { workerData: { hubId: this.id, preempt: this.flag, runSince: this.runSince, sandbox, headroom: opts.headroom ?? 0, tailroom: opts.tailroom ?? 0, datasets: opts.datasets ?? {}, gpu: opts.gpu ?? false } });
    this.worker = worker;
    const id = this.id;
    // A fragment reading a dataset this hub does not serve blocks until the main thread answers.
    serveMainCalls(worker, opts.onMainCall ?? (async () => ({ status: -1 })));
    worker.on('message', (msg: { id: number; reply?: SlotReply; restored?: number; stored?: Uint8Array; yields?: number; mainCall?: unknown }) => {
      if (msg.mainCall) return;
      const p = this.pending.get(msg.id);
      if (msg.restored !== undefined) return p?.onRestored?.(msg.restored);
      if (msg.stored !== undefined) return p?.onStored?.(msg.stored, msg.yields ?? 0);
      this.pending.delete(msg.id);
      const held = (msg.reply as { held?: unknown } | undefined)?.held;
      if (typeof held === 'number') this.held = held;
      if (this.sent === msg.id) { this.sent = undefined; this.sentTag = 0; }
      p?.resolve(msg.reply!);
      this.sendNext();
    });
    const fail = (err: Error) => {
      // A worker the watchdog replaced: its requests are answered already.
      if (worker !== this.worker) return;
      this.dead = new TransportError(`hub thread ${id} stopped: ${err.message}`, { cause: err, code: 'hub-lost' });
      for (const p of this.pending.values()) p.reject(this.dead);
      this.pending.clear();
      this.waiting.length = 0;
      this.preempted.clear();
      this.sent = undefined;
      this.sentTag = 0;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  }

  /** Terminate a worker stuck past the hard deadline, answer its requests, start a fresh one. */
  private async replace(opts: HubThreadOptions, sandbox: Required<Pick<SandboxLimits, 'hardDeadlineMs'>>): Promise<void> {
    const old = this.worker;
    const stuck = this.runSince[1];
    const seconds = Math.round((Date.now() - this.runSince[0]) / 100) / 10;
    this.runSince[0] = 0;
    this.spawn(opts, sandbox);
    for (const [rid, p] of this.pending) {
      p.resolve(rid === stuck
        ? { kind: 'error', v: PROTOCOL_VERSION, code: 'deadline-exceeded', message: `hub thread ${this.id}: the run was stuck for ${seconds} s without reaching a yield point, past the hard deadline of ${sandbox.hardDeadlineMs} ms (hardDeadlineMs); its worker was replaced` }
        : { kind: 'error', v: PROTOCOL_VERSION, code: 'draining', message: `hub thread ${this.id} restarted its worker after a stuck run; place this request elsewhere` });
    }
    this.pending.clear();
    this.waiting.length = 0;
    this.preempted.clear();
    this.sent = undefined;
    this.sentTag = 0;
    this.held = 0;
    await old?.terminate();
  }

  /** The yield count of the job running on the thread now, as last sampled (every 256
   *  yield points); 0 when idle. A progress line reads it; nothing decides on it. */
  get yieldsNow(): number {
    return this.runSince[0] > 0 ? this.runSince[2] : 0;
  }

  /** The tag of the exec the worker runs now; 0 when it runs none (idle, or another kind of request). */
  get runningTag(): number {
    return this.sent !== undefined ? this.sentTag : 0;
  }

  /** The worker has been started (a lazy thread's starts at its first request). */
  get started(): boolean {
    return this.worker !== undefined;
  }

  /**
   * Requests sent and not yet answered (the one running plus the queue), upkeep left out:
   * an idle hub's 20 ms calibration is not work, so a job arriving meanwhile still comes
   * to this slot (and waits for it) rather than starting another slot's thread, and the
   * hub's adverts do not show it busy.
   */
  get inFlight(): number {
    let n = 0;
    // A handful at most (the run and its queue): counted, not kept in step with the map.
    for (const p of this.pending.values()) if (!p.upkeep) n++;
    return n;
  }

  /** `onRestored` fires when the state is restored and the fragment starts running. */
  request(req: SlotRequest, opts: { transfer?: ArrayBuffer[]; onRestored?: (at: number) => void; onStored?: (checkpoint: Uint8Array, yields: number) => void } = {}): Promise<SlotReply> {
    if (this.dead) return Promise.reject(this.dead);
    const transfer = opts.transfer ?? [];
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject, onRestored: opts.onRestored, onStored: opts.onStored, upkeep: req.kind === 'calibrate' });
      this.waiting.push({ id, req, transfer });
      this.sendNext();
    });
  }

  /** Give the worker the oldest waiting request, when it has none. */
  private sendNext(): void {
    if (this.sent !== undefined || this.dead) return;
    const next = this.waiting.shift();
    if (!next) return;
    if (!this.worker) this.spawn(this.opts, this.sandbox);
    this.sent = next.id;
    this.sentTag = next.req.kind === 'exec' ? next.req.tag ?? 0 : 0;
    if (this.sentTag && this.preempted.delete(this.sentTag)) Atomics.store(this.flag, 1, this.sentTag);
    // The worker says when the state is in only when someone listens (a hand-over's ack):
    // otherwise that is one more message, and one more wake-up of this thread, per run.
    const notify = this.pending.get(next.id)?.onRestored !== undefined;
    this.worker!.postMessage({ id: next.id, req: next.req, notify }, next.transfer);
  }

  /**
   * Answer the exec tagged `tag` with `reply` instead of running it, if it is still
   * waiting (not started). False when it is running, done, or not here.
   */
  withdraw(tag: number, reply: SlotReply): boolean {
    const i = this.waiting.findIndex((w) => w.req.kind === 'exec' && w.req.tag === tag);
    if (i < 0) return false;
    const [w] = this.waiting.splice(i, 1);
    this.preempted.delete(tag);
    const p = this.pending.get(w.id);
    this.pending.delete(w.id);
    p?.resolve(reply);
    return true;
  }

  preempt(): void {
    Atomics.store(this.flag, 0, 1);
  }

  resume(): void {
    Atomics.store(this.flag, 0, 0);
  }

  /** Pause only the run tagged `tag` (SlotExec.tag), at its next yield point. */
  preemptRun(tag: number): void {
    if (this.sent !== undefined && this.sentTag === tag) Atomics.store(this.flag, 1, tag);
    else if (this.waiting.some((w) => w.req.kind === 'exec' && w.req.tag === tag)) this.preempted.add(tag);
    // Otherwise the run is over (or was never here): nothing to pause.
  }

  /** Forget a run's pause request once that run is over (tags are never reused). */
  clearRun(tag: number): void {
    this.preempted.delete(tag);
    Atomics.compareExchange(this.flag, 1, tag, 0);
  }

  /** Run fragments as if `factor` times slower from their next yield point on. */
  setThrottle(factor: number): void {
    Atomics.store(this.flag, 2, Math.round(factor * 100));
  }

  async close(): Promise<void> {
    clearInterval(this.watchdog);
    this.dead ??= new TransportError(`hub thread ${this.id} closed`, { code: 'closed' });
    await this.worker?.terminate();
  }
}
