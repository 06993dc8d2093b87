/**
 * The hub daemon behind `hub start`: one NATS connection, S worker-thread slots.
 *
 * It answers `exec` requests on its own subject by running the fragment on a slot (a job
 * sticks to one slot, which holds its base checkpoint for diffs), fetches a bundle it lacks
 * once from the submitting client and keeps it by content hash, advertises capabilities and
 * load every few seconds, and answers pings. Any message it cannot use gets a typed
 * `error` reply and a log line; nothing a peer sends ends the process.
 *
 * Stopping drains: the hub advertises `draining`, refuses new work, pauses each running
 * fragment at its next yield point and replies with that checkpoint, so the engine resumes
 * it on another hub; then it leaves.
 *   const hub = await startHub({ nats: 'nats://127.0.0.1:4222', name: 'a', slots: 2 });
 *   process.on('SIGTERM', () => hub.stop());
 */
import os from 'node:os';
import { createHash } from 'node:crypto';
import type { NatsConnection, Subscription } from 'nats';
import {
  connectNats, natsAuthOf, type NatsAuth, Wire, decodeMessage, encodeMessage, ProtocolError, type Message, ADVERT_SUBJECT, DATA_QUEUE, dataSubject, checkpointStore, type CheckpointStore,
  DISCOVER_SUBJECT, FENCE_SUBJECT, execSubject, isSubjectToken, pingSubject, openJobStore, type JobStore, type CommitOutcome,
  createIdentity, sign, resultStatement, sealTo, openFrom, sealAnon, openAnon, storedContext, bundleContext, SealError, type Identity, type SealContext,
} from '../net/index.js';
import { HubThread } from './hub-thread.js';
import { calibrateSpeed, detectCapabilities } from './capabilities.js';
import { simdKernels } from '../host/index.js';
import { detectGpu, gpuKernels, releaseGpu, type GpuKernels } from '../host/gpu.js';
import { createLogger, type Logger } from './log.js';
import { PROTOCOL_VERSION, type BundleReply, type DataReply, type DataRequest, type ExecRequest, type HubAdvert, type HubReply, type HubState, type MoveRequest } from './protocol.js';
import type { MainAnswer, MainCall } from './blocking.js';
import { open, type FileHandle } from 'node:fs/promises';
import { MetricsError, TransportError } from './errors.js';
import { HubMetrics, serveMetrics, type MetricsServer, type SlotLoad } from './metrics.js';
import { WorkHistory, workKeys } from '../policy/index.js';
import { argBytes, type ArgValue } from '../exec/index.js';

/** A run on a slot of this hub (see HubDaemon.runs). */
interface Run {
  slot: number;
  tag: number;
  /** The fragment it started in (for log lines). */
  fragment: number;
  record?: string;
  attempt?: number;
  /** WorkHistory keys, most specific first. */
  work: string[];
  /** It started from the arguments, not a checkpoint: its time here is the whole job's. */
  fresh: boolean;
  /** performance.now() when it got its slot. */
  startedAt?: number;
}

export interface HubOptions extends NatsAuth {
  nats: string;
  /** Hub id: one subject token. @default <hostname>-<pid> */
  name?: string;
  /** Fragments run at once (worker threads). @default one per core */
  slots?: number;
  datasets?: Record<string, string>;
  labels?: Record<string, string>;
  /** @default 2000 */
  advertEveryMs?: number;
  /** Longest a drain waits for running fragments to pause. @default 30000 */
  drainTimeoutMs?: number;
  log?: Logger;
  /** Probe for a WebGPU adapter and serve `gpu` calls on it. @default true */
  gpu?: boolean;
  /** Run fragments as if this many times slower (benchmarks: hubs that differ on one machine). @default 1 */
  throttle?: number;
  /** Emulated link for dataset ranges served to other hubs: each reply waits `delayMs`
   *  plus its size at `mbps` (0: no limit). For benchmarks on one machine. */
  dataLink?: { delayMs: number; mbps: number };
  /** Change the throttle while running: at `atMs` after start, to `factor` (a benchmark
   *  overloads a hub mid-job this way). */
  throttleAt?: Array<{ atMs: number; factor: number }>;
  /** No identity: take plain checkpoints, sign nothing (benchmarks against secure mode). @default false */
  insecure?: boolean;
  /**
   * Serve Prometheus metrics at http://host:port/metrics (port 0: one the system picks;
   * the ready line logs it). `host` @default 127.0.0.1. @default not served
   */
  metrics?: { port: number; host?: string };
}

/**
 * Room left before each checkpoint a slot returns, so that the hand-over message is framed
 * around it without copying it; an exec message's fields take a few hundred bytes, and a
 * larger frame (a very long route) falls back to a copy.
 */
const MESSAGE_HEADROOM = 4096;

/** Largest dataset range served in one reply; a reader asks again for the rest. */
const MAX_DATA_READ_BYTES = 16 << 20;

/** A hub that does not acknowledge a hand-over in this time is passed over. */
const HANDOVER_TIMEOUT_MS = 10_000;

/** HubOptions with every default applied and every value checked, once. */
export interface ResolvedHubOptions {
  nats: string;
  name: string;
  slots: number;
  datasets: Record<string, string>;
  labels: Record<string, string>;
  advertEveryMs: number;
  drainTimeoutMs: number;
  log: Logger;
  dataLink: { delayMs: number; mbps: number };
  throttle: number;
  throttleAt: Array<{ atMs: number; factor: number }>;
  insecure: boolean;
  metrics: { host: string; port: number } | undefined;
  /** The GPU the hub serves `gpu` calls on (set by startHub after probing), or why none. */
  gpu?: GpuKernels;
  gpuReason?: string;
}

export const MAX_SLOTS = 256;

/** Apply defaults and check values. Throws TransportError (MetricsError for `metrics`) naming the bad option. */
export function resolveHubOptions(opts: HubOptions): ResolvedHubOptions {
  const name = opts.name ?? defaultHubName();
  if (!isSubjectToken(name)) throw new TransportError(`hub name '${name}' must be 1-64 letters, digits, '-' or '_'`, { code: 'transport' });
  for (const d of Object.keys(opts.datasets ?? {})) {
    if (!isSubjectToken(d)) throw new TransportError(`dataset name '${d}' must be 1-64 letters, digits, '-' or '_'`, { code: 'transport' });
  }
  const slots = opts.slots ?? os.availableParallelism();
  if (!Number.isInteger(slots) || slots < 1 || slots > MAX_SLOTS) throw new TransportError(`slots must be an integer from 1 to ${MAX_SLOTS}, got ${slots}`);
  const m = opts.metrics;
  if (m && (!Number.isInteger(m.port) || m.port < 0 || m.port > 65535)) throw new MetricsError(`the metrics port must be an integer from 0 to 65535, got ${m.port}`);
  if (m?.host !== undefined && !m.host) throw new MetricsError('the metrics host must not be empty');
  return {
    nats: opts.nats, name, slots,
    datasets: opts.datasets ?? {}, labels: opts.labels ?? {},
    advertEveryMs: opts.advertEveryMs ?? 2000, drainTimeoutMs: opts.drainTimeoutMs ?? 30_000,
    log: opts.log ?? createLogger({ hub: name }),
    dataLink: opts.dataLink ?? { delayMs: 0, mbps: 0 },
    throttle: opts.throttle ?? 1,
    throttleAt: opts.throttleAt ?? [],
    insecure: opts.insecure ?? false,
    metrics: m && { host: m.host ?? '127.0.0.1', port: m.port },
  };
}

