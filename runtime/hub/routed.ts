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
 * as a new attempt (the job id sent to hubs carries the attempt, so stale state is never
 * mixed in).
 *   const r = await runRouted(mesh, bundle, 'main', { args: [10], migrateEvery: 50 });
 */
import { randomBytes } from 'node:crypto';
import { decodeCheckpoint } from '../snapshot/index.js';
import { FragmentTrap, decodeValue, type LoadedBundle } from '../exec/index.js';
import { PROTOCOL_VERSION, type ExecRequest, type ProgressEvent } from './protocol.js';
import type { Transport } from './transport.js';
import { HubError, JobError } from './errors.js';
import { addData, newDataTotals, retryDelay, sleep, type JobOptions, type JobResult, type Placement } from './engine.js';
import { describeMisfit, jobNeeds, rankHubs } from '../policy/index.js';
import { livePlacement } from './placement.js';

/** Jobs start on successive hubs, so concurrent jobs spread over the mesh. */
let nextStart = 0;

export async function runRouted(transport: Transport, bundle: LoadedBundle, entry: string, opts: JobOptions): Promise<JobResult> {
  const t0 = performance.now();
  const info = bundle.manifest.entries.find((e) => e.name === entry)!;
  const job = randomBytes(8).toString('hex');
  const migrateEvery = opts.migrateEvery ?? 0;
  const stats = { fragments: 0, checkpoints: 0, migrations: 0, bytesMoved: 0, execMs: 0, yields: 0, retries: 0 };
  const placements: Placement[] = [];
  const pauseToResumeMs: number[] = [];
  const avoid = new Set<string>();
  /** Hubs that handed the job over and so may still hold its base checkpoint. */
  const touched = new Set<string>();
  /** The last full state the engine holds, encoded (as a hub sent it back). */
  let state: Uint8Array | undefined;
  let fragment = info.fragments[0];
  let bundleSent = false;
  let failures = 0;
  const keys: string[] = [];
  let restoredFromStore = 0;
  const needs = jobNeeds(bundle.manifest, opts.datasets);
  const data = newDataTotals();
  const chooser = opts.policy && livePlacement(opts.policy, bundle, needs, opts.onDecision);

  try {
    for (let attempt = 0; ; attempt++) {
      const up = transport.hubs().filter((h) => !avoid.has(h.id));
      if (!up.length) throw new JobError(`no hubs are available to run the job${avoid.size ? ` (failed: ${[...avoid].join(', ')})` : ''}`);
      // Rotate, then rank: the best-fitting hubs lead the route, and jobs spread among equals.
      const start = nextStart++ % up.length;
      const ranked = rankHubs([...up.slice(start), ...up.slice(0, start)], needs);
      if (!ranked.length) throw new JobError(describeMisfit(up, needs), { code: 'no-capable-hub' });
      // With a policy, it picks the hub the job starts on; the route goes on in rank order.
      const first = chooser ? chooser.choose(fragment, undefined, state?.byteLength ?? 0, ranked) : ranked[0].id;
      const route = [first, ...ranked.map((h) => h.id).filter((h) => h !== first)];
      const attemptStarted = performance.now();
      const key = `${job}.${attempt}`;
      keys.push(key);
      const req: ExecRequest = {
        kind: 'exec', v: PROTOCOL_VERSION, job: key, bundle: bundle.hash, entry, fragment, migrateEvery, seed: opts.seed,
        stay: true, full: true, route, hop: 0, input: opts.input, storeEvery: opts.storeEvery || undefined,
      };
      if (state) req.checkpoint = state;
      else req.args = opts.args;
      if (!bundleSent) req.bundleBytes = bundle.bytes;
      bundleSent = true;

      let holder = route[0];
      let bytesIn = req.checkpoint?.byteLength ?? 0;
      stats.bytesMoved += bytesIn;
      const onProgress = (e: ProgressEvent) => {
        if (e.job !== key) return;
        touched.add(e.hub);
        placements.push({ fragment: e.fragment, hub: e.hub, ms: e.execMs, bytesIn, bytesOut: e.bytes });
        opts.onPlacement?.(placements[placements.length - 1]);
        bytesIn = e.bytes;
        holder = e.to;
        stats.checkpoints++;
        stats.migrations++;
        stats.bytesMoved += e.bytes;
        stats.fragments += e.fragments;
        stats.execMs += e.execMs;
        pauseToResumeMs.push(e.resumedAt - e.pausedAt);
      };
      let reply;
      try {
        reply = await transport.submit!(route[0], req, onProgress);
        if (reply.kind === 'error') {
          if (reply.code === 'trap') throw FragmentTrap.fromWire({ message: reply.message, fragment: reply.fragment ?? fragment, entry: reply.entry ?? entry });
          throw HubError.fromWire(reply, holder);
        }
        if (reply.kind !== 'ran') throw new HubError('bad-reply', `hub ${holder} sent '${reply.kind}' to an exec request`, holder);
      } catch (err) {
        const retry = retryDelay(err, failures++);
        if (retry === undefined) throw err;
        avoid.add(holder);
        touched.add(holder);
        stats.retries++;
        opts.onRetry?.({ hub: holder, fragment, error: err as Error });
        if (retry > 0) await sleep(retry);
        // The newest checkpoint the lost attempt's hubs stored: any is later than the state
        // the attempt started from.
        const stored = opts.storeEvery ? await transport.stored?.(key) : undefined;
        if (stored) {
          const cp = decodeCheckpoint(stored);
          if (cp.kind === 'full' && cp.bundle === bundle.hash) {
            state = stored;
            fragment = cp.fragment;
            restoredFromStore++;
          }
        }
        continue;
      }
      failures = 0;
      const last = { fragment, hub: holder, ms: reply.execMs, bytesIn, bytesOut: reply.checkpoint?.byteLength ?? 0 };
      placements.push(last);
      opts.onPlacement?.(last);
      stats.fragments += reply.fragments ?? 0;
      stats.execMs += reply.execMs;
      stats.yields = reply.yields;
      addData(data, reply.data);
      if (reply.outcome === 'done') chooser?.done(performance.now() - attemptStarted);
      // A retry after this goes to the job's data first.
      for (const n of data.names) if (!needs.datasets.includes(n)) needs.datasets.push(n);
      if (reply.outcome === 'done') {
        const bytes = reply.result ?? new Uint8Array(0);
        return {
          job, entry, type: info.result, value: decodeValue(info.result, bytes), resultBytes: bytes,
          ...stats, wallMs: performance.now() - t0, placements, pauseToResumeMs, restoredFromStore, output: reply.output ?? new Uint8Array(0), data,
        };
      }
      // A hub sent the state back (a hand-over failed, or nowhere to go): carry on from it.
      // Decoded only to check it (a diff would be useless here); sent on as it came.
      const cp = decodeCheckpoint(reply.checkpoint!);
      if (cp.kind !== 'full') throw new HubError('bad-reply', `hub ${holder} sent back a diff the engine has no base for`, holder);
      stats.checkpoints++;
      stats.migrations++;
      stats.bytesMoved += reply.checkpoint!.byteLength;
      touched.add(holder);
      state = reply.checkpoint;
      fragment = reply.fragment;
    }
  } finally {
    // Not awaited: the result is final; hubs also evict old jobs on their own.
    void Promise.allSettled([...touched].flatMap((h) => keys.map((k) => transport.request(h, { kind: 'drop-job', v: PROTOCOL_VERSION, job: k }))));
    if (opts.storeEvery) await Promise.allSettled(keys.map((k) => transport.forgetStored?.(k)));
  }
}
