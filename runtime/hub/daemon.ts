/**
 * The hub daemon behind `hub start`: one NATS connection, S worker-thread slots, and the
 * parts that serve them, wired together here. This file owns only the wiring and the
 * lifecycle (`HubState`): start (subscribe, then advertise `ready`), follow the
 * connection (`reconnecting` and back), and stop by draining: advertise `draining`, refuse
 * new work, pause each running fragment at its next yield point and send its state back
 * (so the engine resumes it elsewhere), then leave (`stopped`).
 *
 * The parts: ExecService (requests on the exec subject), RunsTable (what runs where),
 * SealGate (what may come in, what goes out sealed or signed), Records (fencing, result
 * commits), Handover (hub to hub), CheckpointKeeper (periodic checkpoints), BundleCache,
 * HostServices (GPU, remote datasets for slots), DataServer (datasets for other hubs),
 * Advertiser. startHub (start.ts) makes what it needs and starts it.
 *   const hub = await startHub({ nats: 'nats://127.0.0.1:4222', name: 'a', slots: 2 });
 *   process.on('SIGTERM', () => hub.stop());
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import { startHeartbeat, type Heartbeat } from './heartbeat.js';
import {
  Wire, ADVERT_SUBJECT, SEAL_HEAD, SEAL_TAIL, DATA_QUEUE, DISCOVER_SUBJECT, FENCE_SUBJECT, checkpointStore, dataSubject, drainSubject, execSubject, openJobStore, pingSubject,
  gcmKind, recycleReceiveBuffer, type NatsConnection, type Subscription,
} from '../net/index.js';
import { PROTOCOL_VERSION, TransportError, decodeMessage, encodeMessage, parseMessage, type HubState, type ProgressEvent } from '../protocol/index.js';
import { HubConfigError } from './errors.js';
import { releaseGpu, simdKernels, type GpuKernels } from '../host/index.js';
import { sleep } from '../util/index.js';
import { Advertiser } from './advert.js';
import { BundleCache } from './bundle-cache.js';
import { calibrateSpeed, detectCapabilities, type TimedCalibration } from './capabilities.js';
import { CheckpointKeeper, storesCheckpoints } from './checkpoint-keeper.js';
import { DataServer } from './data-server.js';
import { ExecService } from './exec-service.js';
import { Handover } from './handover.js';
import { HostServices } from './host-services.js';
import type { Logger } from './log.js';
import { HubMetrics, type MetricsServer } from './metrics.js';
import type { ResolvedHubOptions } from './options.js';
import { Records } from './records.js';
import { RunsTable } from './runs.js';
import { SealGate } from './seal-gate.js';
import { SlotPool } from './slots.js';
import { historyBucket, hubReweaving, type HubReweaving } from './reweaving.js';

/** How long a starting hub waits for a live hub of its name to answer. */
const NAME_CHECK_MS = 2000;
/**
 * Room left before each checkpoint a slot returns (with SEAL_HEAD more, and SEAL_TAIL after
 * it, to seal it where it lies), so that the hand-over message is framed around it without
 * copying it; an exec's fields take a few hundred bytes (a longer frame is a copy). */
const MESSAGE_HEADROOM = 4096;
/** How often a drain looks whether the last exec is done. */
const DRAIN_POLL_MS = 20;

/** What startHub found or made before the daemon starts. */
export interface HubDeps {
  metrics?: HubMetrics;
  /** The endpoint serving `metrics`, closed when the hub stops. */
  metricsServer?: MetricsServer;
  /** The GPU the hub serves `gpu` calls on, or why it has none. */
  gpu?: GpuKernels;
  gpuReason?: string;
}

