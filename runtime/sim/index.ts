/**
 * The cluster simulator: the same placement policies as live hubs, on a simulated
 * cluster of heterogeneous hubs with changing load and failures, running workloads made
 * of real fragment metadata from `weave build`.
 *   const cluster = makeCluster({ hubs: 64, seed: 1 });
 *   const r = simulate(costModelPolicy(), { cluster, programs, jobs: 2000, interarrivalMs: 50 });
 */
export { simulate } from './simulate.js';
export { ORACLE, MOVE_COST, type OracleExternality, type SimOptions, type SimResult } from './sim-types.js';
export { BUSY_MACHINE, windowFactors, type WindowNoise } from './window-noise.js';
export { FAMILIES, MEMORY_BOUND, acceleratorSpeedup, family, type Family, type FamilyKey } from './families.js';
export { finishAt, standardAcceleration, standardWorld, workBetween, type JobTraits, type World } from './world.js';
export { lowerBound } from './bound.js';
export { makeInstance, type Instance, type InstanceOptions, type JobSpec } from './instance.js';
export { exactSchedule, type ExactOptions, type ExactResult } from './exact.js';
export { makeCluster, rng, type ClusterOptions, type FragmentTemplate, type Program, type SimHub } from './model.js';
export { programsFromManifest } from './workload.js';
