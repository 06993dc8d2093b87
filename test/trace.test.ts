/**
 * Seeing a job: `weave run --trace` on a real 3-hub embedded mesh, `weave trace` drawing
 * it, and the drawing as headless Chromium lays it out (lanes, bars, arrows). Also
 * `--jsonl`, a trace left by a killed run, and what bad trace files get.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { parseTrace, renderHtml, renderSvg, timeline, TraceError, TRACE_VERSION, type JobEvent } from '../runtime/trace/index.js';
import { launchChromium } from './helpers/browser.js';
import { buildModule } from './helpers/build-module.js';

const test = suite('trace');
const weave = (...argv: string[]) => spawnSync(process.execPath, ['dist/cli/weave.js', ...argv], { encoding: 'utf8' });
const dir = 'build/test/trace';
mkdirSync(dir, { recursive: true });
const wasm = `${dir}/matmul.wasm`;
/** matmul 64 4: about 22,000 yield points, so every 2,000 moves it a dozen times. */
const JOB = [wasm, '64', '4', '--hubs', '3', '--migrate-every', '2000'];
const HUBS = ['embedded-0', 'embedded-1', 'embedded-2'];

let browser: Browser | undefined;
test.after(async () => { await browser?.close(); });

const ofKind = <K extends JobEvent['kind']>(events: JobEvent[], kind: K) => events.filter((e): e is Extract<JobEvent, { kind: K }> => e.kind === kind);

test('weave run --trace writes the job as it ran: every hub runs fragments, and the counts match the result', async () => {
  // The same build as mesh's and config's: compiled once per test run (build-module.ts).
  const b = await buildModule(['examples/matmul.ts', '-o', wasm, '--yield-interval', '50']);
  assert.is(b.status, 0, b.stderr);
  const r = weave('run', ...JOB, '--trace', `${dir}/job.ndjson`);
  assert.is(r.status, 0, r.stderr);
  const events = parseTrace(readFileSync(`${dir}/job.ndjson`, 'utf8'), 'job.ndjson');
  assert.ok(events.every((e) => e.v === TRACE_VERSION && e.job === events[0].job && e.t > 1.6e12));
  const start = ofKind(events, 'job-start');
  assert.is(start.length, 1);
  assert.equal(events[0], start[0]);
  assert.is(start[0].entry, 'matmul');
  assert.is(start[0].mesh, 'embedded');
  assert.equal(start[0].hubs, HUBS);
  const result = events[events.length - 1];
  assert.is(result.kind, 'result');
  if (result.kind !== 'result') return;
  assert.is(result.result, r.stdout.trim(), 'the result event has the value printed');
  const runs = ofKind(events, 'fragment-start');
  const ends = ofKind(events, 'fragment-end');
  assert.is(runs.length, ends.length);
  assert.is(runs.length, result.placements.length);
  for (const hub of HUBS) assert.ok(runs.some((e) => e.hub === hub), `${hub} ran a fragment`);
  const moves = ofKind(events, 'migration');
  assert.is(moves.length, result.migrations);
  assert.ok(moves.length >= 6, `${moves.length} migrations`);
  assert.ok(moves.some((m) => m.reason === 'migrate-every' && m.pauseToResumeMs! > 0 && m.bytes > 0));
  assert.is(ofKind(events, 'checkpoint').length, result.checkpoints);
  assert.is(ends[ends.length - 1].outcome, 'done');
  assert.is(ends[ends.length - 1].yields, result.yields);
});

