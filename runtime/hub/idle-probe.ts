/**
 * An idle hub times itself. A hub learns how it is doing now from its runs' paces; with
 * nothing running it learns nothing, and a co-tenant that came while it was idle (what
 * its load average and adverts do not show: issue 16's noisy neighbours) goes unseen
 * until a job is placed there and measured, slowly. So every `everyMs`, when no slot has
 * work, one slot times the calibration kernel the hub's advertised speed came from
 * (capabilities.ts) for PROBE_MS, and the learner records it as a pace sample of the
 * calibration template: by definition that template runs at the advertised pace on a
 * quiet hub, so the sample is the hub's own term, B(h), measured (pace-model.ts). The
 * simulator's learned hubs do the same (SimOptions.probeMs), and that is where its
 * figures for the learned weaver come from; as there, the probe goes to the others at
 * once (`recorded`: the shared history's put), not with the next periodic put.
 *   const stop = startIdleProbe({ calibrate, learner, self, everyMs: 2000, recorded, log });
 */
import { CALIBRATION, type HubView, type PaceLearner, type PartView } from '../policy/index.js';
import type { Logger } from './log.js';
import type { TimedCalibration } from './capabilities.js';

/** How long each probe runs (the simulator's probeMs): 1% of a core at one probe per 2 s. */
export const PROBE_MS = 20;
/** A probe counts this many seconds of measurement (the simulator's weight). */
const PROBE_WEIGHT = 0.5;

const CALIBRATION_PART: PartView = { template: CALIBRATION, estimate: 1, calls: { simd: false, gpu: false } };

export interface IdleProbeDeps {
  /** Time the calibration kernel for about `ms` on an idle slot; undefined when a slot has work (no probe then). */
  calibrate: (ms: number) => Promise<TimedCalibration | undefined>;
  learner: PaceLearner;
  /** This hub as its advert shows it now. */
  self: () => HubView;
  everyMs: number;
  /** A probe was recorded: share it now (the simulator's probes reach the others with the advert they are taken at). */
  recorded?: () => void;
  log: Logger;
}

/** Probe every `everyMs` while idle; returns what stops it. */
export function startIdleProbe(d: IdleProbeDeps): () => void {
  let busy = false;
  let failed = false;
  let stopped = false;
  const timer = setInterval(() => {
    // A probe not back yet (a slow or starved hub): never two at once.
    if (busy) return;
    busy = true;
    d.calibrate(PROBE_MS).then((c) => {
      if (!c || !(c.units > 0) || !(c.ms > 0)) return;
      d.learner.observePace({ part: CALIBRATION_PART, hub: d.self(), units: c.units, ms: c.ms, t: Date.now(), weight: PROBE_WEIGHT });
      d.recorded?.();
    }, (e: Error) => {
      // One stopped by the hub's shutdown (its slots closed under it) is no news.
      if (!failed && !stopped) d.log.warn('an idle calibration probe failed; the hub goes on without', { error: e.message });
      failed = true;
    }).finally(() => { busy = false; });
  }, d.everyMs);
  timer.unref();
  return () => { stopped = true; clearInterval(timer); };
}