/** Sequence numbers remembered per job key (replayed checkpoints are refused); oldest forgotten. */
const MAX_SEQS = 4096;

/** Remembered fences (job id -> lowest attempt still allowed); the oldest are forgotten. */
const MAX_FENCES = 4096;
/** A hub that cannot commit a result tries this many times, backing off, before it
 *  replies uncommitted and leaves the commit to the engine. */
const COMMIT_TRIES = 6;

/** Bundles kept by content hash; a bundle is a few hundred KiB, so a count bound is enough. */
const MAX_CACHED_BUNDLES = 64;
/** Arguments an exec may carry: a job's entry takes a handful; strings and arrays are bounded in bytes. */
const MAX_ARGS = 1024;
const MAX_ARG_BYTES = 64 << 20;

export class HubDaemon {
  state: HubState = 'starting';
  private readonly threads: HubThread[];
  private readonly jobSlot = new Map<string, number>();
  private readonly bundles = new Map<string, Uint8Array>();
  private readonly fetching = new Map<string, Promise<Uint8Array>>();
  private readonly subs: Subscription[] = [];
  private readonly wire: Wire;
  private readonly caps = detectCapabilities();
  private readonly startedAt = Date.now();
  private advertTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  /** Exec requests being served, hand-overs included. */
  private active = 0;
  /** Settles when the hub has stopped (drained, or its connection closed for good). */
  readonly closed: Promise<void>;
  private markClosed!: () => void;
  private readonly everyMs: number;
  /** Dataset bytes this hub's fragments fetched from other hubs (a locality metric). */
  private dataRemoteBytes = 0;
  /** GPU calls served. */
  private gpuCalls = 0;
  private store: Promise<CheckpointStore | undefined> | undefined;
  /** Per job: a put in flight, and the newest checkpoint waiting for it to finish. */
  private readonly storing = new Map<string, { next?: { bytes: Uint8Array; yields: number } }>();
  /** Per dataset: the open file and its size (datasets do not change while served). */
  private readonly dataFiles = new Map<string, Promise<{ file: FileHandle; size: number }>>();

  readonly id: string;
  private readonly log: Logger;
  /**
   * Runs here, by exec job key (an attempt), in arrival order: the slot, the tag that
   * pauses only it, its work estimate's keys, and when it got its slot (undefined while it
   * waits behind another run there).
   */
  private readonly runs = new Map<string, Run>();
  /** What runs of each job template measured here: the queued and running work adverts carry. */
  private readonly work = new WorkHistory();
  private nextTag = 1;
  /** Runs asked to move (re-weaving): job key -> target hub. */
  private readonly moves = new Map<string, string>();
  /** Per job record: attempts below this are fenced out. */
  private readonly fences = new Map<string, number>();
  private jobStore: Promise<JobStore | undefined> | undefined;
  /** Speed from the calibration run, before any throttle. */
  private readonly baseSpeed: number;
  private readonly timers: NodeJS.Timeout[] = [];
  /** This hub's keys (made at start); undefined when --insecure. */
  private readonly identity: Identity | undefined;
  /** Per job key: the highest sequence of a sealed checkpoint taken, and its client's key. */
  private readonly seqs = new Map<string, { seq: number; client: string }>();
  /** Sealing keys of move targets, by job key. */
  private readonly moveKeys = new Map<string, Uint8Array>();

  /** Counted whether or not they are served; startHub serves them with `metrics` set. */
  readonly metrics: HubMetrics;

  /** `metricsServer`: the endpoint serving `metrics`, closed when the hub stops. */
  constructor(private readonly nc: NatsConnection, private readonly opts: ResolvedHubOptions, metrics?: HubMetrics, private readonly metricsServer?: MetricsServer) {
    this.id = opts.name;
    this.log = opts.log;
    this.metrics = metrics ?? new HubMetrics(opts.name);
    this.metrics.watchSlots(() => this.slotLoad());
    this.caps.gpu = opts.gpu !== undefined;
    this.identity = opts.insecure ? undefined : createIdentity();
    this.baseSpeed = calibrateSpeed();
    this.caps.speed = Math.round((this.baseSpeed / opts.throttle) * 100) / 100;
    this.threads = Array.from({ length: opts.slots }, (_, i) => new HubThread(`${this.id}/${i}`, {
      headroom: MESSAGE_HEADROOM, datasets: opts.datasets, gpu: this.caps.gpu, throttle: opts.throttle, onMainCall: (call) => this.mainCall(call, i),
    }));
    this.wire = new Wire(nc);
    this.everyMs = opts.advertEveryMs;
    this.closed = new Promise((r) => { this.markClosed = r; });
    void nc.closed().then((err) => {
      if (!this.stopping) this.log.error('nats connection closed', { error: err ? err.message : undefined });
      this.stopping ??= this.drain();
    });
  }

  /** Subscribe, advertise, and watch the connection. Throws when the connection closes first. */
  async start(): Promise<void> {
    const onDrop = (why: string) => this.log.warn('dropped a message', { why });
    this.subs.push(this.wire.serve(execSubject(this.id), (b, ctx) => this.onExec(b, ctx.reply, ctx.owned), { onDrop }));
    this.subs.push(this.wire.serve(pingSubject(this.id), async () => encodeMessage({ kind: 'pong', v: PROTOCOL_VERSION, hub: this.id }), { onDrop }));
    this.subs.push(this.wire.serve(DISCOVER_SUBJECT, async () => encodeMessage(this.advert() as unknown as Message), { onDrop }));
    this.subs.push(this.nc.subscribe(FENCE_SUBJECT, { callback: (err, msg) => { if (!err) this.onFence(msg.data); } }));
    for (const { atMs, factor } of this.opts.throttleAt) this.timers.push(setTimeout(() => this.setThrottle(factor), atMs));
    for (const name of Object.keys(this.opts.datasets)) {
      this.subs.push(this.wire.serve(dataSubject(name), (b) => this.serveData(name, b), { onDrop, queue: DATA_QUEUE }));
    }
    // 'ready' is what scripts and tests wait for: it must mean that requests reach this hub,
    // so not before the server has the subscriptions (a flush round-trips after them).
    await this.nc.flush();
    this.state = 'ready';
    this.publishAdvert();
    this.advertTimer = setInterval(() => this.publishAdvert(), this.everyMs);
    void this.watchStatus();
    const simd = simdKernels();
    this.log.info('ready', {
      slots: this.threads.length, caps: this.caps, simd: simd.kind, ...(simd.reason ? { simdReason: simd.reason } : {}),
      ...(this.opts.gpuReason ? { gpuReason: this.opts.gpuReason } : {}), subject: execSubject(this.id),
      ...(this.metricsServer ? { metrics: this.metricsServer.url } : {}),
    });
  }

  /**
   * A run that started from its arguments finished here after `execMs` of running (not
   * counting its wait for the slot, nor fetching and compiling the module the first time):
   * remember what the job costs.
   */
  private measured(job: string, execMs: number): void {
    const run = this.runs.get(job);
    if (run?.fresh) this.work.observe(run.work, execMs * (this.caps.speed ?? 1));
  }

