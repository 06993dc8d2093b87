/**
 * A job's timeline, drawn from its events: one lane per hub, fragment runs as bars,
 * checkpoints as ticks, migrations as arrows between lanes, recoveries and retries marked.
 * Pure: events in, a self-contained SVG (or an HTML page around it) out.
 *   const svg = renderSvg(parseTrace(text, file));
 *   writeFileSync('job.html', renderHtml(events, { title: 'job.ndjson' }));
 */
import type { CheckpointEvent, FailedEvent, JobEvent, JobStartEvent, MigrationReason, ResultEvent } from './events.js';
import { TraceError } from './errors.js';
import { round3 } from './events.js';

export interface RenderOptions {
  /** The job to draw; needed only when the events hold several. */
  job?: string;
  /** Width of the time axis, px. @default 960 */
  width?: number;
  /** The HTML page's title. @default the job id */
  title?: string;
}

/** A run of a fragment on a hub. `state`: `failed` when a retry or recovery ended it,
 *  `open` when the trace ends before it does. */
export interface Bar {
  hub: string; fragment: number; start: number; end: number; ms: number;
  state: 'done' | 'failed' | 'open'; outcome?: 'next' | 'paused' | 'done'; yields?: number;
  /** What of `ms` the hub spent executing (the rest: transfer, restore, a cold start). */
  execMs?: number;
  /** What of `ms` passed before the run began on the hub (bundle, compile, instance,
   *  restore): drawn apart, at the bar's start. */
  startupMs?: number;
}

/** What is drawn, in epoch ms; `timeline` is the pure model `renderSvg` lays out. */
export interface Timeline {
  job: string;
  start?: JobStartEvent;
  result?: ResultEvent;
  failed?: FailedEvent;
  t0: number;
  t1: number;
  lanes: string[];
  bars: Bar[];
  checkpoints: Array<{ hub: string; t: number; bytes: number; stored: boolean; yields?: number }>;
  migrations: Array<{ from: string; to: string; t: number; bytes: number; pauseToResumeMs?: number; reason: MigrationReason }>;
  recoveries: Array<{ hub: string; t: number; attempt: number; fromYields: number; fromStore: boolean }>;
  retries: Array<{ hub: string; t: number; code: string; message: string }>;
}