/** Bytes of unfinished incoming transfers a hub holds at once: per slot, and at least. */
const PARTIAL_PER_SLOT_BYTES = 8 << 20;
const PARTIAL_FLOOR_BYTES = 16 << 20;
/** While its server is unreachable, a hub says so again this often (watchStatus). */
const LOST_REPEAT_MS = 30_000;
export class HubDaemon {
  state: HubState = 'starting';
  readonly id: string;
  /** Counted whether or not they are served; startHub serves them with `metrics` set. */
  readonly metrics: HubMetrics;
  /** Settles when the hub has stopped (drained, or its connection closed for good). */
  readonly closed: Promise<void>;
  private markClosed!: () => void;
  private stopping: Promise<void> | undefined;
  /** Beats on a thread of its own from 'ready' to 'stopped' (heartbeat.ts). */
  private heartbeat: Heartbeat | undefined;
  /** What the heartbeat thread signs beats with: the key this hub signs results with. */
  private readonly beatKey: KeyObject;
  /** New in every process: a hub restarted under the same name is another one to engines. */
  private readonly boot = randomBytes(6).toString('hex');
  private readonly log: Logger;
  private readonly wire: Wire;
  private readonly subs: Subscription[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly caps = detectCapabilities();
  /** Speed from the calibration run, before any emulated throttle. */
  private readonly baseSpeed = calibrateSpeed();
  private readonly slots: SlotPool;
  private readonly runs: RunsTable;
  private readonly execs: ExecService;
  private readonly host: HostServices;
  private readonly data: DataServer;
  private readonly adverts: Advertiser;
  /** Stay or move decided here (`reweave` learned or fixed); undefined when engines decide. */
  private readonly reweaving: HubReweaving | undefined;

  constructor(private readonly nc: NatsConnection, private readonly opts: ResolvedHubOptions, private readonly deps: HubDeps = {}) {
    this.id = opts.name;
    this.log = opts.log;
    this.metrics = deps.metrics ?? new HubMetrics(opts.name);
    // Unfinished part transfers held at once: a slot takes one incoming state at a time, so
    // a few MiB per slot (one transfer alone may still grow to its whole size: wire.ts). A
    // peer that starts transfers and never ends them holds no more than this.
    this.wire = new Wire(nc, { maxPartialBytes: Math.max(PARTIAL_FLOOR_BYTES, opts.slots * PARTIAL_PER_SLOT_BYTES) });
    this.caps.gpu = deps.gpu !== undefined;
    this.caps.speed = speedOf(this.baseSpeed, opts.emulation.throttle);
    const ask = (subject: string, bytes: Uint8Array, timeoutMs: number) => this.wire.request(subject, bytes, { timeoutMs });
    const report = (subject: string, event: ProgressEvent) => this.wire.publish(subject, encodeMessage(event));
    this.host = new HostServices({ gpu: deps.gpu, ask, log: this.log, runOn: (slot) => this.runs.runOn(slot) });
    this.slots = new SlotPool(this.id, opts.slots, {
      headroom: MESSAGE_HEADROOM + SEAL_HEAD, tailroom: SEAL_TAIL, datasets: opts.datasets, gpu: this.caps.gpu, throttle: opts.emulation.throttle, sandbox: opts.sandbox,
      onMainCall: (call, slot) => this.host.call(call, slot),
    });
    this.metrics.watchSlots(() => this.slots.load());
    this.runs = new RunsTable(this.slots);
    const gate = new SealGate(this.id, !opts.insecure, this.log);
    this.beatKey = gate.signer.signKey;
    const records = new Records(() => openJobStore(nc), this.id, this.log);
    records.signer = gate.signKey;
    const keeper = new CheckpointKeeper(() => checkpointStore(nc), {
      hub: this.id, seal: (req, b) => gate.sealStored(req, b), report, metrics: this.metrics, log: this.log, fenced: (req) => records.isFenced(req),
    });
    this.execs = new ExecService({
      hub: this.id, slots: this.slots, runs: this.runs, gate, records, metrics: this.metrics, log: this.log, state: () => this.state,
      send: (subject, bytes) => this.wire.publish(subject, bytes), ran: (run, r) => this.reweaving?.ran(run, r),
      handover: new Handover({
        hub: this.id, gate, ask, report, metrics: this.metrics, log: this.log, headroom: MESSAGE_HEADROOM,
        exportWhole: (job) => this.exportWhole(job), recycle: recycleReceiveBuffer,
        // A hand-over is a checkpoint: the state that left is stored whole, the slot's copy only
        // when a diff left (a one-slot hub that started its next job had none: work lost).
        handedOver: (req, yields, sent) => {
          if (!storesCheckpoints(req)) return;
          if (sent) keeper.keep(req, sent, yields);
          else void this.exportWhole(req.job).then((whole) => { if (whole) keeper.keep(req, whole, yields); }, () => undefined);
        },
      }),
      keeper,
      bundles: new BundleCache(this.id, { ask, fromRecords: (hash) => records.bundle(hash), open: (hash, b, sealed) => gate.openBundle(hash, b, sealed) }, this.log),
    });
    this.data = new DataServer(opts.datasets, this.log, opts.emulation.dataLink);
    this.adverts = new Advertiser({
      id: this.id, state: () => this.state, caps: this.caps, slots: () => this.slots.load(), jobs: () => this.runs.jobs(), heldBytes: () => this.slots.held(),
      running: () => this.runs.keys(), counters: () => ({ dataRemoteBytes: this.host.dataRemoteBytes, gpuCalls: this.host.gpuCalls }),
      datasets: Object.keys(opts.datasets), labels: opts.labels, keys: gate.publicKeys, signer: gate.signKey, everyMs: opts.advertEveryMs, startedAt: Date.now(), boot: this.boot, reweave: opts.reweave === 'off' ? undefined : opts.reweave,
    }, (bytes) => { if (!nc.isClosed() && !nc.isDraining()) this.wire.publish(ADVERT_SUBJECT, bytes); }, this.log);
    this.reweaving = opts.reweave === 'off' ? undefined : hubReweaving(opts.reweave, {
      hub: this.id, slots: this.slots, runOf: (slot, tag) => this.runs.byTag(slot, tag), self: () => this.adverts.view(), log: this.log, weaverState: opts.weaverState,
      routeOf: (run) => gate.ticketOf(run.job)?.ticket.route, move: (run, to) => this.execs.moveHere(run, to), openHistory: () => historyBucket(nc), measurementLog: opts.measurementLog,
      calibrate: (ms) => this.calibrateIdle(ms) });
    this.closed = new Promise((r) => { this.markClosed = r; });
    void nc.closed().then((err) => {
      if (!this.stopping) this.log.error('nats connection closed', { error: err ? err.message : undefined });
      this.stopping ??= this.drain();
    });
  }

  /** Subscribe, advertise, and watch the connection. Throws when the connection closes first. */
  async start(): Promise<void> {
    await this.checkNameFree();
    // The thread starts now, so its start-up overlaps the subscriptions'.
    this.heartbeat = startHeartbeat({ nats: this.opts.nats, auth: this.opts.auth, hub: this.id, boot: this.boot, everyMs: this.opts.heartbeatMs, cells: this.slots.yieldCells(), signKey: this.beatKey },
      (err) => this.log.error('heartbeat thread failed; engines will take this hub for lost', { error: err.message }));
    const onDrop = (why: string) => this.log.warn('dropped a message', { why });
    let refused: Error | undefined;
    const onError = (err: Error) => { refused ??= err; };
    this.subs.push(this.wire.serve(execSubject(this.id), (b, ctx) => this.execs.onRequest(b, ctx.reply, ctx.owned), { onDrop, onError }));
    this.subs.push(this.wire.serve(pingSubject(this.id), async () => encodeMessage({ kind: 'pong', v: PROTOCOL_VERSION, hub: this.id }), { onDrop, onError }));
    // `weave hubs drain NAME`: answered first, then the drain SIGTERM would start.
    this.subs.push(this.wire.serve(drainSubject(this.id), async (b) => {
      parseMessage(decodeMessage(b), ['drain']);
      this.log.info('drain asked', {});
      setImmediate(() => void this.stop());
      return encodeMessage({ kind: 'ok', v: PROTOCOL_VERSION });
    }, { onDrop, onError }));
    this.subs.push(this.wire.serve(DISCOVER_SUBJECT, async () => this.adverts.encoded(), { onDrop }));
    this.subs.push(this.nc.subscribe(FENCE_SUBJECT, {
      callback: (err, msg) => {
        if (err) return;
        try {
          this.execs.fence(parseMessage(decodeMessage(msg.data), ['fence']));
        } catch { /* noise on the fence subject changes nothing */ }
      },
    }));
    for (const { atMs, factor } of this.opts.emulation.throttleAt) this.timers.push(setTimeout(() => this.setThrottle(factor), atMs));
    // A noisy neighbour: slower, and the advert does not say so.
    for (const { atMs, factor } of this.opts.emulation.noiseAt) this.timers.push(setTimeout(() => this.slots.setThrottle(this.opts.emulation.throttle * factor), atMs));
    if (this.reweaving) this.subs.push(this.nc.subscribe(ADVERT_SUBJECT, { callback: (err, msg) => { if (!err) this.reweaving!.heard(msg.data); } }));
    for (const name of Object.keys(this.opts.datasets)) {
      this.subs.push(this.wire.serve(dataSubject(name), (b) => this.data.serve(name, b), { onDrop, queue: DATA_QUEUE }));
    }
    // 'ready' is what scripts and tests wait for: it must mean that requests reach this hub,
    // so not before the server has the subscriptions (a flush round-trips after them).
    await this.nc.flush();
    // A refused subscription is reported before the flush's answer: such a hub would log
    // 'ready' and never get work (another hub's credentials, say).
    if (refused) {
      await this.heartbeat.stop();
      throw new HubConfigError(`hub ${this.id}: the NATS server refused its subscriptions (${refused.message}); a hub's credentials name its id: start it with the --name its credentials were made for`, { cause: refused });
    }
    // Beats before the first advert: an engine that heard this name's previous process
    // must see the new boot id beating before it sees the hub ready.
    await this.heartbeat.beating;
    this.state = 'ready';
    this.adverts.start();
    await this.reweaving?.start();
    void this.watchStatus();
    const simd = simdKernels();
    this.log.info('ready', {
      slots: this.slots.size, caps: this.caps, simd: simd.kind, ...(simd.reason ? { simdReason: simd.reason } : {}), cipher: gcmKind(),
      ...(this.deps.gpuReason ? { gpuReason: this.deps.gpuReason } : {}), subject: execSubject(this.id),
      ...(this.deps.metricsServer ? { metrics: this.deps.metricsServer.url } : {}),
    });
  }

  /**
   * Refuse to start under the name of a live hub: two hubs on one exec subject would both
   * run every job sent to it. Asked on the exec subject (a hub may publish there in secure
   * mode too): a `pong` means the name is taken; no responders, free. Throws HubConfigError.
   */
  private async checkNameFree(): Promise<void> {
    let answer: Uint8Array;
    try {
      answer = await this.wire.request(execSubject(this.id), encodeMessage({ kind: 'ping', v: PROTOCOL_VERSION }), { timeoutMs: NAME_CHECK_MS });
    } catch (e) {
      // Nobody answers: the name is free (a timeout too: a hub that cannot answer a ping is gone or wedged).
      if (e instanceof TransportError) return;
      throw e;
    }
    let taken = true;
    try { taken = decodeMessage(answer).kind === 'pong'; } catch { /* something answers there: taken */ }
    if (taken) throw new HubConfigError(`hub name '${this.id}' is taken: a live hub answers on ${execSubject(this.id)}; pick another --name, or stop that hub first`);
  }

  /** Drain and leave. Safe to call more than once. */
  stop(): Promise<void> {
    this.stopping ??= this.drain();
    return this.stopping;
  }

  /** Emulation: act as a slower (or faster) machine from the next yield point on, and say so. */
  setThrottle(factor: number): void {
    this.slots.setThrottle(factor);
    this.caps.speed = speedOf(this.baseSpeed, factor);
    this.log.info('throttle', { factor, speed: this.caps.speed });
    this.adverts.publish();
  }

  private async drain(): Promise<void> {
    this.state = 'draining';
    this.log.info('draining', { running: this.slots.load().running });
    this.adverts.publish();
    this.slots.preemptAll();
    const deadline = Date.now() + this.opts.drainTimeoutMs;
    // `active` counts execs until their outcome is sent or handed over, not just while they run.
    while (this.execs.active > 0 && Date.now() < deadline) await sleep(DRAIN_POLL_MS);
    if (this.execs.active > 0) this.log.warn('drain timed out; stopping with fragments still running', { active: this.execs.active });
    this.adverts.stop();
    this.reweaving?.stop();
    await this.heartbeat?.stop();
    for (const t of this.timers) clearTimeout(t);
    this.state = 'stopped';
    this.adverts.publish();
    try {
      await this.nc.drain();
    } catch { /* already closed */ }
    await this.slots.close();
    await this.data.close();
    if (this.deps.gpu) await releaseGpu();
    await this.deps.metricsServer?.close();
    this.log.info('stopped');
    this.markClosed();
  }

  private async watchStatus(): Promise<void> {
    // A lost server is logged once, then every LOST_REPEAT_MS while it lasts: nats.js
    // reports each reconnect attempt (about three a second), and a hub whose server was
    // down logged a warning for every one, for as long as it was down.
    let lost: { since: number; attempts: number; said: number } | undefined;
    for await (const s of this.nc.status()) {
      if (s.type === 'disconnect' || s.type === 'reconnecting') {
        if (this.state === 'ready') this.state = 'reconnecting';
        const now = Date.now();
        if (!lost) {
          lost = { since: now, attempts: 0, said: now };
          this.log.warn('nats connection lost; reconnecting', { type: s.type, data: String(s.data) });
        }
        if (s.type === 'reconnecting') lost.attempts++;
        if (now - lost.said >= LOST_REPEAT_MS) {
          lost.said = now;
          this.log.warn('nats server still unreachable; reconnecting', { attempts: lost.attempts, downMs: now - lost.since, data: String(s.data) });
        }
      } else if (s.type === 'reconnect') {
        if (this.state === 'reconnecting') this.state = 'ready';
        this.log.info('nats reconnected', { server: String(s.data), ...(lost ? { attempts: lost.attempts, downMs: Date.now() - lost.since } : {}) });
        lost = undefined;
        this.adverts.publish();
      } else if (s.type === 'error') {
        this.log.error('nats error', { error: String(s.data) });
      }
    }
  }

  /** The whole state `job`'s slot holds, encoded; undefined when it holds none. */
  private async exportWhole(job: string): Promise<Uint8Array | undefined> {
    const whole = await this.slots.request(this.runs.slotFor(job), { kind: 'export', v: PROTOCOL_VERSION, job });
    return whole.kind === 'ok' && 'checkpoint' in whole ? whole.checkpoint : undefined;
  }

  /** The calibration kernel timed on slot 0 while no slot has work (idle-probe.ts); undefined otherwise. */
  private async calibrateIdle(ms: number): Promise<TimedCalibration | undefined> {
    if (this.state !== 'ready') return undefined;
    for (let slot = 0; slot < this.slots.size; slot++) if (this.slots.inFlight(slot) > 0) return undefined;
    const r = await this.slots.request(0, { kind: 'calibrate', v: PROTOCOL_VERSION, ms });
    return r.kind === 'ok' && 'calibrated' in r ? r.calibrated : undefined;
  }
}

/** The speed a hub advertises: its calibrated one over its (emulated) throttle. */
function speedOf(base: number, throttle: number): number {
  return Math.round((base / throttle) * 100) / 100;
}
