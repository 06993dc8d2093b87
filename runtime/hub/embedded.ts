/**
 * The embedded mesh: hubs as worker threads of this process, behind the engine's
 * stepwise Transport.
 *
 * It is what `weave run` uses when no NATS server is configured, so a new user sees jobs
 * woven across hubs right after `npm install`. Each hub is a real thread with its own
 * Wasm instances; checkpoints cross threads encoded, exactly as they will cross a network.
 *   const mesh = await startEmbeddedMesh({ hubs: 2 });
 *   ...; await mesh.close();
 */
import os from 'node:os';
import type { HubInfo, StepwiseTransport } from '../engine/index.js';
import type { SandboxLimits } from '../exec/index.js';
import { PROTOCOL_VERSION, TransportError } from '../protocol/index.js';
import { detectCapabilities } from './capabilities.js';
import { HubThread } from './slot/index.js';

export interface EmbeddedMeshOptions {
  /** Number of hubs. @default one per CPU core */
  hubs?: number;
  /** Datasets every embedded hub serves (they share this machine's files). @default none */
  datasets?: Record<string, string>;
  /** Limits of every run. @default the exec defaults */
  sandbox?: SandboxLimits;
}

export const MAX_EMBEDDED_HUBS = 64;

/** Start the hubs. Throws TransportError when the count is out of range or a worker cannot start. */
export async function startEmbeddedMesh(opts: EmbeddedMeshOptions = {}): Promise<StepwiseTransport> {
  const count = opts.hubs ?? Math.max(1, os.availableParallelism());
  if (!Number.isInteger(count) || count < 1 || count > MAX_EMBEDDED_HUBS) {
    throw new TransportError(`--hubs must be an integer from 1 to ${MAX_EMBEDDED_HUBS}, got ${opts.hubs}`);
  }
  const hubs = new Map<string, HubThread>();
  for (let i = 0; i < count; i++) {
    const id = `embedded-${i}`;
    hubs.set(id, new HubThread(id, { datasets: opts.datasets, sandbox: opts.sandbox }));
  }
  const caps = detectCapabilities();
  const datasets = Object.keys(opts.datasets ?? {});
  const list: HubInfo[] = [...hubs.keys()].map((id) => ({ id, caps, datasets }));
  return {
    kind: 'stepwise',
    hubs: () => list,
    request(hub, req) {
      const h = hubs.get(hub);
      if (!h) return Promise.reject(new TransportError(`no hub '${hub}'; hubs are: ${list.map((x) => x.id).join(', ')}`));
      // The engine moves every state itself here: there is no run to move.
      if (req.kind === 'move') return Promise.resolve({ kind: 'error', v: PROTOCOL_VERSION, code: 'not-here', message: `hub ${hub} is embedded: the engine moves its jobs itself` });
      return h.request(req);
    },
    yieldsNow: (hub) => hubs.get(hub)?.yieldsNow ?? 0,
    preempt: (hub) => hubs.get(hub)?.preempt(),
    resume: (hub) => hubs.get(hub)?.resume(),
    async close() {
      await Promise.all([...hubs.values()].map((h) => h.close()));
    },
  };
}
