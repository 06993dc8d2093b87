/**
 * Large payloads received into one buffer of their own size.
 *
 * nats.js (2.x) gathers a message that spans socket reads in a buffer that starts as the
 * first read and grows by doubling (to 2c + n), copying what it holds at each step: a
 * 16 MiB checkpoint passes through buffers of 192 KiB, 448 KiB, … 32 MiB, about 64 MiB
 * allocated and 48 MiB copied to receive 16, and the hub's garbage collector runs a full
 * mark-compact for nearly every such message (external memory pressure). The MSG line
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
      const whole = new Uint8Array(size);
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
