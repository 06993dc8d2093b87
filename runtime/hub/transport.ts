/**
 * The seam between the weaving engine and hubs. The embedded mesh (worker threads in this
 * process) implements it now; the NATS adapter will implement the same interface.
 *   const t: Transport = await startEmbeddedMesh({ hubs: 4 });
 *   const reply = await t.request(t.hubs()[0].id, { kind: 'ping', v: 1 });
 *   await t.close();
 */
import type { HubReply, HubRequest } from './protocol.js';

export interface HubInfo {
  id: string;
}

export interface Transport {
  /** Live hubs, in a stable order. */
  hubs(): HubInfo[];
  /** Send a request to one hub and wait for its reply. Rejects with TransportError. */
  request(hub: string, req: HubRequest): Promise<HubReply>;
  close(): Promise<void>;
}
