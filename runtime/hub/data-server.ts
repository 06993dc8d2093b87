/**
 * Serving the datasets this hub holds (`--data NAME=PATH`) to other hubs, a range per
 * request, at most MAX_DATA_READ_BYTES at a time. Each dataset file is opened once; a bad
 * request gets an `error` reply. An emulated link (benchmarks) delays each reply.
 *   const server = new DataServer({ points: '/srv/points.bin' }, log);
 *   wire.serve(dataSubject('points'), (bytes) => server.serve('points', bytes), { queue: DATA_QUEUE });
 */
import { open, type FileHandle } from 'node:fs/promises';
import { MAX_DATA_READ_BYTES, PROTOCOL_VERSION, ProtocolError, decodeMessage, encodeMessage, parseMessage } from '../protocol/index.js';
import { sleep } from '../util/index.js';
import type { Logger } from './log.js';

export class DataServer {
  /** Per dataset: the open file and its size (datasets do not change while served). */
  private readonly files = new Map<string, Promise<{ file: FileHandle; size: number }>>();

  constructor(
    private readonly datasets: Record<string, string>, private readonly log: Logger,
    /** Emulation: each reply waits `delayMs` plus its size at `mbps` (0: no limit). */
    private readonly link: { delayMs: number; mbps: number } = { delayMs: 0, mbps: 0 },
  ) {}

  /** The reply to a `data-read` of dataset `name`, encoded; an `error` reply for anything else. */
  async serve(name: string, bytes: Uint8Array): Promise<Uint8Array> {
    try {
      const req = parseMessage(decodeMessage(bytes), ['data-read'], 'a dataset server');
      if (!Object.hasOwn(this.datasets, name)) throw new ProtocolError('malformed', `this hub does not serve dataset '${name}'`);
      const { file, size: total } = await this.open(name);
      const length = Math.max(0, Math.min(req.length, MAX_DATA_READ_BYTES, total - req.offset));
      const out = Buffer.allocUnsafe(length);
      const { bytesRead } = length ? await file.read(out, 0, length, req.offset) : { bytesRead: 0 };
      const wait = this.link.delayMs + (this.link.mbps ? (bytesRead * 8) / (this.link.mbps * 1000) : 0);
      if (wait > 0) await sleep(wait);
      return encodeMessage({ kind: 'data-bytes', v: PROTOCOL_VERSION, total, bytes: out.subarray(0, bytesRead) });
    } catch (e) {
      const code = e instanceof ProtocolError ? 'bad-message' : 'internal';
      this.log.warn('rejected a request', { code, dataset: name, error: (e as Error).message });
      return encodeMessage({ kind: 'error', v: PROTOCOL_VERSION, code, message: (e as Error).message });
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.files.values()].map((f) => f.then((d) => d.file.close(), () => undefined)));
    this.files.clear();
  }

  /** One open and one stat per dataset, not per range; concurrent first reads share them. */
  private open(name: string): Promise<{ file: FileHandle; size: number }> {
    let opening = this.files.get(name);
    if (!opening) {
      opening = open(this.datasets[name], 'r').then(async (file) => ({ file, size: (await file.stat()).size }));
      this.files.set(name, opening);
      opening.catch(() => this.files.delete(name));
    }
    return opening;
  }
}
