/**
 * The engine over a transport that hands state hub to hub (the NATS mesh).
 *
 * A job goes to one hub with a route (the live hubs, starting at the next one in
 * round-robin order across jobs). That hub runs fragment after fragment in one instance;
 * at a pause (every `migrateEvery` yield points, or a draining hub) it sends the state
 * straight to the next hub of the route, which acknowledges once restored and runs on. So
 * a migration crosses the network once, not twice via the engine. The hub that finishes
 * replies with the result; hand-overs are reported as progress events.
 *
 * The engine keeps the last state it holds (the arguments, or a checkpoint a hub sent back
 * when a hand-over failed); when the job's hub is lost it restarts from there elsewhere,
 * or from the newest checkpoint hubs stored (`storeEvery`), as a new attempt (the job key
 * sent to hubs carries the attempt, so stale state is never mixed in).
 *
 * With a job record (`durable`, JetStream): the record names the current attempt, a new
 * attempt fences out the old ones (hubs drop them; their results cannot commit), and the
 * finishing hub commits the result there, once. So the job outlives this client: another
 * can attach to it (attachRouted), and a result committed by a hub the engine thought lost
 * is delivered, not computed twice.
 *
 * While a fragment runs, the engine watches the hubs' adverts and moves it, mid-fragment,
 * to a clearly faster hub (reweave.ts).
 *   const r = await runRouted(mesh, bundle, 'main', { args: [10], migrateEvery: 50 });
 */
import { randomBytes } from 'node:crypto';
import { decodeCheckpoint } from '../snapshot/index.js';
import { FragmentTrap, describeArgs, loadBundle, type LoadedBundle } from '../exec/index.js';
import { PROTOCOL_VERSION, type ExecRequest, type ExecReply, type ProgressEvent } from './protocol.js';
import type { Transport } from './transport.js';
import { HubError, JobError } from './errors.js';
import { addData, errorCode, newDataTotals, resultOf, retryDelay, sleep, type JobOptions, type JobResult, type Placement, type Recovery } from './engine.js';
import { describeMisfit, jobNeeds, rankHubs } from '../policy/index.js';
import { livePlacement } from './placement.js';
import { reweaver } from './reweave.js';
import { JobRecordMissing, type JobRecord, type JobStore } from '../net/jobs.js';
import { createIdentity, resultStatement, verify, type Identity, type PublicIdentity } from '../net/identity.js';
import { isSealed, openAnon, openFrom, sealTo, storedContext, type SealContext } from '../net/seal.js';
import { eventEmitter, round3, type MigrationReason } from '../trace/index.js';

/** The identity of this process's engine, when the caller gives none. */
let processIdentity: Identity | undefined;

/** How often the engine looks at adverts for a better hub. */
const REWEAVE_CHECK_MS = 1000;
/** How long a move asked of a hub may take before the engine considers another. */
const MOVE_PATIENCE_MS = 15_000;

/** Where a resumed job (attach) starts: its record, and the state to start from. */
interface Resume { record: JobRecord; state?: Uint8Array; stateKey?: string }

/**
 * Jobs start on successive hubs, so concurrent jobs spread over the mesh; from a random
 * place, so that many clients (one job each) do not all start on the first hub.
 */
let nextStart = Math.floor(Math.random() * 65536);

