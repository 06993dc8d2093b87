/**
 * A hub's slots: S HubThreads, each running one request at a time with the rest queued
 * behind it. The rest of the hub sees them through `Slots`, so a part that only needs to
 * send requests and pause runs can be tested with a stand-in.
 *   const pool = new SlotPool('a', 2, { datasets, onMainCall: (call, slot) => host.call(call, slot) });
 *   const reply = await pool.request(pool.leastBusy(), req, { onRestored });
 */
import type { SandboxLimits } from '../exec/index.js';
import { HubThread, type MainAnswer, type MainCall, type SlotReply, type SlotRequest } from './slot/index.js';
import type { SlotLoad } from './metrics.js';

export interface SlotHooks {
  transfer?: ArrayBuffer[];
  onRestored?: (at: number) => void;
  onStored?: (checkpoint: Uint8Array, yields: number) => void;
}

/** What the hub's parts need of its slots. */
export interface Slots {
  readonly size: number;
  /** Requests sent to `slot` and not yet answered (the one running plus its queue). */
  inFlight(slot: number): number;
  request(slot: number, req: SlotRequest, hooks?: SlotHooks): Promise<SlotReply>;
  /** Pause the run tagged `tag` on `slot` at its next yield point. */
  preemptRun(slot: number, tag: number): void;
  /** Forget a run's pause request once that run is over. */
  clearRun(slot: number, tag: number): void;
  /** Answer the exec tagged `tag` with `reply` if it still waits for `slot` (not started); false otherwise. */
  withdraw(slot: number, tag: number, reply: SlotReply): boolean;
}

/** What runs on a slot now, as its shared cells say (read without asking the thread). */
export interface SlotProbe {
  /** The running exec's tag (SlotExec.tag); 0 when none runs. */
  tag: number;
  /** Yield points the slot has passed, every run counted (modulo 2^31). */
  passed: number;
  /** The running job's own yield count (restored with its state), sampled every 256 yield points. */
  jobYields: number;
}

export interface SlotPoolOptions {
  /** Free bytes before each checkpoint a slot returns (framing in place), and after it (sealing in place). */
  headroom: number;
  tailroom?: number;
  datasets: Record<string, string>;
  gpu: boolean;
  throttle: number;
  sandbox: SandboxLimits;
  /** Answers what a slot cannot do itself (a dataset held elsewhere, GPU work). */
  onMainCall: (call: MainCall, slot: number) => Promise<MainAnswer>;
}

export class SlotPool implements Slots {
  private readonly threads: HubThread[];

  /** Each slot's shared cells; cell 3 counts its yield points (the heartbeat reads it). */
  yieldCells(): Int32Array[] {
    return this.threads.map((t) => t.flag);
  }

  constructor(hub: string, count: number, opts: SlotPoolOptions) {
    // Slot 0 starts now, so a hub's first job never waits for a thread; the others at
    // their first request (a job goes to the lowest idle slot: runs.ts), since most hubs
    // seldom have every slot busy, and each costs a thread and its start-up.
    this.threads = Array.from({ length: count }, (_, i) => new HubThread(`${hub}/${i}`, {
      headroom: opts.headroom, tailroom: opts.tailroom, datasets: opts.datasets, gpu: opts.gpu, throttle: opts.throttle, sandbox: opts.sandbox,
      onMainCall: (call) => opts.onMainCall(call, i), lazy: i > 0,
    }));
  }

  /** Slots whose thread has started. */
  get started(): number {
    return this.threads.filter((t) => t.started).length;
  }

  get size(): number {
    return this.threads.length;
  }

  inFlight(slot: number): number {
    return this.threads[slot].inFlight;
  }

  probe(slot: number): SlotProbe {
    const t = this.threads[slot];
    return { tag: t.runningTag, passed: Atomics.load(t.flag, 3), jobYields: t.yieldsNow };
  }

  request(slot: number, req: SlotRequest, hooks: SlotHooks = {}): Promise<SlotReply> {
    return this.threads[slot].request(req, hooks);
  }

  preemptRun(slot: number, tag: number): void {
    this.threads[slot].preemptRun(tag);
  }

  clearRun(slot: number, tag: number): void {
    this.threads[slot].clearRun(tag);
  }

  withdraw(slot: number, tag: number, reply: SlotReply): boolean {
    return this.threads[slot].withdraw(tag, reply);
  }

  /** Pause every run at its next yield point (a drain). */
  preemptAll(): void {
    for (const t of this.threads) t.preempt();
  }

  /** Slots running a request now, and requests queued behind them. */
  load(): SlotLoad {
    let running = 0;
    let queued = 0;
    for (const t of this.threads) {
      if (t.inFlight > 0) running++;
      queued += Math.max(0, t.inFlight - 1);
    }
    return { slots: this.threads.length, running, queued };
  }

  /** Bytes of base checkpoints the slots hold. */
  held(): number {
    return this.threads.reduce((n, t) => n + t.held, 0);
  }

  /** Emulation: run as if `factor` times slower from the next yield point on. */
  setThrottle(factor: number): void {
    for (const t of this.threads) t.setThrottle(factor);
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.close()));
  }
}
