/**
 * The measured history hubs share (issue 16): every `everyMs`, when it learned something,
 * a hub (`hub start --reweave learned`) puts its own cells of the learned weaver's
 * history (PaceHistory.snapshot(itself)) under its own key of the JetStream KV bucket
 * `weave-history`, and between those, every `deltaEveryMs`, the cells that changed since
 * its last put under `<its key>.d`; it merges every other key it watches. A delta is a
 * few cells where the whole is hundreds, so news travels four times as often for a
 * fraction of the bytes (in the policy simulator, measurements shared every 0.5 s rather
 * than 2 s took the noisy-neighbours family's mean oracle gap over eight draws from
 * 6.45% to 5.95%). A watcher that starts late gets the last whole value and the last
 * delta, and the next whole one fills in what the deltas between them said. No two hubs
 * write one key, and a merge keeps each (measurement, writer) cell's newest, in any
 * order, so what concurrent hubs learned all counts. A peer's value (whole or delta) is
 * taken only as the own cells of the hub its key names, bounded (pace-history.ts
 * writerCells): a peer with a valid credential speaks for its own measurements and
 * cannot drown the others'. Without JetStream the hub learns from its own runs only, and
 * says so once. An engine placing with the learned weaver (`weave run --policy weaver`)
 * only reads (`writer` undefined): it measures nothing itself.
 *   const shared = new SharedHistory({ writer: 'a', model: weaver.model, open: () => historyBucket(nc), everyMs: 2000, deltaEveryMs: 500, log });
 *   await shared.start();   ...   shared.stop();
 */
import { HistoryError, LearnedWeaver, writerCells, type PaceModel } from '../policy/index.js';
import { keyedBucket, type KeyedBucket, type NatsConnection } from '../net/index.js';

export const HISTORY_BUCKET = 'weave-history';
/** A hub's value at most, and how long one lasts without a rewrite. */
export const HISTORY_LIMITS = { maxValueBytes: 1 << 20, ttlMs: 10 * 60_000 } as const;
/** What one peer's value may hold (writerCells). */
const PEER_LIMITS = { maxKeys: 4096, maxWeight: 10_000, skewMs: 10_000 } as const;
/** The longest `loaded` waits for the stored values. */
const LOAD_PATIENCE_MS = 2000;
/** How often the history drops cells that decayed to nothing. */
const PRUNE_EVERY_MS = 60_000;

/** The shared history's bucket on `nc`'s server (JetStream). */
export function historyBucket(nc: NatsConnection): Promise<KeyedBucket> {
  return keyedBucket(nc, HISTORY_BUCKET, HISTORY_LIMITS);
}

/**
 * The learned weaver an engine places with (`weave run --policy weaver`): a reader of what
 * hubs share, returned once what the bucket holds has arrived (at most LOAD_PATIENCE_MS).
 * Its watch ends with `nc`.
 */
export async function sharedWeaver(nc: NatsConnection, log: SharedHistoryDeps['log'], seed?: number): Promise<{ weaver: LearnedWeaver; shared: SharedHistory }> {
  const weaver = new LearnedWeaver(seed === undefined ? {} : { seed });
  const shared = new SharedHistory({ model: weaver.model, open: () => historyBucket(nc), everyMs: SHARE_EVERY_MS, log });
  await shared.start();
  await shared.loaded;
  return { weaver, shared };
}

/** How often hubs share the whole of what they measured (as often as they advertise). */
export const SHARE_EVERY_MS = 2000;
/** How often they share what changed since (SharedHistoryDeps.deltaEveryMs). */
export const DELTA_EVERY_MS = 500;
/** A hub's delta goes under its key and this (hub ids are one subject token: no clash). */
const DELTA_SUFFIX = '.d';

export interface SharedHistoryDeps {
  /** The hub whose cells this one shares; undefined: only read (an engine). */
  writer?: string;
  model: PaceModel;
  open: () => Promise<KeyedBucket>;
  /** Put the whole of this hub's cells this often. */
  everyMs: number;
  /** And what changed since the last put this often (no deltas when absent). */
  deltaEveryMs?: number;
  log: { debug(msg: string, fields: Record<string, unknown>): void; warn(msg: string, fields: Record<string, unknown>): void };
}

export class SharedHistory {
  private bucket: KeyedBucket | undefined;
  private watch: { stop(): void } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private putAt = -1;
  private wholeAt = 0;
  private prunedAt = Date.now();
  /** Peers' values merged, and refused (not a snapshot). */
  readonly counts = { merged: 0, refused: 0 };
  /**
   * Settles once what the bucket held at start has been merged (at most LOAD_PATIENCE_MS
   * after start; at once when there is no bucket): an engine places after it.
   */
  readonly loaded: Promise<void>;
  private markLoaded!: () => void;

  constructor(private readonly d: SharedHistoryDeps) {
    this.loaded = new Promise((r) => { this.markLoaded = r; });
  }

  async start(): Promise<void> {
    setTimeout(this.markLoaded, LOAD_PATIENCE_MS).unref();
    try {
      this.bucket = await this.d.open();
      this.watch = await this.bucket.watch((key, bytes) => this.heard(key, bytes), this.markLoaded);
    } catch (e) {
      this.markLoaded();
      this.d.log.warn(this.d.writer === undefined ? 'no shared history: placing without measurements' : 'no shared history: this hub learns from its own runs only', { error: (e as Error).message });
      return;
    }
    this.timer = setInterval(() => void this.share(), this.d.deltaEveryMs ?? this.d.everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.watch?.stop();
  }

  /** A peer's value (exported for tests: what an attacker's put reaches). */
  heard(key: string, bytes: Uint8Array): void {
    const writer = key.endsWith(DELTA_SUFFIX) ? key.slice(0, -DELTA_SUFFIX.length) : key;
    if (writer === this.d.writer) return;
    try {
      const cells = writerCells(JSON.parse(new TextDecoder().decode(bytes)), writer, { ...PEER_LIMITS, latest: Date.now() + PEER_LIMITS.skewMs });
      this.d.model.merge(cells);
      this.counts.merged++;
    } catch (e) {
      this.counts.refused++;
      if (!(e instanceof HistoryError || e instanceof SyntaxError)) throw e;
      this.d.log.debug('a shared history value that is not one; ignored', { from: key, error: (e as Error).message });
    }
  }

  /** Put what this hub learned since the last put, now (an idle probe's news goes at once). */
  shareNow(): Promise<void> {
    return this.share();
  }

  /** The whole of this hub's cells every `everyMs`, and between, what changed since the last put. */
  private async share(): Promise<void> {
    const { model, writer, log } = this.d;
    const now = Date.now();
    if (now - this.prunedAt > PRUNE_EVERY_MS) { model.history.prune(now); this.prunedAt = now; }
    if (!this.bucket || writer === undefined || this.putAt === model.history.generation) return;
    const whole = this.d.deltaEveryMs === undefined || now - this.wholeAt >= this.d.everyMs;
    const snap = model.history.snapshot(writer, whole ? -1 : this.putAt);
    this.putAt = model.history.generation;
    if (whole) this.wholeAt = now;
    else if (Object.keys(snap.cells).length === 0) return; // others' cells changed, not its own
    const bytes = new TextEncoder().encode(JSON.stringify(snap));
    try {
      await this.bucket.put(whole ? writer : writer + DELTA_SUFFIX, bytes);
    } catch (e) {
      log.warn('cannot share measured history', { bytes: bytes.byteLength, error: (e as Error).message });
    }
  }
}
