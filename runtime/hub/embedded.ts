/**
 * The embedded mesh: hubs as worker threads of this process, behind `Transport`.
 *
 * It is what `weave run` uses when no NATS server is configured, so a new user sees jobs
 * woven across hubs right after `npm install`. Each hub is a real thread with its own
 * Wasm instances; checkpoints cross threads encoded, exactly as they will cross a network.
 *   const mesh = await startEmbeddedMesh({ hubs: 2 });
 *   ...; await mesh.close();
 */
import os from 'node:os';
import { HubThread } from './hub-thread.js';
import type { HubInfo, Transport } from './transport.js';
import { TransportError } from './errors.js';
import { detectCapabilities } from './capabilities.js';

export interface EmbeddedMeshOptions {
  /** Number of hubs. @default one per CPU core */
  hubs?: number;
  /** Datasets every embedded hub serves (they share this machine's files). */
  datasets?: Record<string, string>;
}

export const MAX_EMBEDDED_HUBS = 64;

/** Start the hubs. Throws TransportError when a worker cannot start. */
export async function startEmbeddedMesh(opts: EmbeddedMeshOptions = {}): Promise<Transport> {
  const count = opts.hubs ?? Math.max(1, os.availableParallelism());
  if (!Number.isInteger(count) || count < 1 || count > MAX_EMBEDDED_HUBS) {
    throw new TransportError(`--hubs must be an integer from 1 to ${MAX_EMBEDDED_HUBS}, got ${opts.hubs}`);
  }
  const hubs = new Map<string, HubThread>();
  for (let i = 0; i < count; i++) {
    const id = `embedded-${i}`;
    hubs.set(id, new HubThread(id, { datasets: opts.datasets }));
  }
  const caps = detectCapabilities();
  const datasets = Object.keys(opts.datasets ?? {});
  const list: HubInfo[] = [...hubs.keys()].map((id) => ({ id, caps, datasets }));
  return {
    hubs: () => list,
    request(hub, req) {
      const h = hubs.get(hub);
      if (!h) return Promise.reject(new TransportError(`no hub '${hub}'; hubs are: ${list.map((x) => x.id).join(', ')}`));
      return h.request(req);
    },
    async close() {
      await Promise.all([...hubs.values()].map((h) => h.close()));
    },
  };
}
