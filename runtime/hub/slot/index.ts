/**
 * Slots: where a hub runs fragments. A `HubCore` answers slot requests by running
 * fragments in fresh instances (keeping one base checkpoint per job for diffs); a
 * `HubThread` runs one on a worker thread, with a watchdog, pause flags and blocking calls
 * to the main thread (datasets held elsewhere, the GPU). The hub daemon owns S of them;
 * the embedded mesh one per hub.
 *   const t = new HubThread('hub-1/0', { sandbox: { deadlineMs: 60_000 } });
 *   const reply = await t.request(execRequest);
 */
export { HubCore, MAX_JOBS_PER_HUB, type HubCoreOptions, type ExecHooks } from './core.js';
export { HubThread, type HubThreadOptions } from './thread.js';
export { Datasets, type RemoteReader } from './datasets.js';
export { MAIN_CALL_TIMEOUT_MS, type MainCall, type MainAnswer } from './blocking.js';
export { SLOT_EXEC_FIELDS } from './types.js';
export type { SlotExec, SlotRan, SlotRequest, SlotReply, ExportRequest, ExportReply, CalibrateRequest, CalibratedReply } from './types.js';
