/**
 * Dataset access for the fragments of one slot (the `data` interface of the host ABI).
 *
 * A dataset this hub serves (`hub start --data NAME=PATH`) is read from its file, in the
 * worker, synchronously. Any other goes to `remote` (the hub's main thread asks the hubs
 * that serve it, over NATS); slower, and counted, so placement can learn to move the job
 * to its data. Names read are recorded for the same reason.
 *   const d = new Datasets({ points: '/data/points.bin' }, remoteReader);
 *   d.read('points', 0, buf);
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { DataAccess } from '../../host/index.js';
import type { DataStats } from '../../protocol/index.js';

/** Reads a range from another hub: bytes copied into `into` (or -1), and the dataset's size. */
export type RemoteReader = (name: string, offset: number, into: Uint8Array) => { status: number; total: number };

export class Datasets implements DataAccess {
  private readonly fds = new Map<string, { fd: number; size: number }>();
  private stats: DataStats = { localBytes: 0, remoteBytes: 0, remoteReads: 0, names: [] };
  private readonly sizes = new Map<string, number>();

  constructor(private readonly local: Record<string, string>, private readonly remote?: RemoteReader) {}

  length(name: string): number {
    this.note(name);
    const f = this.open(name);
    if (f) return f.size;
    const known = this.sizes.get(name);
    if (known !== undefined) return known;
    if (!this.remote) return -1;
    const r = this.remote(name, 0, new Uint8Array(0));
    if (r.status < 0) return -1;
    this.sizes.set(name, r.total);
    return r.total;
  }

  read(name: string, offset: number, into: Uint8Array): number {
    this.note(name);
    const f = this.open(name);
    if (f) {
      if (offset >= f.size || into.byteLength === 0) return 0;
      const n = readSync(f.fd, into, 0, Math.min(into.byteLength, f.size - offset), offset);
      this.stats.localBytes += n;
      return n;
    }
    if (!this.remote) return -1;
    const r = this.remote(name, offset, into);
    if (r.status < 0) return -1;
    this.sizes.set(name, r.total);
    this.stats.remoteBytes += r.status;
    this.stats.remoteReads++;
    return r.status;
  }

  /** What was read since the last call, and reset. */
  take(): DataStats | undefined {
    const s = this.stats;
    this.stats = { localBytes: 0, remoteBytes: 0, remoteReads: 0, names: [] };
    return s.names.length ? s : undefined;
  }

  close(): void {
    for (const f of this.fds.values()) closeSync(f.fd);
    this.fds.clear();
  }

  private note(name: string): void {
    if (!this.stats.names.includes(name)) this.stats.names.push(name);
  }

  private open(name: string): { fd: number; size: number } | undefined {
    if (!Object.hasOwn(this.local, name)) return undefined;
    let f = this.fds.get(name);
    if (!f) {
      const fd = openSync(this.local[name], 'r');
      f = { fd, size: fstatSync(fd).size };
      this.fds.set(name, f);
    }
    return f;
  }
}