test('weave trace draws it, and in Chromium: a named lane per hub, bars of real width in each, migration arrows', async () => {
  const t = weave('trace', `${dir}/job.ndjson`, '-o', `${dir}/job.html`);
  assert.is(t.status, 0, t.stderr);
  assert.is(t.stdout, '');
  const html = readFileSync(`${dir}/job.html`, 'utf8');
  assert.not.match(html, /<script|<link|@import|url\(http/i, 'self-contained');
  const events = parseTrace(readFileSync(`${dir}/job.ndjson`, 'utf8'));
  browser ??= await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1300, height: 700 } });
  await page.goto(pathToFileURL(`${dir}/job.html`).href);
  const seen = await page.evaluate(() => ({
    lanes: [...document.querySelectorAll('svg g.lane')].map((g) => ({ hub: (g as SVGElement).dataset.hub, label: g.querySelector('.lane-label')?.textContent })),
    bars: [...document.querySelectorAll('svg rect.bar')].map((r) => ({ hub: (r as SVGElement).dataset.hub, fragment: (r as SVGElement).dataset.fragment, width: r.getBoundingClientRect().width })),
    arrows: [...document.querySelectorAll('svg line.migration')].map((l) => ({ from: (l as SVGElement).dataset.from, to: (l as SVGElement).dataset.to, height: l.getBoundingClientRect().height })),
    legend: document.querySelectorAll('ul.legend li').length,
  }));
  await page.screenshot({ path: `${dir}/job.png`, fullPage: true });
  await page.close();
  assert.equal(seen.lanes, HUBS.map((hub) => ({ hub, label: hub })));
  for (const hub of HUBS) assert.ok(seen.bars.some((b) => b.hub === hub), `a bar in ${hub}'s lane`);
  assert.ok(seen.bars.every((b) => b.width > 0), 'every bar is drawn wide enough to see');
  assert.is(seen.bars.length, ofKind(events, 'fragment-start').length, 'one bar per fragment run');
  assert.equal(seen.bars.map((b) => Number(b.fragment)), ofKind(events, 'fragment-start').map((e) => e.fragment));
  assert.is(seen.arrows.length, ofKind(events, 'migration').length);
  assert.ok(seen.arrows.every((a) => a.from !== a.to && HUBS.includes(a.from!) && HUBS.includes(a.to!) && a.height > 10), 'arrows go from lane to lane');
  assert.ok(seen.legend >= 5);
});

test('weave run --jsonl prints the events as they happen, then the --json object as the result event', () => {
  const r = weave('run', ...JOB, '--jsonl');
  assert.is(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as JobEvent);
  assert.is(lines[0].kind, 'job-start');
  const last = lines[lines.length - 1] as unknown as Record<string, unknown>;
  assert.is(last.kind, 'result');
  assert.ok(lines.slice(0, -1).every((e) => e.kind !== 'result'));
  const json = JSON.parse(weave('run', ...JOB, '--json').stdout) as Record<string, unknown>;
  assert.equal(Object.keys(last).filter((k) => !['v', 't', 'kind'].includes(k)).sort(), Object.keys(json).sort());
  assert.is(last.result, json.result);
  const both = weave('run', ...JOB, '--jsonl', '--json');
  assert.is(both.status, 2);
  assert.match(both.stderr, /not both/);
});

