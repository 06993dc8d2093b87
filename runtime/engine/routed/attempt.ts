/**
 * One attempt of a routed job: choose its route (the capable hubs, best fitting first,
 * the policy's pick leading), send it to the route's first hub with the state sealed to
 * that hub, follow it hub to hub, move it to a clearly faster hub when one shows up
 * (re-weaving), and accept only the outcome of a hub it was given to.
 *   const a = new Attempt(ctx, attempt);
 *   const ran = await a.run();   // throws what the attempt failed with; a.progress says where
 */
import { PROTOCOL_VERSION, type ExecRequest, type RanReply } from '../../protocol/index.js';
import { clientBinding, sealTo, sign, ticketMacs, ticketStatement, type ExecTicket, type HubKeys } from '../../net/index.js';
import type { HubInfo } from '../transport.js';
import { fitScore, rankHubs, type JobNeeds } from '../../policy/index.js';
import { boundedMap } from '../../util/index.js';
import { reweaver } from '../reweave.js';
import type { RoutedJob } from './context.js';
import type { AttemptProgress } from './progress.js';
import { acceptOutcome, attemptContext, type AttemptKeys } from './verify.js';

/** How often the engine looks at adverts for a better hub. */
const REWEAVE_CHECK_MS = 1000;
/** How long a move asked of a hub may take before the engine considers another. */
const MOVE_PATIENCE_MS = 15_000;

/**
 * Jobs start on successive hubs, so concurrent jobs spread over the mesh; from a random
 * place, so that many clients (one job each) do not all start on the first hub.
 */
let nextStart = Math.floor(Math.random() * 65536);

/**
 * With no placement policy, the hub each bundle's last job started on (in this process):
 * the next job of the bundle starts there again while that hub is idle and fits as well as
 * the best, since it holds the bundle compiled and an instance it can renew for the same
 * client (runtime/hub/slot/core.ts). One tiny job after another on two idle hubs took
 * 2.22 ms each on average rotated, 1.93-2.06 ms kept on one (scratch/dispatch-prof with
 * two hubs, 1,200 jobs a run, this VM).
 */
const warmHubs = boundedMap<string, string>(256);

/**
 * Where a job starts when no policy chooses: its bundle's warm hub (see warmHubs); else
 * the first hub in rank order (rotated per job) with a free slot, so that jobs started
 * together spread out; else the first. `now`: the hubs with their loads at this moment.
 */
function defaultStart(pool: readonly HubInfo[], needs: JobNeeds, bundle: string, now: readonly HubInfo[]): string {
  // Loads as they are now (`now`): the pool was ranked before this job's wait, and jobs
  // started together are placed one after another in the meantime.
  const loads = new Map(now.map((h) => [h.id, h.load]));
  const free = (h: HubInfo) => { const l = loads.get(h.id) ?? h.load; return !l || l.busy + l.queue < l.slots; };
  const warm = pool.find((h) => h.id === warmHubs.get(bundle));
  if (warm && free(warm) && fitScore(warm, needs) === fitScore(pool[0], needs)) return warm.id;
  return (pool.find(free) ?? pool[0]).id;
}

export class Attempt {
  readonly key: string;
  /** Where the attempt stands (set once it is sent; before, failures are the route's). */
  progress!: AttemptProgress;
  /** The fragment it starts in. */
  readonly fragment: number;
  /** When it was sent (performance.now()). */
  startedAt = 0;
  /** The keys of the hubs this attempt was given to (its route, and move targets). */
  readonly hubKeys = new Map<string, HubKeys>();
  /** The ticket the attempt runs under now (a move signs a new one naming its target). */
  private ticket: ExecTicket | undefined;

  constructor(private readonly ctx: RoutedJob, readonly attempt: number) {
    this.key = `${ctx.job}.${attempt}`;
    this.fragment = ctx.recovery.fragment;
  }

