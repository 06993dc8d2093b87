/**
 * The engine's side of the NATS mesh, behind the same Transport as the embedded mesh.
 *
 * It keeps the adverts hubs publish (a hub missing three advert intervals is gone), sends
 * `exec` requests to a hub's own subject, and serves the bundles of its jobs on its own
 * client subject: a hub that lacks a bundle fetches it once from there, so bundle bytes
 * never ride along with checkpoints. An exec has no fixed timeout (a fragment may run for
 * minutes); instead it fails with `hub-lost` when the hub stops advertising.
 *   const mesh = await connectMesh({ nats: 'nats://127.0.0.1:4222' });
 *   const r = await runJob(mesh, bundle, { args: [10] });
 *   await mesh.close();
 */
import { randomBytes } from 'node:crypto';
import {
  connectNats, inboxRoot, natsAuthOf, type NatsAuth, type NatsConnection, type Subscription, Wire, ADVERT_SUBJECT, HEARTBEAT_SUBJECTS,
  DISCOVER_SUBJECT, FENCE_SUBJECT, sealAnon, bundleContext, bundleSubject, execSubject, pingSubject, drainSubject, checkpointStore, type CheckpointStore, openJobStore, type JobStore,
} from '../net/index.js';
import {
  PROTOCOL_VERSION, ProtocolError, TransportError, decodeMessage, encodeMessage, parseMessage,
  type ExecRequest, type HubAdvert, type HubReply, type HubRequest, type ProgressEvent,
} from '../protocol/index.js';
import { sleep } from '../util/index.js';
import type { HubInfo, MoveTicket, RoutedTransport } from './transport.js';
import { OwnLoad } from './own-load.js';

/** What an engine takes from a hub in reply to a request. */
const REPLY_KINDS = ['ran', 'error', 'ok', 'pong', 'need-bundle'] as const;

export interface MeshOptions extends NatsAuth {
  nats: string;
  /** Wait this long for the first hub to advertise. @default 3000 */
  waitForHubsMs?: number;
  /** How long discovery collects adverts after the first one. @default 250 */
  settleMs?: number;
}

interface Seen { advert: HubAdvert; at: number }
/** A hub's newest heartbeat: when it came, from which process, how often it beats. */
interface Beat { at: number; boot: string; everyMs: number }

/** Adverts missing for this many intervals mean the hub is gone (hubs that do not beat). */
const MISSED_ADVERTS = 3;
/**
 * Heartbeats missing for this many intervals mean the hub holding a job is gone, but only
 * while other hubs' beats still arrive: when none does, the silence is this engine's or
 * the network's, and nobody is taken for dead.
 */
export const MISSED_BEATS = 4;
/** How often a running job's holder is looked at. */
const WATCH_MS = 100;
const SMALL_REQUEST_TIMEOUT_MS = 5000;
const PROGRESS_GRACE_MS = 2000;
const DISCOVER_REASK_MS = 500;
/** How long to keep asking the checkpoint store for a lost job's newest checkpoint. */
const STORE_PATIENCE_MS = 15_000;

export class NatsMesh implements RoutedTransport {
  readonly kind = 'routed';
  private readonly seen = new Map<string, Seen>();
  private readonly beats = new Map<string, Beat>();
  /** When the last beat of any hub came, and when beats came again after none came for a while. */
  private lastBeatAt = 0;
  private beatsResumedAt = 0;
  /** Bundles this client serves, and the hubs it gave their jobs to (only those may fetch them). */
  private readonly served = new Map<string, { bytes: Uint8Array; hubs: Set<string> }>();
  private readonly subs: Subscription[] = [];
  readonly wire: Wire;
  readonly clientId = randomBytes(6).toString('hex');
  /** Progress events of running jobs arrive on `<progressPrefix>.<token>`, one subscription for all. */
  private readonly progressPrefix: string;
  private readonly progress = new Map<string, (e: ProgressEvent) => void>();
  private progressSeq = 0;

