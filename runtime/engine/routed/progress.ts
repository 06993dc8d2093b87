/**
 * What a routed job has done so far, as the engine learns it: the totals its result
 * reports, the placements, and the events and status lines it emits. `AttemptProgress`
 * follows one attempt hub to hub from the progress events its hubs publish.
 *   const p = new JobProgress(job, opts, emit, info.fragments, startYields);
 *   const a = p.attempt(key, attempt, route[0], fragment, bytesIn, leftFirst);
 *   transport.submit(route[0], req, a.onProgress);
 */
import type { ProgressEvent, RanReply } from '../../protocol/index.js';
import { round3, type Emit, type MigrationReason } from '../../trace/index.js';
import { addData, newDataTotals, type JobOptions, type Placement } from '../job.js';

export class JobProgress {
  readonly stats = { fragments: 0, checkpoints: 0, migrations: 0, bytesMoved: 0, execMs: 0, yields: 0, retries: 0, reweaves: 0, maxYieldGapMs: 0 };
  readonly placements: Placement[] = [];
  readonly pauseToResumeMs: number[] = [];
  readonly data = newDataTotals();
  /** Hubs that handed the job over (or failed it) and so may still hold its base checkpoint. */
  readonly touched = new Set<string>();
  /** Yield count of the state a resumed job started from (stored before this engine took it). */
  storedAtStart: number;
  /** The newest checkpoint hubs reported stored: its attempt, the hub that stored it, its yield count. */
  newestStored: { key: string; attempt: number; hub: string; yields: number } | undefined;
  /** Yield count of the newest state hubs reported leaving them (stored or handed over). */
  lastKnownYields = 0;
  /** The newest hand-over reported: the hub it left (which stores it, for a durable job) and its yield count. */
  newestHandedOver: { key: string; hub: string; yields: number } | undefined;

  /** @param entryFragments the entry's fragment ids, in order (a status line counts them from 1). */
  constructor(readonly job: string, readonly opts: JobOptions, readonly emit: Emit, private readonly entryFragments: readonly number[], startYields: number) {
    this.storedAtStart = startYields;
  }

  /** Yield count of the newest checkpoint known stored. */
  get lastStoredYields(): number {
    return Math.max(this.storedAtStart, this.newestStored?.yields ?? 0);
  }

  /** Follow attempt `attempt` (exec job key `key`), sent to `holder` in `fragment` with `bytesIn` of state. */
  attempt(key: string, attempt: number, holder: string, fragment: number, bytesIn: number, leftFirst?: () => void): AttemptProgress {
    return new AttemptProgress(this, key, attempt, holder, fragment, bytesIn, leftFirst);
  }

  placed(p: Placement): void {
    this.placements.push(p);
    this.opts.onPlacement?.(p);
  }

  status(hub: string, fragment: number): void {
    const s = this.stats;
    this.opts.onStatus?.({
      job: this.job, hub, fragment: Math.max(0, this.entryFragments.indexOf(fragment)), fragments: this.entryFragments.length, fragmentsRun: s.fragments, checkpoints: s.checkpoints,
      migrations: s.migrations, retries: s.retries, yields: Math.max(s.yields, this.lastStoredYields),
    });
  }

  /** The job waits for a hub: the status line says why. */
  waiting(why: string): void {
    const s = this.stats;
    this.opts.onStatus?.({
      job: this.job, hub: '', fragment: 0, fragments: this.entryFragments.length, fragmentsRun: s.fragments, checkpoints: s.checkpoints,
      migrations: s.migrations, retries: s.retries, yields: Math.max(s.yields, this.lastStoredYields), waiting: why,
    });
  }

  /** The attempt's last hub answered `reply` (verified): count the run. */
  ran(a: AttemptProgress, reply: RanReply, fragment: number): void {
    // When the run ended by the hub's clock, as hand-overs are stamped.
    const ended = endOf(reply);
    this.emit({
      kind: 'fragment-end', hub: reply.hub ?? a.holder, fragment: a.at, next: reply.fragment, outcome: reply.outcome, ms: round3(reply.execMs), execMs: round3(reply.execMs),
      yields: reply.yields, fragments: reply.fragments ?? 0,
    }, ended);
    this.placed({ fragment, hub: a.holder, ms: reply.execMs, bytesIn: a.bytesIn, bytesOut: reply.checkpoint?.byteLength ?? 0 });
    this.stats.fragments += reply.fragments ?? 0;
    this.stats.execMs += reply.execMs;
    this.stats.maxYieldGapMs = Math.max(this.stats.maxYieldGapMs, reply.maxYieldGapMs ?? 0);
    this.stats.yields = reply.yields;
    addData(this.data, reply.data);
  }

