/**
 * Hub-side re-weaving, put together: the policy (`learned`: the learned weaver, which
 * measures and shares; `fixed`: the fixed rule over adverts, the baseline behind the same
 * interface), the other hubs' views from their adverts, the stay-or-move loop (weaving.ts)
 * and the shared history (runtime/engine/shared-history.ts, which engines read too). `hub start --reweave learned|fixed`; off by
 * default, when engines re-weave with the fixed rule as before.
 *   const rw = hubReweaving('learned', { hub, slots, runs, self, routeOf, move, openHistory, log });
 *   nc.subscribe(ADVERT_SUBJECT, { callback: (_, m) => rw.heard(m.data) });
 *   await rw.start();   ...   rw.ran(run, reply);   ...   rw.stop();
 */
import { appendFileSync } from 'node:fs';
import { LearnedWeaver, fixedReweavePolicy, formatMeasurement, type HubView, type PaceLearner, type WeaverState } from '../policy/index.js';
import type { KeyedBucket } from '../net/index.js';
import { DELTA_EVERY_MS, SHARE_EVERY_MS, SharedHistory } from '../engine/index.js';
import type { Logger } from './log.js';
import { PeerViews } from './peers.js';
import type { Run } from './runs.js';
import type { SlotReply } from './slot/index.js';
import type { SlotProbe } from './slots.js';
import { Weaving } from './weaving.js';
import { startIdleProbe, type IdleProbeDeps } from './idle-probe.js';

/** The shared history's bucket, for the daemon that wires this. */
export { historyBucket } from '../engine/index.js';

export const REWEAVE_KINDS = ['off', 'fixed', 'learned'] as const;
export type ReweaveKind = (typeof REWEAVE_KINDS)[number];

export interface ReweavingDeps {
  hub: string;
  slots: { readonly size: number; probe(slot: number): SlotProbe };
  runOf: (slot: number, tag: number) => Run | undefined;
  self: () => HubView;
  routeOf: (run: Run) => readonly string[] | undefined;
  move: (run: Run, to: string) => void;
  openHistory: () => Promise<KeyedBucket>;
  log: Logger;
  /** The learned weaver starts from this state (`weave policy train --weaver`). */
  weaverState?: WeaverState;
  /** Every measurement is appended here as ndjson (`weave policy train --weaver` reads it). */
  measurementLog?: string;
  /**
   * Time the calibration kernel on an idle slot (undefined when a slot has work): the
   * learned weaver's hub probes itself while idle (idle-probe.ts). Absent: it does not.
   */
  calibrate?: IdleProbeDeps['calibrate'];
}

export interface HubReweaving {
  readonly weaving: Weaving;
  /** An advert from the bus (any bytes: noise is ignored). */
  heard(bytes: Uint8Array): void;
  /** A run's slot answered. */
  ran(run: Run, r: SlotReply): void;
  start(): Promise<void>;
  stop(): void;
}

export function hubReweaving(kind: Exclude<ReweaveKind, 'off'>, d: ReweavingDeps): HubReweaving {
  const peers = new PeerViews(d.hub);
  const learned = kind === 'learned' ? (d.weaverState ? LearnedWeaver.fromJSON(d.weaverState) : new LearnedWeaver({ seed: seedOf(d.hub) })) : undefined;
  const learner = learned && d.measurementLog ? logged(learned, d.measurementLog, d.log) : learned;
  const weaving = new Weaving({ ...d, peers, policy: learned ? learned.reweave : fixedReweavePolicy(), learner });
  const shared = learned && new SharedHistory({ writer: d.hub, model: learned.model, open: d.openHistory, everyMs: SHARE_EVERY_MS, deltaEveryMs: DELTA_EVERY_MS, log: d.log });
  let stopProbe: (() => void) | undefined;
  return {
    weaving,
    heard: (bytes) => peers.heard(bytes),
    ran: (run, r) => weaving.ran(run, r),
    async start() {
      weaving.start();
      // As often as the history is shared, and put at once: what an idle hub finds is news.
      if (learner && d.calibrate) {
        stopProbe ??= startIdleProbe({ calibrate: d.calibrate, learner, self: d.self, everyMs: SHARE_EVERY_MS, recorded: () => void shared?.shareNow(), log: d.log });
      }
      await shared?.start();
    },
    stop() {
      weaving.stop();
      stopProbe?.();
      stopProbe = undefined;
      shared?.stop();
    },
  };
}

/**
 * `learner`, with every pace sample appended to `file` first. A write that fails is
 * logged once; the hub goes on learning (a full disk must not stop its jobs).
 */
function logged(learner: LearnedWeaver, file: string, log: Logger): PaceLearner {
  let failed = false;
  return {
    observePace(s) {
      try {
        appendFileSync(file, formatMeasurement({ kind: 'pace', ...s }));
      } catch (e) {
        if (!failed) log.warn('cannot append to the measurement log', { file, error: (e as Error).message });
        failed = true;
      }
      learner.observePace(s);
    },
  };
}

/** Hubs explore differently: each one's own seed, from its name. */
function seedOf(hub: string): number {
  let h = 2166136261;
  for (let i = 0; i < hub.length; i++) h = Math.imul(h ^ hub.charCodeAt(i), 16777619);
  return h >>> 0;
}