  /**
   * The work waiting here and still left in what runs, ms on a speed-1 hub, so that a
   * policy can tell a queue of two long jobs from two short ones. Undefined when a run has
   * no estimate (no run of its entry measured here yet): a guess would mislead.
   */
  private workAhead(): { queuedWork?: number; runningWork?: number } {
    let queuedWork = 0;
    let runningWork = 0;
    const now = performance.now();
    for (const r of this.runs.values()) {
      const est = this.work.estimate(r.work);
      if (est === undefined) return {};
      if (r.startedAt === undefined) queuedWork += est;
      else runningWork += Math.max(0, est - (now - r.startedAt) * (this.caps.speed ?? 1));
    }
    return { queuedWork: Math.round(queuedWork), runningWork: Math.round(runningWork) };
  }

  /** Slots running a request now, and requests queued behind them. */
  private slotLoad(): SlotLoad {
    let running = 0;
    let queued = 0;
    for (const t of this.threads) {
      if (t.inFlight > 0) running++;
      queued += Math.max(0, t.inFlight - 1);
    }
    return { slots: this.threads.length, running, queued };
  }

  advert(): HubAdvert {
    const { running: busy, queued: queue } = this.slotLoad();
    return {
      kind: 'advert', v: PROTOCOL_VERSION, id: this.id, state: this.state, caps: this.caps,
      load: { slots: this.threads.length, busy, queue, cpu: os.loadavg()[0] / this.caps.cores, jobs: this.jobSlot.size, ...this.workAhead(),
        rssMiB: Math.round(process.memoryUsage.rss() / (1 << 20)),
        heldMiB: Math.round(this.threads.reduce((n, t) => n + t.held, 0) / (1 << 20)), dataRemoteBytes: this.dataRemoteBytes, gpuCalls: this.gpuCalls },
      datasets: Object.keys(this.opts.datasets), labels: this.opts.labels, running: [...this.runs.keys()].slice(0, 1024),
      keys: this.identity?.public,
      everyMs: this.everyMs, startedAt: this.startedAt,
    };
  }

  /** Drain and leave. Safe to call more than once. */
  stop(): Promise<void> {
    this.stopping ??= this.drain();
    return this.stopping;
  }

  private async drain(): Promise<void> {
    this.state = 'draining';
    this.log.info('draining', { running: this.threads.filter((t) => t.inFlight > 0).length });
    this.publishAdvert();
    for (const t of this.threads) t.preempt();
    const deadline = Date.now() + this.opts.drainTimeoutMs;
    // `active` counts execs until their outcome is sent or handed over, not just while they run.
    while (this.active > 0 && Date.now() < deadline) await sleep(20);
    if (this.active > 0) this.log.warn('drain timed out; stopping with fragments still running', { active: this.active });
    clearInterval(this.advertTimer);
    for (const t of this.timers) clearTimeout(t);
    this.state = 'stopped';
    this.publishAdvert();
    try {
      await this.nc.drain();
    } catch { /* already closed */ }
    await Promise.all(this.threads.map((t) => t.close()));
    await Promise.all([...this.dataFiles.values()].map((f) => f.then((d) => d.file.close(), () => undefined)));
    if (this.opts.gpu) await releaseGpu();
    await this.metricsServer?.close();
    this.log.info('stopped');
    this.markClosed();
  }

  private publishAdvert(): void {
    if (this.nc.isClosed() || this.nc.isDraining()) return;
    try {
      this.wire.publish(ADVERT_SUBJECT, encodeMessage(this.advert() as unknown as Message));
    } catch (e) {
      this.log.warn('cannot publish advert', { error: (e as Error).message });
    }
  }

