/**
 * A hub's heartbeat, as the daemon sees it: a worker thread (heartbeat-thread.ts) that
 * publishes `weave.hubs.beat.<hub>` every `everyMs`, whatever the main thread does.
 * Engines watch the heartbeats of the hubs holding their jobs: a hub silent for a few
 * beats is lost (a killed or stopped process), while a slow one (a saturated machine, a
 * long fragment, a busy event loop) keeps beating and is never taken for dead. Adverts
 * stay for placement.
 *   const hb = startHeartbeat({ nats, auth, hub: 'a', everyMs: 200, cells: slots.yieldCells() });
 *   await hb.stop();
 */
import { Worker } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import type { NatsAuth } from '../net/index.js';

const SCRIPT = new URL('./heartbeat-thread.js', import.meta.url);

export interface HeartbeatOptions {
  nats: string;
  auth: NatsAuth;
  hub: string;
  /** How often it beats. */
  everyMs: number;
  /** Each slot's shared cells (cell 3: yield points passed). */
  cells: Int32Array[];
}

export interface Heartbeat {
  /** This process's boot id (in every beat). */
  readonly boot: string;
  stop(): Promise<void>;
}

/** Start beating. The thread connects on its own; a failure to connect is logged by `onError`, never thrown. */
export function startHeartbeat(opts: HeartbeatOptions, onError: (err: Error) => void): Heartbeat {
  const boot = randomBytes(6).toString('hex');
  const worker = new Worker(SCRIPT, { workerData: { ...opts, boot } });
  worker.on('error', onError);
  // The beat must not keep a stopping hub alive.
  worker.unref();
  return {
    boot,
    async stop() {
      await worker.terminate();
    },
  };
}
