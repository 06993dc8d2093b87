/**
 * Seeing a job: the versioned event schema engines emit (`JobOptions.onEvent`), the ndjson
 * trace format `weave run --trace` writes, and the timeline renderer `weave trace` draws.
 *   const events = parseTrace(readFileSync('job.ndjson', 'utf8'), 'job.ndjson');
 *   writeFileSync('job.html', renderHtml(events));
 */
export {
  TRACE_VERSION, EVENT_KINDS, eventEmitter, epochMs, formatEvent, resultSummary, round3,
  type JobEvent, type JobEventKind, type DataTotals, type Recovery, type SummarizedResult, type EventBody, type Emit, type MigrationReason, type ResultSummary,
  type JobStartEvent, type FragmentStartEvent, type FragmentEndEvent, type CheckpointEvent, type MigrationEvent,
  type RetryEvent, type RecoveryEvent, type ResultEvent, type FailedEvent,
} from './events.js';
export { parseTrace } from './parse.js';
export { renderSvg, renderHtml, timeline, type Timeline, type Bar, type RenderOptions } from './render.js';
export { TraceError } from './errors.js';