/** The events of one job as a timeline. Throws TraceError when there is no job, or several and no `job`. */
export function timeline(events: JobEvent[], job?: string): Timeline {
  const jobs = [...new Set(events.map((e) => e.job))];
  if (!jobs.length) throw new TraceError('no job events');
  if (job === undefined && jobs.length > 1) throw new TraceError(`the events are of ${jobs.length} jobs (${jobs.join(', ')}); pick one`);
  const id = job ?? jobs[0];
  if (!jobs.includes(id)) throw new TraceError(`no events of job '${id}'; jobs are: ${jobs.join(', ')}`);
  const mine = events.filter((e) => e.job === id);
  const tl: Timeline = { job: id, t0: Infinity, t1: -Infinity, lanes: [], bars: [], checkpoints: [], migrations: [], recoveries: [], retries: [] };
  const starts = new Map<string, Array<{ t: number; fragment: number }>>();
  const ends = new Map<string, number>();
  const used = new Set<string>();
  const seen = (t: number) => { tl.t0 = Math.min(tl.t0, t); tl.t1 = Math.max(tl.t1, t); };
  for (const e of mine) {
    seen(e.t);
    switch (e.kind) {
      case 'job-start': tl.start ??= e; break;
      case 'result': tl.result = e; break;
      case 'failed': tl.failed = e; break;
      case 'fragment-start':
        used.add(e.hub);
        push(starts, e.hub, { t: e.t, fragment: e.fragment });
        break;
      case 'fragment-end': {
        used.add(e.hub);
        ends.set(e.hub, (ends.get(e.hub) ?? 0) + 1);
        const start = e.t - e.ms;
        seen(start);
        // Not checked by the parser (older traces lack it): only a sane value is drawn.
        const startupMs = typeof e.startupMs === 'number' && e.startupMs > 0 && e.startupMs <= e.ms ? e.startupMs : undefined;
        tl.bars.push({ hub: e.hub, fragment: e.fragment, start, end: e.t, ms: e.ms, state: 'done', outcome: e.outcome, yields: e.yields, execMs: e.execMs, startupMs });
        break;
      }
      case 'checkpoint': used.add(e.hub); tl.checkpoints.push(pick(e)); break;
      case 'migration':
        used.add(e.from).add(e.to);
        if (e.pauseToResumeMs !== undefined) seen(e.t + e.pauseToResumeMs);
        tl.migrations.push({ from: e.from, to: e.to, t: e.t, bytes: e.bytes, pauseToResumeMs: e.pauseToResumeMs, reason: e.reason });
        break;
      case 'recovery':
        used.add(e.hub);
        tl.recoveries.push({ hub: e.hub, t: e.t, attempt: e.attempt, fromYields: e.fromYields, fromStore: e.fromStore });
        break;
      case 'retry':
        used.add(e.hub);
        tl.retries.push({ hub: e.hub, t: e.t, code: e.code, message: e.message });
        break;
    }
  }
  // A run that started and never ended: the last starts of its hub beyond the ends seen.
  // It ended at the hub's next retry or recovery (failed), or is still running (open).
  for (const [hub, list] of starts) {
    const open = list.length - (ends.get(hub) ?? 0);
    for (const s of list.slice(Math.max(0, list.length - open))) {
      const stop = [...tl.retries, ...tl.recoveries].filter((x) => x.hub === hub && x.t >= s.t).sort((a, b) => a.t - b.t)[0];
      const end = stop ? stop.t : tl.t1;
      tl.bars.push({ hub, fragment: s.fragment, start: s.t, end, ms: end - s.t, state: stop ? 'failed' : 'open' });
    }
  }
  tl.bars.sort((a, b) => a.start - b.start);
  // Lanes in the order the job saw the hubs, then any others as they appeared.
  tl.lanes = [...(tl.start?.hubs ?? []).filter((h) => used.has(h)), ...[...used].filter((h) => !tl.start?.hubs.includes(h))];
  if (!Number.isFinite(tl.t0)) tl.t0 = tl.t1 = 0;
  return tl;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function pick(e: CheckpointEvent): Timeline['checkpoints'][number] {
  return { hub: e.hub, t: e.t, bytes: e.bytes, stored: e.stored, yields: e.yields };
}

// Layout, px.
const LEFT = 150;
const RIGHT = 90;
const TOP = 64;
const LANE_H = 76;
const BAR_H = 26;
/** Bar top within its lane: room above for arrow labels, below for checkpoint labels. */
const BAR_Y = 18;
const BOTTOM = 40;
const MIN_BAR_PX = 2;
const FONT = 11;
/** Line height of two-line labels. */
const LINE_H = 11;
/** Average advance of a character of the sans-serif font, per px of font size. */
const CHAR_EM = 0.6;
/** Width a shortened start-up takes on the axis, whatever its length. */
const BREAK_PX = 64;
/** A start-up is shortened when it is longer than this share of the job, nothing else happens meanwhile. */
const BREAK_SHARE = 0.2;
const FILLS = ['#9ecae1', '#fdd0a2', '#a1d99b', '#dadaeb', '#fcbba1', '#c7e9c0', '#fee391', '#d9d9d9'];
const REASON_COLORS: Record<MigrationReason, string> = {
  'migrate-every': '#2b5d8a', placement: '#2b5d8a', reweave: '#6a3d9a', handover: '#2b5d8a', recovery: '#c0392b', retry: '#d35400',
};

interface Box { x0: number; y0: number; x1: number; y1: number }

/**
 * The timeline as an SVG document. Elements carry stable classes and data attributes:
 * `g.lane[data-hub]`, `rect.bar[data-hub][data-fragment][data-ms]`,
 * `line.checkpoint[data-hub][data-bytes]`, `line.migration[data-from][data-to][data-bytes]`,
 * `g.recovery[data-hub]`, `g.retry[data-hub]`. Throws TraceError as `timeline` does.
 */
export function renderSvg(events: JobEvent[], opts: RenderOptions = {}): string {
  const tl = timeline(events, opts.job);
  const plotW = opts.width ?? 960;
  const width = LEFT + plotW + RIGHT;
  const height = TOP + Math.max(1, tl.lanes.length) * LANE_H + BOTTOM;
  const span = Math.max(tl.t1 - tl.t0, 1e-3);
  // A long start-up (the first run compiles the bundle) would squeeze the job's real work
  // into a sliver: its quiet middle is drawn BREAK_PX wide and the axis broken there.
  const gaps = axisBreaks(tl);
  const x = timeScale(tl.t0, span, plotW, gaps);
  const lane = new Map(tl.lanes.map((h, i) => [h, i]));
  const barTop = (hub: string) => TOP + lane.get(hub)! * LANE_H + BAR_Y;
  /** Drawn things labels must not cover, and the labels placed so far. */
  const taken: Box[] = [];
  const block = (x0: number, y0: number, x1: number, y1: number) => taken.push({ x0, y0, x1, y1 });
  /** Labels wait until every shape is drawn, then each takes the first free spot it has. */
  const labels: Array<{ cls: string; size: number; fill: string; tries: Array<{ lines: string[]; spots: Array<[number, number]> }> }> = [];
  const textW = (s: string, size = FONT) => s.length * size * CHAR_EM;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="weave-trace" data-job="${esc(tl.job)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="${FONT}">`);
  out.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker>' +
    '<pattern id="startup" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#eef0f2"/><line x1="0" y1="0" x2="0" y2="6" stroke="#c9ced4" stroke-width="2"/></pattern></defs>');
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text class="heading" x="12" y="22" font-size="14" font-weight="600" fill="#111">${esc(heading(tl))}</text>`);
  out.push(`<text class="summary" x="12" y="40" fill="#444">${esc(summary(tl))}</text>`);

  // Lanes, then the time grid over them, then what happened on top.
  tl.lanes.forEach((hub, i) => {
    const y = TOP + i * LANE_H;
    out.push(`<g class="lane" data-hub="${esc(hub)}"><rect x="0" y="${y}" width="${width}" height="${LANE_H}" fill="${i % 2 ? '#ffffff' : '#f4f6f8'}"/>` +
      `<text class="lane-label" x="12" y="${y + BAR_Y + BAR_H / 2 + 4}" font-weight="600" fill="#222">${esc(clip(hub, LEFT - 20))}</text></g>`);
  });
  const gridBottom = TOP + tl.lanes.length * LANE_H;
  out.push('<g class="axis">');
  for (const tick of ticks(span - gaps.reduce((a, g) => a + g.t1 - g.t0, 0), span)) {
    if (gaps.some((g) => tl.t0 + tick > g.t0 - 1e-9 && tl.t0 + tick < g.t1 + 1e-9)) continue;
    const tx = x(tl.t0 + tick);
    out.push(`<line x1="${f(tx)}" y1="${TOP}" x2="${f(tx)}" y2="${gridBottom + 4}" stroke="#d0d4d8" stroke-width="1"/>`);
    out.push(`<text x="${f(tx)}" y="${gridBottom + 18}" text-anchor="middle" fill="#555">${esc(fmtMs(tick, span))}</text>`);
  }
  for (const g of gaps) {
    // The break: two slashes across the axis, and what was left out.
    const gx = (x(g.t0) + x(g.t1)) / 2;
    out.push(`<g class="axis-break" data-ms="${round3(g.t1 - g.t0)}"><title>${esc(`${fmtMs(g.t1 - g.t0)} of start-up drawn shortened`)}</title>` +
      `<rect x="${f(gx - 7)}" y="${gridBottom - 2}" width="14" height="10" fill="#ffffff"/>` +
      `<path d="M${f(gx - 7)},${gridBottom + 7} l5,-9 M${f(gx + 2)},${gridBottom + 7} l5,-9" stroke="#555" stroke-width="1.2"/></g>`);
  }
  out.push('</g>');

  out.push('<g class="bars">');
  for (const b of tl.bars) {
    const y = barTop(b.hub);
    const runStart = b.start + (b.startupMs ?? 0);
    // Where the run's bar begins: at its start-up's right edge when there is one, which a
    // start-up under MIN_BAR_PX pushes a little to the right of runStart's own x.
    let bx = x(runStart);
    if (b.startupMs) {
      const sx = x(b.start);
      const sw = Math.max(MIN_BAR_PX, x(runStart) - sx);
      block(sx, y, sx + sw, y + BAR_H);
      const tip = `start-up of fragment ${b.fragment} on ${b.hub}: ${fmtMs(b.startupMs)} before the run began (bundle compiled, instance made, state restored)`;
      out.push(`<rect class="startup" data-hub="${esc(b.hub)}" data-fragment="${b.fragment}" data-ms="${round3(b.startupMs)}" x="${f(sx)}" y="${y + 4}" width="${f(sw)}" height="${BAR_H - 8}" rx="2" fill="url(#startup)" stroke="#8a949e" stroke-width="1"><title>${esc(tip)}</title></rect>`);
      const words = [`start-up · ${fmtMs(b.startupMs)}`, 'start-up'].find((t) => textW(t, 10) + 8 <= sw);
      if (words) out.push(`<text class="startup-label" x="${f(sx + 4)}" y="${y + BAR_H / 2 + 4}" font-size="10" fill="#333" pointer-events="none">${esc(words)}</text>`);
      bx = sx + sw;
    }
    const bw = Math.max(MIN_BAR_PX, x(b.end) - bx);
    block(bx, y, bx + bw, y + BAR_H);
    const fill = b.fragment >= 0 ? FILLS[b.fragment % FILLS.length] : '#eeeeee';
    const dash = b.state === 'done' ? '' : ' stroke-dasharray="4 3"';
    const what = b.state === 'open' ? 'still running when the trace ends' : b.state === 'failed' ? 'failed (retried elsewhere)' : `${b.outcome === 'paused' ? 'paused' : b.outcome === 'done' ? 'done: the result' : 'ended'}${b.yields === undefined ? '' : `, ${b.yields} yields so far`}`;
    out.push(`<rect class="bar${b.state === 'done' ? '' : ` ${b.state}`}" data-hub="${esc(b.hub)}" data-fragment="${b.fragment}" data-ms="${round3(b.ms)}" x="${f(bx)}" y="${y}" width="${f(bw)}" height="${BAR_H}" rx="3" fill="${fill}" fill-opacity="${b.state === 'done' ? 1 : 0.55}" stroke="#3b4a5a" stroke-width="1"${dash}>` +
      `<title>fragment ${b.fragment} on ${esc(b.hub)}: ${esc(fmtMs(b.ms))}${b.startupMs ? ` (${esc(fmtMs(b.startupMs))} start-up, then ${esc(fmtMs(b.ms - b.startupMs))} running)` : ''}${b.execMs !== undefined && b.execMs < b.ms ? `, ${esc(fmtMs(b.execMs))} executing` : ''}, ${esc(what)}</title></rect>`);
    // Inside the bar: "f3 · 12 ms" on one line, or on two, or "f3", or nothing (the tooltip has it).
    const name = `f${b.fragment}`;
    const ms = fmtMs(b.ms - (b.startupMs ?? 0));
    const one = `${name} · ${ms}`;
    const cx = bx + 4;
    if (textW(one) + 8 <= bw) {
      out.push(`<text class="bar-label" x="${f(cx)}" y="${y + BAR_H / 2 + 4}" fill="#111" pointer-events="none">${esc(one)}</text>`);
    } else if (Math.max(textW(name, 10), textW(ms, 10)) + 8 <= bw) {
      out.push(`<text class="bar-label" x="${f(cx)}" y="${y + 11}" font-size="10" fill="#111" pointer-events="none">${esc(name)}<tspan x="${f(cx)}" dy="11">${esc(ms)}</tspan></text>`);
    } else if (textW(name, 10) + 6 <= bw) {
      out.push(`<text class="bar-label" x="${f(bx + 3)}" y="${y + BAR_H / 2 + 4}" font-size="10" fill="#111" pointer-events="none">${esc(name)}</text>`);
    }
  }
  out.push('</g>');

  out.push('<g class="checkpoints">');
  for (const c of tl.checkpoints) {
    if (!lane.has(c.hub)) continue;
    const cx = x(c.t);
    const y = barTop(c.hub) + BAR_H;
    block(cx - 1.5, y, cx + 1.5, y + 8);
    const tip = `${c.stored ? 'checkpoint stored' : 'checkpoint in flight'} on ${c.hub}: ${fmtBytes(c.bytes)}${c.yields === undefined ? '' : `, at ${c.yields} yields`}`;
    out.push(`<line class="checkpoint${c.stored ? ' stored' : ''}" data-hub="${esc(c.hub)}" data-bytes="${c.bytes}" data-stored="${c.stored}" x1="${f(cx)}" y1="${y}" x2="${f(cx)}" y2="${y + 8}" stroke="${c.stored ? '#1b7f3b' : '#3b4a5a'}" stroke-width="${c.stored ? 3 : 1.5}"><title>${esc(tip)}</title></line>`);
    const text = fmtBytes(c.bytes);
    const w = textW(text, 9.5);
    labels.push({ cls: 'checkpoint-label', size: 9.5, fill: '#444', tries: [{ lines: [text], spots: [[cx - w / 2, y + 19], [cx + 3, y + 19], [cx - w - 3, y + 19]] }] });
  }
  out.push('</g>');

  out.push('<g class="migrations">');
  const arrowLabels: typeof labels = [];
  for (const m of tl.migrations) {
    if (!lane.has(m.from) || !lane.has(m.to)) continue;
    // From the pause on one hub to the resume on the other, when the hubs said when.
    const x1 = x(m.t);
    const mx = x(m.t + (m.pauseToResumeMs ?? 0));
    const down = lane.get(m.to)! >= lane.get(m.from)!;
    const y1 = down ? barTop(m.from) + BAR_H : barTop(m.from);
    const y2 = down ? barTop(m.to) - 1 : barTop(m.to) + BAR_H + 1;
    /** The arrow's x at height y. */
    const along = (y: number) => x1 + ((mx - x1) * (y - y1)) / (y2 - y1);
    // A slanted arrow blocks a staircase of small boxes, not its whole bounding box.
    for (let yy = Math.min(y1, y2); yy < Math.max(y1, y2); yy += 6) {
      const a = along(yy);
      const b = along(Math.min(yy + 6, Math.max(y1, y2)));
      block(Math.min(a, b) - 3, yy, Math.max(a, b) + 3, yy + 6);
    }
    const color = REASON_COLORS[m.reason] ?? '#2b5d8a';
    const tip = `migration ${m.from} → ${m.to} (${m.reason}): ${fmtBytes(m.bytes)}${m.pauseToResumeMs === undefined ? '' : `, ${fmtMs(m.pauseToResumeMs)} pause to resume`}`;
    out.push(`<line class="migration" data-from="${esc(m.from)}" data-to="${esc(m.to)}" data-bytes="${m.bytes}" data-reason="${esc(m.reason)}"${m.pauseToResumeMs === undefined ? '' : ` data-ms="${round3(m.pauseToResumeMs)}"`} x1="${f(x1)}" y1="${f(y1)}" x2="${f(mx)}" y2="${f(y2)}" stroke="${color}" stroke-width="1.6" marker-end="url(#arrow)"${m.reason === 'recovery' ? ' stroke-dasharray="5 3"' : ''}><title>${esc(tip)}</title></line>`);
    const parts = [fmtBytes(m.bytes), ...(m.pauseToResumeMs === undefined ? [] : [fmtMs(m.pauseToResumeMs)])];
    // "36 KiB · 2.1 ms" beside the arrow, near its head, in the gap before the bar it
    // reaches, else further back along it; where arrows crowd, the same on two lines.
    const tries = [[parts.join(' · ')], parts].map((lines) => {
      const w = Math.max(...lines.map((l) => textW(l, 10)));
      const h = (lines.length - 1) * LINE_H;
      const near = down ? y2 - 5 - h : y2 + 14;
      const spots: Array<[number, number]> = [];
      for (let k = 0; k <= 8; k++) {
        const yy = down ? near - k * 7 : near + k * 7;
        if (k === 0 || (down ? yy - 10 > y1 : yy + h < y1 - 2)) {
          const top = along(yy - 10);
          const bottom = along(yy + h + 3);
          spots.push([Math.max(top, bottom) + 5, yy], [Math.min(top, bottom) - w - 5, yy]);
        }
      }
      return { lines, spots };
    });
    arrowLabels.push({ cls: 'migration-label', size: 10, fill: color, tries });
  }
  out.push('</g>');
  labels.unshift(...arrowLabels);

  out.push('<g class="events">');
  for (const r of tl.recoveries) {
    if (!lane.has(r.hub)) continue;
    const rx = x(r.t);
    const y = TOP + lane.get(r.hub)! * LANE_H;
    block(rx - 7, y + 4, rx + 30, y + LANE_H - 4);
    const tip = `${r.hub} lost; attempt ${r.attempt} restarts from ${r.fromYields ? `${r.fromYields} yields${r.fromStore ? ' (stored checkpoint)' : ''}` : 'the start'}`;
    out.push(`<g class="recovery" data-hub="${esc(r.hub)}" data-attempt="${r.attempt}"><title>${esc(tip)}</title>` +
      `<line x1="${f(rx)}" y1="${y + 4}" x2="${f(rx)}" y2="${y + LANE_H - 4}" stroke="#c0392b" stroke-width="2" stroke-dasharray="3 2"/>` +
      `<path d="M${f(rx - 6)},${y + 6} l12,12 M${f(rx + 6)},${y + 6} l-12,12" stroke="#c0392b" stroke-width="2.5"/>` +
      `<text x="${f(rx + 9)}" y="${y + 16}" font-size="10" font-weight="600" fill="#c0392b">lost</text></g>`);
  }
  for (const r of tl.retries) {
    if (!lane.has(r.hub)) continue;
    const rx = x(r.t);
    const y = barTop(r.hub) - 4;
    block(rx - 5, y - 8, rx + 5, y);
    out.push(`<g class="retry" data-hub="${esc(r.hub)}" data-code="${esc(r.code)}"><title>${esc(`retry after ${r.code} on ${r.hub}: ${r.message}`)}</title>` +
      `<path d="M${f(rx)},${y} l-5,-8 h10 z" fill="#d35400"/></g>`);
  }
  out.push('</g>');
  // Migration labels first: they say more than a checkpoint's bytes.
  out.push('<g class="labels">');
  for (const l of labels) {
    place: for (const { lines, spots } of l.tries) {
      const w = Math.max(...lines.map((t) => textW(t, l.size)));
      for (const [lx, ly] of spots) {
        const b = { x0: lx - 1, y0: ly - l.size, x1: lx + w + 1, y1: ly + (lines.length - 1) * LINE_H + 3 };
        if (b.x0 < LEFT - 4 || b.x1 > width - 2) continue;
        if (taken.some((p) => b.x0 < p.x1 && p.x0 < b.x1 && b.y0 < p.y1 && p.y0 < b.y1)) continue;
        taken.push(b);
        const rest = lines.slice(1).map((t) => `<tspan x="${f(lx)}" dy="${LINE_H}">${esc(t)}</tspan>`).join('');
        out.push(`<text class="${l.cls}" x="${f(lx)}" y="${f(ly)}" font-size="${l.size}" fill="${l.fill}">${esc(lines[0])}${rest}</text>`);
        break place;
      }
    }
  }
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n');
}

/** The SVG on a page with a title and a legend; no scripts, fonts or anything fetched. */
export function renderHtml(events: JobEvent[], opts: RenderOptions = {}): string {
  const svg = renderSvg(events, opts);
  const tl = timeline(events, opts.job);
  const title = opts.title ?? `weave job ${tl.job}`;
  const swatch = (inner: string) => `<svg width="34" height="16" viewBox="0 0 34 16" aria-hidden="true">${inner}</svg>`;
  const legend = [
    [swatch(`<rect x="1" y="2" width="32" height="12" rx="2" fill="${FILLS[0]}" stroke="#3b4a5a"/>`), 'a fragment run on a hub (f<i>N</i>: fragment index, colour by fragment; width: its time)'],
    [swatch(`<rect x="1" y="2" width="32" height="12" rx="2" fill="${FILLS[0]}" fill-opacity="0.55" stroke="#3b4a5a" stroke-dasharray="4 3"/>`), 'a run that failed, or still ran when the trace ended'],
    [swatch('<defs><pattern id="startup-key" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#eef0f2"/><line x1="0" y1="0" x2="0" y2="6" stroke="#c9ced4" stroke-width="2"/></pattern></defs><rect x="1" y="4" width="32" height="8" rx="2" fill="url(#startup-key)" stroke="#8a949e"/>'), 'start-up before a run: bundle compiled, instance made, state restored (a long one is drawn shortened, the axis broken: //)'],
    [swatch('<line x1="17" y1="2" x2="17" y2="14" stroke="#3b4a5a" stroke-width="1.5"/>'), 'checkpoint in flight, with its bytes'],
    [swatch('<line x1="17" y1="2" x2="17" y2="14" stroke="#1b7f3b" stroke-width="3"/>'), 'checkpoint stored'],
    [swatch('<line x1="3" y1="8" x2="29" y2="8" stroke="#2b5d8a" stroke-width="1.6"/><path d="M29,4 l5,4 l-5,4 z" fill="#2b5d8a"/>'), 'migration to another hub: bytes sent · pause-to-resume time'],
    [swatch('<path d="M11,2 l12,12 M23,2 l-12,12" stroke="#c0392b" stroke-width="2.5"/>'), 'hub lost: the job recovers elsewhere'],
    [swatch('<path d="M17,13 l-5,-9 h10 z" fill="#d35400"/>'), 'placement failed and retried'],
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(title)}</title>
<style>
body { font-family: system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; margin: 24px; color: #111; background: #fff; }
h1 { font-size: 18px; margin: 0 0 12px; }
.timeline { overflow-x: auto; }
ul.legend { list-style: none; padding: 0; margin: 16px 0 0; display: flex; flex-wrap: wrap; gap: 8px 24px; font-size: 13px; }
ul.legend li { display: flex; align-items: center; gap: 6px; }
</style>
</head>
<body>
<h1>${esc(title)}</h1>
<div class="timeline">
${svg}
</div>
<ul class="legend">
${legend.map(([s, text]) => `<li>${s}<span>${text}</span></li>`).join('\n')}
</ul>
</body>
</html>
`;
}