  constructor(readonly nc: NatsConnection) {
    this.wire = new Wire(nc);
    this.progressPrefix = `${inboxRoot(nc)}.weave.${this.clientId}.progress`;
    this.subs.push(nc.subscribe(ADVERT_SUBJECT, { callback: (err, msg) => { if (!err) this.onAdvert(msg.data); } }));
    this.subs.push(this.wire.serve(bundleSubject(this.clientId), async (bytes) => this.serveBundle(bytes)));
    this.subs.push(nc.subscribe(HEARTBEAT_SUBJECTS, {
      callback: (err, msg) => {
        if (err) return;
        try {
          const b = parseMessage(decodeMessage(msg.data), ['heartbeat']);
          const now = Date.now();
          // Nothing at all for a while (a server restart, this engine stalled): the beats
          // missed before now say nothing about any one hub.
          if (now - this.lastBeatAt > MISSED_BEATS * b.everyMs) this.beatsResumedAt = now;
          this.lastBeatAt = now;
          this.beats.set(b.hub, { at: now, boot: b.boot, everyMs: b.everyMs });
        } catch { /* noise on the heartbeat subjects changes nothing */ }
      },
    }));
    this.subs.push(nc.subscribe(`${this.progressPrefix}.*`, {
      callback: (err, msg) => {
        const to = err ? undefined : this.progress.get(msg.subject.slice(this.progressPrefix.length + 1));
        if (!to) return;
        try {
          to(parseMessage(decodeMessage(msg.data), ['progress']));
        } catch { /* a malformed event changes nothing */ }
      },
    }));
  }

  /** Live hubs that take work, sorted by id. */
  hubs(): HubInfo[] {
    // A hub whose heartbeats stopped (killed, SIGSTOPped) is no place for a job, though its last advert is still fresh.
    return this.adverts().filter((a) => a.state === 'ready' && !this.silent(a.id))
      .map((a) => ({ id: a.id, caps: a.caps, datasets: a.datasets, load: this.own.apply(a.id, a.load), keys: a.keys, signer: a.keys?.sign ?? a.signer }));
  }

  /** What this engine placed and saw finish since each hub's last advert. */
  private readonly own = new OwnLoad();

  placed(hub: string): () => void {
    const token = this.own.placed(hub);
    return () => this.own.finished(hub, token);
  }