test('a run killed mid-job leaves a trace that reads and draws, its last run still open', async () => {
  const file = `${dir}/killed.ndjson`;
  // About 20 s of work: it is killed long before it could end.
  const p = spawn(process.execPath, ['dist/cli/weave.js', 'run', wasm, '128', '200', '--hubs', '3', '--migrate-every', '20000', '--trace', file], { stdio: 'ignore' });
  const exited = new Promise((r) => p.once('exit', r));
  try {
    const deadline = Date.now() + 60_000;
    while (!(existsSync(file) && ofKindIn(readFileSync(file, 'utf8'), 'migration') >= 2)) {
      if (Date.now() > deadline) throw new Error('no migration in the trace after 60 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    p.kill('SIGKILL');
    await exited;
  }
  const events = parseTrace(readFileSync(file, 'utf8'), file);
  assert.ok(!events.some((e) => e.kind === 'result' || e.kind === 'failed'));
  const tl = timeline(events);
  assert.is(tl.bars.length, ofKind(events, 'fragment-start').length);
  const svg = renderSvg(events);
  assert.match(svg, /unfinished/);
  if (ofKind(events, 'fragment-start').length > ofKind(events, 'fragment-end').length) assert.match(svg, /class="bar open"/);
});

function ofKindIn(text: string, kind: string): number {
  return text.split('\n').filter((l) => l.includes(`"kind":"${kind}"`)).length;
}

test('a bad trace is a TraceError naming the file and line, and weave trace exits 2 with it', () => {
  const ev = (o: object) => JSON.stringify({ v: 1, t: 1.7e12, job: 'j1', ...o });
  const cases: Array<[string, string]> = [
    [`${ev({ kind: 'job-start', entry: 'f', hubs: ['a'] })}\n[1, 2]\n`, 'bad.ndjson:2: not a JSON object'],
    [`${ev({ kind: 'job-start', entry: 'f', hubs: ['a'] })}\n{nope\n${ev({ kind: 'retry', hub: 'a' })}\n`, 'bad.ndjson:2: not JSON'],
    [`${JSON.stringify({ v: 2, t: 1, job: 'j', kind: 'job-start' })}\n`, 'bad.ndjson:1: unknown trace version 2 (this weave reads version 1)'],
    [`{"t": 1, "job": "j", "kind": "retry"}\n`, "bad.ndjson:1: no trace version 'v'"],
    [`\n\n${ev({ kind: 'fragment-end', hub: 'a', fragment: 0 })}\n`, "bad.ndjson:3: a 'fragment-end' event needs 'ms' (a non-negative number), got undefined"],
    [`${ev({ kind: 'migration', from: 'a', to: 7, bytes: 1 })}\n`, "bad.ndjson:1: a 'migration' event needs 'to' (a string), got 7"],
  ];
  for (const [text, message] of cases) {
    try {
      parseTrace(text, 'bad.ndjson');
      assert.unreachable(`accepted ${JSON.stringify(text)}`);
    } catch (e) {
      assert.instance(e, TraceError);
      assert.ok((e as Error).message.startsWith(message), (e as Error).message);
    }
  }
  writeFileSync(`${dir}/bad.ndjson`, cases[0][0]);
  const r = weave('trace', `${dir}/bad.ndjson`, '-o', `${dir}/bad.html`);
  assert.is(r.status, 2);
  assert.is(r.stderr, `weave trace: ${dir}/bad.ndjson:2: not a JSON object\n`);
  assert.ok(!existsSync(`${dir}/bad.html`));
  assert.is(weave('trace', `${dir}/nope.ndjson`).status, 2);
  const ext = weave('trace', `${dir}/job.ndjson`, '-o', `${dir}/job.png`);
  assert.is(ext.status, 2);
  assert.match(ext.stderr, /must end in \.html or \.svg/);
  // Several jobs in one file: pick one.
  writeFileSync(`${dir}/two.ndjson`, `${ev({ kind: 'retry', hub: 'a', code: 'x', message: '' })}\n${JSON.stringify({ v: 1, t: 1.7e12, job: 'j2', kind: 'retry', hub: 'b', code: 'x', message: '' })}\n`);
  const two = weave('trace', `${dir}/two.ndjson`);
  assert.is(two.status, 2);
  assert.match(two.stderr, /two\.ndjson: the events are of 2 jobs \(j1, j2\); pick one with --job ID/);
  assert.is(weave('trace', `${dir}/two.ndjson`, '--job', 'j2').status, 0);
});

test('a cut-off last line and kinds this version does not know are skipped, not errors', () => {
  const ev = (o: object) => JSON.stringify({ v: 1, t: 1.7e12, job: 'j', ...o });
  const events = parseTrace(`${ev({ kind: 'job-start', entry: 'f', hubs: ['a'] })}\n${ev({ kind: 'from-the-future', x: 1 })}\n{"v":1,"t":17`, 'cut.ndjson');
  assert.equal(events.map((e) => e.kind), ['job-start']);
});

test('the renderer draws recoveries, retries, stored checkpoints and failed runs, and escapes hub names', async () => {
  const t0 = 1.7e12;
  const job = 'abc';
  const e = (t: number, o: Record<string, unknown>) => ({ v: 1, t: t0 + t, job, ...o }) as unknown as JobEvent;
  const odd = 'hub <&"\'> one';
  const events: JobEvent[] = [
    e(0, { kind: 'job-start', entry: 'main', fragments: 2, mesh: 'nats', hubs: [odd, 'b', 'idle'], migrateEvery: 0, args: ['5'] }),
    e(1, { kind: 'fragment-start', hub: odd, fragment: 0, attempt: 0, bytes: 0, resumed: false }),
    e(40, { kind: 'checkpoint', hub: odd, bytes: 4096, stored: true, yields: 10 }),
    e(90, { kind: 'retry', hub: odd, fragment: 0, code: 'hub-lost', message: 'gone', delayMs: 100 }),
    e(95, { kind: 'recovery', hub: odd, attempt: 1, fromYields: 10, fromStore: true, lastStoredYields: 10 }),
    e(100, { kind: 'migration', from: odd, to: 'b', bytes: 4200, reason: 'recovery' }),
    e(100, { kind: 'fragment-start', hub: 'b', fragment: 0, attempt: 1, bytes: 4200, resumed: true }),
    e(150, { kind: 'fragment-end', hub: 'b', fragment: 0, next: -1, outcome: 'done', ms: 45, execMs: 45, yields: 30, fragments: 2 }),
  ];
  const tl = timeline(events);
  assert.equal(tl.lanes, [odd, 'b'], 'a hub with nothing on it has no lane');
  assert.equal(tl.bars.map((b) => [b.hub, b.state]), [[odd, 'failed'], ['b', 'done']]);
  assert.is(tl.bars[0].end, t0 + 90, 'the failed run ends at its retry');
  const svg = renderSvg(events);
  assert.match(svg, /<g class="recovery" data-hub="hub &lt;&amp;&quot;&#39;&gt; one" data-attempt="1">/);
  assert.match(svg, /<g class="retry" data-hub="hub &lt;&amp;&quot;&#39;&gt; one" data-code="hub-lost">/);
  assert.match(svg, /<line class="checkpoint stored" [^>]*data-bytes="4096"/);
  assert.match(svg, /<line class="migration" data-from="hub &lt;&amp;&quot;&#39;&gt; one" data-to="b" data-bytes="4200" data-reason="recovery"/);
  assert.match(svg, /class="bar failed"/);
  assert.match(svg, /unfinished/);
  // Well-formed: the browser's XML parser takes it, and sees the odd name as it was.
  browser ??= await launchChromium();
  const page = await browser.newPage();
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { error: doc.querySelector('parsererror')?.textContent ?? null, hub: (doc.querySelector('g.lane') as SVGElement | null)?.dataset.hub };
  }, svg);
  await page.close();
  assert.equal(parsed, { error: null, hub: odd });
});

