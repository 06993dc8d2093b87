/**
 * The engine's side of the NATS mesh, behind the same Transport as the embedded mesh.
 *
 * It keeps the adverts and heartbeats hubs publish (judged by liveness.ts), sends
 * `exec` requests to a hub's own subject, and serves the bundles of its jobs on its own
 * client subject: a hub that lacks a bundle fetches it once from there, so bundle bytes
 * never ride along with checkpoints. An exec has no fixed timeout (a fragment may run for
 * minutes); instead it fails with `hub-lost` when the hub holding the job is lost.
 *   const mesh = await connectMesh({ nats: 'nats://127.0.0.1:4222' });
 *   const r = await runJob(mesh, bundle, { args: [10] });
 *   await mesh.close();
 */
import { randomBytes } from 'node:crypto';
import {
  connectNats, inboxRoot, natsAuthOf, type NatsAuth, type NatsConnection, type Subscription, Wire, ADVERT_SUBJECT, HEARTBEAT_SUBJECTS,
  DISCOVER_SUBJECT, FENCE_SUBJECT, fenceStatement, sign, type Identity, storedName, storedDiffName, storedHub, sealAnon, bundleContext, bundleSubject, execSubject, pingSubject, drainSubject, checkpointStore, type CheckpointStore, openJobStore, type JobStore,
} from '../net/index.js';
import {
  PROTOCOL_VERSION, ProtocolError, TransportError, decodeMessage, encodeMessage, parseMessage,
  type ExecRequest, type HubAdvert, type HubReply, type HubRequest, type ProgressEvent,
} from '../protocol/index.js';
import { sleep } from '../util/index.js';
import type { HubInfo, MoveTicket, RoutedTransport, StoredByHub } from './transport.js';
import { OwnLoad } from './own-load.js';
import { HubLiveness } from './liveness.js';

/** What an engine takes from a hub in reply to a request. */
const REPLY_KINDS = ['ran', 'error', 'ok', 'pong', 'need-bundle'] as const;

export interface MeshOptions extends NatsAuth {
  nats: string;
  /** Wait this long for the first hub to advertise. @default 3000 */
  waitForHubsMs?: number;
  /** How long discovery collects adverts after the first one. @default 250 */
  settleMs?: number;
}

/** How often a running job's holder is looked at. */
const WATCH_MS = 100;
const SMALL_REQUEST_TIMEOUT_MS = 5000;
const PROGRESS_GRACE_MS = 2000;
const DISCOVER_REASK_MS = 500;
/** How long to keep asking the checkpoint store for a lost job's newest checkpoint. */
const STORE_PATIENCE_MS = 15_000;
/** How long closing waits for the connection to drain before closing it as it is. */
const CLOSE_DRAIN_MS = 2000;
/** One read of a stored checkpoint may take READ_MS, doubling with each try to READ_MAX_MS; at least MIN_READ_MS. */
const READ_MS = 1000;
const READ_MAX_MS = 5000;
const MIN_READ_MS = 250;

