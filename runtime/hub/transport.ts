/**
 * The seam between the weaving engine and hubs. The embedded mesh (worker threads in this
 * process) implements it now; the NATS adapter will implement the same interface.
 *   const t: Transport = await startEmbeddedMesh({ hubs: 4 });
 *   const reply = await t.request(t.hubs()[0].id, { kind: 'ping', v: 1 });
 *   await t.close();
 */
import type { ExecRequest, HubReply, HubRequest, ProgressEvent } from './protocol.js';
import type { JobStore } from '../net/jobs.js';

/** A hub as placement sees it: its id, and what it has (runtime/policy ranks on these). */
export interface HubInfo {
  id: string;
  caps?: { avx2?: boolean; gpu?: boolean; speed?: number };
  datasets?: readonly string[];
  /** From its advert, where there is one. */
  load?: { slots: number; busy: number; queue: number; cpu: number };
  rttMs?: number;
  /** Its public identity, where it has one (checkpoints are sealed to it, results signed by it). */
  keys?: { sign: Uint8Array; seal: Uint8Array };
}

export interface Transport {
  /** Live hubs, in a stable order. */
  hubs(): HubInfo[];
  /** Send a request to one hub and wait for its reply. Rejects with TransportError. */
  request(hub: string, req: HubRequest): Promise<HubReply>;
  /**
   * Hub-to-hub hand-over, where the transport supports it: the hubs pass a paused fragment
   * straight to the next hub of `req.route`, report each hand-over to `onProgress`, and
   * the hub that finishes answers. Rejects with TransportError (`hub-lost` when the hub
   * holding the job stops advertising). Absent: the engine moves every checkpoint itself.
   */
  submit?(hub: string, req: ExecRequest, onProgress: (e: ProgressEvent) => void): Promise<HubReply>;
  /** The newest periodic checkpoint hubs stored for `job` (an attempt key), if any. */
  stored?(job: string): Promise<Uint8Array | undefined>;
  /** Delete what hubs stored for `job` (the job is over). */
  forgetStored?(job: string): Promise<void>;
  /** Job records (NATS with JetStream), opened once; undefined without JetStream. */
  jobs?(): Promise<JobStore | undefined>;
  /** Tell every hub that attempt `attempt` of job `job` supersedes the older ones. */
  fence?(job: string, attempt: number): void;
  /** Ask `hub` to move the run of job key `key` to hub `to` at its next yield point. */
  move?(hub: string, key: string, to: string): Promise<boolean>;
  /**
   * The engine placed a job on `hub`: until the hub's next advert, `hubs()` counts it in
   * that hub's load. Call the function returned when the job leaves the hub (it ended, or
   * moved on).
   */
  placed?(hub: string): () => void;
  /** True when some live hub advertises that it runs job key `key`. */
  running?(key: string): boolean;
  close(): Promise<void>;
}