export async function runRouted(transport: Transport, bundle: LoadedBundle, entry: string, opts: JobOptions, resume?: Resume): Promise<JobResult> {
  const t0 = performance.now();
  const info = bundle.manifest.entries.find((e) => e.name === entry)!;
  const job = resume?.record.job ?? randomBytes(8).toString('hex');
  const me = opts.identity ?? (processIdentity ??= createIdentity());
  const migrateEvery = opts.migrateEvery ?? 0;
  const stats = { fragments: 0, checkpoints: 0, migrations: 0, bytesMoved: 0, execMs: 0, yields: 0, retries: 0, reweaves: 0, maxYieldGapMs: 0 };
  const recoveries: Recovery[] = [];
  const placements: Placement[] = [];
  const pauseToResumeMs: number[] = [];
  const avoid = new Set<string>();
  /** Hubs that handed the job over and so may still hold its base checkpoint. */
  const touched = new Set<string>();
  /** The last full state the engine holds, encoded (as a hub sent it back). */
  let state: Uint8Array | undefined = resume?.state;
  // Decoded once: where the state is and how far it got (it may be many MiB).
  const resumed = state ? decodeCheckpoint(state) : undefined;
  let fragment = resumed ? resumed.fragment : info.fragments[0];
  /** Yield count of `state` (0: the arguments), and whether it is mid-fragment. */
  let stateYields = resumed?.yields ?? 0;
  let statePaused = resumed?.paused ?? false;
  let bundleSent = false;
  let failures = 0;
  const keys: string[] = [];
  let restoredFromStore = resume?.state ? 1 : 0;
  const needs = jobNeeds(bundle.manifest, opts.datasets);
  const data = newDataTotals();
  const chooser = opts.policy && livePlacement(opts.policy, bundle, needs, opts.onDecision);
  const jobs = opts.durable ? await transport.jobs?.() : undefined;
  /** Hubs store periodic checkpoints of this job. */
  const storing = !!(opts.storeEvery || opts.storeEveryMs);
  if (opts.durable && !jobs) throw new JobError('this NATS server keeps no job records (JetStream is off); run without --durable/--attach, or start the server with -js');
  let firstAttempt = 0;
  if (jobs && resume) {
    // Take the job over from an attempt nobody runs any more: fence it out first.
    const rec = await jobs.advance(job, resume.record.attempt, resume.record.attempt + 1, resume.stateKey);
    if (rec.state !== 'running' || rec.attempt !== resume.record.attempt + 1) return settledResult(jobs, bundle, info, rec, t0);
    transport.fence?.(job, rec.attempt);
    firstAttempt = rec.attempt;
  } else if (jobs) {
    await jobs.create({
      job, bundle: bundle.hash, entry, args: opts.args, hasInput: !!opts.input, migrateEvery, storeEvery: opts.storeEvery ?? 0, storeEveryMs: opts.storeEveryMs || undefined,
      seed: opts.seed, datasets: opts.datasets ?? [],
    }, { bundleBytes: bundle.bytes, input: opts.input });
  }
  opts.onStart?.(job);
  const emit = eventEmitter(opts.onEvent, () => job);
  emit({
    kind: 'job-start', entry, fragments: info.fragments.length, mesh: 'nats', hubs: transport.hubs().map((h) => h.id), migrateEvery,
    args: describeArgs(info, opts.args),
  });
  /** The state left `from` and goes to the next attempt's first hub (reported once it is sent). */
  let moveOut: { from: string; reason: MigrationReason } | undefined;
  let over = false;
  let lastStoredYields = stateYields;
  /** The stored checkpoint `state` is (its attempt key), so a later attempt can find it. */
  let stateKey = resume?.stateKey;
  /** Why the next attempt starts, when it recovers the job (hubs count these). */
  let recovery: ExecRequest['recovery'] = resume ? { reason: 'takeover', from: resume.state ? 'stored' : 'start' } : undefined;

  try {
    for (let attempt = firstAttempt, inRecord = firstAttempt; ; attempt++) {
      if (jobs && attempt !== inRecord) {
        // Every new attempt is in the record before it runs, and fences the older ones
        // out; if one of them committed after all, its result is the job's.
        const rec = await jobs.advance(job, inRecord, attempt, stateKey);
        if (rec.state !== 'running') {
          over = true;
          return settledResult(jobs, bundle, info, rec, t0, { ...stats, placements, pauseToResumeMs, restoredFromStore, recoveries, data });
        }
        if (rec.attempt !== attempt) throw new JobError(`job ${job} was taken over by another client (attempt ${rec.attempt})`);
        transport.fence?.(job, attempt);
        inRecord = attempt;
      }
      const up = transport.hubs().filter((h) => !avoid.has(h.id));
      if (!up.length) throw new JobError(`no hubs are available to run the job${avoid.size ? ` (failed: ${[...avoid].join(', ')})` : ''}`);
      // Rotate, then rank: the best-fitting hubs lead the route, and jobs spread among equals.
      const start = nextStart++ % up.length;
      const ranked = rankHubs([...up.slice(start), ...up.slice(0, start)], needs);
      if (!ranked.length) throw new JobError(describeMisfit(up, needs), { code: 'no-capable-hub' });
      // With a policy, it picks the hub the job starts on; the route goes on in rank order.
      const first = chooser ? chooser.choose(fragment, undefined, state?.byteLength ?? 0, ranked) : ranked[0].id;
      const route = [first, ...ranked.map((h) => h.id).filter((h) => h !== first)];
      // Counted in that hub's load until it leaves it: ended, moved on, or the attempt failed.
      const leftFirst = transport.placed?.(first);
      const attemptStarted = performance.now();
      const key = `${job}.${attempt}`;
      keys.push(key);
      // The hubs' keys as they advertise them now: what is sealed to them, and whose
      // signatures on a result count.
      const hubKeys = new Map<string, PublicIdentity>();
      for (const h of ranked) if (h.keys) hubKeys.set(h.id, h.keys);
      const req: ExecRequest = {
        kind: 'exec', v: PROTOCOL_VERSION, job: key, bundle: bundle.hash, entry, fragment, migrateEvery, seed: opts.seed,
        stay: true, full: true, route, hop: 0, input: opts.input, storeEvery: opts.storeEvery || undefined, storeEveryMs: opts.storeEveryMs || undefined,
        attempt, ...(jobs ? { record: job } : {}),
        client: me.public, keys: Object.fromEntries([...hubKeys].map(([id, k]) => [id, k.seal])),
        policy: opts.policy?.name ?? 'fit', ...(recovery ? { recovery } : {}),
      };
      recovery = undefined;
      const ctx = (fragment_: number, seq: number, from: string, to: string): SealContext => ({ job: key, attempt, fragment: fragment_, seq, bundle: bundle.hash, from, to });
      if (state) {
        const first = hubKeys.get(route[0]);
        req.checkpoint = first ? sealTo(me, first.seal, ctx(fragment, 0, 'engine', route[0]), state) : state;
        req.sealed = first ? true : undefined;
      } else {
        req.args = opts.args;
      }
      if (!bundleSent) req.bundleBytes = bundle.bytes;
      bundleSent = true;

      let holder = route[0];
      // Not awaited: the owner is for people and tools reading the record, not for safety.
      if (jobs) void jobs.own(job, attempt, holder).catch(() => undefined);
      let bytesIn = req.checkpoint?.byteLength ?? 0;
      stats.bytesMoved += bytesIn;
      if (moveOut) emit({ kind: 'migration', from: moveOut.from, to: holder, bytes: bytesIn, reason: moveOut.reason });
      moveOut = undefined;
      emit({ kind: 'fragment-start', hub: holder, fragment, attempt, bytes: bytesIn, resumed: !!state && statePaused });
      /** The fragment it is in now, as hand-overs report it (display only). */
      let at = fragment;
      const status = () => opts.onStatus?.({
        job, hub: holder, fragment: at, fragments: info.fragments.length, fragmentsRun: stats.fragments, checkpoints: stats.checkpoints,
        migrations: stats.migrations, retries: stats.retries, yields: Math.max(stats.yields, lastStoredYields),
      });
      const onProgress = (e: ProgressEvent) => {
        if (e.job !== key) return;
        if (e.stored) {
          // A periodic checkpoint is safe in the store: progress, not a move.
          lastStoredYields = Math.max(lastStoredYields, e.yields);
          stats.checkpoints++;
          emit({ kind: 'checkpoint', hub: e.hub, bytes: e.bytes, stored: true, yields: e.yields });
          status();
          return;
        }
        // The run that paused on e.hub, the state in flight, and the run resumed on e.to,
        // stamped with the hubs' own times: a progress message may come in late, after the
        // next hand-over's.
        const pausedAt = e.pausedAt > 0 ? e.pausedAt : undefined;
        emit({ kind: 'fragment-end', hub: e.hub, fragment: at, next: e.fragment, outcome: 'paused', ms: round3(e.execMs), execMs: round3(e.execMs), yields: e.yields, fragments: e.fragments }, pausedAt);
        emit({ kind: 'checkpoint', hub: e.hub, bytes: e.bytes, stored: false, yields: e.yields }, pausedAt);
        const reason: MigrationReason = moving && moving.from === e.hub && moving.to === e.to ? 'reweave'
          : migrateEvery > 0 && e.yields % migrateEvery === 0 ? 'migrate-every' : 'handover';
        emit({ kind: 'migration', from: e.hub, to: e.to, bytes: e.bytes, pauseToResumeMs: pausedAt && round3(e.resumedAt - pausedAt), reason }, pausedAt);
        emit({ kind: 'fragment-start', hub: e.to, fragment: e.fragment, attempt, bytes: e.bytes, resumed: true }, e.resumedAt > 0 ? e.resumedAt : undefined);
        touched.add(e.hub);
        if (e.hub === first) leftFirst?.();
        placements.push({ fragment: e.fragment, hub: e.hub, ms: e.execMs, bytesIn, bytesOut: e.bytes });
        opts.onPlacement?.(placements[placements.length - 1]);
        bytesIn = e.bytes;
        holder = e.to;
        stats.checkpoints++;
        stats.migrations++;
        stats.bytesMoved += e.bytes;
        stats.fragments += e.fragments;
        stats.execMs += e.execMs;
        stats.maxYieldGapMs = Math.max(stats.maxYieldGapMs, typeof e.maxYieldGapMs === 'number' ? e.maxYieldGapMs : 0);
        at = e.fragment;
        pauseToResumeMs.push(e.resumedAt - e.pausedAt);
        status();
      };
      status();
      // Re-weaving: while the attempt runs, move it when a clearly faster hub shows up.
      const rw = opts.reweave === false || !transport.move ? undefined : reweaver(opts.reweaveOptions);
      // One move at a time: the next is considered once the job is on another hub, or the
      // asked hub did not move it in a while (a queued run moves only when it starts).
      let moving: { from: string; to: string; at: number } | undefined;
      const watch = rw && setInterval(() => {
        if (moving && moving.from === holder && Date.now() - moving.at < MOVE_PATIENCE_MS) return;
        moving = undefined;
        const capable = rankHubs(transport.hubs(), { ...needs, prefers: [], datasets: [] });
        const to = rw.consider(holder, capable, Date.now());
        const toKeys = to && capable.find((h) => h.id === to)?.keys;
        if (toKeys) hubKeys.set(to!, toKeys);
        if (to) {
          stats.reweaves++;
          moving = { from: holder, to, at: Date.now() };
          void transport.move!(holder, key, to);
        }
      }, REWEAVE_CHECK_MS);
      let reply: Awaited<ReturnType<NonNullable<Transport['submit']>>>;
      try {
        reply = await transport.submit!(route[0], req, onProgress);
        if (reply.kind === 'error') {
          if (reply.code === 'trap') throw FragmentTrap.fromWire({ message: reply.message, fragment: reply.fragment ?? fragment, entry: reply.entry ?? entry });
          throw HubError.fromWire(reply, holder);
        }
        if (reply.kind !== 'ran') throw new HubError('bad-reply', `hub ${holder} sent '${reply.kind}' to an exec request`, holder);
        // Only a hub this attempt was given to, with its own key: a signed result, a sealed state.
        const from = reply.hub ?? holder;
        const keysOf = hubKeys.get(from);
        if (keysOf && reply.outcome === 'done') {
          const statement = resultStatement({ job: key, attempt, hub: from, result: reply.result ?? new Uint8Array(0), output: reply.output, yields: reply.yields });
          if (!reply.sig || !verify(keysOf.sign, statement, reply.sig)) throw new HubError('bad-signature', `a result for ${key} from ${from} is not signed by that hub; discarded`, from);
        } else if (keysOf && reply.checkpoint) {
          if (!reply.sealed) throw new HubError('bad-signature', `hub ${from} sent ${key}'s state unsealed; discarded`, from);
          const sealed = reply;
          reply.checkpoint = openOrReject(() => openFrom(me, keysOf.seal, ctx(sealed.fragment, sealed.handovers ?? 0, from, 'engine'), sealed.checkpoint!), from);
        } else if (!keysOf && (reply.sig || reply.sealed)) {
          throw new HubError('bad-signature', `an outcome for ${key} from ${from}, a hub this attempt was not given to; discarded`, from);
        }
      } catch (err) {
        const detectedAt = Date.now();
        const retry = retryDelay(err, failures++);
        if (retry === undefined) {
          if (jobs && err instanceof FragmentTrap) {
            over = true;
            await jobs.fail(job, attempt, 'failed', { code: 'trap', message: err.message }).catch(() => undefined);
          }
          throw err;
        }
        avoid.add(holder);
        touched.add(holder);
        stats.retries++;
        opts.onRetry?.({ hub: holder, fragment, error: err as Error });
        emit({ kind: 'retry', hub: holder, fragment: at, code: errorCode(err), message: (err as Error).message, delayMs: retry });
        if (retry > 0) await sleep(retry);
        // The newest checkpoint the lost attempt's hubs stored: any is later than the state
        // the attempt started from.
        const stored = storing ? openStored(me, key, attempt, bundle.hash, await transport.stored?.(key)) : undefined;
        recovery = { reason: 'retry', from: state ? 'engine' : 'start' };
        if (stored) {
          // A stored checkpoint that does not decode is not used: the engine's own copy is.
          const cp = decodeOrUndefined(stored);
          if (cp?.kind === 'full' && cp.bundle === bundle.hash) {
            state = stored;
            fragment = cp.fragment;
            stateYields = cp.yields;
            statePaused = cp.paused;
            stateKey = key;
            restoredFromStore++;
            recovery.from = 'stored';
          }
        }
        recoveries.push({ hub: holder, attempt: attempt + 1, detectedAt, resumedAt: Date.now(), fromYields: stateYields, lastStoredYields });
        emit({ kind: 'recovery', hub: holder, attempt: attempt + 1, fromYields: stateYields, fromStore: recovery.from === 'stored', lastStoredYields });
        moveOut = { from: holder, reason: 'recovery' };
        continue;
      } finally {
        if (watch) clearInterval(watch);
        leftFirst?.();
      }
      failures = 0;
      // When the run ended by the hub's clock, as hand-overs are stamped.
      const ended = reply.pausedAt ?? (reply.resumedAt === undefined ? undefined : reply.resumedAt + reply.execMs);
      emit({
        kind: 'fragment-end', hub: reply.hub ?? holder, fragment: at, next: reply.fragment, outcome: reply.outcome, ms: round3(reply.execMs), execMs: round3(reply.execMs),
        yields: reply.yields, fragments: reply.fragments ?? 0,
      }, ended);
      const last = { fragment, hub: holder, ms: reply.execMs, bytesIn, bytesOut: reply.checkpoint?.byteLength ?? 0 };
      placements.push(last);
      opts.onPlacement?.(last);
      stats.fragments += reply.fragments ?? 0;
      stats.execMs += reply.execMs;
      stats.maxYieldGapMs = Math.max(stats.maxYieldGapMs, reply.maxYieldGapMs ?? 0);
      stats.yields = reply.yields;
      addData(data, reply.data);
      if (reply.outcome === 'done') chooser?.done(performance.now() - attemptStarted);
      // A retry after this goes to the job's data first.
      for (const n of data.names) if (!needs.datasets.includes(n)) needs.datasets.push(n);
      if (reply.outcome === 'done') {
        const bytes = reply.result ?? new Uint8Array(0);
        if (jobs && !reply.committed) await commitForHub(jobs, job, attempt, holder, reply);
        over = true;
        return {
          job, entry, ...resultOf(info, bytes),
          ...stats, wallMs: performance.now() - t0, placements, pauseToResumeMs, restoredFromStore, recoveries, output: reply.output ?? new Uint8Array(0), data,
        };
      }
      // A hub sent the state back (a hand-over failed, or nowhere to go): carry on from it.
      // Decoded only to check it (a diff would be useless here); sent on as it came.
      const cp = decodeCheckpoint(reply.checkpoint!);
      if (cp.kind !== 'full') throw new HubError('bad-reply', `hub ${holder} sent back a diff the engine has no base for`, holder);
      stats.checkpoints++;
      stats.migrations++;
      stats.bytesMoved += reply.checkpoint!.byteLength;
      emit({ kind: 'checkpoint', hub: reply.hub ?? holder, bytes: reply.checkpoint!.byteLength, stored: false, yields: cp.yields }, ended);
      moveOut = { from: reply.hub ?? holder, reason: 'handover' };
      touched.add(holder);
      state = reply.checkpoint;
      stateYields = cp.yields;
      statePaused = cp.paused;
      stateKey = undefined;
      fragment = reply.fragment;
    }
  } finally {
    // Not awaited: the result is final; hubs also evict old jobs on their own.
    void Promise.allSettled([...touched].flatMap((h) => keys.map((k) => transport.request(h, { kind: 'drop-job', v: PROTOCOL_VERSION, job: k }))));
    // A durable job that is not over keeps its checkpoints: an attach resumes from them.
    if (storing && (over || !jobs)) await Promise.allSettled(keys.map((k) => transport.forgetStored?.(k)));
  }
}