  /** A hub sent the state back (a hand-over failed, or nowhere to go): it moves on from there. */
  returned(a: AttemptProgress, reply: RanReply, yields: number): void {
    this.stats.checkpoints++;
    this.stats.migrations++;
    this.stats.bytesMoved += reply.checkpoint!.byteLength;
    this.emit({ kind: 'checkpoint', hub: reply.hub ?? a.holder, bytes: reply.checkpoint!.byteLength, stored: false, yields }, endOf(reply));
    this.touched.add(a.holder);
  }
}

/** When a run ended, by its hub's clock. */
function endOf(reply: RanReply): number | undefined {
  return reply.pausedAt ?? (reply.resumedAt === undefined ? undefined : reply.resumedAt + reply.execMs);
}

/** One attempt as its hubs report it: who holds it now, in which fragment. */
export class AttemptProgress {
  /** The re-weaving move asked for, if any (its hand-over is reported as `reweave`). */
  moving: { from: string; to: string; at: number } | undefined;
  /** Every hub the engine has heard hold the attempt (started, handed to, or storing it): where its stored checkpoints are. */
  readonly holders = new Set<string>();
  private readonly first: string;

  constructor(
    private readonly job: JobProgress, readonly key: string, readonly attempt: number,
    /** The hub running it now, and the fragment it is in (display only). */
    public holder: string, public at: number,
    /** State bytes the holder got. */
    public bytesIn: number,
    /** Ends the first hub's share of the engine's own load count. */
    private readonly leftFirst?: () => void,
  ) {
    this.first = holder;
    this.holders.add(holder);
  }

  status(): void {
    this.job.status(this.holder, this.at);
  }

  /** A progress event of this attempt: a stored checkpoint, or a hand-over. */
  readonly onProgress = (e: ProgressEvent): void => {
    if (e.job !== this.key) return;
    this.holders.add(e.hub);
    if (e.to) this.holders.add(e.to);
    const { stats, emit, opts } = this.job;
    this.job.lastKnownYields = Math.max(this.job.lastKnownYields, e.yields);
    if (!e.stored && e.yields > (this.job.newestHandedOver?.yields ?? -1)) this.job.newestHandedOver = { key: this.key, hub: e.hub, yields: e.yields };
    if (e.stored) {
      // A periodic checkpoint is safe in the store: progress, not a move.
      if (!this.job.newestStored || e.yields > this.job.newestStored.yields) this.job.newestStored = { key: this.key, attempt: this.attempt, hub: e.hub, yields: e.yields };
      stats.checkpoints++;
      emit({ kind: 'checkpoint', hub: e.hub, bytes: e.bytes, stored: true, yields: e.yields });
      this.status();
      return;
    }
    // The run that paused on e.hub, the state in flight, and the run resumed on e.to,
    // stamped with the hubs' own times: a progress message may come in late, after the
    // next hand-over's.
    const pausedAt = e.pausedAt > 0 ? e.pausedAt : undefined;
    emit({ kind: 'fragment-end', hub: e.hub, fragment: this.at, next: e.fragment, outcome: 'paused', ms: round3(e.execMs), execMs: round3(e.execMs), yields: e.yields, fragments: e.fragments }, pausedAt);
    emit({ kind: 'checkpoint', hub: e.hub, bytes: e.bytes, stored: false, yields: e.yields }, pausedAt);
    const migrateEvery = opts.migrateEvery ?? 0;
    const reason: MigrationReason = e.reweave || (this.moving && this.moving.from === e.hub && this.moving.to === e.to) ? 'reweave'
      : migrateEvery > 0 && e.yields % migrateEvery === 0 ? 'migrate-every' : 'handover';
    if (e.reweave) stats.reweaves++;
    emit({ kind: 'migration', from: e.hub, to: e.to, bytes: e.bytes, pauseToResumeMs: pausedAt && round3(e.resumedAt - pausedAt), reason }, pausedAt);
    emit({ kind: 'fragment-start', hub: e.to, fragment: e.fragment, attempt: this.attempt, bytes: e.bytes, resumed: true }, e.resumedAt > 0 ? e.resumedAt : undefined);
    this.job.touched.add(e.hub);
    if (e.hub === this.first) this.leftFirst?.();
    this.job.placed({ fragment: e.fragment, hub: e.hub, ms: e.execMs, bytesIn: this.bytesIn, bytesOut: e.bytes });
    this.bytesIn = e.bytes;
    this.holder = e.to;
    stats.checkpoints++;
    stats.migrations++;
    stats.bytesMoved += e.bytes;
    stats.fragments += e.fragments;
    // The count a status line shows: a hand-over is the only word of the job between a
    // start and a result when no checkpoints are stored.
    stats.yields = Math.max(stats.yields, e.yields);
    stats.execMs += e.execMs;
    stats.maxYieldGapMs = Math.max(stats.maxYieldGapMs, e.maxYieldGapMs ?? 0);
    this.at = e.fragment;
    this.job.pauseToResumeMs.push(e.resumedAt - e.pausedAt);
    this.status();
  };
}
