/**
 * Hubs and the weaving engine: the protocol, the Transport seam, the embedded mesh.
 *   const mesh = await startEmbeddedMesh({ hubs: 2 });
 *   const result = await runJob(mesh, await loadBundle(bytes), { args: [10] });
 *   await mesh.close();
 */
export { runJob, pickEntry, type JobOptions, type JobResult, type Placement } from './engine.js';
export { startEmbeddedMesh, MAX_EMBEDDED_HUBS, type EmbeddedMeshOptions } from './embedded.js';
export { HubCore } from './hub.js';
export type { Transport, HubInfo } from './transport.js';
export { PROTOCOL_VERSION, type HubRequest, type HubReply, type ExecRequest, type ExecReply } from './protocol.js';
export { TransportError, HubError, JobError } from './errors.js';