/** In the page: every text's box, and the pairs of texts that overlap. */
async function overlaps(file: string) {
  browser ??= await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1300, height: 700 } });
  await page.goto(pathToFileURL(file).href);
  const seen = await page.evaluate(() => {
    const box = (e: Element) => { const r = e.getBoundingClientRect(); return { x0: r.left, y0: r.top, x1: r.right, y1: r.bottom, text: e.textContent ?? '' }; };
    const texts = [...document.querySelectorAll('svg.weave-trace text')].map(box).filter((b) => b.x1 > b.x0);
    const clash: string[] = [];
    texts.forEach((a, i) => texts.slice(i + 1).forEach((b) => {
      if (a.x0 < b.x1 - 0.5 && b.x0 < a.x1 - 0.5 && a.y0 < b.y1 - 0.5 && b.y0 < a.y1 - 0.5) clash.push(`'${a.text}' and '${b.text}'`);
    }));
    const rect = (sel: string) => [...document.querySelectorAll(sel)].map((e) => ({ ...box(e), hub: (e as SVGElement).dataset.hub, ms: Number((e as SVGElement).dataset.ms) }));
    const plot = document.querySelector('svg.weave-trace g.axis line')!.getBoundingClientRect().left;
    return { texts: texts.length, clash, startups: rect('rect.startup'), bars: rect('rect.bar'), breaks: document.querySelectorAll('g.axis-break').length, plot };
  });
  await page.close();
  return seen;
}

