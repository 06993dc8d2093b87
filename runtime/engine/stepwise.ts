/**
 * The engine over a stepwise transport (the embedded mesh): it holds the job's current
 * state, places each fragment (round-robin, or a policy) over the capable hubs, ships the
 * state as a diff against what the receiving hub already holds (and the bundle once per
 * hub), and with `migrateEvery` pauses the running fragment at yield points and resumes
 * it on another hub, the state passing through the engine each time. With neither a
 * policy nor `migrateEvery` nothing would choose a move: the job runs on one hub, across
 * its fragments in one instance, as a routed job does (a boundary costs nothing then).
 *   const r = await runStepwise(mesh, bundle, 'main', { args: [10], migrateEvery: 1 });
 */
import { randomBytes } from 'node:crypto';
import { applyDiff, decodeCheckpoint, diffCheckpoint, encodeCheckpoint, type Checkpoint } from '../snapshot/index.js';
import { FragmentTrap, describeArgs, type LoadedBundle } from '../exec/index.js';
import { HubError, PROTOCOL_VERSION, isProgramTrap, type ExecRequest, type RanReply } from '../protocol/index.js';
import { describeMisfit, jobNeeds, rankHubs, roundRobin } from '../policy/index.js';
import { epochMs, eventEmitter, round3 } from '../trace/index.js';
import { sleep } from '../util/index.js';
import { JobError } from './errors.js';
import { addData, errorCode, newDataTotals, resultOf, type JobOptions, type JobResult, type Placement } from './job.js';
import { livePlacement } from './placement.js';
import { retryDelay } from './retry.js';
import type { StepwiseTransport } from './transport.js';

