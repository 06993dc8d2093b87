/**
 * The engine's parts, for their own unit tests and for sibling layers that build on one
 * (not for applications: they use index.ts).
 *   import { RecoveryState, JobProgress } from '../runtime/engine/internal.js';
 */
export * from './index.js';
export { runStepwise, statusReporter } from './stepwise.js';
export { runRouted, defaultIdentity, type Resume } from './routed/run.js';
export { attachRouted } from './routed/attach.js';
export { Attempt } from './routed/attempt.js';
export { JobProgress, AttemptProgress } from './routed/progress.js';
export { RecoveryState, openStored, type RecoveryDeps } from './routed/recovery.js';
export { JobLedger, settledResult } from './routed/ledger.js';
export { acceptOutcome, attemptContext, type AttemptKeys } from './routed/verify.js';
export { addData, errorCode, newDataTotals, resultOf } from './job.js';
export { HubLiveness, MISSED_ADVERTS, MISSED_BEATS } from './liveness.js';