type Ran = Extract<ExecReply, { kind: 'ran' }>;

/** A stored checkpoint, opened when sealed (to this client); undefined when it does not open. */
function openStored(me: Identity, key: string, attempt: number, bundleHash: string, bytes: Uint8Array | undefined): Uint8Array | undefined {
  if (!bytes || !isSealed(bytes)) return bytes;
  try {
    return openAnon(me, storedContext(key, attempt, bundleHash), bytes);
  } catch {
    return undefined; // sealed to another identity, or altered: not usable
  }
}

function openOrReject(open: () => Uint8Array, hub: string): Uint8Array {
  try {
    return open();
  } catch (e) {
    throw new HubError('bad-signature', `hub ${hub} sent a sealed state that does not open: ${(e as Error).message}`, hub);
  }
}

function decodeOrUndefined(bytes: Uint8Array): ReturnType<typeof decodeCheckpoint> | undefined {
  try {
    return decodeCheckpoint(bytes);
  } catch {
    return undefined;
  }
}

/** The hub could not reach the record (say, the server was restarting): commit for it. */
async function commitForHub(jobs: JobStore, job: string, attempt: number, hub: string, reply: Ran): Promise<void> {
  const outcome = await jobs.commit(job, attempt, { hub, result: reply.result ?? new Uint8Array(0), output: reply.output, yields: reply.yields, fragments: reply.fragments ?? 0 });
  if (outcome === 'fenced') throw new JobError(`job ${job} was cancelled or taken over by another client before attempt ${attempt} finished`);
}