  /** Every hub heard from recently, whatever its state. */
  adverts(): HubAdvert[] {
    const now = Date.now();
    return [...this.seen.values()]
      .filter((s) => s.advert.state !== 'stopped' && now - s.at < MISSED_ADVERTS * s.advert.everyMs)
      .map((s) => s.advert)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Ask every hub for its advert now; resolves after the first arrives and a short settle. */
  async discover(opts: { waitMs?: number; settleMs?: number } = {}): Promise<HubAdvert[]> {
    const wait = opts.waitMs ?? 3000;
    const settle = opts.settleMs ?? 250;
    const inbox = `${inboxRoot(this.nc)}.weave.discover.${randomBytes(6).toString('hex')}`;
    const t0 = Date.now();
    let first = 0;
    let asked = 0;
    const ask = () => {
      asked = Date.now();
      this.nc.publish(DISCOVER_SUBJECT, encodeMessage({ kind: 'discover', v: PROTOCOL_VERSION }), { reply: inbox });
    };
    const sub = this.nc.subscribe(inbox, { callback: (err, msg) => { if (!err && this.onAdvert(msg.data)) first ||= Date.now(); } });
    try {
      ask();
      for (;;) {
        await sleep(25);
        const now = Date.now();
        if (first && now - first >= settle) break;
        if (!first && this.adverts().length) first = now;
        if (now - t0 >= wait) break;
        // Re-ask now and then: a hub that was still subscribing misses the first call.
        if (!first && now - asked >= DISCOVER_REASK_MS) ask();
      }
    } finally {
      sub.unsubscribe();
    }
    return this.adverts();
  }

  /**
   * Ask `hub` to drain and stop (its running fragments go on elsewhere). Resolves once it
   * has taken the ask; rejects with TransportError when it does not answer, which is
   * also what NATS permissions that leave out `weave.hub.*.drain` look like.
   */
  async drain(hub: string): Promise<void> {
    const raw = await this.wire.request(drainSubject(hub), encodeMessage({ kind: 'drain', v: PROTOCOL_VERSION }), { timeoutMs: SMALL_REQUEST_TIMEOUT_MS });
    if (decodeMessage(raw).kind !== 'ok') throw new TransportError(`hub ${hub} answered a drain with something else`);
  }

  /** Round-trip time to a hub in ms. Rejects with TransportError. */
  async ping(hub: string): Promise<number> {
    const t0 = performance.now();
    const raw = await this.wire.request(pingSubject(hub), encodeMessage({ kind: 'ping', v: PROTOCOL_VERSION }), { timeoutMs: SMALL_REQUEST_TIMEOUT_MS });
    const ms = performance.now() - t0;
    if (decodeMessage(raw).kind !== 'pong') throw new TransportError(`hub ${hub} answered a ping with something else`);
    return ms;
  }

  async request(hub: string, req: HubRequest): Promise<HubReply> {
    return this.exchange(hub, req, () => hub);
  }

  async submit(hub: string, req: ExecRequest, onProgress: (e: ProgressEvent) => void, signal?: AbortSignal): Promise<HubReply> {
    let holder = hub;
    let seen = 0;
    const token = (this.progressSeq++).toString(36);
    this.progress.set(token, (e) => {
      // A stored checkpoint (a hand-over's, kept by the hub that sent it) moves nothing.
      if (!e.stored) {
        holder = e.to;
        seen++;
      }
      onProgress(e);
    });
    try {
      const reply = await this.exchange(hub, { ...req, progress: `${this.progressPrefix}.${token}` }, () => holder, signal);
      // The last hand-over's progress comes from another hub and may trail the reply.
      const expect = reply.kind === 'ran' ? reply.handovers ?? 0 : 0;
      for (let waited = 0; seen < expect && waited < PROGRESS_GRACE_MS; waited += 5) await sleep(5);
      return reply;
    } finally {
      this.progress.delete(token);
    }
  }

  /** One request to a hub's exec subject; `holder()` names the hub whose liveness is watched. */
  private async exchange(hub: string, req: HubRequest, holder: () => string, signal?: AbortSignal): Promise<HubReply> {
    let msg: HubRequest = req;
    if (req.kind === 'exec') {
      // Bundles travel by fetch from this client, never inside the request.
      const { bundleBytes, ...rest } = req;
      if (bundleBytes && !this.served.has(req.bundle)) this.served.set(req.bundle, { bytes: bundleBytes, hubs: new Set() });
      const served = this.served.get(req.bundle);
      for (const h of req.route ?? [hub]) served?.hubs.add(h);
      msg = { ...rest, origin: bundleSubject(this.clientId) };
    }
    const ctl = new AbortController();
    // The caller stops waiting (the job's deadline, a cancel): not a lost hub.
    const stopped = () => ctl.abort('the job was stopped');
    if (signal?.aborted) stopped();
    signal?.addEventListener('abort', stopped, { once: true });
    // The job is lost when its holder's heartbeats stop (or, for a hub that does not beat,
    // its adverts), when its holder comes back as another process, or when it advertises
    // without the job for two intervals (restarted under the same name, so the request
    // died with the old process; a hand-over in flight takes milliseconds, not seconds).
    // A hub that beats is never judged by its adverts' timing: a busy main thread delays those.
    let missingSince: number | undefined;
    // The process of the current holder, from when it became the holder: a job handed back
    // to a hub that restarted meanwhile is with the new process, rightly.
    const boots = new Map<string, string>();
    let was = '';
    const watch = req.kind === 'exec' ? setInterval(() => {
      const h = holder();
      if (h !== was) { boots.clear(); was = h; }
      const why = this.lost(h, boots);
      if (why) { ctl.abort(why); return; }
      const s = this.seen.get(h);
      if (!s?.advert.running || s.advert.running.includes(req.job)) { missingSince = undefined; return; }
      missingSince ??= s.at;
      if (s.at - missingSince >= 2 * s.advert.everyMs) ctl.abort(`hub ${h} no longer runs the job (it restarted, or lost it)`);
    }, WATCH_MS) : undefined;
    try {
      const raw = await this.wire.request(execSubject(hub), encodeMessage(msg), {
        signal: ctl.signal, timeoutMs: req.kind === 'exec' ? undefined : SMALL_REQUEST_TIMEOUT_MS,
      });
      return parseMessage(decodeMessage(raw), REPLY_KINDS, 'an engine');
    } catch (e) {
      if (e instanceof TransportError && e.code === 'aborted') throw new TransportError(e.message, { code: signal?.aborted ? 'aborted' : 'hub-lost' });
      if (e instanceof TransportError && e.code === 'no-responders') throw new TransportError(`hub ${hub} is not listening (no responders)`, { code: 'no-responders' });
      if (e instanceof ProtocolError) throw new TransportError(`hub ${hub} sent a bad reply: ${e.message}`, { code: 'framing' });
      throw e;
    } finally {
      if (watch) clearInterval(watch);
      signal?.removeEventListener('abort', stopped);
    }
  }

  /** Hub `h` beats, but its beats stopped while others' still come. */
  private silent(h: string): boolean {
    const b = this.beats.get(h);
    if (!b || Date.now() - b.at <= MISSED_BEATS * b.everyMs) return false;
    return this.heardOthers(h, b);
  }

  /**
   * This engine heard other hubs' beats all along since `h`'s last one (`b`): the silence
   * is `h`'s. Not so when beats of every hub stopped after it (a server restart, this
   * engine stalled): then each hub gets until its adverts lapse to come back.
   */
  private heardOthers(h: string, b: Beat): boolean {
    if (this.beatsResumedAt > b.at) return false;
    // Another hub's beat came after `h` should have beaten MISSED_BEATS times: not this
    // engine's stall (timers run before the beats queued meanwhile are read).
    return [...this.beats].some(([id, o]) => id !== h && o.at > b.at + MISSED_BEATS * b.everyMs);
  }

  /**
   * Why hub `h`, holding a job, is lost; undefined while it lives. `boots`: the process
   * each hub was first heard from during this request (another one is a restart).
   */
  private lost(h: string, boots: Map<string, string>): string | undefined {
    const now = Date.now();
    const b = this.beats.get(h);
    const s = this.seen.get(h);
    if (s?.advert.state === 'stopped') return `hub ${h} stopped while holding the job`;
    if (b) {
      const first = boots.get(h);
      if (first === undefined) boots.set(h, b.boot);
      else if (first !== b.boot) return `hub ${h} restarted while holding the job`;
      const silentMs = now - b.at;
      if (silentMs <= MISSED_BEATS * b.everyMs) return undefined;
      if (this.heardOthers(h, b)) return `hub ${h} missed ${Math.floor(silentMs / b.everyMs)} heartbeats while holding the job`;
      if (s && now - s.at <= MISSED_ADVERTS * s.advert.everyMs) return undefined;
      return `hub ${h} went silent (no heartbeats or adverts) while holding the job`;
    }
    if (!s || now - s.at > MISSED_ADVERTS * s.advert.everyMs) return `hub ${h} stopped advertising while holding the job`;
    return undefined;
  }

  private checkpoints: Promise<CheckpointStore | undefined> | undefined;

  /** The checkpoint store, opened once it opens (a failure is not kept: JetStream may be electing a leader). */
  private openCheckpoints(): Promise<CheckpointStore | undefined> {
    this.checkpoints ??= checkpointStore(this.nc).catch(() => { this.checkpoints = undefined; return undefined; });
    return this.checkpoints;
  }

  /**
   * The newest checkpoint hubs stored for `job`; undefined when none (or no JetStream).
   * Keeps asking for a while when the store does not answer: right after a server of a
   * cluster is lost, its buckets have no leader for some seconds, and giving up then
   * would restart the job from an older state than it has.
   */
  async stored(job: string): Promise<Uint8Array | undefined> {
    const until = Date.now() + STORE_PATIENCE_MS;
    for (;;) {
      try {
        const store = await this.openCheckpoints();
        if (store) return await store.get(job);
      } catch { /* no leader yet, or the server is restarting: ask again */ }
      if (Date.now() >= until) return undefined;
      await sleep(500);
    }
  }

  async forgetStored(job: string): Promise<void> {
    const store = await this.openCheckpoints();
    // The full checkpoint and the diff hubs keep beside it (checkpoint-keeper.ts).
    await Promise.all([store?.delete(job), store?.delete(`${job}.diff`)]);
  }

  private jobStore: Promise<JobStore | undefined> | undefined;

  jobs(): Promise<JobStore | undefined> {
    this.jobStore ??= openJobStore(this.nc).catch(() => { this.jobStore = undefined; return undefined; });
    return this.jobStore;
  }

  fence(job: string, attempt: number): void {
    this.wire.publish(FENCE_SUBJECT, encodeMessage({ kind: 'fence', v: PROTOCOL_VERSION, job, attempt }));
  }

  inboxes(): string[] {
    return [this.wire.inbox, this.progressPrefix];
  }

  async move(hub: string, key: string, to: string, ticket?: MoveTicket): Promise<boolean> {
    try {
      const sealKey = ticket?.keys[to] ?? this.seen.get(to)?.advert.keys?.seal;
      // The hub it moves to may need the bundle: it may fetch it now.
      for (const s of this.served.values()) if (s.hubs.has(hub)) s.hubs.add(to);
      const raw = await this.wire.request(execSubject(hub), encodeMessage({ kind: 'move', v: PROTOCOL_VERSION, job: key, to, key: sealKey, ...ticket }), { timeoutMs: SMALL_REQUEST_TIMEOUT_MS });
      return decodeMessage(raw).kind === 'ok';
    } catch {
      return false; // the run ended meanwhile, or the hub is going: nothing to move
    }
  }

  running(key: string): boolean {
    return this.adverts().some((a) => a.running?.includes(key));
  }

  async close(): Promise<void> {
    for (const s of this.subs) s.unsubscribe();
    this.wire.close();
    try {
      await this.nc.drain();
    } catch { /* already closed */ }
  }

  private onAdvert(bytes: Uint8Array): boolean {
    try {
      const advert: HubAdvert = parseMessage(decodeMessage(bytes), ['advert']);
      // A hub's keys are pinned while it lives: an advert with other keys for a hub id that
      // is still advertising is an impostor's (a restarted hub has other keys, but only
      // after its old adverts lapsed).
      const prev = this.seen.get(advert.id);
      const fresh = prev && Date.now() - prev.at < MISSED_ADVERTS * prev.advert.everyMs && prev.advert.state !== 'stopped';
      if (fresh && (!sameKeys(prev.advert.keys, advert.keys) || !sameKey(prev.advert.signer, advert.signer))) return false;
      this.seen.set(advert.id, { advert, at: Date.now() });
      // The hub counted what it had received when it wrote this. (A job sent in the last
      // few ms may be counted twice until the next advert: an overestimate for seconds,
      // rather than jobs piling onto a hub that looks idle.)
      this.own.advert(advert.id);
      return true;
    } catch {
      return false; // an advert from another version, or noise: not a hub we can use
    }
  }

  private async serveBundle(bytes: Uint8Array): Promise<Uint8Array> {
    try {
      const m = parseMessage(decodeMessage(bytes), ['bundle'], 'a client');
      const s = this.served.get(m.hash);
      if (!s) return encodeMessage({ kind: 'error', v: PROTOCOL_VERSION, code: 'no-bundle', message: `this client does not serve bundle ${m.hash.slice(0, 12)}` });
      // Sealed to the asking hub's advertised key, and only for a hub a job of this bundle
      // was given to: the module is as private as the checkpoints. Hubs without keys
      // (--insecure) get it plain.
      const hub = m.hub ?? '';
      const key = this.seen.get(hub)?.advert.keys?.seal;
      if (!s.hubs.has(hub)) return encodeMessage({ kind: 'error', v: PROTOCOL_VERSION, code: 'not-yours', message: `hub ${hub} was given no job of bundle ${m.hash.slice(0, 12)}` });
      const out = key ? sealAnon(key, bundleContext(m.hash, hub), s.bytes) : s.bytes;
      return encodeMessage({ kind: 'bundle-bytes', v: PROTOCOL_VERSION, hash: m.hash, bytes: out, sealed: key ? true : undefined });
    } catch (e) {
      return encodeMessage({ kind: 'error', v: PROTOCOL_VERSION, code: 'bad-message', message: (e as Error).message });
    }
  }
}

/** Connect and wait (up to waitForHubsMs) for hubs. Throws TransportError when NATS is unreachable. */
export async function connectMesh(opts: MeshOptions): Promise<NatsMesh> {
  const nc = await connectNats(opts.nats, { ...natsAuthOf(opts), name: 'weave client' });
  const mesh = new NatsMesh(nc);
  await mesh.discover({ waitMs: opts.waitForHubsMs, settleMs: opts.settleMs });
  return mesh;
}

function sameKeys(a?: { sign: Uint8Array; seal: Uint8Array }, b?: { sign: Uint8Array; seal: Uint8Array }): boolean {
  if (!a || !b) return !a && !b;
  return Buffer.from(a.sign).equals(Buffer.from(b.sign)) && Buffer.from(a.seal).equals(Buffer.from(b.seal));
}

function sameKey(a?: Uint8Array, b?: Uint8Array): boolean {
  return !a || !b ? !a && !b : Buffer.from(a).equals(Buffer.from(b));
}
