/**
 * The weaving engine: runs a job across the hubs of a Transport (stepwise over the
 * embedded mesh, routed over NATS), places fragments, re-weaves running ones onto faster
 * hubs, and recovers from lost hubs. Below it: runtime/net, runtime/protocol, runtime/trace
 * and the pure parts (policy, exec, snapshot); it knows nothing of the hub daemon.
 *   const mesh = await connectMesh({ nats: url });          // or the hub layer's startEmbeddedMesh()
 *   const result = await runJob(mesh, await loadBundle(bytes), { args: [10] });
 *   await mesh.close();
 */
export { runJob, attachJob } from './run.js';
export { pickEntry, type JobOptions, type JobResult, type JobStatus, type Recovery, type Placement } from './job.js';
export { JobError, type JobErrorCode } from './errors.js';
export type { Transport, StepwiseTransport, RoutedTransport, HubInfo, StoredByHub } from './transport.js';
export { connectMesh, NatsMesh, type MeshOptions } from './nats-mesh.js';
export { reweaver, pace, type ReweaveOptions, type Reweaver } from './reweave.js';
export { livePlacement, type LivePlacement } from './placement.js';
export { OwnLoad, type LoadFigures } from './own-load.js';
export { retryDelay, MAX_PLACEMENT_ATTEMPTS } from './retry.js';
export { cancelJob, type CancelOutcome } from './routed/cancel.js';
export { SharedHistory, historyBucket, sharedWeaver, HISTORY_BUCKET, HISTORY_LIMITS, SHARE_EVERY_MS, DELTA_EVERY_MS, type SharedHistoryDeps } from './shared-history.js';