/** The result of a job that is over, from its record (a done job), or its error. */
async function settledResult(
  jobs: JobStore, bundle: LoadedBundle, info: LoadedBundle['manifest']['entries'][number], rec: JobRecord, t0: number,
  so?: Partial<JobResult>,
): Promise<JobResult> {
  if (rec.state === 'failed' && rec.error?.code === 'trap') throw new FragmentTrap(rec.error.message, -1, rec.entry);
  if (rec.state !== 'done') throw new JobError(`job ${rec.job} is ${rec.state}${rec.error ? `: ${rec.error.message}` : ''}`);
  const bytes = rec.result ?? new Uint8Array(0);
  return {
    job: rec.job, entry: rec.entry, ...resultOf(info, bytes),
    fragments: rec.committed?.fragments ?? 0, checkpoints: 0, migrations: 0, bytesMoved: 0, execMs: 0, retries: 0, reweaves: 0, maxYieldGapMs: 0,
    placements: [], pauseToResumeMs: [], restoredFromStore: 0, recoveries: [], data: newDataTotals(),
    ...so, yields: rec.committed?.yields ?? 0, wallMs: performance.now() - t0, output: await jobs.output(rec), attached: true,
  };
}

/** How long an attempt may go unseen in every advert before an attached client takes it over. */
const UNSEEN_MS = 7000;

