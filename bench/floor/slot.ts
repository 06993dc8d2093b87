/**
 * The slot threads of `bench floor` (bench/floor.ts), one role each (workerData.role):
 * - 'send': holds a job's memory and its base; on each `{ parts }` it rewrites the memory
 *   (as the job in bench mesh does between pauses), stamps the pause, then compares it with
 *   the base a page at a time, copies each changed page into a part buffer (with room for
 *   the frame's header and the tag) and into the base, and posts each part to the main
 *   thread as soon as it is full.
 * - 'receive': copies each part's pages into its memory; after the last it posts the
 *   resume stamp.
 * Either answers `{ hash: true }` with the SHA-256 of its memory (the bench checks, outside
 * the timing, that what arrived is what was sent).
 * Pages of 4 KiB, as the hubs' diffs.
 */
import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { HEAD, PAGE, TAG } from './wire.js';

const port = parentPort!;
const { role, bytes } = workerData as { role: 'send' | 'receive'; bytes: number };
const mem = Buffer.alloc(bytes);

if (role === 'send') {
  const base = Buffer.alloc(bytes);
  let round = 0;
  port.on('message', ({ parts, hash }: { parts: number; hash?: true }) => {
    if (hash) return port.postMessage({ hash: sha256(mem) });
    round++;
    for (let i = 0; i < mem.length; i += 8) mem.writeUInt32LE((Math.imul(i, 2654435761) + round) >>> 0, i);
    const pausedAt = performance.timeOrigin + performance.now();
    const per = Math.ceil(mem.length / PAGE / parts) * PAGE;
    const n = Math.ceil(mem.length / per);
    for (let k = 0, at = 0; at < mem.length; k++, at += per) {
      const end = Math.min(mem.length, at + per);
      const out = new Uint8Array(HEAD + (end - at) + TAG);
      let w = HEAD;
      for (let s = at; s < end; s += PAGE) {
        if (mem.compare(base, s, s + PAGE, s, s + PAGE) === 0) continue;
        out.set(mem.subarray(s, s + PAGE), w);
        base.set(mem.subarray(s, s + PAGE), s);
        w += PAGE;
      }
      port.postMessage({ buf: out.buffer, k, n, at, len: w - HEAD, pausedAt }, [out.buffer]);
    }
  });
} else {
  port.on('message', (m: { buf: ArrayBuffer; off: number; len: number; at: number; last: boolean; reply: string; hash?: true }) => {
    if (m.hash) return port.postMessage({ reply: m.reply, hash: sha256(mem) });
    mem.set(new Uint8Array(m.buf, m.off, m.len), m.at);
    if (m.last) port.postMessage({ reply: m.reply, at: performance.timeOrigin + performance.now() });
  });
}

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}
