/**
 * The hub's parts, each usable (and tested) on its own, without a NATS server: for their
 * unit tests and for tools that assemble a hub differently. Applications use index.ts.
 *   import { RunsTable, SealGate, Records } from '../runtime/hub/internal.js';
 */
export * from './index.js';
export { ExecService, type ExecServiceDeps } from './exec-service.js';
export { RunsTable, type Run } from './runs.js';
export { SlotPool, type Slots, type SlotHooks, type SlotPoolOptions } from './slots.js';
export { SealGate, sealContext } from './seal-gate.js';
export { TICKET_SKEW_MS } from './tickets.js';
export { Records, fencedJob, type RecordStore, type RecordsOptions } from './records.js';
export { Handover, nextHop, HANDOVER_TIMEOUT_MS, type HandoverDeps, type Hop, type PassContext } from './handover.js';
export { CheckpointKeeper, type KeeperDeps } from './checkpoint-keeper.js';
export { BundleCache, type BundleSources } from './bundle-cache.js';
export { HostServices, type HostServicesDeps } from './host-services.js';
export { DataServer } from './data-server.js';
export { Advertiser, makeAdvert, type AdvertSource } from './advert.js';
export { Datasets, MAX_JOBS_PER_HUB, type MainCall, type MainAnswer } from './slot/index.js';
export { hubReweaving, type HubReweaving, type ReweavingDeps } from './reweaving.js';
export { Weaving, MOVES_PER_MINUTE, type WeavingDeps } from './weaving.js';
export { PeerViews, advertView } from './peers.js';
export { startIdleProbe, PROBE_MS, type IdleProbeDeps } from './idle-probe.js';
export type { SlotProbe } from './slots.js';