  private async watchStatus(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (s.type === 'disconnect' || s.type === 'reconnecting') {
        if (this.state === 'ready') this.state = 'reconnecting';
        this.log.warn('nats connection lost; reconnecting', { type: s.type, data: String(s.data) });
      } else if (s.type === 'reconnect') {
        if (this.state === 'reconnecting') this.state = 'ready';
        this.log.info('nats reconnected', { server: String(s.data) });
        this.publishAdvert();
      } else if (s.type === 'error') {
        this.log.error('nats error', { error: String(s.data) });
      }
    }
  }

  /** `owned`: the bytes' buffer is this hub's alone (see Wire), so it may go to a slot as is. */
  private async onExec(bytes: Uint8Array, reply: string | undefined, owned: boolean): Promise<Uint8Array | undefined> {
    let out: HubReply | undefined;
    this.active++;
    try {
      out = await this.dispatch(decodeMessage(bytes), reply, owned);
    } catch (e) {
      out = this.rejected(e);
    } finally {
      this.active--;
    }
    return out && this.encodeReply(out);
  }

  /** `req`: the exec it was serving, when the failure came after the request was read. */
  private rejected(e: unknown, req?: ExecRequest): HubReply {
    const code = e instanceof ProtocolError ? 'bad-message' : e instanceof TransportError ? `transport-${e.code}` : 'internal';
    this.log.warn('rejected a request', { code, error: (e as Error).message, ...(req ? { job: req.job, fragment: req.fragment } : {}) });
    return { kind: 'error', v: PROTOCOL_VERSION, code, message: (e as Error).message };
  }

  /** Error replies are logged where they are made, with the job they concern (settled, move). */
  private encodeReply(reply: HubReply): Uint8Array {
    return encodeMessage(reply as unknown as Message);
  }

  /**
   * An exec's outcome as it leaves this hub: counted, and logged with its job and fragment.
   * `ran`: a slot ran it (else it was refused first). A hand-over (no reply here) is
   * counted where it is acknowledged (finish).
   */
  private settled(req: ExecRequest, out: HubReply | undefined, ran: boolean): HubReply | undefined {
    if (!out) return out;
    const about = { job: req.job, fragment: req.fragment };
    if (out.kind === 'error') {
      this.metrics.failed(out.code);
      if (ran) this.metrics.ran(out.code === 'trap' ? 'trapped' : out.code === 'fenced' ? 'fenced' : 'failed', 0);
      if (out.code === 'trap') this.log.info('trapped', { ...about, fragment: out.fragment ?? req.fragment, error: out.message });
      else this.log.warn('error reply', { ...about, code: out.code, error: out.message });
    } else if (out.kind === 'ran') {
      this.metrics.ran(out.outcome, out.fragments ?? 0);
      if (out.checkpoint) this.metrics.checkpoint('sent', out.checkpoint.byteLength);
      this.log.debug('ran', { ...about, outcome: out.outcome, next: out.fragment, fragments: out.fragments, yields: out.yields, execMs: Math.round(out.execMs) });
    }
    return out;
  }

  private async dispatch(msg: Message, reply: string | undefined, owned: boolean): Promise<HubReply | undefined> {
    switch (msg.kind) {
      case 'ping': return { kind: 'pong', v: PROTOCOL_VERSION, hub: this.id };
      case 'drop-job': {
        await this.dropJob(String(msg.job));
        return { kind: 'ok', v: PROTOCOL_VERSION };
      }
      case 'exec': return this.exec(checkExec(msg), reply, owned);
      case 'move': return this.move(checkMove(msg));
      default: throw new ProtocolError('unknown-kind', `a hub does not take '${msg.kind}' messages`);
    }
  }

  /**
   * Run an exec. Returns the reply to send, or undefined when another hub will answer.
   * A hand-over from another hub (it carries `replyTo`) is acknowledged as soon as the
   * state is restored; its outcome goes to `replyTo` (or on to the next hub) later.
   */
  private async exec(req: ExecRequest, reply: string | undefined, owned: boolean): Promise<HubReply | undefined> {
    if (req.checkpoint) this.metrics.checkpoint('received', req.checkpoint.byteLength);
    if (this.state === 'draining' || this.state === 'stopped') {
      return this.settled(req, { kind: 'error', v: PROTOCOL_VERSION, code: 'draining', message: `hub ${this.id} is draining; place the fragment elsewhere` }, false);
    }
    if (this.isFenced(req)) return this.settled(req, { kind: 'error', v: PROTOCOL_VERSION, code: 'fenced', message: `job ${req.job}: a newer attempt has started` }, false);
    // Byte fields other than the checkpoint may be views of the message's buffer, which goes
    // to a slot when `owned` (detached here): they get buffers of their own first.
    if (owned && req.input) req.input = new Uint8Array(req.input);
    const refused = this.unseal(req);
    if (refused) return this.settled(req, refused, false);
    if (req.from === undefined) {
      // Only an engine's exec is a placement; hand-overs follow the route it chose.
      this.metrics.placed(req.policy ?? 'unspecified');
      if (req.recovery) this.metrics.recovered(req.recovery.reason, req.recovery.from);
    }
    if (req.checkpoint && this.identity) owned = ownsAll(req.checkpoint);
    const next = req.route ? this.nextHop(req.route, req.hop ?? 0) : undefined;
    // A diff is only useful to the hub that handed us the state: it holds the base.
    // With nowhere to move (a route of one hub), pausing for a migration is pointless:
    // run on; a drain still pauses.
    const slotReq: ExecRequest = req.route
      ? { ...req, full: next === undefined || next.id !== req.from, migrateEvery: next ? req.migrateEvery : 0 }
      : req;
    const replyTo = req.replyTo ?? reply;
    const slot = this.slotFor(req.job);
    const run: Run = {
      slot, tag: this.nextTag++, fragment: req.fragment, record: req.record, attempt: req.attempt,
      // A run from the arguments is the whole job: its own template. A resumed one is some
      // of it, estimated by the entry's mean.
      work: workKeys(req.bundle, req.entry, req.args?.map((a) => (a instanceof Uint8Array ? a.byteLength : a ?? 0))), fresh: !!req.args,
      startedAt: [...this.runs.values()].some((r) => r.slot === slot) ? undefined : performance.now(),
    };
    this.runs.set(req.job, run);
    const untrack = () => {
      if (this.runs.get(req.job) === run) {
        this.runs.delete(req.job);
        // The slot's next run (runs are in arrival order, a slot serves them in turn) starts now.
        for (const r of this.runs.values()) if (r.slot === run.slot) { r.startedAt ??= performance.now(); break; }
      }
      this.moves.delete(req.job);
      this.moveKeys.delete(req.job);
      this.threads[run.slot].clearRun(run.tag);
    };
    const full = slotReq.full ?? false;
    slotReq.tag = run.tag;
    if (req.replyTo === undefined) {
      let out: HubReply | undefined;
      try {
        out = await this.finish(req, await this.runOnSlot(slotReq, owned), next, replyTo, full);
      } catch (e) {
        out = this.rejected(e, req);
      } finally {
        untrack();
      }
      return this.settled(req, out, true);
    }
    this.active++;
    return new Promise<HubReply | undefined>((ack) => {
      let acked = false;
      // A hand-over is acknowledged once restored, so the sender learns the pause-to-resume
      // time; but into a slot that is busy with another run, at once: the sender must not
      // wait (and time out) for a run it cannot shorten. The state is as safe queued here as
      // restored: if this hub dies, the engine restarts the job either way.
      const queued = this.threads[run.slot].inFlight > 0;
      if (queued) { acked = true; ack({ kind: 'ok', v: PROTOCOL_VERSION, resumedAt: performance.timeOrigin + performance.now() }); }
      this.runOnSlot(slotReq, owned, (resumedAt) => { if (!acked) { acked = true; ack({ kind: 'ok', v: PROTOCOL_VERSION, resumedAt }); } })
        .then((r) => (acked ? this.finish(req, r, next, replyTo, full) : r))
        .catch((e) => this.rejected(e, req))
        .then((out) => {
          this.settled(req, out, true);
          // Never restored: the sender learns why in its ack, and keeps the state.
          if (!acked) ack(out);
          else if (out && replyTo) this.wire.publish(replyTo, this.encodeReply(out));
        })
        .catch((e) => this.log.error('cannot send an outcome', { job: req.job, fragment: req.fragment, error: (e as Error).message }))
        .finally(() => { untrack(); this.active--; });
    });
  }

  /** Re-weaving: pause a run here at its next yield point and hand it to `to`. */
  private move(m: MoveRequest): HubReply {
    const run = this.runs.get(m.job);
    if (!run || m.to === this.id) {
      this.log.warn('error reply', { job: m.job, code: 'not-here', to: m.to });
      return { kind: 'error', v: PROTOCOL_VERSION, code: 'not-here', message: `job ${m.job} is not running on hub ${this.id}` };
    }
    this.moves.set(m.job, m.to);
    if (m.key) this.moveKeys.set(m.job, m.key);
    this.threads[run.slot].preemptRun(run.tag);
    this.metrics.placed('reweave');
    this.log.info('moving', { job: m.job, fragment: run.fragment, to: m.to });
    return { kind: 'ok', v: PROTOCOL_VERSION };
  }

  /** A newer attempt of a job started: stop and drop the older ones running here. */
  private onFence(bytes: Uint8Array): void {
    try {
      const m = decodeMessage(bytes);
      if (m.kind !== 'fence' || typeof m.job !== 'string' || !Number.isInteger(m.attempt)) return;
      const attempt = m.attempt as number;
      if ((this.fences.get(m.job) ?? 0) >= attempt) return;
      this.fences.delete(m.job);
      this.fences.set(m.job, attempt);
      if (this.fences.size > MAX_FENCES) this.fences.delete(this.fences.keys().next().value!);
      for (const [key, run] of this.runs) {
        if (run.record === m.job && (run.attempt ?? 0) < attempt) {
          this.log.info('fenced', { job: key, fragment: run.fragment, attempt: run.attempt, newer: attempt });
          this.threads[run.slot].preemptRun(run.tag);
        }
      }
    } catch { /* noise on the fence subject changes nothing */ }
  }

  private isFenced(req: ExecRequest): boolean {
    return req.record !== undefined && (req.attempt ?? 0) < (this.fences.get(req.record) ?? 0);
  }

  /** The next hub of a route after position `hop` that is not this one. */
  private nextHop(route: string[], hop: number): { id: string; hop: number } | undefined {
    for (let k = 1; k <= route.length; k++) {
      const at = (hop + k) % route.length;
      if (route[at] !== this.id) return { id: route[at], hop: at };
    }
    return undefined;
  }

  /**
   * After a run: drop it if fenced, commit a result, hand a paused fragment to the next
   * hub of its route (or where a move asked), or reply. `full`: the run's checkpoint is
   * whole, not a diff against the hub that handed it over.
   */
  private async finish(req: ExecRequest, r: HubReply, next: { id: string; hop: number } | undefined, replyTo: string | undefined, full: boolean): Promise<HubReply | undefined> {
    if (this.isFenced(req)) {
      await this.dropJob(req.job);
      return { kind: 'error', v: PROTOCOL_VERSION, code: 'fenced', message: `job ${req.job}: a newer attempt has started; this one's outcome is dropped` };
    }
    if (r.kind === 'error' && r.code === 'trap' && req.record !== undefined) {
      await this.withJobs((jobs) => jobs.fail(req.record!, req.attempt ?? 0, 'failed', { code: 'trap', message: r.message }));
    }
    if (r.kind !== 'ran') return r;
    const handovers = req.handovers ?? 0;
    if (r.outcome === 'done') this.measured(req.job, r.execMs);
    if (r.outcome === 'done' && req.record !== undefined) {
      const outcome = await this.commit(req, r);
      if (outcome === 'fenced') return { kind: 'error', v: PROTOCOL_VERSION, code: 'fenced', message: `job ${req.job}: a newer attempt has started; its result is dropped` };
      return this.toEngine(req, r, { handovers, committed: outcome === 'committed' || outcome === 'already' });
    }
    const movedTo = this.moves.get(req.job);
    let route = req.route;
    let checkpoint = r.checkpoint;
    if (r.outcome === 'paused' && movedTo && route) {
      if (!route.includes(movedTo)) route = [...route, movedTo];
      next = { id: movedTo, hop: route.indexOf(movedTo) };
      // A diff is against the hub that handed the state here; anywhere else needs it whole.
      if (!full && movedTo !== req.from) {
        const whole = await this.threads[this.slotFor(req.job)].request({ kind: 'export', v: PROTOCOL_VERSION, job: req.job });
        if (whole.kind !== 'ok' || !whole.checkpoint) return this.toEngine(req, r, { handovers });
        checkpoint = whole.checkpoint;
      }
    }
    if (r.outcome !== 'paused' || !next || !checkpoint) return this.toEngine(req, r, { handovers });
    const { args, bundleBytes, tag, opened, ...rest } = req;
    const moveKey = movedTo === next.id ? this.moveKeys.get(req.job) : undefined;
    const keys = moveKey ? { ...req.keys, [next.id]: moveKey } : req.keys;
    let payload = checkpoint;
    if (this.identity) {
      // Sealed to the next hub alone; a hub without a key gets nothing (the engine does).
      const peer = keys?.[next.id];
      if (!peer) {
        this.log.warn('no sealing key for the next hub; the state goes back to the engine', { job: req.job, fragment: r.fragment, to: next.id });
        return next.id !== req.from || checkpoint !== r.checkpoint ? this.toEngine(req, r, { checkpoint, handovers }) : this.handoffFailed(req, next.id);
      }
      payload = sealTo(this.identity, peer, sealContext(req, r.fragment, handovers + 1, this.id, next.id), checkpoint, MESSAGE_HEADROOM);
    }
    const msg: ExecRequest = {
      ...rest, route, keys, fragment: r.fragment, checkpoint: payload, sealed: this.identity ? true : undefined, hop: next.hop, from: this.id, replyTo,
      handovers: handovers + 1, full: undefined,
    };
    try {
      // The slot left room before the checkpoint: frame the message there, no copy.
      const bytes = encodeMessage(msg as unknown as Message, { inPlace: 'checkpoint' });
      this.metrics.checkpoint('sent', payload.byteLength);
      const ack = decodeMessage(await this.wire.request(execSubject(next.id), bytes, { timeoutMs: HANDOVER_TIMEOUT_MS }));
      if (ack.kind === 'ok' && typeof ack.resumedAt === 'number') {
        this.metrics.ran('handed-over', r.fragments ?? 0);
        // This hub's clock at both ends: the pause here, the ack of the restore there.
        if (r.pausedAt !== undefined) this.metrics.migrated((performance.timeOrigin + performance.now() - r.pausedAt) / 1000);
        this.log.debug('handed over', { job: req.job, fragment: r.fragment, to: next.id, bytes: payload.byteLength });
        if (req.progress) {
          this.wire.publish(req.progress, encodeMessage({
            kind: 'progress', v: PROTOCOL_VERSION, job: req.job, hub: this.id, to: next.id, fragment: r.fragment,
            fragments: r.fragments ?? 0, bytes: checkpoint.byteLength, execMs: r.execMs, yields: r.yields, maxYieldGapMs: r.maxYieldGapMs,
            pausedAt: r.pausedAt ?? 0, resumedAt: ack.resumedAt,
          }));
        }
        return undefined;
      }
      this.log.warn('hand-over refused', { job: req.job, fragment: r.fragment, to: next.id, code: ack.code, error: ack.message });
    } catch (e) {
      this.log.warn('hand-over failed', { job: req.job, fragment: r.fragment, to: next.id, error: (e as Error).message });
    }
    // Back to the engine: with the full state it carries on; a diff it cannot use.
    if (next.id !== req.from || checkpoint !== r.checkpoint) return this.toEngine(req, r, { checkpoint, handovers });
    return this.handoffFailed(req, next.id);
  }

  private handoffFailed(req: ExecRequest, to: string): HubReply {
    return { kind: 'error', v: PROTOCOL_VERSION, code: 'handoff-failed', message: `job ${req.job}: hand-over to ${to} failed` };
  }

  /**
   * An outcome for the engine, from this hub: a result signed (the engine takes it only
   * with a valid signature of a hub it assigned), a checkpoint sealed to the engine.
   */
  private toEngine(req: ExecRequest, r: Extract<HubReply, { kind: 'ran' }>, extra: Partial<Extract<HubReply, { kind: 'ran' }>>): HubReply {
    const out: Extract<HubReply, { kind: 'ran' }> = { ...r, ...extra, hub: this.id };
    if (!this.identity) return out;
    if (out.outcome === 'done') {
      out.sig = sign(this.identity, resultStatement({ job: req.job, attempt: req.attempt ?? 0, hub: this.id, result: out.result ?? new Uint8Array(0), output: out.output, yields: out.yields }));
    } else if (out.checkpoint && req.client) {
      out.checkpoint = sealTo(this.identity, req.client.seal, sealContext(req, out.fragment, out.handovers ?? 0, this.id, 'engine'), out.checkpoint);
      out.sealed = true;
    }
    return out;
  }

  /**
   * Open a sealed checkpoint in place (req.checkpoint becomes the plain bytes). Returns the
   * error reply when it must not be used: sealed for another job, attempt, place or peer,
   * altered, a sequence already taken (a replay), or plain when this hub takes only
   * sealed ones. The first sealed exec of a job key pins its client's key.
   */
  private unseal(req: ExecRequest): HubReply | undefined {
    if (!this.identity || !req.checkpoint) return undefined;
    const refuse = (code: string, message: string): HubReply => {
      this.log.warn('refused a checkpoint', { job: req.job, fragment: req.fragment, code, error: message });
      return { kind: 'error', v: PROTOCOL_VERSION, code: `seal-${code}`, message };
    };
    if (!req.sealed) return refuse('unsealed', `hub ${this.id} takes only sealed checkpoints (an --insecure hub takes plain ones)`);
    const from = req.from ?? 'engine';
    const sender = req.from ? req.keys?.[req.from] : req.client?.seal;
    if (!sender || !req.client) return refuse('no-key', `job ${req.job}: the request names no key for ${from}`);
    const seq = req.handovers ?? 0;
    const client = Buffer.from(req.client.seal).toString('hex');
    const seen = this.seqs.get(req.job);
    if (seen && seen.client !== client) return refuse('no-key', `job ${req.job} belongs to another client`);
    if (seen && seq <= seen.seq) return refuse('replayed', `job ${req.job}: checkpoint sequence ${seq} was already taken (last ${seen.seq})`);
    try {
      req.checkpoint = openFrom(this.identity, sender, sealContext(req, req.fragment, seq, from, this.id), req.checkpoint);
    } catch (e) {
      if (e instanceof SealError) return refuse(e.code, e.message);
      throw e;
    }
    req.sealed = false;
    req.opened = true;
    this.seqs.delete(req.job);
    this.seqs.set(req.job, { seq, client });
    if (this.seqs.size > MAX_SEQS) this.seqs.delete(this.seqs.keys().next().value!);
    return undefined;
  }

  /**
   * Keep a periodic checkpoint of `job` in JetStream, newest only: while one is being
   * written, a newer one replaces any waiting, so a slow store never queues up memory.
   */
  private keep(req: ExecRequest, checkpoint: Uint8Array, yields: number): void {
    const job = req.job;
    const s = this.storing.get(job);
    if (s) { s.next = { bytes: checkpoint, yields }; return; }
    const entry: { next?: { bytes: Uint8Array; yields: number } } = {};
    this.storing.set(job, entry);
    // A failure to open is not kept: the server may have been starting, or electing.
    this.store ??= checkpointStore(this.nc).catch((e) => {
      this.log.warn('cannot open the checkpoint store; will try again at the next checkpoint', { error: (e as Error).message });
      this.store = undefined;
      return undefined;
    });
    void (async () => {
      // At rest, sealed to the job's client alone: whichever hub stored it, the client opens it.
      const seal = (bytes: Uint8Array) => (this.identity && req.client ? sealAnon(req.client.seal, storedContext(req.job, req.attempt ?? 0, req.bundle), bytes) : bytes);
      let cur: { bytes: Uint8Array; yields: number } | undefined = { bytes: checkpoint, yields };
      try {
        const store = await this.store;
        while (store && cur) {
          const sealed = seal(cur.bytes);
          await store.put(job, sealed);
          this.metrics.checkpoint('stored', sealed.byteLength);
          // Stored: the engine learns the fragment is making progress, and how far it got.
          if (req.progress) {
            this.wire.publish(req.progress, encodeMessage({
              kind: 'progress', v: PROTOCOL_VERSION, stored: true, job, hub: this.id, to: this.id, fragment: req.fragment,
              fragments: 0, bytes: cur.bytes.byteLength, execMs: 0, yields: cur.yields, pausedAt: 0, resumedAt: 0,
            }));
          }
          cur = entry.next;
          entry.next = undefined;
        }
      } catch (e) {
        this.log.warn('cannot store a checkpoint', { job, fragment: req.fragment, error: (e as Error).message });
      } finally {
        this.storing.delete(job);
      }
    })();
  }

  private async dropJob(job: string): Promise<void> {
    const slot = this.jobSlot.get(job);
    this.jobSlot.delete(job);
    if (slot !== undefined) await this.threads[slot].request({ kind: 'drop-job', v: PROTOCOL_VERSION, job });
  }

  /** The job store, opened once; undefined (logged) when the server has no JetStream. */
  private async withJobs<T>(f: (jobs: JobStore) => Promise<T>): Promise<T | undefined> {
    this.jobStore ??= openJobStore(this.nc).catch((e) => {
      this.jobStore = undefined;
      this.log.warn('cannot open the job records', { error: (e as Error).message });
      return undefined;
    });
    const jobs = await this.jobStore;
    return jobs && f(jobs);
  }

  /**
   * Commit a finished job's result to its record, exactly once: a fenced attempt is
   * refused by the record itself. Retries through a server restart; if it still cannot,
   * the reply goes uncommitted and the engine commits it.
   */
  private async commit(req: ExecRequest, r: Extract<HubReply, { kind: 'ran' }>): Promise<CommitOutcome | 'failed'> {
    for (let i = 0; i < COMMIT_TRIES; i++) {
      try {
        const outcome = await this.withJobs((jobs) => jobs.commit(req.record!, req.attempt ?? 0, {
          hub: this.id, result: r.result ?? new Uint8Array(0), output: r.output, yields: r.yields, fragments: r.fragments ?? 0,
        }));
        if (outcome) {
          this.log.info(outcome === 'committed' ? 'result committed' : `result ${outcome}`, { job: req.record, attempt: req.attempt ?? 0, fragment: req.fragment });
          return outcome;
        }
      } catch (e) {
        this.log.warn('cannot commit a result; retrying', { job: req.record, attempt: req.attempt ?? 0, fragment: req.fragment, error: (e as Error).message });
      }
      await sleep(Math.min(4000, 250 * 2 ** i));
    }
    return 'failed';
  }

  /** Benchmarks: act as a slower (or faster) machine from the next yield point on, and say so. */
  setThrottle(factor: number): void {
    for (const t of this.threads) t.setThrottle(factor);
    this.caps.speed = Math.round((this.baseSpeed / factor) * 100) / 100;
    this.log.info('throttle', { factor, speed: this.caps.speed });
    this.publishAdvert();
  }

  /** What a slot asked its main thread for. */
  private mainCall(call: MainCall, slot: number): Promise<MainAnswer> {
    return call.kind === 'data-read' ? this.remoteRead(call, slot) : this.gpuCall(call, slot);
  }

  /**
   * The run a slot is on, for log lines: a slot serves its runs in arrival order, so the
   * oldest one tracked on it. `fragment` is the one that run started in.
   */
  private runOn(slot: number): { job: string; fragment: number } | Record<string, never> {
    for (const [job, run] of this.runs) if (run.slot === slot) return { job, fragment: run.fragment };
    return {};
  }

  /** GPU work for a slot; a failure is logged and fails the call (the fragment traps). */
  private async gpuCall(call: Exclude<MainCall, { kind: 'data-read' }>, slot: number): Promise<MainAnswer> {
    const k = this.opts.gpu;
    if (!k) return { status: -1 };
    try {
      const out = call.kind === 'gpu-matmul'
        ? await k.matmulF32(call.a, call.b, call.m, call.n, call.k)
        : await k.mapF32(call.op, call.x, call.y, call.n);
      this.gpuCalls++;
      return { status: out.byteLength, bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength) };
    } catch (e) {
      this.log.warn('gpu call failed', { ...this.runOn(slot), kind: call.kind, error: (e as Error).message });
      return { status: -1 };
    }
  }

  /** A range of a dataset this hub does not hold, from a hub that serves it (queue group). */
  private async remoteRead(call: Extract<MainCall, { kind: 'data-read' }>, slot: number): Promise<MainAnswer> {
    if (!isSubjectToken(call.name)) return { status: -1 };
    try {
      const req: DataRequest = { kind: 'data-read', v: PROTOCOL_VERSION, name: call.name, offset: call.offset, length: call.length };
      const reply = decodeMessage(await this.wire.request(dataSubject(call.name), encodeMessage(req as unknown as Message), { timeoutMs: 30_000 })) as unknown as DataReply;
      if (reply.kind !== 'data-bytes' || !(reply.bytes instanceof Uint8Array) || typeof reply.total !== 'number') return { status: -1 };
      this.dataRemoteBytes += reply.bytes.byteLength;
      return { status: reply.bytes.byteLength, total: reply.total, bytes: reply.bytes };
    } catch (e) {
      if (!(e instanceof TransportError && e.code === 'no-responders')) this.log.warn('remote dataset read failed', { ...this.runOn(slot), dataset: call.name, error: (e as Error).message });
      return { status: -1 };
    }
  }

  /** Serve a range of a dataset this hub holds to another hub. */
  private async serveData(name: string, bytes: Uint8Array): Promise<Uint8Array> {
    try {
      const req = decodeMessage(bytes);
      if (req.kind !== 'data-read' || !Number.isSafeInteger(req.offset) || !Number.isSafeInteger(req.length) || (req.offset as number) < 0 || (req.length as number) < 0) {
        throw new ProtocolError('malformed', "a dataset server takes 'data-read' with a non-negative offset and length");
      }
      let opening = this.dataFiles.get(name);
      if (!opening) {
        // One open and one stat per dataset, not per range; concurrent first reads share them.
        opening = open(this.opts.datasets[name], 'r').then(async (file) => ({ file, size: (await file.stat()).size }));
        this.dataFiles.set(name, opening);
        opening.catch(() => this.dataFiles.delete(name));
      }
      const { file: f, size: total } = await opening;
      const offset = req.offset as number;
      const length = Math.max(0, Math.min(req.length as number, MAX_DATA_READ_BYTES, total - offset));
      const out = Buffer.allocUnsafe(length);
      const { bytesRead } = length ? await f.read(out, 0, length, offset) : { bytesRead: 0 };
      const link = this.opts.dataLink;
      const wait = link.delayMs + (link.mbps ? (bytesRead * 8) / (link.mbps * 1000) : 0);
      if (wait > 0) await sleep(wait);
      return encodeMessage({ kind: 'data-bytes', v: PROTOCOL_VERSION, total, bytes: out.subarray(0, bytesRead) });
    } catch (e) {
      return this.encodeReply(this.rejected(e));
    }
  }

  /**
   * Run on the job's slot, fetching the bundle once if the slot lacks it. The checkpoint
   * is transferred to the slot, not cloned (structured clone costs about 1 ms per MiB
   * here): as it is when `owned` says its buffer is ours alone, else as a copy in a buffer
   * of its own, since a view of a socket chunk must not be pulled from under the NATS
   * parser. Either way `req.checkpoint` is not to be read again.
   */
  private async runOnSlot(req: ExecRequest, owned: boolean, onRestored?: (at: number) => void): Promise<HubReply> {
    const thread = this.threads[this.slotFor(req.job)];
    const checkpoint = req.checkpoint && (owned ? req.checkpoint : new Uint8Array(req.checkpoint));
    const transfer = (c?: Uint8Array) => (c ? [c.buffer as ArrayBuffer] : []);
    // Bundle bytes go to a slot only when it asks (once per slot): it caches the compiled
    // module, and cloning a bundle into every request would cost more than the run.
    const onStored = req.storeEvery || req.storeEveryMs ? (cp: Uint8Array, yields: number) => this.keep(req, cp, yields) : undefined;
    const { client, keys, ...fields } = req;
    let reply = await thread.request({ ...fields, checkpoint }, { onRestored, onStored, transfer: transfer(checkpoint) });
    if (reply.kind === 'need-bundle') {
      const bytes = await this.fetchBundle(req);
      // The slot sent the checkpoint back with its question.
      const back = reply.checkpoint;
      reply = await thread.request({ ...fields, checkpoint: back, bundleBytes: bytes }, { onRestored, onStored, transfer: transfer(back) });
    }
    if (reply.kind === 'error' && reply.code === 'no-base') this.jobSlot.delete(req.job);
    return reply;
  }

  /** A new job goes to the slot with the fewest requests in flight, and stays there. */
  private slotFor(job: string): number {
    let slot = this.jobSlot.get(job);
    if (slot === undefined) {
      slot = 0;
      for (let i = 1; i < this.threads.length; i++) if (this.threads[i].inFlight < this.threads[slot].inFlight) slot = i;
      this.jobSlot.set(job, slot);
    }
    return slot;
  }

  /** The bundle's bytes from the client that submitted it, once per hub however many ask. */
  private fetchBundle(req: ExecRequest): Promise<Uint8Array> {
    const cached = this.bundles.get(req.bundle);
    if (cached) return Promise.resolve(cached);
    let p = this.fetching.get(req.bundle);
    if (!p) {
      p = this.fetchFromOrigin(req).finally(() => this.fetching.delete(req.bundle));
      this.fetching.set(req.bundle, p);
    }
    return p;
  }

  /**
   * From the client that submitted the job; for a job with a record, from the job store
   * when that client is gone (it may have detached, or died).
   */
  private async fetchFromOrigin(req: ExecRequest): Promise<Uint8Array> {
    const t0 = performance.now();
    let got: Uint8Array | undefined;
    let why = 'the request names no origin';
    if (req.origin) {
      try {
        const reply = decodeMessage(await this.wire.request(req.origin, encodeMessage({ kind: 'bundle', v: PROTOCOL_VERSION, hash: req.bundle, hub: this.id }), { timeoutMs: 30_000 })) as unknown as BundleReply;
        if (reply.kind === 'bundle-bytes' && reply.bytes instanceof Uint8Array) {
          got = reply.sealed && this.identity ? openAnon(this.identity, bundleContext(req.bundle, this.id), reply.bytes) : reply.bytes;
        }
        else why = `origin ${req.origin} did not send it: ${'message' in reply ? reply.message : reply.kind}`;
      } catch (e) {
        if (req.record === undefined) throw e;
        why = `origin ${req.origin}: ${(e as Error).message}`;
      }
    }
    if (!got && req.record !== undefined) got = await this.withJobs((jobs) => jobs.bundle(req.bundle));
    if (!got) throw new TransportError(`bundle ${req.bundle.slice(0, 12)} is not cached here and cannot be fetched: ${why}`, { code: 'transport' });
    const hash = createHash('sha256').update(got).digest('hex');
    if (hash !== req.bundle) throw new TransportError(`the bundle fetched for ${req.bundle.slice(0, 12)} hashes to ${hash.slice(0, 12)}`);
    this.log.info('fetched bundle', { job: req.job, fragment: req.fragment, bundle: req.bundle.slice(0, 12), bytes: got.byteLength, ms: Math.round(performance.now() - t0) });
    // Only verified bytes are cached, in a buffer of their own (the reply is a view of a
    // socket buffer that would otherwise stay alive with it).
    const bytes = new Uint8Array(got);
    if (this.bundles.size >= MAX_CACHED_BUNDLES) this.bundles.delete(this.bundles.keys().next().value!);
    this.bundles.set(req.bundle, bytes);
    return bytes;
  }
}

