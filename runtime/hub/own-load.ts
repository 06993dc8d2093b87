/**
 * The load an engine put on hubs since their last adverts. An advert is up to 2 s old and
 * jobs may arrive every few ms: without this, every job placed between two adverts sees
 * the same idle hub and goes there, and every job that ended still counts as running. So
 * the engine adds what it placed since a hub's advert, and takes off what it counted that
 * has finished since; the next advert replaces both.
 *   const own = new OwnLoad();
 *   const token = own.placed('a', 120);   ...   own.finished('a', token);
 *   own.advert('a');  const load = own.apply('a', advert.load);
 */

export interface LoadFigures {
  slots: number;
  busy: number;
  queue: number;
  queuedWork?: number;
  runningWork?: number;
}

interface PerHub {
  /** Placed after the hub's last advert, still running: token -> work (speed-1 ms), undefined if unknown. */
  fresh: Map<number, number | undefined>;
  /** Placed before it (so the advert counts them), still running. */
  counted: Map<number, number | undefined>;
  /** Counted by the advert, finished since. */
  done: Array<number | undefined>;
}

export class OwnLoad {
  private readonly hubs = new Map<string, PerHub>();
  private next = 1;

  private of(hub: string): PerHub {
    let h = this.hubs.get(hub);
    if (!h) this.hubs.set(hub, (h = { fresh: new Map(), counted: new Map(), done: [] }));
    return h;
  }

  /** A job of `workMs` (undefined: unknown) was sent to `hub`; the token ends it. */
  placed(hub: string, workMs: number | undefined): number {
    const token = this.next++;
    this.of(hub).fresh.set(token, workMs);
    return token;
  }

  /** The job `token` left `hub` (it ended, or moved on). Repeating it does nothing. */
  finished(hub: string, token: number): void {
    const h = this.hubs.get(hub);
    if (!h) return;
    if (h.fresh.delete(token)) return;
    if (h.counted.has(token)) {
      h.done.push(h.counted.get(token));
      h.counted.delete(token);
    }
  }

  /** `hub` advertised: it counts every job placed so far that runs there. */
  advert(hub: string): void {
    const h = this.hubs.get(hub);
    if (!h) return;
    for (const [t, w] of h.fresh) h.counted.set(t, w);
    h.fresh.clear();
    h.done = [];
    if (!h.counted.size) this.hubs.delete(hub);
  }

  /**
   * The advertised `load` with this engine's changes since: each finished job frees a slot
   * (or, with a queue, lets the next run), each new one takes a free slot or queues. Work
   * totals stay only while every job involved has an estimate.
   */
  apply<L extends LoadFigures>(hub: string, load: L): L {
    const h = this.hubs.get(hub);
    if (!h || (!h.fresh.size && !h.done.length)) return load;
    let { busy, queue, queuedWork, runningWork } = load;
    const unknown = () => { queuedWork = runningWork = undefined; };
    for (const w of h.done) {
      if (w === undefined) unknown();
      else if (runningWork !== undefined) runningWork = Math.max(0, runningWork - w);
      if (queue > 0) {
        // A queued run takes the slot: an average one's work moves from queued to running.
        if (queuedWork !== undefined && runningWork !== undefined) {
          const next = queuedWork / queue;
          queuedWork -= next;
          runningWork += next;
        }
        queue--;
      } else {
        busy = Math.max(0, busy - 1);
      }
    }
    for (const w of h.fresh.values()) {
      const running = busy < load.slots;
      if (running) busy++;
      else queue++;
      if (w === undefined) unknown();
      else if (running && runningWork !== undefined) runningWork += w;
      else if (!running && queuedWork !== undefined) queuedWork += w;
    }
    return { ...load, busy, queue, queuedWork, runningWork };
  }
}