  /** Run it to its outcome. Throws what acceptOutcome throws, and TransportError. */
  async run(): Promise<RanReply> {
    const { transport, bundle, opts, me, recovery, chooser, progress: job } = this.ctx;
    const ranked = await recovery.hubsFor(this.ctx.needs, nextStart++);
    // With a policy, it picks the hub the job starts on; the route goes on in rank order.
    // A recovery picks between two hubs drawn at random (the power of two choices): when a
    // hub dies, the engines of all its jobs recover at the same moment from the same
    // adverts, and would otherwise all pick the one idle hub and queue there in a line.
    const recovering = recovery.moveOut?.reason === 'recovery';
    const pool = recovering ? twoAtRandom(ranked) : ranked;
    const preferred = ranked.find((h) => h.id === recovery.prefer)?.id;
    recovery.prefer = undefined;
    const first = preferred ?? (chooser ? chooser.choose(this.fragment, undefined, recovery.state?.byteLength ?? 0, pool)
      : recovering ? pool[0].id : defaultStart(pool, this.ctx.needs, bundle.hash, transport.hubs()));
    warmHubs.set(bundle.hash, first);
    const route = [first, ...ranked.map((h) => h.id).filter((h) => h !== first)];
    // Counted in that hub's load until it leaves it: ended, moved on, or the attempt failed.
    const leftFirst = transport.placed(first);
    this.startedAt = performance.now();
    this.ctx.keys.push(this.key);
    // The hubs' keys as they advertise them now: what is sealed to them, and whose
    // signatures on a result count.
    const hubKeys = this.hubKeys;
    for (const h of ranked) { const k = keysOf(h); if (k) hubKeys.set(h.id, k); }
    const req = this.request(route, hubKeys);
    if (recovery.state) {
      const to = hubKeys.get(route[0])?.seal ? hubKeys.get(route[0]) as Required<HubKeys> : undefined;
      req.checkpoint = to ? sealTo(me, to.seal, attemptContext({ key: this.key, attempt: this.attempt, bundle: bundle.hash }, this.fragment, 0, 'engine', route[0]), recovery.state) : recovery.state;
      req.sealed = to ? true : undefined;
    } else {
      req.args = opts.args;
    }
    if (!this.ctx.bundleSent) req.bundleBytes = bundle.bytes;
    this.ctx.bundleSent = true;
    this.ctx.ledger?.own(this.attempt, route[0]);
    const bytesIn = req.checkpoint?.byteLength ?? 0;
    job.stats.bytesMoved += bytesIn;
    const moveOut = recovery.moveOut;
    if (moveOut) job.emit({ kind: 'migration', from: moveOut.from, to: route[0], bytes: bytesIn, reason: moveOut.reason });
    recovery.moveOut = undefined;
    job.emit({ kind: 'fragment-start', hub: route[0], fragment: this.fragment, attempt: this.attempt, bytes: bytesIn, resumed: !!recovery.state && recovery.statePaused });
    const a = job.attempt(this.key, this.attempt, route[0], this.fragment, bytesIn, leftFirst);
    this.progress = a;
    a.status();
    const watch = this.reweave(a, hubKeys);
    try {
      const reply = await transport.submit(route[0], req, a.onProgress, this.ctx.stop.signal);
      const keys: AttemptKeys = { key: this.key, attempt: this.attempt, me, hubKeys, holder: a.holder, bundle: bundle.hash, entry: this.ctx.entry, fragment: this.fragment };
      return acceptOutcome(reply, keys);
    } finally {
      if (watch) clearInterval(watch);
      leftFirst();
    }
  }

