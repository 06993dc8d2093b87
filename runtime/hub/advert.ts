/**
 * What a hub tells the mesh about itself: its state, capabilities, load, datasets,
 * labels, the job keys it runs and its public keys, published every `everyMs` and on
 * every change of state, and given to whoever asks (`discover`). Engines drop a hub that
 * misses three intervals.
 *   const adverts = new Advertiser(() => advert, (bytes) => wire.publish(ADVERT_SUBJECT, bytes), 2000, log);
 *   adverts.start();   …   adverts.publish();   adverts.stop();
 */
import os from 'node:os';
import type { PublicIdentity } from '../net/index.js';
import { PROTOCOL_VERSION, encodeMessage, type HubAdvert, type HubState } from '../protocol/index.js';
import type { Capabilities } from './capabilities.js';
import type { Logger } from './log.js';
import type { SlotLoad } from './metrics.js';
import type { HubView } from '../policy/index.js';
import { advertView } from './peers.js';

/** What an advert is made of, read when it is made. */
export interface AdvertSource {
  id: string;
  state: () => HubState;
  caps: Capabilities;
  slots: () => SlotLoad;
  /** Jobs with a slot here, and bytes of base checkpoints held. */
  jobs: () => number;
  heldBytes: () => number;
  running: () => string[];
  counters: () => { dataRemoteBytes: number; gpuCalls: number };
  datasets: string[];
  labels: Record<string, string>;
  keys: PublicIdentity | undefined;
  /** The result-signing key (every hub has one). */
  signer?: Uint8Array;
  everyMs: number;
  startedAt: number;
  /** This process's boot id, as its heartbeats carry it. */
  boot: string;
  /** The hub decides stay or move itself (`--reweave`), undefined when engines do. */
  reweave?: 'fixed' | 'learned';
}

const MIB = 1 << 20;

export function makeAdvert(s: AdvertSource): HubAdvert {
  const { running: busy, queued: queue, slots } = s.slots();
  return {
    kind: 'advert', v: PROTOCOL_VERSION, id: s.id, state: s.state(), caps: s.caps,
    load: {
      slots, busy, queue, cpu: os.loadavg()[0] / s.caps.cores, jobs: s.jobs(),
      rssMiB: Math.round(process.memoryUsage.rss() / MIB), heldMiB: Math.round(s.heldBytes() / MIB), ...s.counters(),
    },
    datasets: s.datasets, labels: s.labels, running: s.running(), keys: s.keys, signer: s.signer, everyMs: s.everyMs, startedAt: s.startedAt, boot: s.boot,
    ...(s.reweave ? { reweave: s.reweave } : {}),
  };
}

export class Advertiser {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly source: AdvertSource, private readonly send: (bytes: Uint8Array) => void, private readonly log: Logger) {}

  /** This hub as a policy sees it in the advert now. */
  view(): HubView {
    return advertView(makeAdvert(this.source));
  }

  /** The advert as it is now, encoded (for `discover` replies too). */
  encoded(): Uint8Array {
    return encodeMessage(makeAdvert(this.source));
  }

  /** Publish now; a failure is logged (the next interval tries again). */
  publish(): void {
    try {
      this.send(this.encoded());
    } catch (e) {
      this.log.warn('cannot publish advert', { error: (e as Error).message });
    }
  }

  /** Publish now and every `everyMs`. */
  start(): void {
    this.publish();
    this.timer ??= setInterval(() => this.publish(), this.source.everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
