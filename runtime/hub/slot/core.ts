/**
 * A hub's core: answers protocol requests by running fragments in fresh instances.
 *
 * Holds bundles by content hash (compiled once) and, per job, the last checkpoint it sent
 * or received, so checkpoints can travel as diffs. Every failure becomes an `error` reply;
 * nothing a request carries can throw out of `handle`.
 *   const hub = new HubCore('hub-1');
 *   const reply = await hub.handle(request);
 */
import {
  applyDiffInPlace, copyPages, decodeCheckpoint, deferDiff, diffCheckpoint, encodeCheckpoint, newCheckpointId, CheckpointError, Lineage, type Checkpoint, type CheckpointDiff,
  type PendingDiff,
} from '../../snapshot/index.js';
import { ExecError, FragmentExecutor, FragmentTrap, loadBundle, resolveSandboxLimits, type LoadedBundle, type ResolvedSandboxLimits, type SandboxLimits } from '../../exec/index.js';
import { PROTOCOL_VERSION } from '../../protocol/index.js';
import { simdKernels, type GpuAccess, type HostServices } from '../../host/index.js';
import { boundedMap } from '../../util/index.js';
import type { Datasets } from './datasets.js';
import type { Logger } from '../log.js';
import { timeCalibration } from '../capabilities.js';
import type { SlotExec, SlotReply, SlotRequest } from './types.js';

/**
 * A job's base: its newest state here, and for a routed job which of its pages changed at
 * which hand-over step (the engine's stepwise runs diff against what they sent instead).
 */
interface Base { cp: Checkpoint; lineage?: Lineage }

export interface HubCoreOptions {
  /** Free bytes left before each checkpoint returned (see encodeCheckpoint), so the
   *  daemon can frame it into a message without a copy. @default 0 */
  headroom?: number;
  /** Free bytes left after each checkpoint returned, so the daemon can seal it where it lies (seal.ts). @default 0 */
  tailroom?: number;
  /** Datasets for the fragments' `data` calls. @default none */
  datasets?: Datasets;
  /** The hub's GPU for `gpu` calls. @default none: they run on the CPU kernels */
  gpu?: GpuAccess;
  /** Where the fragments' control.log lines go, with their job. @default dropped */
  log?: Logger;
  /**
   * Test and benchmark knob: make this hub behave as if `throttle` times slower, by
   * waiting (throttle - 1) x the time run, at yield points (once a millisecond of waiting
   * is owed) and at the end of a run. Lets hubs on one machine differ in speed for
   * real-cluster placement benchmarks. A function is read at every yield point, so a
   * change reaches a fragment mid-run. @default 1
   */
  throttle?: number | (() => number);
  /**
   * Bytes of base checkpoints (one per job, for diffs) this slot keeps at most: the least
   * recently used go first, and a base larger than this is not kept (the next hand-over
   * to this slot is whole). Without a bound, peers declaring large memories could make a
   * hub hold a base per job key for as long as it runs. @default DEFAULT_MAX_HELD_BYTES
   */
  maxHeldBytes?: number;
  /** Per-run limits on memory, time, checkpoint size and stack (runtime/exec/limits.ts).
   *  @default resolveSandboxLimits(): the WEAVE_* environment, else the defaults */
  sandbox?: SandboxLimits;
  /**
   * A request's checkpoint buffer is this core's once decoded (a worker's requests come
   * transferred): the next checkpoint this core encodes is written into it when it fits.
   * Not for callers that keep using the bytes they pass. @default false
   */
  recycleInput?: boolean;
}

export interface ExecHooks {
  onRestored?: (resumedAt: number) => void;
  /** A periodic checkpoint (SlotExec.storeEvery): a full encoded checkpoint to keep
   *  where a surviving hub can reach it; the fragment runs on meanwhile. */
  onStored?: (checkpoint: Uint8Array, yields: number) => void;
  /** The job's yield count so far, every 256 yield points of a run (a progress line on
   *  the embedded mesh reads it while one long run goes on). */
  onYields?: (yields: number) => void;
}

/** control.log levels, by number (wit/weave-host.wit). */
const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** Upper bound on jobs whose base checkpoint a hub keeps. */
export const MAX_JOBS_PER_HUB = 64;
/** 256 MiB of base checkpoints per slot (HubCoreOptions.maxHeldBytes). */
export const DEFAULT_MAX_HELD_BYTES = 256 << 20;

