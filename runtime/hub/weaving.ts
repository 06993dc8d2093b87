/**
 * Stay or move, decided here, by the hub that holds a running job (issue 16). Every
 * `policy.everyMs` of a run (not every yield point: half a second for the learned weaver)
 * the hub reads the yield points its slot passed since the last look from the slot's
 * shared cells (no message to the thread, nothing the run waits for), asks the policy
 * whether the job finishes sooner elsewhere, the move's own cost counted, and then records
 * that pace as a measurement (the learned weaver learns what this program runs at on this
 * hub now, noisy neighbours included, which no advert shows). A move goes only to a hub on the
 * route the job's engine signed (its ticket), so it needs no new ticket: the hand-over
 * (handover.ts) carries it, sealed to that hub, as any other. A run moves at most
 * `movesPerMinute` times a minute from here, whatever the policy says.
 *
 * Measurements are shared: every `shareEveryMs` the hub publishes its own cells of the
 * history (PaceHistory.snapshot(itself)) and merges what other hubs publish, each writer's
 * cells only under its own name (shared-history.ts), so a template's speed on each kind
 * of hub is learned from every hub, and a hub that runs slow shows against the others.
 *   const w = new Weaving({ hub: 'a', policy: weaver.reweave, learner: weaver, slots, runs, peers, self, routeOf, move, log });
 *   w.start();   ...   w.ran(run, reply);   ...   w.stop();
 */
import { livePart, movesAllowed, type HubView, type MoveOption, type PaceLearner, type PartView, type ReweavePolicy, type RunView } from '../policy/index.js';
import { boundedMap } from '../util/index.js';
import type { SlotReply } from './slot/index.js';
import type { Logger } from './log.js';
import type { PeerViews } from './peers.js';
import type { Run } from './runs.js';
import type { SlotProbe } from './slots.js';

/** Moves from this hub of one job in any minute, whatever the policy says (the safety limit). */
export const MOVES_PER_MINUTE = 4;
/** A run's first look waits this long: what it measured before is restore and warm-up. */
const FIRST_LOOK_MS = 300;
/** Jobs whose recent moves are remembered. */
const MAX_MOVED_JOBS = 4096;

export interface WeavingDeps {
  hub: string;
  policy: ReweavePolicy;
  /** What learns from the measurements (the learned weaver); absent for the fixed rule. */
  learner?: PaceLearner;
  slots: { readonly size: number; probe(slot: number): SlotProbe };
  /** The run with `tag` on `slot`, if this hub tracks one. */
  runOf: (slot: number, tag: number) => Run | undefined;
  peers: Pick<PeerViews, 'views'>;
  /** This hub as its advert shows it now. */
  self: () => HubView;
  /** The route of the job's newest ticket here: the hubs it may move to. */
  routeOf: (run: Run) => readonly string[] | undefined;
  /** Pause `run` at its next yield point and hand it to `to`. */
  move: (run: Run, to: string) => void;
  log: Logger;
}

/** What the hub measured of the run on one slot. */
interface Tracked {
  tag: number;
  /** When it was first seen running, and last looked at. */
  t0: number;
  tLast: number;
  /** The slot's yield count at the last look. */
  passed: number;
  /** Yield points passed here in this run. */
  units: number;
}

export class Weaving {
  private readonly tracked: Array<Tracked | undefined>;
  private readonly movedAt = boundedMap<string, number[]>(MAX_MOVED_JOBS);
  private timer: NodeJS.Timeout | undefined;
  /** Looks and moves so far (the hub's log and tests read them). */
  readonly counts = { looks: 0, moves: 0 };

  constructor(private readonly d: WeavingDeps) {
    this.tracked = Array.from({ length: d.slots.size }, () => undefined);
  }