function heading(tl: Timeline): string {
  const s = tl.start;
  const call = s ? `${s.entry}(${s.args?.join(', ') ?? ''})` : tl.result?.entry ?? '';
  const end = tl.result ? ` = ${tl.result.result}` : tl.failed ? ` failed: ${tl.failed.message}` : ' (unfinished: the trace ends before the result)';
  return `job ${tl.job} · ${call}${end}`;
}

function summary(tl: Timeline): string {
  const parts = [`${tl.lanes.length} hub${tl.lanes.length === 1 ? '' : 's'}${tl.start ? ` (${tl.start.mesh} mesh)` : ''}`, `${tl.bars.length} fragment runs`, `${tl.migrations.length} migrations`, `${tl.checkpoints.length} checkpoints`];
  if (tl.recoveries.length) parts.push(`${tl.recoveries.length} recoveries`);
  if (tl.retries.length) parts.push(`${tl.retries.length} retries`);
  if (tl.start?.migrateEvery) parts.push(`migrate every ${tl.start.migrateEvery} yields`);
  parts.push(tl.result ? `${fmtMs(tl.result.wallMs)} wall` : `${fmtMs(tl.t1 - tl.t0)} traced`);
  return parts.join(' · ');
}

/**
 * The quiet middles of long start-ups, to draw BREAK_PX wide: a start-up longer than
 * BREAK_SHARE of the job during which nothing else is drawn (a run, a checkpoint, a
 * move, a retry). A little of each end stays to scale, so the start-up still shows.
 */
