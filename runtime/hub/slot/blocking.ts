/**
 * Synchronous calls from a slot's worker thread to its hub's main thread.
 *
 * A host call is synchronous for the fragment (Wasm waits for its return), but some
 * answers need the main thread: a dataset range from another hub over NATS, GPU work.
 * The worker posts the call with a SharedArrayBuffer for the answer and blocks in
 * Atomics.wait (allowed in workers) until the main thread writes the answer and notifies.
 *   // worker:  const r = callMain(port, { kind: 'data-read', name, offset, length }, into);
 *   // main:    serveMainCalls(worker, async (call) => ({ status: n, bytes }));
 */
import type { MessagePort, Worker } from 'node:worker_threads';
import { HostCallError } from '../../host/index.js';

export type MainCall =
  | { kind: 'data-read'; name: string; offset: number; length: number }
  /** c = a * b (m x k times k x n), on the hub's GPU. */
  | { kind: 'gpu-matmul'; a: Float32Array; b: Float32Array; m: number; n: number; k: number }
  | { kind: 'gpu-map'; op: number; x: Float32Array; y?: Float32Array; n: number };
/** `status`: bytes written (or the call's own number, e.g. a dataset's size) or negative: not available. */
export interface MainAnswer { status: number; total?: number; bytes?: Uint8Array }

/** Longest a fragment waits for its hub's main thread before its call fails. */
export const MAIN_CALL_TIMEOUT_MS = 60_000;
const HEADER = 16;
const PENDING = 0;
const DONE = 1;

/** Worker side: post `call`, block until answered. `into` receives the answer's bytes. */
export function callMain(port: MessagePort, call: MainCall, into?: Uint8Array): MainAnswer {
  const sab = new SharedArrayBuffer(HEADER + (into?.byteLength ?? 0));
  const head = new Int32Array(sab, 0, 4);
  port.postMessage({ mainCall: call, sab });
  if (Atomics.wait(head, 0, PENDING, MAIN_CALL_TIMEOUT_MS) === 'timed-out') {
    throw new HostCallError(`${call.kind}: no answer from the hub in ${MAIN_CALL_TIMEOUT_MS / 1000} s`);
  }
  const status = head[1];
  const total = new Float64Array(sab, 8, 1)[0];
  if (into && status > 0) into.set(new Uint8Array(sab, HEADER, status));
  return { status, total };
}

/** Main side: answer the calls of `worker` with `handler` (which must not throw). */
export function serveMainCalls(worker: Worker, handler: (call: MainCall) => Promise<MainAnswer>): void {
  worker.on('message', (msg: { mainCall?: MainCall; sab?: SharedArrayBuffer }) => {
    if (!msg.mainCall || !msg.sab) return;
    const sab = msg.sab;
    const head = new Int32Array(sab, 0, 4);
    const answer = (a: MainAnswer) => {
      const room = sab.byteLength - HEADER;
      const n = a.bytes ? Math.min(room, a.bytes.byteLength) : 0;
      if (a.bytes && n > 0) new Uint8Array(sab, HEADER, n).set(a.bytes.subarray(0, n));
      head[1] = a.bytes ? n : a.status;
      new Float64Array(sab, 8, 1)[0] = a.total ?? -1;
      Atomics.store(head, 0, DONE);
      Atomics.notify(head, 0);
    };
    handler(msg.mainCall).then(answer, () => answer({ status: -1 }));
  });
}
