/**
 * Operating hubs: `hub start --metrics-port` serves Prometheus metrics, scraped here with
 * plain fetch before, during and after real jobs (a real nats-server with JetStream, real
 * hub processes); the counters move where the work happens, the gauges follow the slot,
 * a hand-over is timed, a killed hub's job is counted as a recovery where it restarts.
 * And the hub's JSON log lines: every one about a job names the job and the fragment.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { cases, plainResult, valueBytes } from './helpers/programs.js';
import { hubWhere, runCli, startHubProcess, startNatsServer, type HubProcess, type NatsServer } from './helpers/nats-server.js';
import { buildModule } from './helpers/build-module.js';

const test = suite('metrics');
const MODULE = 'build/test/metrics-particles.wasm';
const HUB_FLAGS = ['--slots', '1', '--no-gpu', '--metrics-port', '0'];
let ns: NatsServer;
let hubs: HubProcess[] = [];
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One scrape: every sample as name, labels and value. */
type Sample = { name: string; labels: Record<string, string>; value: number };

async function scrape(url: string): Promise<Sample[]> {
  const res = await fetch(url);
  assert.is(res.status, 200, `GET ${url}`);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const out: Sample[] = [];
  for (const line of (await res.text()).split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

/** The sum of the samples named `name` whose labels include `labels` (0 when none). */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((n, s) => n + s.value, 0);
}

/** Scrape until `ok` holds (every 100 ms, up to `ms`); the last scrape either way. */
async function scrapeUntil(url: string, ok: (s: Sample[]) => boolean, ms = 20_000): Promise<Sample[]> {
  let s = await scrape(url);
  for (const until = Date.now() + ms; !ok(s) && Date.now() < until; s = await scrape(url)) await sleep(100);
  return s;
}

/** The metrics URL a hub logged in its ready line. */
function metricsUrl(h: HubProcess): string {
  const ready = h.log().split('\n').find((l) => l.includes('"msg":"ready"'));
  const url = ready && (JSON.parse(ready) as { metrics?: string }).metrics;
  assert.ok(url, `hub ${h.name} logged no metrics URL:\n${h.log()}`);
  return url!;
}

/** The hub's log lines, each parsed (a line that is not JSON fails the test). */
function logLines(h: HubProcess): Array<Record<string, unknown>> {
  return h.log().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

test.before(async () => {
  mkdirSync('build/test', { recursive: true });
  ns = await startNatsServer({ jetstream: true });
  hubs = [await startHubProcess(ns.url, 'm1', HUB_FLAGS)];
  const b = await buildModule(['examples/particles.ts', '-o', MODULE, '--yield-interval', '50']);
  assert.is(b.status, 0, b.stderr);
});

test.after(async () => {
  await Promise.all(hubs.map((h) => h.stop('SIGKILL')));
  await ns?.stop();
});

test('a job moves the counters while it runs; the running gauge is 1 during it and 0 after', async () => {
  const url = metricsUrl(hubs[0]);
  const before = await scrape(url);
  assert.is(value(before, 'weave_slots'), 1);
  assert.is(value(before, 'weave_fragments_running'), 0);
  assert.is(value(before, 'weave_slots_free'), 1);
  assert.is(value(before, 'weave_fragment_runs_total', { outcome: 'done' }), 0);
  assert.is(value(before, 'weave_checkpoint_bytes_total', { direction: 'stored' }), 0);
  assert.ok(before.every((s) => s.labels.hub === 'm1'), 'every series carries the hub label');
  assert.ok(before.some((s) => s.name === 'process_cpu_seconds_total'), "Node's process metrics are on");

  const raw = [2000, 12_000];
  const job = runCli('weave', ['run', MODULE, ...raw.map(String), '--nats', ns.url, '--checkpoint-every', '100ms', '--json']);
  const during = await scrapeUntil(url, (s) => value(s, 'weave_fragments_running') === 1 && value(s, 'weave_checkpoints_stored_total') > 0);
  assert.is(value(during, 'weave_fragments_running'), 1, 'the job runs on the one slot');
  assert.is(value(during, 'weave_slots_free'), 0);
  assert.ok(value(during, 'weave_checkpoints_stored_total') > 0, 'checkpoints stored while it runs');
  assert.ok(value(during, 'weave_checkpoint_bytes_total', { direction: 'stored' }) > 0, 'checkpoint bytes stored while it runs');
  assert.is(value(during, 'weave_placement_decisions_total', { policy: 'fit' }), 1, 'the engine placed it here by the default ranking');
  assert.is(value(during, 'weave_fragment_runs_total', { outcome: 'done' }), 0, 'not done yet');

  const r = await job;
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { result: string; checkpoints: number };
  const c = cases().find((x) => x.file === 'examples/particles.ts')!;
  assert.is(hex(valueBytes(c.result, Number(out.result))), hex(await plainResult(c, raw)), `result ${out.result}`);
  // The engine's drop-job may still be in the slot for a moment after the result.
  const after = await scrapeUntil(url, (s) => value(s, 'weave_fragments_running') === 0, 5000);
  assert.is(value(after, 'weave_fragments_running'), 0);
  assert.is(value(after, 'weave_slots_free'), 1);
  assert.is(value(after, 'weave_fragment_runs_total', { outcome: 'done' }), 1);
  assert.is(value(after, 'weave_fragment_runs_total'), 1, 'one run, and it ended done');
  assert.ok(value(after, 'weave_fragments_completed_total') >= 1);
  assert.ok(value(after, 'weave_checkpoints_stored_total') >= value(during, 'weave_checkpoints_stored_total'));
  assert.is(value(after, 'weave_exec_errors_total'), 0);

  // Its log: JSON lines, and each one about a job names the fragment too.
  const lines = logLines(hubs[0]);
  for (const l of lines) assert.ok(typeof l.level === 'string' && typeof l.time === 'string' && l.hub === 'm1' && typeof l.msg === 'string', JSON.stringify(l));
  const aboutJobs = lines.filter((l) => l.job !== undefined);
  assert.ok(aboutJobs.some((l) => l.msg === 'result committed'), 'the commit is logged');
  for (const l of aboutJobs) assert.ok(Number.isInteger(l.fragment), `no fragment in ${JSON.stringify(l)}`);
});

test('two hubs hand a job over: migrations timed, checkpoint bytes sent and received, the policy named', async () => {
  hubs.push(await startHubProcess(ns.url, 'm2', HUB_FLAGS, { ...process.env, WEAVE_LOG_LEVEL: 'debug' }));
  const urls = hubs.map(metricsUrl);
  const before = await Promise.all(urls.map(scrape));
  const raw = [500, 2000];
  const r = await runCli('weave', ['run', MODULE, ...raw.map(String), '--nats', ns.url, '--migrate-every', '5000', '--policy', 'least-loaded', '--json']);
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { result: string; migrations: number };
  assert.ok(out.migrations >= 2, `migrations ${out.migrations}`);
  const after = await Promise.all(urls.map((u) => scrapeUntil(u, (s) => value(s, 'weave_fragments_running') === 0, 5000)));
  const moved = (name: string, labels: Record<string, string> = {}) => after.reduce((n, s, i) => n + value(s, name, labels) - value(before[i], name, labels), 0);
  assert.is(moved('weave_fragment_runs_total', { outcome: 'handed-over' }), out.migrations, 'every migration counted once, by the hub that handed over');
  assert.is(moved('weave_migration_seconds_count'), out.migrations);
  assert.ok(moved('weave_migration_seconds_sum') > 0);
  assert.ok(moved('weave_checkpoint_bytes_total', { direction: 'sent' }) > 0);
  assert.is(moved('weave_checkpoint_bytes_total', { direction: 'received' }), moved('weave_checkpoint_bytes_total', { direction: 'sent' }),
    'what one hub sent, the other received');
  assert.is(moved('weave_fragment_runs_total', { outcome: 'done' }), 1);
  assert.is(moved('weave_placement_decisions_total', { policy: 'least-loaded' }), 1, 'one placement, by the policy the engine named');
  assert.is(moved('weave_placement_decisions_total'), 1, 'hand-overs follow the route: they are no placements');
  assert.is(moved('weave_exec_errors_total'), 0);
  // At debug level the receiving side's runs are logged as they end; the hand-overs too.
  const debug = logLines(hubs[1]).filter((l) => l.msg === 'ran' || l.msg === 'handed over');
  assert.ok(debug.length > 0, 'hub m2 logged its runs at debug level');
  for (const l of debug) assert.ok(typeof l.job === 'string' && Number.isInteger(l.fragment), JSON.stringify(l));
});

test('a bad --metrics-port fails the start with a clear message and a non-zero exit', async () => {
  // Killed after 20 s: a hub that wrongly started would otherwise hang the test. Not
  // spawnSync: a blocked event loop keeps fetch's pooled connections to the metrics
  // endpoint past the server's keep-alive, and the next test's fetch then reuses a closed one.
  const start = (...flags: string[]) => new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const p = spawn(process.execPath, ['dist/cli/hub.js', 'start', '--nats', ns.url, '--no-gpu', ...flags], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 });
    let stderr = '';
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (status) => resolve({ status, stderr }));
  });
  const abc = await start('--metrics-port', 'abc');
  assert.is(abc.status, 2, abc.stderr);
  assert.match(abc.stderr, /^hub start: --metrics-port must be an integer from 0 to 65535, got 'abc'$/m);
  const taken = new URL(metricsUrl(hubs[0])).port;
  const inUse = await start('--metrics-port', taken);
  assert.is(inUse.status, 1, inUse.stderr);
  assert.match(inUse.stderr, new RegExp(`^hub start: cannot serve metrics on 127\\.0\\.0\\.1:${taken}: the port is in use$`, 'm'));
  const hostOnly = await start('--metrics-host', '0.0.0.0');
  assert.is(hostOnly.status, 2, hostOnly.stderr);
  assert.match(hostOnly.stderr, /--metrics-host says where to serve metrics; give --metrics-port P too/);
});