export class HubCore {
  /** Compiled bundles by hash: a handful per hub, each compiled once. */
  private bundles = boundedMap<string, LoadedBundle>(MAX_JOBS_PER_HUB);
  /** Per job, the newest state sent or received: memory stays at about two copies per job. */
  private bases = boundedMap<string, Base>(MAX_JOBS_PER_HUB);

  /**
   * @param shouldPause polled at every yield point with the run's tag (SlotExec.tag):
   *   true pauses the running fragment there (a draining hub hands its work back this way,
   *   a re-weaving move or a fence pauses one run).
   */
  constructor(readonly id: string, private readonly shouldPause: (tag: number) => boolean = () => false, private readonly opts: HubCoreOptions = {}) {
    const t = opts.throttle ?? 1;
    this.throttle = typeof t === 'function' ? t : () => t;
    this.limits = resolveSandboxLimits(opts.sandbox);
  }

  readonly limits: ResolvedSandboxLimits;

  private readonly throttle: () => number;

  /**
   * The instance the last job that paused here paused in, kept for that job's return: a
   * restore into it writes memory whose pages are mapped already. A fresh instance's are
   * not, and the first write to each page of a Wasm memory faults. A spare made fresh and
   * written while idle (before) cost that in CPU after every pause, and a job coming back
   * sooner waited for it: in a 16 MiB ping-pong between two hubs, about 100 ms of a slot
   * thread's CPU per hand-over (its profile: 1.5 s of 12 in `prefault` for 15). One spare
   * per HubCore (per slot), so memory stays at about 2 x M per job plus one M per slot.
   */
  private spare: { job: string; module: WebAssembly.Module; seed?: number; bytes: number; x: FragmentExecutor; base: string } | undefined;
  /**
   * The buffer the last checkpoint came in (recycleInput), free once it was decoded (a
   * diff's pages applied to the base, a whole state copied out): the next checkpoint is
   * encoded into it. In a 16 MiB hand-over a fresh output buffer cost 11-15 ms of page
   * faults, a reused one about 1. One per slot, as `spare`.
   */
  private spareOut: { job: string; buffer: ArrayBuffer } | undefined;
  /**
   * The instance the last job that finished here ran in, for the next job of the same
   * client on the same module: renewed (FragmentExecutor.renew, memory and globals as
   * instantiation left them) instead of instantiated, which cost a tiny job more than it
   * ran. Another client's job never gets it, renewed or not; jobs that came without a
   * client (no ticket: the embedded mesh, a plain exec) only each other's, and renewal
   * leaves nothing of the last job either way. One per slot; at most FRESH_MAX_BYTES of
   * memory (a larger one is not renewable).
   */
  private idle: { module: WebAssembly.Module; owner: string; x: FragmentExecutor } | undefined;
  /** Host services per job: the job's input is its own, the rest the hub's. */
  private services = boundedMap<string, HostServices>(MAX_JOBS_PER_HUB);
  /** The fragment running now (its log lines name it); set at fragment boundaries, not per yield. */
  private at = -1;

  private servicesFor(job: string, input?: Uint8Array): HostServices {
    let s = this.services.get(job);
    if (!s) {
      const log = this.opts.log;
      s = {
        simd: simdKernels().kernels, input, data: this.opts.datasets, gpu: this.opts.gpu,
        onLog: log && ((level, text) => log[LOG_LEVELS[Math.min(level, 3)]]('fragment log', { job, fragment: this.at, text: text.slice(0, 4096) })),
      };
      this.services.set(job, s);
    }
    return s;
  }

  /** The spare instance when it fits this request exactly (job, module, seed, memory no larger). */
  private takeSpare(req: SlotExec, module: WebAssembly.Module, sent: Checkpoint | undefined): FragmentExecutor | undefined {
    const s = this.spare;
    this.spare = undefined;
    if (!s || !sent || s.job !== req.job || s.module !== module || s.seed !== req.seed || s.bytes > sent.memory.byteLength) return undefined;
    return s.x;
  }

