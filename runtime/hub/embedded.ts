/**
 * The embedded mesh: hubs as worker threads of this process, behind `Transport`.
 *
 * It is what `weave run` uses when no NATS server is configured, so a new user sees jobs
 * woven across hubs right after `npm install`. Each hub is a real thread with its own
 * Wasm instances; checkpoints cross threads encoded, exactly as they will cross a network.
 *   const mesh = await startEmbeddedMesh({ hubs: 2 });
 *   ...; await mesh.close();
 */
import { Worker } from 'node:worker_threads';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { HubReply, HubRequest } from './protocol.js';
import type { HubInfo, Transport } from './transport.js';
import { TransportError } from './errors.js';

export interface EmbeddedMeshOptions {
  /** Number of hubs. @default one per CPU core */
  hubs?: number;
}

export const MAX_EMBEDDED_HUBS = 64;

interface Pending { resolve: (r: HubReply) => void; reject: (e: Error) => void }

class EmbeddedHub {
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private dead: Error | undefined;

  constructor(readonly id: string, private worker: Worker) {
    worker.on('message', (msg: { id: number; reply: HubReply }) => {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      p?.resolve(msg.reply);
    });
    const fail = (err: Error) => {
      this.dead = new TransportError(`embedded hub ${id} stopped: ${err.message}`, { cause: err });
      for (const p of this.pending.values()) p.reject(this.dead);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  }

  request(req: HubRequest): Promise<HubReply> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, req });
    });
  }

  async close(): Promise<void> {
    this.dead ??= new TransportError(`embedded hub ${this.id} closed`);
    await this.worker.terminate();
  }
}

/** Start the hubs. Throws TransportError when a worker cannot start. */
export async function startEmbeddedMesh(opts: EmbeddedMeshOptions = {}): Promise<Transport> {
  const count = opts.hubs ?? Math.max(1, os.availableParallelism());
  if (!Number.isInteger(count) || count < 1 || count > MAX_EMBEDDED_HUBS) {
    throw new TransportError(`--hubs must be an integer from 1 to ${MAX_EMBEDDED_HUBS}, got ${opts.hubs}`);
  }
  const script = fileURLToPath(new URL('./embedded-worker.js', import.meta.url));
  const hubs = new Map<string, EmbeddedHub>();
  for (let i = 0; i < count; i++) {
    const id = `embedded-${i}`;
    hubs.set(id, new EmbeddedHub(id, new Worker(script, { workerData: { hubId: id } })));
  }
  const list: HubInfo[] = [...hubs.keys()].map((id) => ({ id }));
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
