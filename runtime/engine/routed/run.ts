/**
 * The engine over a routed transport (the NATS mesh).
 *
 * A job goes to one hub with a route (the capable hubs, ranked). That hub runs fragment
 * after fragment in one instance; at a pause (every `migrateEvery` yield points, or a
 * draining hub) it sends the state straight to the next hub of the route, which
 * acknowledges once restored and runs on. So a migration crosses the network once, not
 * twice via the engine. The hub that finishes replies with the result; hand-overs are
 * reported as progress events.
 *
 * The job runs as attempts (attempt.ts): when one fails in a way worth retrying, the next
 * starts elsewhere from the newest state the engine can get (recovery.ts), as a new exec
 * job key, so stale state never mixes in. With a job record (`durable`, ledger.ts) each
 * attempt is fenced in before it runs and the result is committed once.
 *   const r = await runRouted(mesh, bundle, 'main', { args: [10], migrateEvery: 50 });
 */
import { randomBytes } from 'node:crypto';
import { decodeCheckpoint } from '../../snapshot/index.js';
import { describeArgs, type LoadedBundle } from '../../exec/index.js';
import { HubError, PROTOCOL_VERSION, type RanReply } from '../../protocol/index.js';
import { createIdentity, type Identity, type JobRecord } from '../../net/index.js';
import { jobNeeds } from '../../policy/index.js';
import { eventEmitter } from '../../trace/index.js';
import { resultOf, type JobOptions, type JobResult } from '../job.js';
import { livePlacement } from '../placement.js';
import type { RoutedTransport } from '../transport.js';
import { Attempt } from './attempt.js';
import type { RoutedJob } from './context.js';
import { JobLedger, settledResult } from './ledger.js';
import { JobProgress } from './progress.js';
import { RecoveryState } from './recovery.js';
import { JobStop } from './stop.js';
import { forgetWhenStopped } from './cancel.js';
import { JobError } from '../errors.js';
import { sleep } from '../../util/index.js';

/** How long a finished job waits for its stored checkpoints to be deleted before it returns. */
const FORGET_PATIENCE_MS = 10_000;
/** Why a job's own waits are stopped once it is over. */
const JOB_OVER = 'the job is over';

/** The identity of this process's engine, when the caller gives none. */
let processIdentity: Identity | undefined;

export function defaultIdentity(): Identity {
  return (processIdentity ??= createIdentity());
}

/** Where a resumed job (attach) starts: its record, and the state to start from. */
export interface Resume { record: JobRecord; state?: Uint8Array; stateKey?: string }