  /** The idle instance renewed for `req`'s new job, when it ran `module` for the same client. */
  private takeIdle(req: SlotExec, module: WebAssembly.Module, services: HostServices): FragmentExecutor | undefined {
    const s = this.idle;
    this.idle = undefined;
    if (!s || s.module !== module || s.owner !== (req.owner ?? '')) return undefined;
    return s.x.renew({ seed: req.seed, services }) ? s.x : undefined;
  }

  /**
   * Work the last request left for after its reply is on its way: bringing the base it
   * kept up to the state that left (a copy of the pages that changed, 1-2 ms at 16 MiB,
   * which the reply does not wait for). The worker runs it right after posting the reply,
   * before it takes its next message; `handle` runs whatever is left first.
   */
  afterReply(): void {
    const later = this.later;
    this.later = undefined;
    if (!later) return;
    try {
      later();
    } catch (err) {
      // A base left half brought up to date must not take a diff: every base goes, and the
      // instance kept beside one, so the next hand-overs here come whole ('no-base').
      while (this.bases.size > 0) this.bases.pop();
      this.spare = undefined;
      this.opts.log?.error('cannot bring a base up to date after a reply; every base dropped', { error: (err as Error).message });
    }
  }

  private later: (() => void) | undefined;

  /** Bytes of base checkpoints this hub holds: one memory per job, never one per checkpoint. */
  held(): number {
    let n = 0;
    // The lineage (4 bytes per 4 KiB page) is left out: memory is what the bound is for.
    for (const b of this.bases.values()) n += b.cp.memory.byteLength;
    return n;
  }

  /**
   * Answer one request; never throws. `hooks.onRestored` is called once the state is in
   * the instance and the fragment is about to run (a hand-over is acknowledged then).
   */
  async handle(req: SlotRequest, hooks: ExecHooks = {}): Promise<SlotReply> {
    // What the last request left to do once its reply was sent, if its caller did not run it.
    this.afterReply();
    try {
      if (!req || typeof req !== 'object') return this.error('bad-request', 'request is not an object');
      if (req.v !== PROTOCOL_VERSION) return this.error('version', `protocol version ${req.v} is not supported (hub speaks ${PROTOCOL_VERSION})`);
      switch (req.kind) {
        case 'ping': return { kind: 'pong', v: PROTOCOL_VERSION, hub: this.id };
        case 'drop-job': this.drop(req.job); return { kind: 'ok', v: PROTOCOL_VERSION, held: this.held() };
        case 'export': {
          const base = this.bases.get(req.job);
          if (!base) return this.error('no-base', `job ${req.job}: this slot holds no state for it`);
          return { kind: 'ok', v: PROTOCOL_VERSION, checkpoint: encodeCheckpoint(base.cp, { headroom: this.opts.headroom, tailroom: this.opts.tailroom, maxBytes: this.limits.maxCheckpointBytes }) };
        }
        case 'calibrate': {
          const c = timeCalibration(Number(req.ms) || 0, this.throttle());
          return { kind: 'ok', v: PROTOCOL_VERSION, calibrated: c };
        }
        case 'exec': return await this.exec(req, hooks);
        default: return this.error('bad-request', `unknown request kind '${(req as any).kind}'`);
      }
    } catch (err) {
      if (err instanceof FragmentTrap) return { kind: 'error', v: PROTOCOL_VERSION, code: 'trap', message: err.message, fragment: err.fragment, entry: err.entry };
      if (err instanceof CheckpointError) return this.error(`checkpoint-${err.code}`, err.message);
      // Sandbox limits and refused modules keep their own code ('memory-limit', 'import-denied', ...).
      if (err instanceof ExecError) return this.error(err.code, err.message);
      return this.error('exec', err instanceof Error ? err.message : String(err));
    }
  }

  private dataStats(): { data?: ReturnType<Datasets['take']> } {
    const data = this.opts.datasets?.take();
    return data ? { data } : {};
  }

  /** Keep `cp` as `job`'s base within the held-bytes bound: older bases go first; one too large is not kept. */
  private keepBase(job: string, base: Base): void {
    this.bases.delete(job);
    const max = this.opts.maxHeldBytes ?? DEFAULT_MAX_HELD_BYTES;
    const bytes = base.cp.memory.byteLength;
    if (bytes > max) return;
    while (this.bases.size > 0 && this.held() + bytes > max) this.bases.pop();
    this.bases.set(job, base);
  }

