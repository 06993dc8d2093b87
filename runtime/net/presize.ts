/**
 * Large payloads received into one buffer of their own size.
 *
 * nats.js (2.x) gathers a message that spans socket reads in a buffer that starts as the
 * first read and grows by doubling (to 2c + n), copying what it holds at each step: by
 * that rule a 16 MiB checkpoint passes through buffers of 192 KiB, 448 KiB, … 32 MiB, 63
 * MiB allocated and 31 MiB copied again besides the 16 received; and those buffers are
 * external memory, whose growth starts the collector's mark-compacts (one hub's main
 * thread: 21 in 100 hand-overs of 1 MiB, --trace-gc). The MSG line
 * gives the payload's size before its first byte: this wraps the parser so that, once a
 * read leaves a message unfinished, the rest is gathered into a buffer of exactly that
 * size. Nothing else changes: nats.js appends into it as before and hands it over whole
 * (offset 0, so `ownsBuffer` still holds). The size is the server's word, bounded by its
 * max_payload, and the server forwards every byte it announced.
 *
 * It reaches into nats.js internals (Parser, DenoBuffer), checked when installed: with
 * another layout it installs nothing and returns false, and test/wire.test.ts fails, so an
 * upgrade that moves them is seen rather than silently slower.
 *   presizePayloads();   // once per process, before the first message
 */
import { createRequire } from 'node:module';

/** Below this, doubling costs little (a read is at most 64 KiB). */
const PRESIZE_MIN = 256 << 10;

interface ParserLike {
  state: number;
  ma?: { size: number };
  msgBuf?: { capacity: number; length: number; _buf: Uint8Array; _off: number; bytes(o: { copy: boolean }): Uint8Array };
  parse(buf: Uint8Array): void;
}

let installed: boolean | undefined;

/**
 * Buffers given back once nothing reads them (a hand-over's sent checkpoint, once the next
 * hub acknowledged it), for the next large payload to be gathered in: a fresh 16 MiB
 * buffer costs 11-15 ms here in page faults, and counts against the collector's external
 * memory until a mark-compact frees it. A few, each taken for a payload that fills at
 * least half of it.
 */
const pool: ArrayBuffer[] = [];
const POOL_MAX = 2;

/** Give `buffer` to the next large payload; its bytes must be read by no one from now on. */
export function recycleReceiveBuffer(buffer: ArrayBuffer): void {
  if (!installed || buffer.byteLength < PRESIZE_MIN || pool.length >= POOL_MAX || pool.includes(buffer)) return;
  pool.push(buffer);
}

function bufferFor(size: number): Uint8Array {
  let best = -1;
  for (let i = 0; i < pool.length; i++) {
    const n = pool[i].byteLength;
    // A buffer transferred away since (detached) reads as 0 bytes and is dropped here.
    if (n >= size && n <= 2 * size && (best < 0 || n < pool[best].byteLength)) best = i;
  }
  for (let i = pool.length - 1; i >= 0; i--) if (pool[i].byteLength === 0) { pool.splice(i, 1); if (best > i) best--; }
  if (best < 0) return new Uint8Array(size);
  return new Uint8Array(pool.splice(best, 1)[0]);
}

/** Install once; true when the parser is wrapped (now or before). */
export function presizePayloads(): boolean {
  if (installed !== undefined) return installed;
  installed = false;
  try {
    const require = createRequire(import.meta.url);
    const { Parser, State } = require('nats/lib/nats-base-client/parser.js') as { Parser?: { prototype: ParserLike }; State?: Record<string, number> };
    const { DenoBuffer } = require('nats/lib/nats-base-client/denobuffer.js') as { DenoBuffer?: { prototype: object } };
    const payloadState = State?.MSG_PAYLOAD;
    const original = Parser?.prototype.parse;
    if (typeof original !== 'function' || typeof payloadState !== 'number' || !DenoBuffer) return false;
    if (!Object.getOwnPropertyDescriptor(DenoBuffer.prototype, 'capacity')?.get) return false;
    Parser!.prototype.parse = function parse(this: ParserLike, buf: Uint8Array): void {
      original.call(this, buf);
      const into = this.msgBuf;
      const size = this.ma?.size ?? 0;
      // The layout checked again per use: a field that is not what it was skips the step.
      if (this.state !== payloadState || !into || size < PRESIZE_MIN || !(into._buf instanceof Uint8Array) || into.capacity >= size) return;
      const have = into.bytes({ copy: false });
      if (have.byteLength >= size) return;
      const whole = bufferFor(size);
      whole.set(have);
      into._buf = whole.subarray(0, have.byteLength);
      into._off = 0;
    };
    installed = true;
  } catch {
    installed = false;
  }
  return installed;
}
