/**
 * The other hubs as this hub sees them, from their adverts: what a stay-or-move decision
 * weighs a running job's holder against. Adverts arrive every couple of seconds; a hub
 * not heard for three intervals, or not `ready`, is no candidate.
 *   const peers = new PeerViews('a');
 *   nc.subscribe(ADVERT_SUBJECT, { callback: (_, m) => peers.heard(m.data) });
 *   peers.views(Date.now());   // HubView[] of live, ready hubs other than 'a'
 */
import { decodeMessage, parseMessage, type HubAdvert } from '../protocol/index.js';
import { LIVE_LINK, type HubView } from '../policy/index.js';

/** Hubs remembered at once: adverts from more than this many distinct ids are not kept. */
const MAX_PEERS = 4096;
/** A hub whose advert is this many of its own intervals old is taken for gone. */
const STALE_INTERVALS = 3;

/** The view a policy takes of a hub from its advert. */
export function advertView(a: HubAdvert): HubView {
  return {
    id: a.id, slots: a.load.slots, busy: a.load.busy, queue: a.load.queue, cpu: a.load.cpu, speed: a.caps.speed ?? 1,
    caps: { avx2: !!a.caps.avx2, gpu: !!a.caps.gpu }, datasets: a.datasets, rttMs: LIVE_LINK.rttMs, mbps: LIVE_LINK.mbps,
  };
}

export class PeerViews {
  private readonly heardOf = new Map<string, { view: HubView; at: number; staleMs: number }>();

  constructor(private readonly self: string) {}

  /** An advert from the bus. Anything that is not one is ignored: noise changes no view. */
  heard(bytes: Uint8Array, now = Date.now()): void {
    let a: HubAdvert;
    try {
      a = parseMessage(decodeMessage(bytes), ['advert']);
    } catch {
      return;
    }
    if (a.id === this.self) return;
    if (a.state !== 'ready') {
      this.heardOf.delete(a.id);
      return;
    }
    if (!this.heardOf.has(a.id) && this.heardOf.size >= MAX_PEERS) this.prune(now);
    if (!this.heardOf.has(a.id) && this.heardOf.size >= MAX_PEERS) return;
    this.heardOf.set(a.id, { view: advertView(a), at: now, staleMs: STALE_INTERVALS * Math.max(500, a.everyMs) });
  }

  /** Live, ready hubs other than this one. */
  views(now = Date.now()): HubView[] {
    const out: HubView[] = [];
    for (const p of this.heardOf.values()) if (now - p.at <= p.staleMs) out.push(p.view);
    return out;
  }

  private prune(now: number): void {
    for (const [id, p] of this.heardOf) if (now - p.at > p.staleMs) this.heardOf.delete(id);
  }
}
