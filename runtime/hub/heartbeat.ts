/**
 * A hub's heartbeat, as the daemon sees it: a worker thread (heartbeat-thread.ts) that
 * publishes `weave.hubs.beat.<hub>` every `everyMs`, whatever the main thread does.
 * Engines watch the heartbeats of the hubs holding their jobs: a hub silent for a few
 * beats is lost (a killed or stopped process), while a slow one (a saturated machine, a
 * long fragment, a busy event loop) keeps beating and is never taken for dead. Adverts
 * stay for placement.
 *   const hb = startHeartbeat({ nats, auth, hub: 'a', boot, everyMs: 200, cells: slots.yieldCells() }, onError);
 *   await hb.beating;   // before the first advert
 *   await hb.stop();
 */
import type { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { NatsAuth } from '../net/index.js';

const SCRIPT = new URL('./heartbeat-thread.js', import.meta.url);

export interface HeartbeatOptions {
  nats: string;
  auth: NatsAuth;
  hub: string;
  /** This process's boot id (in every beat, and in the hub's adverts). */
  boot: string;
  /** How often it beats. */
  everyMs: number;
  /** Each slot's shared cells (cell 3: yield points passed). */
  cells: Int32Array[];
  /** The hub's result-signing key: every beat is signed with it. */
  signKey: KeyObject;
}

export interface Heartbeat {
  /**
   * Settles once the first beat reached the server, or the thread failed, or after
   * `FIRST_BEAT_PATIENCE_MS`: a hub advertises only then, so that no engine sees this
   * process's advert while it still holds the beats of the process before it.
   */
  readonly beating: Promise<void>;
  stop(): Promise<void>;
}

/** How long a starting hub waits for its first beat before advertising anyway (the error is logged). */
const FIRST_BEAT_PATIENCE_MS = 10_000;

/** Start beating. The thread connects on its own; a failure to connect is logged by `onError`, never thrown. */
export function startHeartbeat(opts: HeartbeatOptions, onError: (err: Error) => void): Heartbeat {
  const { signKey, ...rest } = opts;
  const worker = new Worker(SCRIPT, { workerData: { ...rest, signKey: new Uint8Array(signKey.export({ type: 'pkcs8', format: 'der' })) } });
  worker.on('error', onError);
  // The beat must not keep a stopping hub alive.
  worker.unref();
  const beating = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, FIRST_BEAT_PATIENCE_MS);
    timer.unref();
    const done = () => { clearTimeout(timer); resolve(); };
    worker.once('message', done);
    worker.once('error', done);
    worker.once('exit', done);
  });
  return {
    beating,
    async stop() {
      await worker.terminate();
    },
  };
}
