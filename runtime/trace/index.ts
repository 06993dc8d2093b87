/**
 * Seeing a job: the versioned event schema engines emit (`JobOptions.onEvent`) and the
 * ndjson trace format `weave run --trace` writes.
 *   const r = await runJob(mesh, bundle, { args: [10], onEvent: (e) => lines.push(formatEvent(e)) });
 */
export {
  TRACE_VERSION, EVENT_KINDS, eventEmitter, epochMs, formatEvent, resultSummary, round3,
  type JobEvent, type JobEventKind, type EventBody, type Emit, type MigrationReason, type ResultSummary,
  type JobStartEvent, type FragmentStartEvent, type FragmentEndEvent, type CheckpointEvent, type MigrationEvent,
  type RetryEvent, type RecoveryEvent, type ResultEvent, type FailedEvent,
} from './events.js';
