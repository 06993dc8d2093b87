/**
 * Hubs: the daemon behind `hub start` (`startHub`), the embedded mesh of hubs as worker
 * threads (`startEmbeddedMesh`), the slots both run fragments on, and a hub's metrics and
 * logs. The top of the runtime's layers: it builds on the engine's Transport and on
 * runtime/net, runtime/protocol and the execution parts.
 *   const hub = await startHub({ nats: 'nats://127.0.0.1:4222', name: 'a', slots: 2 });
 *   const mesh = await startEmbeddedMesh({ hubs: 2 });   // for runJob (runtime/engine)
 */
export { HubDaemon, type HubDeps } from './daemon.js';
export { startHub } from './start.js';
export { resolveHubOptions, defaultHubName, MAX_SLOTS, type HubOptions, type HubEmulation, type ResolvedHubOptions } from './options.js';
export { startEmbeddedMesh, MAX_EMBEDDED_HUBS, type EmbeddedMeshOptions } from './embedded.js';
export { HubCore, HubThread, type HubCoreOptions, type HubThreadOptions, type SlotExec, type SlotRequest, type SlotReply } from './slot/index.js';
export { detectCapabilities, calibrateSpeed, type Capabilities } from './capabilities.js';
export { HubConfigError, MetricsError } from './errors.js';
export { HubMetrics, serveMetrics, type MetricsServer, type RunOutcome } from './metrics.js';
export { createLogger, silentLogger, logFormat, LOG_FORMATS, type Logger, type LogLevel, type LogFormat } from './log.js';
export { REWEAVE_KINDS, type ReweaveKind } from './reweaving.js';