  /** The exec that starts the attempt, without its state. */
  private request(route: string[], hubKeys: Map<string, HubKeys>): ExecRequest {
    const { bundle, entry, opts, me, recovery, ledger } = this.ctx;
    const req: ExecRequest = {
      kind: 'exec', v: PROTOCOL_VERSION, job: this.key, bundle: bundle.hash, entry, fragment: this.fragment, migrateEvery: opts.migrateEvery ?? 0, seed: opts.seed,
      stay: true, full: true, route, hop: 0, input: opts.input, storeEvery: opts.storeEvery || undefined, storeEveryMs: opts.storeEveryMs || undefined,
      attempt: this.attempt, ...(ledger ? { record: ledger.job } : {}),
      client: me.public, keys: Object.fromEntries([...hubKeys].flatMap(([id, k]) => (k.seal ? [[id, k.seal]] : []))),
      policy: opts.policy?.name ?? 'fit', ...(recovery.note ? { recovery: recovery.note } : {}),
    };
    recovery.note = undefined;
    // Everything that steers the job, signed: hubs act on it only so (runtime/hub/tickets.ts).
    const t: ExecTicket = {
      job: req.job, attempt: this.attempt, record: req.record, bundle: req.bundle, route, keys: req.keys!, inboxes: this.ctx.transport.inboxes?.() ?? [], issued: Date.now(),
    };
    this.ticket = t;
    // MACed for each hub of the route where all have sealing keys: a signature and its
    // check cost far more on a short job's critical path (runtime/net/ticket-mac.ts).
    const macs = ticketMacs(me, t);
    const auth = macs ? { ticketMacs: macs, clientBind: clientBinding(me) } : { ticket: sign(me, ticketStatement(t)) };
    return { ...req, inboxes: [...t.inboxes], issued: t.issued, ...auth };
  }

  /** A new ticket for a move to `to`: the current route with `to` in it, `to`'s sealing key, issued later. */
  private moveTicket(to: string, keys: HubKeys | undefined) {
    const cur = this.ticket!;
    const route = cur.route.includes(to) ? [...cur.route] : [...cur.route, to];
    const sealKeys = { ...cur.keys, ...(keys?.seal ? { [to]: keys.seal } : {}) };
    const t: ExecTicket = { ...cur, route, keys: sealKeys, issued: Math.max(Date.now(), cur.issued + 1) };
    this.ticket = t;
    return { route, keys: sealKeys, issued: t.issued, ticket: sign(this.ctx.me, ticketStatement(t)) };
  }

  /**
   * Re-weaving: while the attempt runs, ask its holder to move it when a clearly faster
   * hub shows up. One move at a time: the next is considered once the job is on another
   * hub, or the asked hub did not move it in a while. A job still waiting for the hub's
   * slot comes back unstarted (`not-started`) and the next attempt starts on `to`.
   */
  private reweave(a: AttemptProgress, hubKeys: Map<string, HubKeys>): NodeJS.Timeout | undefined {
    const { transport, opts, needs, progress } = this.ctx;
    if (opts.reweave === false) return undefined;
    const rw = this.ctx.reweaver ??= reweaver(opts.reweaveOptions);
    return setInterval(() => {
      if (a.moving && a.moving.from === a.holder && Date.now() - a.moving.at < MOVE_PATIENCE_MS) return;
      a.moving = undefined;
      const hubs = transport.hubs();
      // A hub that re-weaves itself (`hub start --reweave`) decides for the jobs it holds.
      if (hubs.find((h) => h.id === a.holder)?.reweave) return;
      const capable = rankHubs(hubs, { ...needs, prefers: [], datasets: [] });
      const to = rw.consider(a.holder, capable, Date.now());
      if (!to) return;
      const found = capable.find((h) => h.id === to);
      const toKeys = found && keysOf(found);
      if (toKeys) hubKeys.set(to, toKeys);
      progress.stats.reweaves++;
      a.moving = { from: a.holder, to, at: Date.now() };
      void transport.move(a.holder, this.key, to, this.moveTicket(to, toKeys));
    }, REWEAVE_CHECK_MS);
  }
}

/** The keys a hub's outcomes are checked with: none when it advertises no signing key (its results are refused). */
function keysOf(h: HubInfo): HubKeys | undefined {
  if (h.keys) return h.keys;
  return h.signer ? { sign: h.signer } : undefined;
}

/** Two of `hubs` drawn at random, in rank order; all of them when there are two or fewer. */
function twoAtRandom<T>(hubs: readonly T[]): T[] {
  if (hubs.length <= 2) return [...hubs];
  const i = Math.floor(Math.random() * hubs.length);
  const j = (i + 1 + Math.floor(Math.random() * (hubs.length - 1))) % hubs.length;
  return [hubs[Math.min(i, j)], hubs[Math.max(i, j)]];
}
