/**
 * What an engine knows of each hub's life: its newest advert and its newest heartbeat, and
 * from them whether a hub can take work and whether the hub holding a job is lost. Kept
 * apart from the NATS side (nats-mesh.ts) so that every rule here is tested with a clock
 * of the test's own, in the orders a loaded machine delivers messages in.
 *   const live = new HubLiveness();
 *   live.advert(advert, Date.now());  live.beat(beat, Date.now());
 *   live.silent('a', Date.now());     // a hub that beats, gone quiet while others beat
 *   live.replaced('a', Date.now());    // another process of it beats, not yet advertised
 *   live.lost('a', boots, Date.now()); // why the job's holder is lost, or undefined
 */
import { heartbeatStatement, verify } from '../net/index.js';
import type { HeartbeatMessage, HubAdvert } from '../protocol/index.js';

/** Adverts missing for this many intervals mean the hub is gone (hubs that do not beat). */
export const MISSED_ADVERTS = 3;
/**
 * Heartbeats missing for this many intervals mean the hub holding a job is gone, but only
 * while other hubs' beats still arrive: when none does, the silence is this engine's or
 * the network's, and nobody is taken for dead.
 */
export const MISSED_BEATS = 4;
/**
 * After beats of every hub stopped and came back (a server restart, this engine stalled),
 * a hub not beating again this long after the others is lost. A live hub's heartbeat
 * connection retries every 50 ms (heartbeat-thread.ts), so it is back long before.
 */
export const RESUME_GRACE_MS = 1600;
/** Hubs whose beat before their first advert is kept (ids are anyone's to make up: bounded). */
const MAX_EARLY = 256;

export interface Seen { advert: HubAdvert; at: number }
/** A hub's newest heartbeat: when it came, from which process and at what sequence, how often it beats. */
export interface Beat { at: number; boot: string; seq: number; everyMs: number }

export class HubLiveness {
  private readonly seen = new Map<string, Seen>();
  private readonly beats = new Map<string, Beat>();
  /** When the last beat of any hub came, and when beats came again after none came for a while. */
  private lastBeatAt = 0;
  private beatsResumedAt = 0;
  /**
   * Per hub id, the newest beat of a process not heard advertising yet (a restarted hub
   * beats first, then advertises), checked and taken when its advert comes. Without it a
   * hub paused right after its first beat had no beats at all: judged by its adverts, it
   * was placed on and held a job for 6 s in a chaos run. At most MAX_EARLY hubs.
   */
  private readonly early = new Map<string, { b: Omit<HeartbeatMessage, 'kind' | 'v'>; at: number }>();

  /**
   * Take an advert; false when it is refused: a hub's keys are pinned while it lives, so an
   * advert with other keys for a hub id that is still advertising is an impostor's (a
   * restarted hub has other keys, but only after its old adverts lapsed).
   */
  advert(advert: HubAdvert, now: number): boolean {
    const prev = this.seen.get(advert.id);
    const fresh = prev && now - prev.at < MISSED_ADVERTS * prev.advert.everyMs && prev.advert.state !== 'stopped';
    if (fresh && (!sameKeys(prev.advert.keys, advert.keys) || !sameKey(prev.advert.signer, advert.signer))) return false;
    this.seen.set(advert.id, { advert, at: now });
    // Beats of another boot under this id are the previous process's (a restarted hub
    // advertises only once its own beats flow): judged by them, the new process would be
    // taken for silent, or for restarted the moment its first beat came.
    if (this.beats.get(advert.id)?.boot !== advert.boot) this.beats.delete(advert.id);
    const e = this.early.get(advert.id);
    if (e?.b.boot === advert.boot) {
      this.early.delete(advert.id);
      this.beat(e.b, e.at);
    }
    return true;
  }

  /**
   * Take a heartbeat; false when it is refused: not signed by the key the hub advertises
   * (a beat of a hub not heard advertising yet waits for its advert), or not newer than the
   * last of the same process (a replay). Forged or replayed beats would keep a dead hub
   * holding a job "alive" for ever.
   */
  beat(b: Omit<HeartbeatMessage, 'kind' | 'v'>, now: number): boolean {
    const s = this.seen.get(b.hub);
    const key = s?.advert.signer ?? s?.advert.keys?.sign;
    if (!key || !verify(key, heartbeatStatement(b), b.sig)) {
      // A process this engine has no advert of yet: kept (newest only) until its advert.
      if (s?.advert.boot !== b.boot && (this.early.get(b.hub)?.b.seq ?? -1) < b.seq) {
        this.early.delete(b.hub);
        this.early.set(b.hub, { b, at: now });
        if (this.early.size > MAX_EARLY) this.early.delete(this.early.keys().next().value!);
        this.heard(now, b.everyMs);
      }
      return false;
    }
    const last = this.beats.get(b.hub);
    if (last && last.boot === b.boot && b.seq <= last.seq) return false;
    this.heard(now, b.everyMs);
    this.beats.set(b.hub, { at: now, boot: b.boot, seq: b.seq, everyMs: b.everyMs });
    return true;
  }

