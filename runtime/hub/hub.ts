/**
 * A hub's core: answers protocol requests by running fragments in fresh instances.
 *
 * Holds bundles by content hash (compiled once) and, per job, the last checkpoint it sent
 * or received, so checkpoints can travel as diffs. Every failure becomes an `error` reply;
 * nothing a request carries can throw out of `handle`.
 *   const hub = new HubCore('hub-1');
 *   const reply = await hub.handle(request);
 */
import {
  applyDiff, decodeCheckpoint, diffCheckpoint, encodeCheckpoint, newCheckpointId, CheckpointError, type Checkpoint,
} from '../snapshot/index.js';
import { FragmentExecutor, FragmentTrap, loadBundle, type LoadedBundle } from '../exec/index.js';
import { PROTOCOL_VERSION, type ExecRequest, type HubReply, type HubRequest } from './protocol.js';

/** Upper bound on jobs whose base checkpoint a hub keeps. */
export const MAX_JOBS_PER_HUB = 64;

export class HubCore {
  private bundles = new Map<string, LoadedBundle>();
  private bases = new Map<string, Checkpoint>();

  /**
   * @param shouldPause polled at every yield point: true pauses the running fragment there
   *   (a draining hub hands its work back this way).
   */
  constructor(readonly id: string, private readonly shouldPause: () => boolean = () => false) {}

  async handle(req: HubRequest): Promise<HubReply> {
    try {
      if (!req || typeof req !== 'object') return this.error('bad-request', 'request is not an object');
      if (req.v !== PROTOCOL_VERSION) return this.error('version', `protocol version ${req.v} is not supported (hub speaks ${PROTOCOL_VERSION})`);
      switch (req.kind) {
        case 'ping': return { kind: 'pong', v: PROTOCOL_VERSION, hub: this.id };
        case 'drop-job': this.bases.delete(req.job); return { kind: 'ok', v: PROTOCOL_VERSION };
        case 'exec': return await this.exec(req);
        default: return this.error('bad-request', `unknown request kind '${(req as any).kind}'`);
      }
    } catch (err) {
      if (err instanceof FragmentTrap) return { kind: 'error', v: PROTOCOL_VERSION, code: 'trap', message: err.message, fragment: err.fragment, entry: err.entry };
      if (err instanceof CheckpointError) return this.error(`checkpoint-${err.code}`, err.message);
      return this.error('exec', err instanceof Error ? err.message : String(err));
    }
  }

  private error(code: string, message: string): HubReply {
    return { kind: 'error', v: PROTOCOL_VERSION, code, message };
  }

  private async exec(req: ExecRequest): Promise<HubReply> {
    let bundle = this.bundles.get(req.bundle);
    if (!bundle) {
      if (!req.bundleBytes) return { kind: 'need-bundle', v: PROTOCOL_VERSION, bundle: req.bundle };
      bundle = await loadBundle(req.bundleBytes);
      if (bundle.hash !== req.bundle) return this.error('bundle-hash', `bundle bytes hash to ${bundle.hash}, not ${req.bundle}`);
      this.bundles.set(bundle.hash, bundle);
    }
    const module = await bundle.fragmentModule(req.fragment);
    const x = await FragmentExecutor.create(module, bundle.manifest, { seed: req.seed });
    let sent: Checkpoint | undefined;
    if (req.checkpoint) {
      const cp = decodeCheckpoint(req.checkpoint);
      if (cp.kind === 'diff') {
        const base = this.bases.get(req.job);
        if (!base) return this.error('no-base', `job ${req.job}: got a diff but this hub holds no base checkpoint`);
        sent = applyDiff(base, cp);
      } else {
        sent = cp;
      }
      if (sent.bundle !== bundle.hash) return this.error('bundle-mismatch', 'checkpoint belongs to another bundle');
      x.restore(sent);
    } else {
      x.start(req.entry, req.args ?? []);
    }
    const every = req.migrateEvery;
    const t0 = performance.now();
    const resumedAt = performance.timeOrigin + t0;
    const pause = this.shouldPause;
    const out = x.run(req.fragment, { pauseAtYield: (n) => (every > 0 && n % every === 0) || pause() });
    const execMs = performance.now() - t0;
    const pausedAt = out.kind === 'paused' ? performance.timeOrigin + performance.now() : undefined;
    const fragment = out.kind === 'done' ? -1 : out.kind === 'paused' ? out.fragment : out.next;
    const after = x.capture({
      id: newCheckpointId(), bundle: bundle.hash, entry: req.entry,
      fragment: Math.max(fragment, 0), paused: out.kind === 'paused',
    });
    // Keep only the newest state per job: memory stays at about two copies per job.
    if (!this.bases.has(req.job) && this.bases.size >= MAX_JOBS_PER_HUB) this.bases.delete(this.bases.keys().next().value!);
    this.bases.set(req.job, after);
    const wire = sent ? diffCheckpoint(sent, after) : after;
    return {
      kind: 'ran', v: PROTOCOL_VERSION, outcome: out.kind, fragment,
      checkpoint: encodeCheckpoint(wire),
      result: out.kind === 'done' ? x.result(req.entry).bytes : undefined,
      execMs, yields: x.yields, resumedAt, pausedAt,
    };
  }
}