export async function runStepwise(transport: StepwiseTransport, bundle: LoadedBundle, entry: string, opts: JobOptions): Promise<JobResult> {
  const t0 = performance.now();
  const info = bundle.manifest.entries.find((e) => e.name === entry)!;
  const job = randomBytes(8).toString('hex');
  const migrateEvery = opts.migrateEvery ?? 0;

  const hasBundle = new Set<string>();
  const heldBy = new Map<string, Checkpoint>();
  const placements: Placement[] = [];
  let current: Checkpoint | undefined;
  let fragment = info.fragments[0];
  let paused = false;
  let lastHub: string | undefined;
  const place = roundRobin();
  const needs = jobNeeds(bundle.manifest, opts.datasets);
  const data = newDataTotals();
  const chooser = opts.policy && livePlacement(opts.policy, bundle, needs, opts.onDecision);
  // Round-robin at every fragment boundary cost a move per boundary and bought nothing:
  // particles 500 x 3000 at `--granularity nested` moved 3,002 times (14-21 s against 0.5 s
  // at the default granularity; issue 19 saw an emulator hop 15,451 times).
  const stay = migrateEvery === 0 && !chooser;
  const stats = { fragments: 0, checkpoints: 0, migrations: 0, bytesMoved: 0, execMs: 0, yields: 0, retries: 0, maxYieldGapMs: 0 };
  /** Hubs that failed this job: not used again by it. */
  const avoid = new Set<string>();
  const pauseToResumeMs: number[] = [];
  let pausedAt: number | undefined;
  const forget = (hub: string) => { avoid.add(hub); heldBy.delete(hub); hasBundle.delete(hub); };
  const emit = eventEmitter(opts.onEvent, () => job);
  const status = statusReporter(transport, job, info.fragments, stats, opts.onStatus);
  emit({
    kind: 'job-start', entry, fragments: info.fragments.length, mesh: 'embedded', hubs: transport.hubs().map((h) => h.id), migrateEvery,
    args: describeArgs(info, opts.args),
  });

  try {
    for (let attempt = 0; ; ) {
      // Round-robin: each new fragment run, and each resume after a pause, goes to the next hub.
      // The embedded mesh's hubs are threads of this process: nothing to wait for. Its
      // deadline is looked at between steps (a long fragment without --migrate-every runs out).
      if (opts.timeoutMs !== undefined && performance.now() - t0 > opts.timeoutMs) throw new JobError(`the job's --timeout (${(opts.timeoutMs / 1000).toFixed(1)} s) passed while it ran`, { code: 'timeout' });
      if (opts.signal?.aborted) throw new JobError('the job was cancelled; its result will not be delivered', { code: 'cancelled' });
      const up = transport.hubs().filter((h) => !avoid.has(h.id));
      if (!up.length) {
        throw new JobError(`no hubs are available to run the job${avoid.size ? ` (failed: ${[...avoid].join(', ')})` : ''}`, { code: 'no-hubs' });
      }
      const capable = rankHubs(up, { ...needs, prefers: [], datasets: [] });
      if (!capable.length) throw new JobError(describeMisfit(up, needs), { code: 'no-capable-hub' });
      const hub = chooser
        ? chooser.choose(fragment, lastHub, current?.memory.byteLength ?? 0, capable)
        : place(capable.map((h) => h.id));
      const req: ExecRequest = { kind: 'exec', v: PROTOCOL_VERSION, job, bundle: bundle.hash, entry, fragment, migrateEvery, seed: opts.seed, input: opts.input, ...(stay ? { stay } : {}) };
      if (current) {
        const base = heldBy.get(hub);
        req.checkpoint = encodeCheckpoint(base ? diffCheckpoint(base, current) : current);
        stats.bytesMoved += req.checkpoint.byteLength;
      } else {
        req.args = opts.args;
      }
      if (!hasBundle.has(hub)) {
        req.bundleBytes = bundle.bytes;
        stats.bytesMoved += bundle.bytes.byteLength;
      }
      const started = performance.now();
      const sentAt = epochMs();
      const bytesIn = req.checkpoint?.byteLength ?? 0;
      emit({ kind: 'fragment-start', hub, fragment, attempt, bytes: bytesIn, resumed: paused }, sentAt);
      status.running(hub, fragment);
      let reply: RanReply;
      // One step may be the whole job: a timeout or a cancel pauses it where it is.
      const interrupt = stay ? interruptOn(transport, hub, opts, t0) : undefined;
      try {
        reply = await send(transport, hub, req);
      } catch (err) {
        interrupt?.();
        status.stopped();
        // The engine still holds the state it sent, so the fragment restarts from it
        // elsewhere: at once when nobody listens, after a backoff when the hub went quiet.
        const retry = retryDelay(err, attempt);
        if (retry === undefined) throw err;
        forget(hub);
        stats.retries++;
        opts.onRetry?.({ hub, fragment, error: err as Error });
        emit({ kind: 'retry', hub, fragment, code: errorCode(err), message: (err as Error).message, delayMs: retry });
        if (retry > 0) await sleep(retry);
        attempt++;
        continue;
      }
      interrupt?.();
      status.stopped();
      const retried = attempt > 0;
      attempt = 0;
      const resumeMs = paused && pausedAt !== undefined && reply.resumedAt !== undefined ? reply.resumedAt - pausedAt : undefined;
      if (lastHub !== undefined && hub !== lastHub) {
        stats.migrations++;
        // Only now is the move sure and its pause-to-resume known. It happened at the pause
        // (the hubs' clocks are this process's), or when the state was sent.
        emit({
          kind: 'migration', from: lastHub, to: hub, bytes: bytesIn, pauseToResumeMs: resumeMs === undefined ? undefined : round3(resumeMs),
          reason: retried ? 'retry' : paused ? 'migrate-every' : 'placement',
        }, resumeMs === undefined ? sentAt : pausedAt);
      }
      hasBundle.add(hub);
      if (reply.checkpoint) {
        const after = decodeCheckpoint(reply.checkpoint);
        stats.bytesMoved += reply.checkpoint.byteLength;
        const sent = current;
        current = after.kind === 'diff' ? applyDiff(sent!, after) : after;
        heldBy.set(hub, current);
        stats.checkpoints++;
        emit({ kind: 'checkpoint', hub, bytes: reply.checkpoint.byteLength, stored: false, yields: reply.yields });
      }
      stats.execMs += reply.execMs;
      stats.maxYieldGapMs = Math.max(stats.maxYieldGapMs, reply.maxYieldGapMs ?? 0);
      stats.yields = reply.yields;
      addData(data, reply.data);
      if (resumeMs !== undefined) pauseToResumeMs.push(resumeMs);
      pausedAt = reply.pausedAt;
      if (stay) stats.fragments += reply.fragments ?? 0;
      else if (!paused) stats.fragments++;
      // The step's own last word, its counts all in: a tick may never have sampled it (a
      // short step on a loaded machine, or one spent compiling), and a log's last line is
      // read as the job's count.
      status.settled(hub, fragment);
      const placement = { fragment, hub, ms: performance.now() - started, bytesIn, bytesOut: reply.checkpoint?.byteLength ?? 0 };
      chooser?.done(placement.ms);
      placements.push(placement);
      opts.onPlacement?.(placement);
      // The hub's run began at resumedAt (its clock is this process's): before it, the
      // bundle was compiled, the instance made, the state restored.
      const startupMs = reply.resumedAt === undefined ? undefined : round3(Math.min(placement.ms, Math.max(0, reply.resumedAt - sentAt)));
      emit({
        kind: 'fragment-end', hub, fragment, next: reply.fragment, outcome: reply.outcome, ms: round3(placement.ms), execMs: round3(reply.execMs),
        ...(startupMs === undefined ? {} : { startupMs }), yields: reply.yields, fragments: reply.fragments ?? 0,
      });
      lastHub = hub;
      if (reply.outcome === 'done') {
        const bytes = reply.result ?? new Uint8Array(0);
        return {
          job, entry, ...resultOf(info, bytes),
          ...stats, wallMs: performance.now() - t0, placements, pauseToResumeMs, restoredFromStore: 0, output: reply.output ?? new Uint8Array(0), data,
        };
      }
      paused = reply.outcome === 'paused';
      fragment = reply.fragment;
    }
  } finally {
    status.stopped();
    // Not awaited: the result is final, and hubs also evict old jobs on their own.
    void Promise.allSettled([...hasBundle].map((h) => transport.request(h, { kind: 'drop-job', v: PROTOCOL_VERSION, job })));
  }
}