export class NatsMesh implements RoutedTransport {
  readonly kind = 'routed';
  private readonly live = new HubLiveness();
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
          this.live.beat(parseMessage(decodeMessage(msg.data), ['heartbeat']), Date.now());
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
    // A hub whose heartbeats stopped (killed, SIGSTOPped), or whose advertised process was
    // replaced by a new one, is no place for a job, though its last advert is still fresh.
    return this.adverts().filter((a) => a.state === 'ready' && !this.live.silent(a.id, Date.now()) && !this.live.replaced(a.id, Date.now()))
      .map((a) => ({ id: a.id, caps: a.caps, datasets: a.datasets, load: this.own.apply(a.id, a.load), keys: a.keys, signer: a.keys?.sign ?? a.signer, reweave: a.reweave }));
  }

  /** What this engine placed and saw finish since each hub's last advert. */
  private readonly own = new OwnLoad();

  placed(hub: string): () => void {
    const token = this.own.placed(hub);
    return () => this.own.finished(hub, token);
  }

  /** Every hub heard from recently, whatever its state. */
  adverts(): HubAdvert[] {
    return this.live.adverts(Date.now());
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
      const why = this.live.lost(h, boots, Date.now());
      if (why) { ctl.abort(why); return; }
      const s = this.live.advertOf(h);
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

  private checkpoints: Promise<CheckpointStore | undefined> | undefined;

  /** Start opening the checkpoint bucket (see connectMesh). */
  prepareCheckpoints(): void {
    void this.openCheckpoints();
  }

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
  async stored(job: string, only?: readonly string[], patienceMs = STORE_PATIENCE_MS): Promise<StoredByHub[]> {
    const until = Date.now() + patienceMs;
    for (let tries = 0; ; tries++) {
      // Right after a server of a cluster is lost, some reads hang rather than fail (seen
      // for up to 4.5 s on a quiet machine, now and then after the server is back): each is
      // cut short and asked again, at first after 1 s, doubling up to 5 s for a large
      // checkpoint on a busy machine, never past the patience left.
      const timeout = Math.max(MIN_READ_MS, Math.min(READ_MS * 2 ** Math.min(tries, 3), READ_MAX_MS, until - Date.now()));
      try {
        const store = await this.openCheckpoints();
        if (!store) return [];
        // A recovery names the hubs that held the attempt, and their names are read
        // directly; a listing reads every name in the bucket. In a chaos run, detection to
        // restart took a median of 308 ms with the listing and 67 ms with names, and a
        // recovery 1 s after a store reported 50 ms before its hub's kill did not use it.
        const hubs = only ?? (await store.names(`${job}@`)).map((n) => storedHub(job, n)).filter((h) => h !== undefined);
        const got = await Promise.all(hubs.map(async (hub) => {
          const [full, diff] = await Promise.all([store.get(storedName(job, hub), timeout), store.get(storedDiffName(job, hub), timeout)]);
          return full ? { hub, full, ...(diff ? { diff } : {}) } : undefined;
        }));
        return got.filter((g) => g !== undefined);
      } catch { /* no leader yet, or the server is restarting: ask again */ }
      if (Date.now() >= until) return [];
      await sleep(Math.min(100, until - Date.now()));
    }
  }

  async forgetStored(job: string): Promise<void> {
    const store = await this.openCheckpoints();
    // Every hub's full checkpoint and diff (checkpoint-keeper.ts).
    const names = await store?.names(`${job}@`).catch(() => []) ?? [];
    await Promise.all(names.map((n) => store?.delete(n)));
  }

  private jobStore: Promise<JobStore | undefined> | undefined;

  jobs(): Promise<JobStore | undefined> {
    this.jobStore ??= openJobStore(this.nc).catch(() => { this.jobStore = undefined; return undefined; });
    return this.jobStore;
  }

  fence(job: string, attempt: number, by: Identity): void {
    this.wire.publish(FENCE_SUBJECT, encodeMessage({ kind: 'fence', v: PROTOCOL_VERSION, job, attempt, client: by.public.sign, sig: sign(by, fenceStatement(job, attempt)) }));
  }

  inboxes(): string[] {
    return [this.wire.inbox, this.progressPrefix];
  }

  async move(hub: string, key: string, to: string, ticket?: MoveTicket): Promise<boolean> {
    try {
      const sealKey = ticket?.keys[to] ?? this.live.advertOf(to)?.advert.keys?.seal;
      // The hub it moves to may need the bundle: it may fetch it now.
      for (const s of this.served.values()) if (s.hubs.has(hub)) s.hubs.add(to);
      const raw = await this.wire.request(execSubject(hub), encodeMessage({ kind: 'move', v: PROTOCOL_VERSION, job: key, to, key: sealKey, unstarted: true, ...ticket }), { timeoutMs: SMALL_REQUEST_TIMEOUT_MS });
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
    // A drain waits on the server. In a chaos run a `weave run` whose job ended just as the
    // server restarted printed its result and then stayed up for 170 s; the drain is the
    // likely holder. After CLOSE_DRAIN_MS the connection is closed as it is.
    const drained = await Promise.race([this.nc.drain().then(() => true, () => true), sleep(CLOSE_DRAIN_MS, false, { ref: false })]);
    if (!drained) await this.nc.close().catch(() => undefined);
  }

  private onAdvert(bytes: Uint8Array): boolean {
    try {
      const advert: HubAdvert = parseMessage(decodeMessage(bytes), ['advert']);
      if (!this.live.advert(advert, Date.now())) return false;
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
      const key = this.live.advertOf(hub)?.advert.keys?.seal;
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
  // Open the checkpoint bucket now, beside discovery: opening it asks its stream's leader,
  // and a job's first recovery may come while a cluster that lost that leader is electing
  // (seconds; a chaos run's recovery waited 13.5 s for it). Reads need no leader after.
  if (nc.info?.jetstream) mesh.prepareCheckpoints();
  await mesh.discover({ waitMs: opts.waitForHubsMs, settleMs: opts.settleMs });
  return mesh;
}