/**
 * Attach to a job by id: its result once it is over, however it ends. While it runs, this
 * client watches that some hub still runs its current attempt; when none has for a while
 * (its hub died while no client watched), it takes the job over as a new attempt from the
 * newest stored checkpoint. Throws JobRecordMissing for an unknown id.
 */
export async function attachRouted(transport: Transport, job: string, opts: Omit<JobOptions, 'args'>): Promise<JobResult> {
  const t0 = performance.now();
  const me = opts.identity ?? (processIdentity ??= createIdentity());
  const jobs = await transport.jobs?.();
  if (!jobs) throw new JobError('this NATS server keeps no job records (JetStream is off), so there is nothing to attach to');
  const rec = await jobs.get(job);
  if (!rec) throw new JobRecordMissing(job);
  const bytes = await jobs.bundle(rec.bundle);
  if (!bytes) throw new JobError(`job ${job}: its bundle ${rec.bundle.slice(0, 12)} is gone from the job store`);
  const bundle = await loadBundle(bytes);
  const info = bundle.manifest.entries.find((e) => e.name === rec.entry);
  if (!info) throw new JobError(`job ${job}: its bundle has no entry '${rec.entry}'`);
  opts.onStart?.(job);
  const ac = new AbortController();
  const settled = jobs.settled(job, ac.signal);
  try {
    for (let cur = rec, seen = Date.now(); ;) {
      const done = await Promise.race([settled, sleep(500).then(() => undefined)]);
      if (done) return settledResult(jobs, bundle, info, done, t0);
      const now = await jobs.get(job);
      if (!now) throw new JobRecordMissing(job);
      if (now.state !== 'running') return settledResult(jobs, bundle, info, now, t0);
      const key = `${job}.${now.attempt}`;
      if (now.attempt !== cur.attempt || transport.running?.(key)) { cur = now; seen = Date.now(); continue; }
      if (Date.now() - seen < UNSEEN_MS) continue;
      // Nobody runs it: resume from the newest checkpoint of the lost attempt, else the one
      // it started from, else the start.
      // Stored checkpoints are sealed to the client: this identity must be the submitter's.
      const open = async (k: string) => openStored(me, k, Number(k.slice(k.lastIndexOf('.') + 1)), now.bundle, await transport.stored?.(k));
      let stateKey: string | undefined = key;
      let state = await open(key);
      if (!state && now.from) { stateKey = now.from; state = await open(now.from); }
      if (!state) stateKey = undefined;
      const input = now.hasInput ? await jobs.input(job) : undefined;
      return await runRouted(transport, bundle, now.entry, {
        ...opts, args: now.args, input, migrateEvery: now.migrateEvery, storeEvery: now.storeEvery, storeEveryMs: now.storeEveryMs, seed: now.seed,
        datasets: now.datasets, durable: true, identity: me,
      }, { record: now, state, stateKey });
    }
  } finally {
    ac.abort();
  }
}
