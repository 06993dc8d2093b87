/**
 * What a slot asks its hub's main thread for, in the middle of a host call: GPU work (the
 * main thread alone holds the WebGPU device), and ranges of datasets this hub does not
 * hold (fetched from a hub that serves them). A failure is logged and fails the call, so
 * the fragment traps with it; it never reaches the hub.
 *   const host = new HostServices({ gpu, ask: (s, b, ms) => wire.request(s, b, { timeoutMs: ms }), log, runOn });
 *   const answer = await host.call({ kind: 'data-read', name: 'points', offset: 0, length: 4096 }, 0);
 */
import { dataSubject } from '../net/index.js';
import { PROTOCOL_VERSION, TransportError, decodeMessage, encodeMessage, isSubjectToken, parseMessage } from '../protocol/index.js';
import type { GpuKernels } from '../host/index.js';
import type { Logger } from './log.js';
import type { MainAnswer, MainCall } from './slot/index.js';

/** A hub serving a dataset that does not answer in this time is passed over (the call fails). */
const DATA_READ_TIMEOUT_MS = 30_000;

export interface HostServicesDeps {
  /** The hub's GPU, when it has a usable one. */
  gpu: GpuKernels | undefined;
  /** A request/reply to a subject (Wire.request). */
  ask: (subject: string, bytes: Uint8Array, timeoutMs: number) => Promise<Uint8Array>;
  log: Logger;
  /** The run a slot is on, for log lines (RunsTable.runOn). */
  runOn: (slot: number) => { job: string; fragment: number } | Record<string, never>;
}

export class HostServices {
  /** GPU calls served. */
  gpuCalls = 0;
  /** Dataset bytes this hub's fragments fetched from other hubs (a locality metric). */
  dataRemoteBytes = 0;

  constructor(private readonly deps: HostServicesDeps) {}

  /** Answer `call` from slot `slot`; never throws (status -1: not available). */
  call(call: MainCall, slot: number): Promise<MainAnswer> {
    return call.kind === 'data-read' ? this.remoteRead(call, slot) : this.gpuCall(call, slot);
  }

  private async gpuCall(call: Exclude<MainCall, { kind: 'data-read' }>, slot: number): Promise<MainAnswer> {
    const k = this.deps.gpu;
    if (!k) return { status: -1 };
    try {
      const out = call.kind === 'gpu-matmul'
        ? await k.matmulF32(call.a, call.b, call.m, call.n, call.k)
        : await k.mapF32(call.op, call.x, call.y, call.n);
      this.gpuCalls++;
      return { status: out.byteLength, bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength) };
    } catch (e) {
      this.deps.log.warn('gpu call failed', { ...this.deps.runOn(slot), kind: call.kind, error: (e as Error).message });
      return { status: -1 };
    }
  }

  /** A range of a dataset this hub does not hold, from a hub that serves it (queue group). */
  private async remoteRead(call: Extract<MainCall, { kind: 'data-read' }>, slot: number): Promise<MainAnswer> {
    if (!isSubjectToken(call.name)) return { status: -1 };
    try {
      const req = encodeMessage({ kind: 'data-read', v: PROTOCOL_VERSION, name: call.name, offset: call.offset, length: call.length });
      const reply = parseMessage(decodeMessage(await this.deps.ask(dataSubject(call.name), req, DATA_READ_TIMEOUT_MS)), ['data-bytes', 'error']);
      if (reply.kind !== 'data-bytes') return { status: -1 };
      this.dataRemoteBytes += reply.bytes.byteLength;
      return { status: reply.bytes.byteLength, total: reply.total, bytes: reply.bytes };
    } catch (e) {
      if (!(e instanceof TransportError && e.code === 'no-responders')) {
        this.deps.log.warn('remote dataset read failed', { ...this.deps.runOn(slot), dataset: call.name, error: (e as Error).message });
      }
      return { status: -1 };
    }
  }
}