export async function runRouted(transport: RoutedTransport, bundle: LoadedBundle, entry: string, opts: JobOptions, resume?: Resume): Promise<JobResult> {
  const t0 = performance.now();
  const info = bundle.manifest.entries.find((e) => e.name === entry)!;
  const job = resume?.record.job ?? randomBytes(8).toString('hex');
  const me = opts.identity ?? defaultIdentity();
  const ledger = await JobLedger.open(transport, job, opts, me);
  const emit = eventEmitter(opts.onEvent, () => job);
  // Hubs store periodic checkpoints when asked, and the state of every hand-over of a job with a record.
  const storing = !!(opts.storeEvery || opts.storeEveryMs || opts.durable);
  const progress = new JobProgress(job, opts, emit, info.fragments, 0);
  const stop = new JobStop(opts.timeoutMs, opts.signal);
  const recovery = new RecoveryState({ transport, me, bundleHash: bundle.hash, storing, progress, ledger, signal: stop.signal, deadline: opts.timeoutMs !== undefined }, info.fragments[0], resume);
  progress.storedAtStart = recovery.stateYields;
  const needs = jobNeeds(bundle.manifest, opts.datasets);
  const ctx: RoutedJob = {
    transport, bundle, entry, opts, job, me, needs, progress, recovery, ledger,
    chooser: opts.policy && livePlacement(opts.policy, bundle, needs, opts.onDecision), bundleSent: false, keys: [], stop,
  };
  let firstAttempt = 0;
  if (ledger && resume) {
    const taken = await ledger.takeover(resume.record, resume.stateKey);
    if (taken.settled) return settledResult(ledger.jobs, info, taken.settled, t0, undefined, liveSigner(transport));
    firstAttempt = taken.attempt;
  } else if (ledger) {
    await ledger.create(bundle, entry, opts);
  }
  opts.onStart?.(job);
  emit({
    kind: 'job-start', entry, fragments: info.fragments.length, mesh: 'nats', hubs: transport.hubs().map((h) => h.id), migrateEvery: opts.migrateEvery ?? 0,
    args: describeArgs(info, opts.args),
  });
  // A cancel in the record (weave jobs cancel) stops the job here too.
  let watching: AbortController | undefined;
  if (ledger) {
    watching = new AbortController();
    void ledger.jobs.settled(job, watching.signal).then((rec) => { if (rec?.state === 'cancelled') stop.abort('cancelled', 'record'); }, () => undefined);
  }
  const { stats, placements, pauseToResumeMs, data } = progress;
  const totals = () => ({ ...stats, placements, pauseToResumeMs, restoredFromStore: recovery.restoredFromStore, recoveries: recovery.recoveries, data });
  /** The hub and attempt key the job finished on: that hub dropped the job's state itself. */
  let doneOn: { hub: string; key: string } | undefined;
  try {
    for (let attempt = firstAttempt; ; attempt++) {
      if (stop.signal.aborted) throw await halted(ctx, attempt);
      const settled = await ledger?.advance(attempt, recovery.stateKey);
      if (settled) return settledResult(ledger!.jobs, info, settled, t0, totals(), liveSigner(transport));
      // Without a record, a fence still stops what older attempts still run: a hub that
      // was out of reach (frozen, cut off) and comes back would run its replaced attempt to
      // the end, its slot busy for nothing (the ledger fences in advance()).
      if (!ledger && attempt > firstAttempt) transport.fence(job, attempt, me);
      const a = new Attempt(ctx, attempt);
      let reply: RanReply;
      try {
        reply = await a.run();
      } catch (err) {
        // A hub refused to go on because the record was cancelled: the watch may not have said so yet.
        if (!stop.signal.aborted && ledger && err instanceof HubError && err.code === 'fenced' && (await ledger.jobs.get(job).catch(() => undefined))?.state === 'cancelled') stop.abort('cancelled', 'record');
        if (stop.signal.aborted) throw await halted(ctx, attempt, err, a.progress?.holder);
        // Before it was sent (a job no hub could ever run), a failure is the job's; after, the attempt's.
        if (!a.progress) throw err;
        // A move this engine asked for, of a job still waiting for a busy slot: the hub gave
        // it back unstarted, and the next attempt starts where the move was to go.
        if (err instanceof HubError && err.code === 'not-started' && a.progress.moving) {
          recovery.movedBeforeStart(a.progress.holder, a.progress.moving.to);
          continue;
        }
        await recovery.failed(err, a.progress, a.fragment);
        continue;
      }
      recovery.succeeded(a.progress.holder);
      progress.ran(a.progress, reply, a.fragment);
      // A retry after this goes to the job's data first.
      for (const n of data.names) if (!needs.datasets.includes(n)) needs.datasets.push(n);
      if (reply.outcome === 'done') {
        ctx.chooser?.done(performance.now() - a.startedAt);
        // acceptOutcome checked that reply.hub signed it, a hub of this attempt.
        await ledger?.done(attempt, reply.hub ?? a.progress.holder, reply, a.hubKeys.get(reply.hub ?? a.progress.holder)?.sign);
        doneOn = { hub: reply.hub ?? a.progress.holder, key: a.key };
        return {
          job, entry, ...resultOf(info, reply.result ?? new Uint8Array(0)),
          ...totals(), wallMs: performance.now() - t0, output: reply.output ?? new Uint8Array(0),
        };
      }
      // A hub sent the state back (a hand-over failed, or nowhere to go): carry on from it.
      // Decoded only to check it (a diff would be useless here); sent on as it came.
      const cp = decodeCheckpoint(reply.checkpoint!);
      if (cp.kind !== 'full') throw new HubError('bad-reply', `hub ${a.progress.holder} sent back a diff the engine has no base for`, a.progress.holder);
      progress.returned(a.progress, reply, cp.yields);
      recovery.returned(reply.checkpoint!, cp, reply.hub ?? a.progress.holder);
    }
  } finally {
    stop.dispose();
    // With a reason: abort() without one makes a DOMException, stack trace and all (about
    // 25-90 µs of every tiny job's engine time in a profile).
    watching?.abort(JOB_OVER);
    // Not awaited: the result is final; hubs also evict old jobs on their own.
    // Not the hub it finished on, for that attempt: its slot dropped the state when it ended
    // (a request per job that cost every tiny job a round trip on its hub).
    void Promise.allSettled([...progress.touched].flatMap((h) => ctx.keys
      .filter((k) => !(doneOn?.hub === h && doneOn.key === k))
      .map((k) => transport.request(h, { kind: 'drop-job', v: PROTOCOL_VERSION, job: k }))));
    // A durable job that is not over keeps its checkpoints: an attach resumes from them. The
    // result does not wait on a store that does not answer (the bucket's TTL ends them).
    if (storing && (!ledger || ledger.over)) {
      const patience = new AbortController();
      await Promise.race([
        Promise.allSettled(ctx.keys.map((k) => transport.forgetStored(k))),
        sleep(FORGET_PATIENCE_MS, undefined, { signal: patience.signal }).catch(() => undefined),
      ]);
      patience.abort(JOB_OVER);
    }
  }
}

/** The signing key a live hub advertises now (records name who committed; this pins their key). */
export function liveSigner(transport: RoutedTransport): (hub: string) => Uint8Array | undefined {
  return (hub) => transport.hubs().find((h) => h.id === hub)?.signer;
}

/**
 * The job's deadline passed or it was cancelled during attempt `attempt`: fence that
 * attempt out (its hubs pause it at their next yield point and drop it), end the record
 * (cancelled, or failed with the deadline's code), and return the error the job ends with.
 */
async function halted(ctx: RoutedJob, attempt: number, err?: unknown, holder?: string): Promise<JobError> {
  const { transport, ledger, stop, progress, recovery } = ctx;
  // Stopped in a wait for hubs (the wait's error, or between attempts while hubs were
  // missing), or while an attempt ran.
  const waiting = err instanceof JobError && (err.code === 'no-hubs' || err.code === 'no-capable-hub') ? err
    : !holder && recovery.waiting ? new JobError(recovery.waiting.message, { code: recovery.waiting.code }) : undefined;
  const out = stop.error(waiting);
  // Hubs pause and drop attempts below a fence; one for the next attempt stops this one.
  if (ledger) transport.fence(ctx.job, attempt + 1, ctx.me);
  if (holder) progress.touched.add(holder);
  for (const k of ctx.keys) for (const h of progress.touched) void transport.request(h, { kind: 'drop-job', v: PROTOCOL_VERSION, job: k }).catch(() => undefined);
  await ledger?.stopped(stop.reason === 'cancelled' ? 'cancelled' : 'failed', { code: out.code, message: out.message });
  // Its checkpoints go once its hubs have stopped it (the finally would be too early: a run stores until it sees the fence).
  if (ledger) await forgetWhenStopped(transport, ctx.keys);
  if (stop.reason === 'cancelled') progress.emit({ kind: 'cancelled', by: stop.by });
  return out;
}
