/**
 * Job records in JetStream: a job outlives the `weave run` that submitted it; its result is
 * committed once, by the current attempt only; `weave run --attach` gets it, and takes the
 * job over from its newest stored checkpoint when the hub that ran it died while no client
 * watched. Real nats-server (JetStream), real hub processes, real SIGKILLs.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { cases, plainResult, valueBytes } from './helpers/programs.js';
import { hubWhere, runCli, startHubProcess, startNatsServer, type HubProcess, type NatsServer } from './helpers/nats-server.js';
import { buildModule } from './helpers/build-module.js';
import { connectNats, openJobStore } from '../runtime/net/index.js';

const test = suite('jobs');
let ns: NatsServer;
let hubs: HubProcess[] = [];
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const MODULE = 'build/test/jobs-particles.wasm';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test.before(async () => {
  mkdirSync('build/test', { recursive: true });
  ns = await startNatsServer({ jetstream: true });
  hubs = await Promise.all(['j1', 'j2'].map((n) => startHubProcess(ns.url, n, ['--slots', '1', '--no-gpu'])));
  const b = await buildModule(['examples/particles.ts', '-o', MODULE, '--yield-interval', '50']);
  assert.is(b.status, 0, b.stderr);
});

test.after(async () => {
  await Promise.all(hubs.map((h) => h.stop('SIGKILL')));
  await ns?.stop();
});

/** Start `weave run` and resolve with the child and the job id it prints on stderr. */
async function submit(args: string[]): Promise<{ kill: () => void; job: string; exited: Promise<number | null> }> {
  const p = spawn(process.execPath, ['dist/cli/weave.js', 'run', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<number | null>((r) => p.once('exit', r));
  let err = '';
  const job = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no job id on stderr in 15 s:\n${err}`)), 15_000);
    p.stderr.on('data', (d) => {
      err += d;
      const m = /weave: job ([0-9a-f]{16})/.exec(err);
      if (m) { clearTimeout(t); resolve(m[1]); }
    });
  });
  return { kill: () => p.kill('SIGKILL'), job, exited };
}

/** The hub advertising that it runs an attempt of `job`. */
const runningOn = (job: string) => hubWhere(ns.url, (a) => !!a.running?.some((k) => k.startsWith(`${job}.`)));

const commits = (job: string) => hubs.map((h) => h.log().split('\n').filter((l) => l.includes('"msg":"result committed"') && l.includes(job)).length)
  .reduce((a, b) => a + b, 0);

test('a fenced attempt cannot commit; the current one commits once', async () => {
  const nc = await connectNats(ns.url, { name: 'jobs test' });
  try {
    const jobs = await openJobStore(nc);
    const job = 'f'.repeat(16);
    await jobs.create({ job, bundle: '0'.repeat(64), entry: 'main', args: [1, 2n ** 40n], hasInput: false, migrateEvery: 0, storeEvery: 0, datasets: [] }, { bundleBytes: new Uint8Array([1, 2, 3]) });
    assert.equal((await jobs.get(job))?.args, [1, 2n ** 40n], 'i64 arguments survive the record');
    const r = (hub: string) => ({ hub, result: new Uint8Array([7]), yields: 1, fragments: 1 });
    const now = await jobs.advance(job, 0, 1, `${job}.0`);
    assert.is(now.attempt, 1);
    assert.is(await jobs.commit(job, 0, r('old')), 'fenced', 'attempt 0 was fenced out');
    assert.is(await jobs.commit(job, 1, r('new')), 'committed');
    assert.is(await jobs.commit(job, 1, r('new')), 'already', 'a repeat of the same commit changes nothing');
    assert.is(await jobs.commit(job, 2, r('other')), 'fenced');
    const rec = await jobs.get(job);
    assert.is(rec?.state, 'done');
    assert.is(rec?.committed?.hub, 'new');
    const again = await jobs.advance(job, 1, 2);
    assert.is(again.state, 'done', 'a finished job is not restarted');
  } finally {
    await nc.close();
  }
});

test('the client is killed mid-job; --attach gets the bit-exact result, committed once', async () => {
  const c = cases().find((x) => x.file === 'examples/particles.ts')!;
  const raw = [2000, 15_000];
  const run = await submit([MODULE, ...raw.map(String), '--nats', ns.url, '--checkpoint-every', '20000', '--json']);
  assert.ok(await runningOn(run.job), 'a hub runs the job');
  run.kill();
  await run.exited;
  const r = await runCli('weave', ['run', '--attach', run.job, '--nats', ns.url, '--json']);
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { result: string; attached: boolean; job: string };
  assert.is(out.job, run.job);
  assert.ok(out.attached, 'the result came from the job record');
  assert.is(hex(valueBytes(c.result, Number(out.result))), hex(await plainResult(c, raw)), `result ${out.result}`);
  assert.is(commits(run.job), 1, 'one hub committed the result, once');
  // Attaching again to a finished job answers at once, with the same result.
  const again = await runCli('weave', ['run', '--attach', run.job, '--nats', ns.url]);
  assert.is(again.status, 0, again.stderr);
  assert.is(again.stdout.trim(), out.result);
});

test('client and hub both die; --attach takes the job over from its stored checkpoint (stored by time)', async () => {
  const c = cases().find((x) => x.file === 'examples/particles.ts')!;
  // Long enough (about 5 s alone) that a quiet machine does not finish it before the hub
  // is killed: at 2000 x 15,000 one did, and the attach found the result committed.
  const raw = [2000, 30_000];
  const run = await submit([MODULE, ...raw.map(String), '--nats', ns.url, '--checkpoint-every', '300ms', '--json']);
  const busy = await runningOn(run.job);
  assert.ok(busy, 'a hub runs the job');
  run.kill();
  await run.exited;
  await sleep(900); // a few stored checkpoints
  const victim = hubs.find((h) => h.name === busy)!;
  await victim.stop('SIGKILL');
  const r = await runCli('weave', ['run', '--attach', run.job, '--nats', ns.url, '--json']);
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { result: string; restoredFromStore: number };
  assert.is(out.restoredFromStore, 1, 'taken over from a stored checkpoint, not from the start');
  assert.is(hex(valueBytes(c.result, Number(out.result))), hex(await plainResult(c, raw)), `result ${out.result}`);
  assert.is(commits(run.job), 1, 'committed once');
  hubs = hubs.filter((h) => h !== victim);
  hubs.push(await startHubProcess(ns.url, 'j3', ['--slots', '1', '--no-gpu']));
});

test('on a terminal weave run shows a progress line; piped, stdout is the result alone', async () => {
  if (spawnSync('script', ['--version']).error) return console.log('  jobs: progress line skipped: no `script` (util-linux) to give weave run a terminal');
  const args = [MODULE, '1000', '12000', '--nats', ns.url, '--checkpoint-every', '100ms'];
  const tty = spawnSync('script', ['-qfec', [process.execPath, 'dist/cli/weave.js', 'run', ...args].join(' '), '/dev/null'], { encoding: 'utf8', timeout: 60_000 });
  assert.is(tty.status, 0, tty.stdout);
  assert.match(tty.stdout, /\r\x1b\[2Kweave: [0-9a-f]{8} on j\d · fragment \d+\/\d+ · \d+ yields · [1-9]\d* checkpoints · \d+ migrations · [\d.]+ s/);
  const piped = await runCli('weave', ['run', ...args]);
  assert.is(piped.status, 0, piped.stderr);
  assert.match(piped.stdout, /^[\d.e+-]+\n$/, 'only the result on stdout');
  assert.not.match(piped.stderr, /\x1b/, 'no progress line when stderr is not a terminal');
});

test('--attach with an unknown job id fails with a clear message and exit 2', async () => {
  const r = await runCli('weave', ['run', '--attach', '0123456789abcdef', '--nats', ns.url]);
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /no job 0123456789abcdef/);
  const bad = await runCli('weave', ['run', '--attach', 'nope', '--nats', ns.url]);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /16 hex digits/);
});

test('weave jobs lists the jobs with their state and hub; weave jobs ID shows one with its result', async () => {
  const r = await runCli('weave', ['run', MODULE, '300', '400', '--nats', ns.url, '--json']);
  assert.is(r.status, 0, r.stderr);
  const ran = JSON.parse(r.stdout) as { job: string; result: string };
  const list = await runCli('weave', ['jobs', '--nats', ns.url]);
  assert.is(list.status, 0, list.stderr);
  const line = list.stdout.split('\n').find((l) => l.startsWith(ran.job));
  assert.ok(line, `listed:\n${list.stdout}`);
  // j1, j2, or j3 (started by an earlier test after a kill).
  assert.ok(/^[0-9a-f]{16}\s+done\s+0\s+j\d\s+simulate\(300, 400\)\s+\d+ s ago$/.test(line!), line);
  const one = await runCli('weave', ['jobs', ran.job, '--nats', ns.url, '--json']);
  assert.is(one.status, 0, one.stderr);
  const rec = JSON.parse(one.stdout);
  assert.equal([rec.job, rec.state, rec.value, rec.args], [ran.job, 'done', ran.result, [300, 400]]);
  assert.match(rec.committed.hub, /^j\d$/);
  const text = await runCli('weave', ['jobs', ran.job, '--nats', ns.url]);
  assert.match(text.stdout, `result     ${ran.result}`);
  const missing = await runCli('weave', ['jobs', '0123456789abcdef', '--nats', ns.url]);
  assert.is(missing.status, 2);
  assert.match(missing.stderr, 'no job 0123456789abcdef on');
});

test.run();
