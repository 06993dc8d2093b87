/**
 * The progress line `weave run` keeps on stderr while a job runs: the hub, the fragment,
 * yield points, checkpoints, migrations and the time so far. On a terminal it is one line
 * redrawn in place; elsewhere (`--progress` into a pipe or a CI log) a plain line at most
 * once a second, so a log is readable and not flooded.
 *   const p = progressLine({ tty: process.stderr.isTTY }); p.show(status); …; p.end();
 */
import type { JobStatus } from '../runtime/engine/index.js';

/** How often a terminal's line is redrawn at most, and a pipe's printed. */
const TTY_EVERY_MS = 100;
const PIPE_EVERY_MS = 1000;

export interface ProgressLine {
  /** The job's newest status: drawn now, or with the next redraw. */
  show(s: JobStatus): void;
  /** Clear the line (a terminal) so what follows starts clean. Idempotent. */
  end(): void;
}

export function progressLine(opts: { tty: boolean; write?: (text: string) => void; columns?: () => number }): ProgressLine {
  const write = opts.write ?? ((t: string) => { process.stderr.write(t); });
  const columns = opts.columns ?? (() => process.stderr.columns || 120);
  const t0 = Date.now();
  let last: JobStatus | undefined;
  let drawnAt = 0;
  let drawnStatus: JobStatus | undefined;
  let shown = false;
  // Redraws the last status on its own: the seconds go on while a hub reports nothing.
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    if (!last) return;
    drawnAt = Date.now();
    drawnStatus = last;
    const line = formatStatus(last, (drawnAt - t0) / 1000);
    if (opts.tty) write(`\r\x1b[2K${line.slice(0, columns() - 1)}`);
    else write(line + '\n');
    shown = true;
  };
  return {
    show(s) {
      last = s;
      timer ??= setInterval(draw, opts.tty ? 1000 : PIPE_EVERY_MS).unref();
      if (Date.now() - drawnAt >= (opts.tty ? TTY_EVERY_MS : PIPE_EVERY_MS)) draw();
    },
    end() {
      clearInterval(timer);
      timer = undefined;
      // A log keeps the last word on the job; a terminal's line makes room for the result.
      if (!opts.tty && last && drawnStatus !== last) draw();
      if (opts.tty && shown) write('\r\x1b[2K');
      shown = false;
      last = undefined;
    },
  };
}

/** `weave: 3f2a9c1e on embedded-1 · fragment 2/3 · 41216 yields · 4 checkpoints · 3 migrations · 2.4 s` */
export function formatStatus(s: JobStatus, seconds: number): string {
  const n = (count: number, one: string) => `${count} ${one}${count === 1 ? '' : 's'}`;
  if (s.waiting) return `weave: ${s.job.slice(0, 8)} waiting · ${s.waiting} · ${seconds.toFixed(1)} s`;
  return `weave: ${s.job.slice(0, 8)} on ${s.hub} · fragment ${s.fragment + 1}/${s.fragments} · ${n(s.yields, 'yield')} · ${n(s.checkpoints, 'checkpoint')} · ${n(s.migrations, 'migration')}`
    + `${s.retries ? ` · ${s.retries === 1 ? '1 retry' : `${s.retries} retries`}` : ''} · ${seconds.toFixed(1)} s`;
}
