/**
 * Placement policies: pure functions from (fragment, candidate hubs) to a choice, the same
 * in live hubs and in the cluster simulator. Baselines (stay, random, round-robin,
 * least-loaded, a hand-tuned cost model), a learned scorer (brain.js) and a holdback
 * wrapper that keeps comparing the learned one to a baseline and falls back when it loses.
 * Stay or move for running jobs (ReweavePolicy): the fixed rule, and the learned weaver,
 * which places and re-weaves from measured history that hubs share and merge.
 *   const p = withHoldback(new LearnedPolicy(), costModelPolicy());
 *   const d = p.choose(fragment, hubs);  ...  p.observe(fragment, hub, ms, d);
 *   const w = new LearnedWeaver();  w.reweave.consider(run, holder, hubs, now).to
 */

/** Cycles through the hubs in order, one choice per call. */
export function roundRobin(): (hubs: readonly string[]) => string {
  let i = 0;
  return (hubs) => hubs[i++ % hubs.length];
}

export { jobNeeds, rankHubs, fitScore, describeMisfit, type HubTraits, type JobNeeds } from './fit.js';
export type { FragmentView, HubView, Decision, PlacementPolicy } from './types.js';
export { features, FEATURE_COUNT } from './features.js';
export { DEFAULT_CHARGE_PER_LOAD, DEFAULT_CHARGE_PER_QUEUED, MS_PER_ESTIMATE_UNIT, clusterLoad, estimatedWorkMs, expectedWaitMs, loadScaledCharge, queueChargeMs, queueDepthCharge, remoteDataBytes, transferMs } from './estimates.js';
export { BASELINES, DEFAULT_COST_MODEL_QUEUE_CHARGE, costModelMs, costModelRunMs, costModelPolicy, type CostModelOptions, leastLoadedPolicy, randomPolicy, roundRobinPolicy, stayPolicy, type BaselineName } from './baselines.js';
export { DEFAULT_LEARNED_QUEUE_CHARGE, LearnedPolicy, type LearnedOptions, type LearnedState } from './learned.js';
export { withHoldback, type HoldbackOptions, type HoldbackPolicy } from './holdback.js';
export { formatDecision, parseDecisionLog, DecisionLogError, type DecisionRecord } from './log.js';
export { uniform } from '../util/index.js';
export { WorkHistory, workKeys } from './history.js';
export type { PartView, RunView, MoveOption, ReweaveDecision, ReweavePolicy, PaceSample, MoveSample, ReadSample, PaceLearner } from './types.js';
export { DEFAULT_MOVES_PER_MINUTE, fixedReweavePolicy, movesAllowed, paceOf, type FixedReweaveOptions } from './reweave.js';
export { KINDS, hubKind, kindIndex } from './hub-kind.js';
export { LIVE_ESTIMATE, LIVE_LINK, livePart } from './live-part.js';
export { PaceHistory, HistoryError, writerCells, type HistorySnapshot, type Stat } from './pace-history.js';
export { CALIBRATION, PACE_HALF_LIFE_MS, PaceModel, advertisedLogPace, guessLogAccel, paceHalfLife, type PaceTerms } from './pace-model.js';
export { LearnedWeaver, WEAVER_FEATURES, mergeWeaverStates, normalCdf, type WeaverOptions, type WeaverState } from './weaver.js';
export { SmallNet, type SmallNetOptions } from './small-net.js';
export { MeasurementLogError, formatMeasurement, parseMeasurementLog, trainWeaver, type Measurement } from './pace-log.js';
