/**
 * The load an engine put on hubs since their last adverts. An advert is up to 2 s old and
 * jobs may arrive every few ms: without this, every job placed between two adverts sees
 * the same idle hub and goes there, and every job that ended still counts as running. So
 * the engine adds what it placed since a hub's advert, and takes off what it counted that
 * has finished since; the next advert replaces both.
 *   const own = new OwnLoad();
 *   const token = own.placed('a');   ...   own.finished('a', token);
 *   own.advert('a');  const load = own.apply('a', advert.load);
 */

export interface LoadFigures {
  slots: number;
  busy: number;
  queue: number;
}

interface PerHub {
  /** Tokens of jobs placed after the hub's last advert, still there. */
  fresh: Set<number>;
  /** Placed before it (so the advert counts them), still there. */
  counted: Set<number>;
  /** Jobs the advert counted that have left since. */
  done: number;
}

export class OwnLoad {
  private readonly hubs = new Map<string, PerHub>();
  private next = 1;

  private of(hub: string): PerHub {
    let h = this.hubs.get(hub);
    if (!h) this.hubs.set(hub, (h = { fresh: new Set(), counted: new Set(), done: 0 }));
    return h;
  }

  /** A job was sent to `hub`; the token ends it. */
  placed(hub: string): number {
    const token = this.next++;
    this.of(hub).fresh.add(token);
    return token;
  }

  /** The job `token` left `hub` (it ended, or moved on). Repeating it does nothing. */
  finished(hub: string, token: number): void {
    const h = this.hubs.get(hub);
    if (!h || h.fresh.delete(token)) return;
    if (h.counted.delete(token)) h.done++;
  }

  /** `hub` advertised: it counts every job placed so far that runs there. */
  advert(hub: string): void {
    const h = this.hubs.get(hub);
    if (!h) return;
    for (const t of h.fresh) h.counted.add(t);
    h.fresh.clear();
    h.done = 0;
    if (!h.counted.size) this.hubs.delete(hub);
  }

  /**
   * The advertised `load` with this engine's changes since: each job that left frees a
   * slot (or, with a queue, lets the next run), each new one takes a free slot or queues.
   */
  apply<L extends LoadFigures>(hub: string, load: L): L {
    const h = this.hubs.get(hub);
    if (!h || (!h.fresh.size && !h.done)) return load;
    let { busy, queue } = load;
    for (let i = 0; i < h.done; i++) {
      if (queue > 0) queue--;
      else busy = Math.max(0, busy - 1);
    }
    for (let i = 0; i < h.fresh.size; i++) {
      if (busy < load.slots) busy++;
      else queue++;
    }
    return { ...load, busy, queue };
  }
}