test('the endpoint answers only GET /metrics', async () => {
  const url = new URL(metricsUrl(hubs[0]));
  const other = await fetch(new URL('/', url));
  assert.is(other.status, 404);
  assert.match(await other.text(), /metrics are at GET \/metrics/);
  const post = await fetch(url, { method: 'POST' });
  assert.is(post.status, 404);
});

test('the hub running a job is killed; the hub that takes over counts a retry from a stored checkpoint', async () => {
  const before = new Map(await Promise.all(hubs.map(async (h) => [h.name, await scrape(metricsUrl(h))] as const)));
  const raw = [2000, 12_000];
  const job = runCli('weave', ['run', MODULE, ...raw.map(String), '--nats', ns.url, '--checkpoint-every', '100ms', '--json']);
  const busy = await hubWhere(ns.url, (a) => a.load.busy > 0);
  assert.ok(busy, 'a hub advertised the running job');
  const victim = hubs.find((h) => h.name === busy)!;
  const survivor = hubs.find((h) => h !== victim)!;
  await scrapeUntil(metricsUrl(victim), (s) => value(s, 'weave_checkpoints_stored_total') > value(before.get(victim.name)!, 'weave_checkpoints_stored_total'));
  await victim.stop('SIGKILL');
  hubs = hubs.filter((h) => h !== victim);
  const r = await job;
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { result: string; restoredFromStore: number };
  assert.is(out.restoredFromStore, 1, 'the engine restarted it from a stored checkpoint');
  const after = await scrape(metricsUrl(survivor));
  const was = before.get(survivor.name)!;
  const moved = (name: string, labels: Record<string, string> = {}) => value(after, name, labels) - value(was, name, labels);
  assert.is(moved('weave_job_recoveries_total', { reason: 'retry', from: 'stored' }), 1);
  assert.is(moved('weave_job_recoveries_total'), 1);
  assert.ok(moved('weave_checkpoint_bytes_total', { direction: 'received' }) > 0, 'the stored checkpoint came in with the exec');
  assert.is(moved('weave_fragment_runs_total', { outcome: 'done' }), 1);
});

test.run();