/**
 * Connect and start serving. Throws TransportError when NATS cannot be reached,
 * MetricsError when the metrics endpoint cannot listen where asked.
 */
export async function startHub(opts: HubOptions): Promise<HubDaemon> {
  const resolved = resolveHubOptions(opts);
  const metrics = new HubMetrics(resolved.name);
  // First, so that a port in use fails the start at once, before anything is connected.
  const server = resolved.metrics && await serveMetrics(metrics, resolved.metrics);
  if (server) metrics.collectProcessMetrics();
  let nc: NatsConnection;
  try {
    if (opts.gpu ?? true) {
      // In a child process, once: a driver that crashes or blocks costs the probe, not the hub.
      const info = await detectGpu();
      if (info.available) resolved.gpu = gpuKernels(info);
      else resolved.gpuReason = info.reason;
    }
    nc = await connectNats(resolved.nats, { ...natsAuthOf(opts), name: `weave hub ${resolved.name}` });
  } catch (e) {
    await server?.close();
    throw e;
  }
  const hub = new HubDaemon(nc, resolved, metrics, server);
  await hub.start();
  return hub;
}

export function defaultHubName(): string {
  return `${os.hostname().replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40)}-${process.pid}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const HEX64 = /^[0-9a-f]{64}$/;

/** The fields of an exec request, checked; throws ProtocolError naming the bad one. */
function checkExec(m: Message): ExecRequest {
  const bad = (field: string, want: string) => new ProtocolError('malformed', `exec: '${field}' must be ${want}`);
  if (typeof m.job !== 'string' || !m.job || m.job.length > 128) throw bad('job', 'a string of 1-128 characters');
  if (typeof m.bundle !== 'string' || !HEX64.test(m.bundle)) throw bad('bundle', 'a sha-256 hex digest');
  if (typeof m.entry !== 'string') throw bad('entry', 'a string');
  if (!Number.isInteger(m.fragment) || (m.fragment as number) < 0) throw bad('fragment', 'a non-negative integer');
  if (!Number.isInteger(m.migrateEvery) || (m.migrateEvery as number) < 0) throw bad('migrateEvery', 'a non-negative integer');
  if (m.checkpoint !== undefined && !(m.checkpoint instanceof Uint8Array)) throw bad('checkpoint', 'bytes');
  if (m.bundleBytes !== undefined && !(m.bundleBytes instanceof Uint8Array)) throw bad('bundleBytes', 'bytes');
  if (m.input !== undefined && !(m.input instanceof Uint8Array)) throw bad('input', 'bytes');
  if (m.origin !== undefined && (typeof m.origin !== 'string' || !m.origin.startsWith('weave.client.'))) throw bad('origin', "a 'weave.client.' subject");
  if (m.args !== undefined && (!Array.isArray(m.args) || m.args.length > MAX_ARGS
    || !m.args.every((a) => typeof a === 'number' || typeof a === 'bigint' || a === null || a instanceof Uint8Array))) throw bad('args', `an array of at most ${MAX_ARGS} numbers, byte strings or nulls`);
  if (m.args !== undefined && argBytes(m.args as ArgValue[]) > MAX_ARG_BYTES) throw bad('args', `at most ${MAX_ARG_BYTES} bytes in all`);
  if (m.seed !== undefined && !Number.isInteger(m.seed)) throw bad('seed', 'an integer');
  if (m.checkpoint === undefined && m.args === undefined) throw bad('args', 'present when there is no checkpoint');
  if (m.route !== undefined && (!Array.isArray(m.route) || m.route.length > 1024 || !m.route.every((h) => typeof h === 'string' && isSubjectToken(h)))) throw bad('route', 'a list of hub ids');
  if (m.hop !== undefined && (!Number.isInteger(m.hop) || (m.hop as number) < 0)) throw bad('hop', 'a non-negative integer');
  if (m.handovers !== undefined && (!Number.isInteger(m.handovers) || (m.handovers as number) < 0)) throw bad('handovers', 'a non-negative integer');
  if (m.storeEvery !== undefined && (!Number.isInteger(m.storeEvery) || (m.storeEvery as number) < 0)) throw bad('storeEvery', 'a non-negative integer');
  if (m.storeEveryMs !== undefined && (!Number.isInteger(m.storeEveryMs) || (m.storeEveryMs as number) < 0)) throw bad('storeEveryMs', 'a non-negative integer');
  if (m.record !== undefined && (typeof m.record !== 'string' || !isSubjectToken(m.record))) throw bad('record', 'a job id');
  if (m.attempt !== undefined && (!Number.isInteger(m.attempt) || (m.attempt as number) < 0)) throw bad('attempt', 'a non-negative integer');
  if (m.sealed !== undefined && typeof m.sealed !== 'boolean') throw bad('sealed', 'a boolean');
  // A metrics label (prom-client escapes it; HubMetrics bounds how many there are).
  if (m.policy !== undefined && (typeof m.policy !== 'string' || !m.policy || m.policy.length > 64)) throw bad('policy', 'a string of 1-64 characters');
  if (m.recovery !== undefined) {
    const r = m.recovery as Record<string, unknown>;
    if (typeof r !== 'object' || r === null || !['retry', 'takeover'].includes(r.reason as string) || !['stored', 'engine', 'start'].includes(r.from as string)) {
      throw bad('recovery', "a map of 'reason' (retry, takeover) and 'from' (stored, engine, start)");
    }
  }
  const key32 = (k: unknown) => k instanceof Uint8Array && k.byteLength === 32;
  if (m.client !== undefined && (typeof m.client !== 'object' || m.client === null || !key32((m.client as Record<string, unknown>).sign) || !key32((m.client as Record<string, unknown>).seal))) {
    throw bad('client', 'a map of 32-byte sign and seal keys');
  }
  if (m.keys !== undefined) {
    const k = m.keys as Record<string, unknown>;
    if (typeof k !== 'object' || k === null || Object.keys(k).length > 1024 || !Object.entries(k).every(([id, v]) => isSubjectToken(id) && key32(v))) {
      throw bad('keys', 'a map of hub ids to 32-byte keys');
    }
  }
  // Keys are kept past the message (sealing replies, hand-overs): copies, not views of its
  // buffer, which may be handed to a slot.
  if (m.client) { const c = m.client as { sign: Uint8Array; seal: Uint8Array }; m.client = { sign: new Uint8Array(c.sign), seal: new Uint8Array(c.seal) }; }
  if (m.keys) m.keys = Object.fromEntries(Object.entries(m.keys as Record<string, Uint8Array>).map(([id, v]) => [id, new Uint8Array(v)]));
  // A tag, and whether a checkpoint was unsealed, are a hub's own business: none from outside.
  delete m.tag;
  delete m.opened;
  for (const f of ['replyTo', 'progress'] as const) {
    if (m[f] !== undefined && (typeof m[f] !== 'string' || !(m[f] as string).startsWith('_INBOX.'))) throw bad(f, "an '_INBOX.' subject");
  }
  if (m.from !== undefined && (typeof m.from !== 'string' || !isSubjectToken(m.from))) throw bad('from', 'a hub id');
  for (const f of ['stay', 'full'] as const) if (m[f] !== undefined && typeof m[f] !== 'boolean') throw bad(f, 'a boolean');
  return m as unknown as ExecRequest;
}

function checkMove(m: Message): MoveRequest {
  if (typeof m.job !== 'string' || !m.job || m.job.length > 128) throw new ProtocolError('malformed', "move: 'job' must be a string of 1-128 characters");
  if (typeof m.to !== 'string' || !isSubjectToken(m.to)) throw new ProtocolError('malformed', "move: 'to' must be a hub id");
  if (m.key !== undefined && !(m.key instanceof Uint8Array && m.key.byteLength === 32)) throw new ProtocolError('malformed', "move: 'key' must be a 32-byte sealing key");
  return m as unknown as MoveRequest;
}

/** What a checkpoint in flight is sealed to: this job key and attempt, place, sequence and ends. */
function sealContext(req: ExecRequest, fragment: number, seq: number, from: string, to: string): SealContext {
  return { job: req.job, attempt: req.attempt ?? 0, fragment, seq, bundle: req.bundle, from, to };
}

/** True when `b` is the whole of its buffer, so it can be transferred to a slot as is. */
function ownsAll(b: Uint8Array): boolean {
  return b.byteOffset === 0 && b.buffer.byteLength === b.byteLength;
}
