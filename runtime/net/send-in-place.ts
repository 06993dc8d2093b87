/**
 * Large payloads sent from where they lie, not copied into one buffer with their protocol
 * line first.
 *
 * nats.js (2.x) queues a publish as its pieces (the `PUB` line, the payload, CRLF) and
 * flushes them by joining them into a new buffer the size of all of them (`DataBuffer.pack`),
 * then writing that: a 1 MiB hand-over allocated and copied 1 MiB more on the sending hub,
 * and those buffers are external memory, whose growth starts the collector's
 * mark-compacts (two hubs handing a 1 MiB job back and forth: 16 mark-compacts and 65
 * scavenges in 203 hand-overs, `--trace-gc`, with up to 14 ms of incremental marking
 * per cycle on the main thread). This wraps nats.js's flush so that a payload marked with
 * `sendInPlace` goes to the socket as is: the pieces before and after it joined as
 * before, the marked ones written between them, one corked write so the kernel gets them
 * in one writev. The order of everything queued is kept.
 *
 * A marked payload is the socket's until written: its bytes must not change after the
 * publish until the receiver has them (a hand-over's buffer is given back only once the
 * next hub acknowledged it). Unmarked payloads are copied as nats.js always did.
 *
 * A payload marked with a `prepare` is made final a piece at a time, each piece just
 * before it is written: a hand-over is enciphered that way (seal.ts sealToLater), so the
 * cipher runs while the pieces before it are on their way to the server instead of
 * before the first byte leaves (1 MiB: about 0.3 ms of AES-GCM here, and the server
 * reads the message as it comes). Every path that writes it, nats.js's own flush
 * included, prepares all of it first: nothing unprepared reaches the socket.
 *
 * Like presize.ts it reaches into nats.js internals (the protocol handler's flush, its
 * outbound DataBuffer, the transport's socket), checked when installed and at each flush:
 * with another layout it installs nothing (returns false) or falls back to nats.js's own
 * flush, and test/wire.test.ts fails on the former, so an upgrade that moves them is seen.
 *   installSendInPlace();              // once per process, before the first publish
 *   nc.publish(subject, sendInPlace(bytes));
 *   nc.publish(subject, sendInPlace(frame, (end) => seal.upTo(end)));
 */
import { createRequire } from 'node:module';

interface OutboundLike { buffers: Uint8Array[]; byteLength: number }
/** What the wrapper uses of the transport's socket: writes go through the transport. */
interface SocketLike { cork(): void; uncork(): void }
interface HandlerLike {
  infoReceived: boolean;
  connected: boolean;
  outbound?: OutboundLike;
  transport?: { socket?: SocketLike; send(frame: Uint8Array): void };
  flushPending(): void;
}

/**
 * Makes a marked payload's bytes final up to `end` (from its start). Called with ends that
 * grow, the last one the payload's length, each before the bytes below it are written.
 * Must not throw (a failure is the caller's to make harmless: seal.ts zeroes the rest).
 */
export type Prepare = (end: number) => void;

const marked = new WeakSet<Uint8Array>();
const prepares = new WeakMap<Uint8Array, Prepare>();
let installed: boolean | undefined;

/** The pieces a prepared payload is written in: the first leaves after this much work. */
const PIECE = 64 << 10;

/**
 * Mark `bytes` to be written from where they lie when published (see the module comment),
 * and return them; `prepare`, when given, is run piece by piece as they are written.
 * Where the wrapper is not installed nothing is marked, and `prepare` runs over all of
 * the bytes now.
 */
export function sendInPlace<T extends Uint8Array>(bytes: T, prepare?: Prepare): T {
  if (!installed) {
    prepare?.(bytes.byteLength);
    return bytes;
  }
  marked.add(bytes);
  if (prepare) prepares.set(bytes, prepare);
  return bytes;
}

/**
 * Run whatever is left of `bytes`' prepare over all of them now (idempotent; nothing for
 * bytes with none). Whoever sends marked bytes other than as they are (Wire cuts a payload
 * above the server's max_payload into parts, each a new view) calls it first: the parts
 * are not marked, and would go as they lie, unprepared.
 */
export function prepareAll(bytes: Uint8Array): void {
  const prepare = prepares.get(bytes);
  if (!prepare) return;
  prepares.delete(bytes);
  prepare(bytes.byteLength);
}

/** Wrap nats.js's flush; idempotent. False when nats.js is not laid out as expected. */
export function installSendInPlace(): boolean {
  if (installed !== undefined) return installed;
  installed = false;
  try {
    const require = createRequire(import.meta.url);
    const { ProtocolHandler } = require('nats/lib/nats-base-client/protocol.js');
    const { DataBuffer } = require('nats/lib/nats-base-client/databuffer.js');
    const original = ProtocolHandler?.prototype?.flushPending as ((this: HandlerLike) => void) | undefined;
    if (typeof original !== 'function' || typeof DataBuffer?.concat !== 'function') return false;
    const probe = new DataBuffer() as OutboundLike & { fill(a: Uint8Array): void };
    probe.fill(new Uint8Array(1));
    if (!Array.isArray(probe.buffers) || probe.byteLength !== 1) return false;
    ProtocolHandler.prototype.flushPending = function flushPending(this: HandlerLike): void {
      const out = this.outbound;
      const socket = this.transport?.socket;
      // Nothing marked (most flushes): nats.js's own.
      if (!out || !Array.isArray(out.buffers) || !out.buffers.some((b) => marked.has(b))) {
        original.call(this);
        return;
      }
      if (!this.infoReceived || !this.connected || typeof socket?.cork !== 'function' || typeof socket.uncork !== 'function') {
        // nats.js writes them as they are (now, or once connected): every prepare runs to its end first.
        for (const b of out.buffers) prepareAll(b);
        original.call(this);
        return;
      }
      const pieces = out.buffers.splice(0);
      out.byteLength = 0;
      const transport = this.transport!;
      let run: Uint8Array[] = [];
      const joined = () => {
        if (run.length) transport.send(run.length === 1 ? run[0] : DataBuffer.concat(...run));
        run = [];
      };
      socket.cork();
      try {
        for (const p of pieces) {
          if (!marked.has(p)) { run.push(p); continue; }
          joined();
          const prepare = prepares.get(p);
          if (!prepare) { transport.send(p); continue; }
          prepares.delete(p);
          // What is queued before goes now; then each piece as soon as it is final.
          socket.uncork();
          try {
            if (p.byteLength === 0) prepare(0);
            for (let at = 0; at < p.byteLength; at += PIECE) {
              const end = Math.min(p.byteLength, at + PIECE);
              prepare(end);
              transport.send(p.subarray(at, end));
            }
          } finally {
            socket.cork();
          }
        }
        joined();
      } finally {
        socket.uncork();
      }
    };
    installed = true;
  } catch {
    installed = false;
  }
  return installed;
}