  private drop(job: string): void {
    this.bases.delete(job);
    this.services.delete(job);
    if (this.spare?.job === job) this.spare = undefined;
    if (this.spareOut?.job === job) this.spareOut = undefined;
  }

  /** The buffer a checkpoint came in, to encode the next one into (recycleInput); once. */
  private takeSpareOut(): ArrayBuffer | undefined {
    const b = this.spareOut?.buffer;
    this.spareOut = undefined;
    return b;
  }

  private error(code: string, message: string): SlotReply {
    return { kind: 'error', v: PROTOCOL_VERSION, code, message };
  }

  private async exec(req: SlotExec, hooks: ExecHooks): Promise<SlotReply> {
    let bundle = this.bundles.get(req.bundle);
    if (!bundle) {
      // The checkpoint goes back with the question, so a caller that transferred its only
      // copy here can send it again with the bundle.
      if (!req.bundleBytes) return { kind: 'need-bundle', v: PROTOCOL_VERSION, bundle: req.bundle, checkpoint: req.checkpoint };
      bundle = await loadBundle(req.bundleBytes, { maxMemoryPages: this.limits.maxMemoryPages });
      if (bundle.hash !== req.bundle) return this.error('bundle-hash', `bundle bytes hash to ${bundle.hash}, not ${req.bundle}`);
      this.bundles.set(bundle.hash, bundle);
    }
    // Staying across fragment boundaries runs the whole module: one instance, no capture
    // between fragments. Otherwise the fragment's own (smaller) module.
    const module = req.stay ? await bundle.whole() : await bundle.fragmentModule(req.fragment);
    let sent: Checkpoint | undefined;
    /** Byte ranges of `sent` that differ from the base the spare instance holds, when it holds it. */
    let over: Array<readonly [number, number]> | undefined;
    // Routed runs only: the lineage of the state, and its hand-over step as received.
    let lineage: Lineage | undefined;
    /** A diff not yet written into `sent.memory` (the base), whose pages go into the spare instance alone. */
    let pending: PendingDiff | undefined;
    const step = req.handovers ?? 0;
    if (req.checkpoint) {
      // The request's bytes are this hub's own copy: the diff may point into them, and the
      // base is advanced in place (it is about to be replaced anyway).
      const cp = decodeCheckpoint(req.checkpoint, { share: true, maxBytes: this.limits.maxCheckpointBytes, authenticated: req.opened });
      if (cp.kind === 'diff') {
        const base = this.bases.get(req.job);
        if (!base || base.cp.id !== cp.base) return this.error('no-base', `job ${req.job}: got a diff against ${cp.base} but this hub holds ${base ? base.cp.id : 'no base'}`);
        if (req.route) {
          if (!base.lineage) return this.error('no-base', `job ${req.job}: base ${base.cp.id} was not left by a routed run; send the state whole`);
          try {
            base.lineage.received(cp, step);
          } catch (err) {
            return this.error('no-base', `job ${req.job}: ${(err as Error).message}`);
          }
          lineage = base.lineage;
        }
        this.bases.delete(req.job);
        // The instance the job paused in here still holds this base: it needs only the diff.
        if (this.spare?.job === req.job && this.spare.base === base.cp.id) {
          // Routed, the diff's pages go into the instance alone, and the base is brought up
          // to the run's memory after it (snapshot/pending.ts): once, not before and after.
          pending = lineage ? deferDiff(base.cp, cp) : undefined;
          if (!pending) over = cp.pages.map((p) => [p.index * cp.pageSize, p.index * cp.pageSize + p.bytes.byteLength] as const);
        }
        sent = pending ? pending.state : applyDiffInPlace(base.cp, cp);
      } else {
        sent = cp;
        if (req.route) lineage = Lineage.start(cp.memory.length, step, cp.steps);
      }
      if (sent.bundle !== bundle.hash) return this.error('bundle-mismatch', 'checkpoint belongs to another bundle');
      // Charged against the slot's memory limit before the instance grows to it: zero pages
      // are not carried, so a small message can declare a large memory.
      const limit = this.limits.maxMemoryPages * 65536;
      if (sent.memory.byteLength > limit) return this.error('memory-limit', `job ${req.job}: the checkpoint declares ${sent.memory.byteLength} bytes of memory; this slot runs at most ${limit}`);
      // Nothing refers to the request's bytes after the run: a diff's pages were applied to
      // the base, a whole state's copied into memory of its own (decodeCheckpoint), and a
      // pending diff's are read last by the compare of the run's memory, before the reply
      // is encoded into them.
      const came = req.checkpoint.buffer;
      if (this.opts.recycleInput && came instanceof ArrayBuffer && sent.memory.buffer !== came) this.spareOut = { job: req.job, buffer: came };
    }
    const services = this.servicesFor(req.job, req.input);
    const spare = sent ? this.takeSpare(req, module, sent) : undefined;
    // The spare could not be used after all (another module or seed): the state whole.
    if (pending && !spare) {
      sent = pending.settle();
      pending = undefined;
    }
    const x = spare ?? (sent ? undefined : this.takeIdle(req, module, services)) ??
      await FragmentExecutor.create(module, bundle.manifest, { seed: req.seed, services }, this.limits);
    if (pending) x.restoreWrites(pending.state, pending.writes);
    else if (sent && spare && over) x.restoreOver(sent, over);
    else if (sent) x.restore(sent);
    else x.start(req.entry, req.args ?? []);
    const every = req.migrateEvery;
    const t0 = performance.now();
    const resumedAt = performance.timeOrigin + t0;
    hooks.onRestored?.(resumedAt);
    const tag = req.tag ?? 0;
    const pause = () => this.shouldPause(tag);
    const storeEvery = hooks.onStored ? req.storeEvery ?? 0 : 0;
    const storeMs = hooks.onStored ? req.storeEveryMs ?? 0 : 0;
    let lastStore = t0;
    /** Set when the pause at this yield is only to store a checkpoint. */
    let storing = false;
    // The throttle and the clock are read every 256 yield points (a clock read costs about
    // as much as a short stretch between two yield points), so a long fragment slows down
    // soon after the throttle changes mid-run; the wait owed is paid once it reaches a
    // millisecond (shorter waits are not kept precisely).
    let lastYield = t0;
    let owed = 0;
    let throttled = this.throttle() > 1;
    const opts = {
      deadline: t0 + this.limits.deadlineMs,
      pauseAtYield: (n: number) => {
        storing = false;
        const sample = (n & 255) === 0;
        if (sample) {
          hooks.onYields?.(n);
          const f = this.throttle();
          if (f > 1) {
            const now = performance.now();
            // Throttled only from here on: the time run before it was set owes nothing.
            if (!throttled) { throttled = true; lastYield = now; }
            owed += (f - 1) * (now - lastYield);
            // What a wait oversleeps is taken off the next one, so the factor holds on average.
            if (owed >= 1) { const w0 = performance.now(); idle(owed); owed -= performance.now() - w0; }
            lastYield = performance.now();
          }
        }
        if ((every > 0 && n % every === 0) || pause()) return true;
        storing = (storeEvery > 0 && n % storeEvery === 0) || (sample && storeMs > 0 && performance.now() - lastStore >= storeMs);
        return storing;
      },
    };
    let fragment = req.fragment;
    let fragments = 0;
    this.at = fragment;
    let out = x.run(fragment, opts);
    for (;;) {
      if (out.kind === 'paused' && storing) {
        // A periodic checkpoint: capture, hand it over to be stored, and run on in place.
        const cp = x.capture({ id: newCheckpointId(), bundle: bundle.hash, entry: req.entry, fragment: out.fragment, paused: true }, { view: true });
        hooks.onStored!(encodeCheckpoint(cp, { maxBytes: this.limits.maxCheckpointBytes }), x.yields);
        lastStore = performance.now();
        x.resumeInPlace();
        this.at = out.fragment;
        out = x.run(out.fragment, opts);
        continue;
      }
      if (!(req.stay && out.kind === 'next')) break;
      fragments++;
      fragment = out.next;
      this.at = fragment;
      out = x.run(fragment, opts);
    }
    if (throttled) idle(owed + (this.throttle() - 1) * (performance.now() - lastYield));
    const execMs = performance.now() - t0;
    const pausedAt = out.kind === 'paused' ? performance.timeOrigin + performance.now() : undefined;
    if (out.kind === 'done') {
      // The job is over here: nobody needs its state, so none travels back.
      this.drop(req.job);
      const done: SlotReply = {
        kind: 'ran', v: PROTOCOL_VERSION, outcome: 'done', fragment: -1, fragments: fragments + 1,
        result: x.result(req.entry).bytes, execMs, yields: x.yields, maxYieldGapMs: x.maxYieldGapMs, resumedAt, held: this.held(),
        ...(x.outputBytes().byteLength ? { output: x.outputBytes() } : {}), ...this.dataStats(),
      };
      this.idle = { module, owner: req.owner ?? '', x };
      return done;
    }
    if (out.kind === 'next') fragments++;
    fragment = out.kind === 'paused' ? out.fragment : out.next;
    // The instance is done with: read its memory in place, and keep the new base in the
    // old base's buffer when the size is unchanged (a fresh large buffer faults on every page).
    const live = x.capture({ id: newCheckpointId(), bundle: bundle.hash, entry: req.entry, fragment, paused: out.kind === 'paused' }, { view: true });
    const left = step + 1;
    let reply: Checkpoint | CheckpointDiff;
    /** The pages the run changed since `sent`, when the lineage compared them. */
    let changed: number[] | undefined;
    if (req.route) {
      // Routed: the lineage follows every run (one compare of the memory), also when the
      // state leaves whole, so a later hand-over can still be a diff. The reply is a diff
      // for the hub the state goes to (its base at any earlier step), else the state whole
      // with its page steps (a base said to be newer than this state is a wrong hint).
      if (pending && lineage) changed = lineage.changed(pending.changedIn(live.memory), live.memory.length, left);
      else if (sent && lineage) changed = lineage.ran(sent.memory, live.memory, left);
      else lineage = Lineage.start(live.memory.length, left);
      reply = req.diffTo && req.diffTo.step <= left ? lineage.diffFor(live, req.diffTo) : lineage.whole(live);
    } else {
      // The engine's stepwise runs: a diff against what came in, which the engine holds.
      reply = req.full || !sent ? live : diffCheckpoint(sent, live, live.id, { share: true });
    }
    const unchecked = req.sealsDiff === true && reply.kind === 'diff';
    const checkpoint = encodeCheckpoint(reply, {
      headroom: this.opts.headroom, tailroom: this.opts.tailroom, maxBytes: this.limits.maxCheckpointBytes, into: this.takeSpareOut(), checksum: !unchecked,
    });
    const memory = sent && sent.memory.length === live.memory.length ? sent.memory : new Uint8Array(live.memory.length);
    // The base becomes the state that leaves, once the reply is sent (afterReply): the
    // instance's memory is left as it is until the next request. The old base is the state
    // the run started from: only the pages it changed differ (and those of a pending
    // diff, which it does not hold yet).
    const copied = changed && memory === sent!.memory ? (pending ? pending.withPages(changed) : changed) : undefined;
    const liveMemory = live.memory;
    this.later = () => {
      if (copied) copyPages(memory, liveMemory, copied);
      else memory.set(liveMemory);
    };
    const after: Checkpoint = { ...live, memory };
    this.keepBase(req.job, { cp: after, lineage });
    const ran: SlotReply = {
      kind: 'ran', v: PROTOCOL_VERSION, outcome: out.kind, fragment, fragments,
      checkpoint, execMs, yields: x.yields, maxYieldGapMs: x.maxYieldGapMs, resumedAt, pausedAt, held: this.held(), ...this.dataStats(),
      ...(lineage && this.bases.has(req.job) ? { kept: { id: live.id, step: left } } : {}), ...(unchecked ? { unchecked } : {}),
    };
    // Only now: recycling resets the longest gap the reply reads (it leaves the memory as
    // it is: afterReply copies the base from it). Its memory is the base's, byte for byte,
    // once that copy ran: `base` says which.
    if (out.kind === 'paused') this.spare = { job: req.job, module, seed: req.seed, bytes: memory.byteLength, x: x.recycled(), base: live.id };
    return ran;
  }
}

/** Block this thread for `ms` without using the CPU (workers may wait on Atomics). */
function idle(ms: number): void {
  if (ms > 0) Atomics.wait(PAUSE_CELL, 0, 0, ms);
}

const PAUSE_CELL = new Int32Array(new SharedArrayBuffer(4));
