/**
 * Hubs and the weaving engine: the protocol, the Transport seam, the embedded mesh, the
 * NATS mesh (`connectMesh`) and the hub daemon (`startHub`).
 *   const mesh = await startEmbeddedMesh({ hubs: 2 });   // or: await connectMesh({ nats: url })
 *   const result = await runJob(mesh, await loadBundle(bytes), { args: [10] });
 *   await mesh.close();
 */
export { runJob, attachJob, pickEntry, type JobOptions, type JobResult, type JobStatus, type Recovery, type Placement } from './engine.js';
export { reweaver, pace, type ReweaveOptions } from './reweave.js';
export { startEmbeddedMesh, MAX_EMBEDDED_HUBS, type EmbeddedMeshOptions } from './embedded.js';
export { HubCore } from './hub.js';
export { connectMesh, NatsMesh, type MeshOptions } from './nats-transport.js';
export { startHub, HubDaemon, defaultHubName, type HubOptions } from './daemon.js';
export type { Transport, HubInfo } from './transport.js';
export {
  PROTOCOL_VERSION, type HubRequest, type HubReply, type ExecRequest, type ExecReply, type HubAdvert, type HubState, type ProgressEvent,
} from './protocol.js';
export { TransportError, HubError, JobError, MetricsError, type TransportErrorCode } from './errors.js';
export { HubMetrics, serveMetrics, type MetricsServer, type RunOutcome } from './metrics.js';
export { createLogger, silentLogger, type Logger, type LogLevel } from './log.js';