function axisBreaks(tl: Timeline): Array<{ t0: number; t1: number }> {
  const span = tl.t1 - tl.t0;
  const busy: Array<[number, number]> = [
    ...tl.bars.map((b): [number, number] => [b.start + (b.startupMs ?? 0), b.end]),
    ...tl.checkpoints.map((c): [number, number] => [c.t, c.t]),
    ...tl.migrations.map((m): [number, number] => [m.t, m.t + (m.pauseToResumeMs ?? 0)]),
    ...[...tl.recoveries, ...tl.retries].map((r): [number, number] => [r.t, r.t]),
  ];
  const gaps: Array<{ t0: number; t1: number }> = [];
  for (const b of tl.bars) {
    if (!b.startupMs || b.startupMs < BREAK_SHARE * span) continue;
    // A few px at each end: a share of the start-up, bounded by a share of the rest of
    // the job (which sets the scale), so the work keeps the plot.
    const keep = Math.min(b.startupMs * 0.05, (span - b.startupMs) * 0.03);
    const g = { t0: b.start + keep, t1: b.start + b.startupMs - keep };
    if (busy.some(([a, z]) => a < g.t1 && z > g.t0) || gaps.some((o) => o.t0 < g.t1 && o.t1 > g.t0)) continue;
    gaps.push(g);
  }
  return gaps.sort((a, b) => a.t0 - b.t0);
}