test('the trace page draws start-up apart from the run, and its labels never overlap (the real job)', async () => {
  const events = parseTrace(readFileSync(`${dir}/job.ndjson`, 'utf8'));
  const ends = ofKind(events, 'fragment-end');
  assert.ok(ends.every((e) => e.startupMs !== undefined && e.startupMs >= 0 && e.startupMs <= e.ms), 'the embedded engine times each start-up');
  const seen = await overlaps(`${dir}/job.html`);
  assert.is(seen.startups.length, ends.filter((e) => e.startupMs! > 0).length);
  for (const s of seen.startups) {
    const run = seen.bars.find((b) => b.hub === s.hub && Math.abs(b.x0 - s.x1) < 1.5);
    assert.ok(run, `the run follows its start-up on ${s.hub}`);
  }
  assert.ok(seen.texts > 10);
  assert.equal(seen.clash, [], 'no two labels overlap');
});

test('a start-up that dwarfs the work (441 ms, 3.8 ms of it executing) is drawn shortened, the work to scale', async () => {
  const t0 = 1.7e12;
  const e = (t: number, o: Record<string, unknown>) => ({ v: 1, t: t0 + t, job: 'cold', ...o }) as unknown as JobEvent;
  const events: JobEvent[] = [e(0, { kind: 'job-start', entry: 'simulate', fragments: 2, mesh: 'embedded', hubs: ['embedded-0', 'embedded-1'], migrateEvery: 1, args: ['64', '200'] })];
  // The first run: 437 ms of start-up (the bundle compiled), 4 ms of work; then 12 runs of 4 ms, moving hub to hub.
  let t = 0;
  for (let i = 0; i < 13; i++) {
    const hub = `embedded-${i % 2}`;
    // One start-up far under a pixel (run 5), drawn MIN_BAR_PX wide: its run still follows it.
    const startup = i === 0 ? 437 : i === 5 ? 0.02 : 0.4;
    events.push(e(t, { kind: 'fragment-start', hub, fragment: 0, attempt: 0, bytes: i ? 70_000 : 0, resumed: i > 0 }));
    t += startup + 4;
    events.push(e(t, { kind: 'fragment-end', hub, fragment: 0, next: 0, outcome: i === 12 ? 'done' : 'paused', ms: startup + 4, execMs: 3.8, startupMs: startup, yields: (i + 1) * 50, fragments: 0 }));
    if (i < 12) {
      events.push(e(t, { kind: 'checkpoint', hub, bytes: 70_000, stored: false, yields: (i + 1) * 50 }));
      events.push(e(t, { kind: 'migration', from: hub, to: `embedded-${(i + 1) % 2}`, bytes: 70_000, pauseToResumeMs: 0.6, reason: 'migrate-every' }));
      t += 0.6;
    }
  }
  writeFileSync(`${dir}/cold.html`, renderHtml(events, { title: 'cold start' }));
  const seen = await overlaps(`${dir}/cold.html`);
  assert.is(seen.startups.length, 13);
  assert.is(seen.breaks, 1, 'the axis is broken once, in the first start-up');
  for (const s of seen.startups) {
    assert.ok(seen.bars.some((b) => b.hub === s.hub && Math.abs(b.x0 - s.x1) < 1.5), `a run follows the start-up at ${s.x0.toFixed(1)} px`);
  }
  const plotW = 960;
  const runs = seen.bars.map((b) => b.x0 - seen.plot);
  // Drawn to scale the first run would start at 437/(437+~60) of the plot, in its right tenth.
  assert.ok(runs[0] < 0.3 * plotW, `the first run starts at ${Math.round(runs[0])} px of ${plotW}`);
  assert.ok(seen.bars[seen.bars.length - 1].x1 - seen.bars[0].x0 > 0.6 * plotW, 'the work spans most of the plot');
  assert.equal(seen.clash, [], 'no two labels overlap');
  await (async () => {
    const page = await browser!.newPage({ viewport: { width: 1300, height: 500 } });
    await page.goto(pathToFileURL(`${dir}/cold.html`).href);
    await page.screenshot({ path: `${dir}/cold.png`, fullPage: true });
    await page.close();
  })();
});

test.run();