  /**
   * A beat came (a restarted hub's early ones too: they show the bus is alive). After
   * nothing at all for a while (a server restart, this engine stalled), the beats missed
   * before now say nothing about any one hub. Early beats count here since a chaos run
   * where the only hub left beating was a restarted one: when its advert was taken, its
   * first verified beat looked like beats resuming after a silence, and the paused holder
   * got 1.6 s of grace more (found 2.4 s after it stopped).
   */
  private heard(now: number, everyMs: number): void {
    if (now - this.lastBeatAt > MISSED_BEATS * everyMs) this.beatsResumedAt = now;
    this.lastBeatAt = Math.max(this.lastBeatAt, now);
  }

  /** Hub `id`'s newest advert, however old. */
  advertOf(id: string): Seen | undefined {
    return this.seen.get(id);
  }

  /** Every hub heard from recently and not stopped, sorted by id. */
  adverts(now: number): HubAdvert[] {
    return [...this.seen.values()]
      .filter((s) => s.advert.state !== 'stopped' && now - s.at < MISSED_ADVERTS * s.advert.everyMs)
      .map((s) => s.advert)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Hub `h` beats, but its beats stopped while others' still come. */
  silent(h: string, now: number): boolean {
    const b = this.beats.get(h);
    if (!b || now - b.at <= MISSED_BEATS * b.everyMs) return false;
    return this.heardOthers(h, b);
  }

  /**
   * Another process of hub `h` beats (not taken yet: its advert is refused while the old
   * one's lasts) and the advertised process has not beaten since: the advertised process is
   * gone, and what is sealed to its keys the new one cannot open. A hub killed 126 ms
   * after it started, and started again, was placed on from its old advert for 5 s in a
   * chaos run (each try refused as tampered). The beat is not verified, so it only keeps
   * new work away from a hub whose own beats have stopped (two intervals missed).
   */
  replaced(h: string, now: number): boolean {
    const e = this.early.get(h);
    const s = this.seen.get(h);
    if (!e || !s || e.b.boot === s.advert.boot) return false;
    const b = this.beats.get(h);
    return !b || (b.at < e.at && now - b.at > 2 * b.everyMs);
  }

  /**
   * Why hub `h`, holding a job, is lost; undefined while it lives. `boots`: the process
   * each hub was first heard from while it held the job (another one is a restart).
   */
  lost(h: string, boots: Map<string, string>, now: number): string | undefined {
    const b = this.beats.get(h);
    const s = this.seen.get(h);
    if (s?.advert.state === 'stopped') return `hub ${h} stopped while holding the job`;
    // The process holding the job, by its beats or else its adverts.
    const boot = b?.boot ?? s?.advert.boot;
    if (boot !== undefined) {
      const first = boots.get(h);
      if (first === undefined) boots.set(h, boot);
      else if (first !== boot) return `hub ${h} restarted while holding the job`;
    }
    if (b) {
      const silentMs = now - b.at;
      if (silentMs <= MISSED_BEATS * b.everyMs) return undefined;
      if (this.heardOthers(h, b)) return `hub ${h} missed ${Math.floor(silentMs / b.everyMs)} heartbeats while holding the job`;
      if (s && now - s.at <= MISSED_ADVERTS * s.advert.everyMs) return undefined;
      return `hub ${h} went silent (no heartbeats or adverts) while holding the job`;
    }
    if (!s || now - s.at > MISSED_ADVERTS * s.advert.everyMs) return `hub ${h} stopped advertising while holding the job`;
    return undefined;
  }

  /**
   * This engine heard other hubs' beats all along since `h`'s last one (`b`), or since
   * beats came back after every hub's stopped: the silence is `h`'s.
   */
  private heardOthers(h: string, b: Beat): boolean {
    // Another hub's beat came after `h` should have beaten MISSED_BEATS times: not this
    // engine's stall (timers run before the beats queued meanwhile are read). When every
    // hub fell silent after `h`'s last beat, `h`'s silence counts from when beats came
    // back, plus RESUME_GRACE_MS for its heartbeat connection to reconnect: a hub killed
    // just before a server restart was found only when its adverts lapsed, 5.3 s after
    // the kill in a chaos run.
    const since = this.beatsResumedAt > b.at ? this.beatsResumedAt + RESUME_GRACE_MS : b.at + MISSED_BEATS * b.everyMs;
    // A restarted hub's beats, before its advert is taken (early), are not verified, but
    // they show that this engine and the bus are alive: in a chaos run a hub killed while
    // the two others were paused and the third restarting was found 3.8 s late, though
    // the new process beat all along. (Only the silence of `h` itself is judged by them.)
    return [...this.beats].some(([id, o]) => id !== h && o.at > since) || [...this.early].some(([id, e]) => id !== h && e.at > since);
  }
}

function sameKeys(a?: { sign: Uint8Array; seal: Uint8Array }, b?: { sign: Uint8Array; seal: Uint8Array }): boolean {
  if (!a || !b) return !a && !b;
  return Buffer.from(a.sign).equals(Buffer.from(b.sign)) && Buffer.from(a.seal).equals(Buffer.from(b.seal));
}

function sameKey(a?: Uint8Array, b?: Uint8Array): boolean {
  return !a || !b ? !a && !b : Buffer.from(a).equals(Buffer.from(b));
}