  start(): void {
    this.timer ??= setInterval(() => this.look(Date.now()), Math.max(100, this.d.policy.everyMs));
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One look at every slot (the timer's; tests call it with their own clock). */
  look(now: number): void {
    for (let slot = 0; slot < this.tracked.length; slot++) {
      const p = this.d.slots.probe(slot);
      const tr = this.tracked[slot];
      if (p.tag === 0) { this.tracked[slot] = undefined; continue; }
      if (!tr || tr.tag !== p.tag) { this.tracked[slot] = { tag: p.tag, t0: now, tLast: now, passed: p.passed, units: 0 }; continue; }
      if (now - tr.t0 < FIRST_LOOK_MS) { tr.tLast = now; tr.passed = p.passed; continue; }
      const units = (p.passed - tr.passed) | 0;
      const ms = now - tr.tLast;
      tr.tLast = now;
      tr.passed = p.passed;
      const run = this.d.runOf(slot, p.tag);
      // Nothing passed: the run waits (a dataset read, a host call) or restores; a move asked is under way.
      if (!run || run.move || units <= 0 || ms <= 0) continue;
      tr.units += units;
      this.decide(run, tr, p, { units, ms }, now);
    }
  }

  /** A run ended here: its last stretch, and, when the job is done, its total size. */
  ran(run: Run, r: SlotReply): void {
    const tr = this.tracked[run.slot];
    if (!tr || tr.tag !== run.tag || r.kind !== 'ran') return;
    this.tracked[run.slot] = undefined;
    const now = Date.now();
    const units = (this.d.slots.probe(run.slot).passed - tr.passed) | 0;
    const ms = now - tr.tLast;
    if (units <= 0 || ms <= 0) return;
    this.d.log.debug('measured', { job: run.job, fragment: run.fragment, units, ms, ...(r.outcome === 'done' ? { total: r.yields } : {}) });
    this.d.learner?.observePace({ part: partOf(run), hub: this.d.self(), units, ms, t: now, ...(r.outcome === 'done' ? { total: r.yields } : {}) });
  }

  /**
   * Decide on the window just measured, then learn from it: the policy weighs a window's
   * pace against what the history said before it (a window in which the machine starved
   * the slot must not also speak as history, see LearnedWeaver.consider).
   */
  private decide(run: Run, tr: Tracked, p: SlotProbe, recent: { units: number; ms: number }, now: number): void {
    const self = this.d.self();
    const part = partOf(run);
    this.consider(run, tr, p, recent, now, self, part);
    this.d.learner?.observePace({ part, hub: self, units: recent.units, ms: recent.ms, t: now });
  }

  private consider(run: Run, tr: Tracked, p: SlotProbe, recent: { units: number; ms: number }, now: number, self: HubView, part: PartView): void {
    const route = this.d.routeOf(run);
    if (!route || route.length < 2) return;
    const candidates = this.d.peers.views(now).filter((h) => route.includes(h.id));
    if (!candidates.length) return;
    const moves = (this.movedAt.get(run.job) ?? []).filter((t) => now - t < 60_000);
    const view: RunView = {
      job: run.job,
      rest: { template: part.template, estimate: part.estimate, stateBytes: run.stateBytes ?? 0, calls: part.calls, requires: [], datasets: [], at: this.d.hub, parts: [part] },
      done: Math.max(p.jobYields, tr.units), recent, sinceMs: now - tr.t0, movesLastMinute: moves.length,
    };
    this.counts.looks++;
    if (!movesAllowed(view, MOVES_PER_MINUTE)) return;
    const d = this.d.policy.consider(view, self, candidates, now);
    if (!d.to || d.to === this.d.hub || !route.includes(d.to)) {
      this.d.log.debug('staying', { job: run.job, fragment: run.fragment, done: view.done, pace: round2(recent.units / recent.ms), stayMs: d.stayMs && Math.round(d.stayMs), leaning: d.leaning, options: describe(d.options) });
      return;
    }
    moves.push(now);
    this.movedAt.set(run.job, moves);
    this.counts.moves++;
    this.d.log.info('reweaving', {
      job: run.job, fragment: run.fragment, to: d.to, policy: d.policy, explored: d.explored, stayMs: d.stayMs && Math.round(d.stayMs),
      options: describe(d.options),
    });
    this.d.move(run, d.to);
  }
}

/** The template a run is measured under: its bundle and the fragment it started in here (live-part.ts). */
function partOf(run: Run): PartView {
  return livePart(run.bundle ?? '', run.fragment);
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** A decision's best options, for log lines. */
function describe(options: readonly MoveOption[] | undefined): string[] | undefined {
  return options?.map((o) => `${o.hub} p=${o.p.toFixed(2)} ${Number.isFinite(o.predictedMs) ? Math.round(o.predictedMs) : '?'} ms`);
}