/**
 * Until the returned function is called: when the job's timeout passes or its signal
 * aborts, pause the run on `hub` (StepwiseTransport.preempt); the caller finds out why at
 * the top of its loop. The returned function also lets the hub run on again.
 */
function interruptOn(transport: StepwiseTransport, hub: string, opts: JobOptions, t0: number): () => void {
  let fired = false;
  const fire = () => { fired = true; transport.preempt?.(hub); };
  const timer = opts.timeoutMs === undefined ? undefined : setTimeout(fire, Math.max(0, t0 + opts.timeoutMs - performance.now()));
  opts.signal?.addEventListener('abort', fire, { once: true });
  return () => {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', fire);
    if (fired) transport.resume?.(hub);
  };
}

/** One step on `hub`: its `ran` reply; a trap as FragmentTrap, any other error reply as HubError. */
async function send(transport: StepwiseTransport, hub: string, req: ExecRequest): Promise<RanReply> {
  const reply = await transport.request(hub, req);
  if (reply.kind === 'need-bundle') throw new HubError('need-bundle', `hub ${hub} asked for the bundle twice`, hub);
  if (reply.kind === 'error') {
    if (isProgramTrap(reply.code)) throw FragmentTrap.fromWire({ message: reply.message, fragment: reply.fragment ?? req.fragment, entry: reply.entry ?? req.entry });
    throw HubError.fromWire(reply, hub);
  }
  if (reply.kind !== 'ran') throw new HubError('bad-reply', `hub ${hub} sent '${reply.kind}' to an exec request`, hub);
  return reply;
}

/** How often a status line is refreshed while one step runs: often enough that a person sees the yields climb. */
export const STATUS_EVERY_MS = 250;

/**
 * The job's status for `onStatus` while a step runs on a hub, every STATUS_EVERY_MS, with
 * the yield count the hub samples as it goes (the reply says it only at the end); nothing
 * without a listener.
 */
export function statusReporter(
  transport: StepwiseTransport, job: string, entryFragments: readonly number[],
  stats: { fragments: number; checkpoints: number; migrations: number; retries: number; yields: number }, onStatus: JobOptions['onStatus'],
) {
  let timer: NodeJS.Timeout | undefined;
  // The count never goes back: between a step's end on the hub (its sample reads 0 again)
  // and its reply reaching `stats`, a tick would otherwise report 0 yields, and a log's
  // last line said so (seen on a loaded machine).
  let yields = 0;
  const report = (hub: string, fragment: number) => {
    yields = Math.max(yields, stats.yields, transport.yieldsNow?.(hub) ?? 0);
    onStatus!({
      job, hub, fragment: Math.max(0, entryFragments.indexOf(fragment)), fragments: entryFragments.length, fragmentsRun: stats.fragments,
      checkpoints: stats.checkpoints, migrations: stats.migrations, retries: stats.retries, yields,
    });
  };
  return {
    running(hub: string, fragment: number): void {
      if (!onStatus) return;
      clearInterval(timer);
      report(hub, fragment);
      timer = setInterval(() => report(hub, fragment), STATUS_EVERY_MS);
    },
    stopped(): void {
      clearInterval(timer);
      timer = undefined;
    },
    /** Once, after a step's reply is in `stats`: the count it ended on, with no tick after it. */
    settled(hub: string, fragment: number): void {
      if (onStatus) report(hub, fragment);
    },
  };
}