/** Epoch ms to px: linear over `plotW`, but each gap BREAK_PX wide whatever its length. */
function timeScale(t0: number, span: number, plotW: number, gaps: Array<{ t0: number; t1: number }>): (t: number) => number {
  const cut = gaps.reduce((a, g) => a + g.t1 - g.t0, 0);
  const scale = (plotW - BREAK_PX * gaps.length) / Math.max(span - cut, 1e-3);
  return (t) => {
    let px = LEFT;
    let from = t0;
    for (const g of gaps) {
      if (t <= g.t0) break;
      px += (g.t0 - from) * scale;
      if (t < g.t1) return px + ((t - g.t0) / (g.t1 - g.t0)) * BREAK_PX;
      px += BREAK_PX;
      from = g.t1;
    }
    return px + (t - from) * scale;
  };
}

/** Tick offsets (ms from t0) at 1, 2 or 5 x 10^k, about 8 across the time drawn to scale (`shown`), over the whole span. */
function ticks(shown: number, span: number): number[] {
  const raw = Math.max(shown, 1e-3) / 8;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let k = 0; k * step <= span + step * 1e-9; k++) out.push(k * step);
  return out;
}

function fmtMs(ms: number, span = ms): string {
  if (span >= 5000) return `${trim(ms / 1000, span >= 50_000 ? 0 : 1)} s`;
  if (ms === 0) return '0 ms';
  if (ms < 1) return `${trim(ms, 2)} ms`;
  if (ms < 10) return `${trim(ms, 1)} ms`;
  return `${Math.round(ms)} ms`;
}

function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${trim(v, v < 10 ? 1 : 0)} ${units[u]}`;
}

const trim = (v: number, digits: number) => String(Number(v.toFixed(digits)));
const f = (v: number) => String(Math.round(v * 10) / 10);

/** A hub name that fits the label column (the full name is the lane's data-hub). */
function clip(s: string, px: number): string {
  const max = Math.floor(px / (FONT * CHAR_EM));
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
