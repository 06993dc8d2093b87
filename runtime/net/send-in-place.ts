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
 * Like presize.ts it reaches into nats.js internals (the protocol handler's flush, its
 * outbound DataBuffer, the transport's socket), checked when installed and at each flush:
 * with another layout it installs nothing (returns false) or falls back to nats.js's own
 * flush, and test/wire.test.ts fails on the former, so an upgrade that moves them is seen.
 *   installSendInPlace();              // once per process, before the first publish
 *   nc.publish(subject, sendInPlace(bytes));
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

const marked = new WeakSet<Uint8Array>();
let installed: boolean | undefined;

/**
 * Mark `bytes` to be written from where they lie when published (see the module comment),
 * and return them. A no-op where the wrapper is not installed.
 */
export function sendInPlace<T extends Uint8Array>(bytes: T): T {
  if (installed) marked.add(bytes);
  return bytes;
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
      if (!this.infoReceived || !this.connected || !out || !Array.isArray(out.buffers) || !out.buffers.some((b) => marked.has(b))
        || typeof socket?.cork !== 'function' || typeof socket.uncork !== 'function') {
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
          transport.send(p);
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
