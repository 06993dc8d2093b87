/**
 * Hostile inputs (test/corpus/index.json): every truncated, corrupted, oversized or
 * malicious checkpoint, message, module and program gets its typed error, in-process and
 * through a real hub process over a real nats-server, which then still runs a job.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { decodeCheckpoint, encodeCheckpoint, newCheckpointId, CheckpointError } from '../runtime/snapshot/index.js';
import { Wire } from '../runtime/net/index.js';
import { decodeMessage, encodeMessage, ProtocolError, PROTOCOL_VERSION, type HubReply, type Message } from '../runtime/protocol/index.js';
import { ExecError, loadBundle, type SandboxLimits } from '../runtime/exec/index.js';
import { HubCore, HubThread } from '../runtime/hub/index.js';
import { buildBundle } from '../fragments/index.js';
import { startNatsServer, startHubProcess, runCli, type NatsServer, type HubProcess } from './helpers/nats-server.js';

interface Entry {
  name: string; feed: 'checkpoint' | 'message' | 'bundle' | 'hub' | 'thread'; expect: string; why: string;
  file?: string; options?: Record<string, number>; program?: string; build?: { yieldInterval?: number };
  entry?: string; args?: number[]; request?: Record<string, unknown>; sandbox?: SandboxLimits;
  checkpoint?: string; synthCheckpointPages?: number; raw?: unknown;
}

const DIR = 'test/corpus';
const entries = (JSON.parse(readFileSync(`${DIR}/index.json`, 'utf8')) as { entries: Entry[] }).entries;
const bytesOf = (file: string) => new Uint8Array(readFileSync(`${DIR}/${file}`));
const of = (feed: Entry['feed']) => entries.filter((e) => e.feed === feed);

const programs = new Map<string, Promise<Uint8Array>>();
function program(file: string, build: Entry['build'] = {}): Promise<Uint8Array> {
  const key = JSON.stringify([file, build]);
  let p = programs.get(key);
  if (!p) { p = buildBundle(file, build).then((b) => b.bundle); programs.set(key, p); }
  return p;
}

/** The exec request an entry describes (bundle bytes included), or its raw request. */
async function requestFor(e: Entry): Promise<any> {
  if (e.raw !== undefined) return e.raw;
  const bundleBytes = e.program ? await program(e.program, e.build) : bytesOf(e.file!);
  const hash = createHash('sha256').update(bundleBytes).digest('hex');
  let bundle = hash;
  let fragment = 0;
  let checkpoint: Uint8Array | undefined;
  // A plain module is woven at load and hashes as woven; one that cannot load keeps its own hash.
  const b = await loadBundle(bundleBytes).catch(() => undefined);
  if (b) {
    bundle = b.hash;
    fragment = b.manifest.entries.find((x) => x.name === e.entry)!.fragments[0];
    if (e.synthCheckpointPages) {
      checkpoint = encodeCheckpoint({ kind: 'full', id: newCheckpointId(), bundle, entry: e.entry!, fragment, paused: false, yields: 0, memory: new Uint8Array(e.synthCheckpointPages * 65536) });
    }
  }
  if (e.checkpoint) checkpoint = bytesOf(e.checkpoint);
  return {
    kind: 'exec', v: PROTOCOL_VERSION, job: `corpus-${e.name}`, bundle, bundleBytes, entry: e.entry, fragment,
    ...(checkpoint ? { checkpoint } : { args: e.args }), migrateEvery: 0, stay: true, ...e.request,
  };
}

const test = suite('hostile inputs');
let ns: NatsServer | undefined;
let hub: HubProcess | undefined;
let nc: NatsConnection | undefined;

test.after(async () => {
  await nc?.close();
  await hub?.stop('SIGKILL');
  await ns?.stop();
});

test('the corpus lists at least 50 inputs, each with a file or a program and an expected code', () => {
  assert.ok(entries.length >= 50, `${entries.length} entries`);
  for (const e of entries) {
    assert.ok(e.expect && e.why, e.name);
    if (e.file) assert.ok(bytesOf(e.file) instanceof Uint8Array, e.name);
  }
  assert.is(new Set(entries.map((e) => `${e.feed}/${e.name}`)).size, entries.length, 'names are unique per feed');
});

test('every hostile checkpoint is refused by the decoder with its CheckpointError code', () => {
  for (const e of of('checkpoint')) {
    try {
      decodeCheckpoint(bytesOf(e.file!), e.options);
      assert.unreachable(`${e.name} decoded`);
    } catch (err) {
      assert.instance(err, CheckpointError, `${e.name}: ${(err as Error).message}`);
      assert.is((err as CheckpointError).code, e.expect, `${e.name}: ${(err as Error).message}`);
    }
  }
});

test('every hostile message is refused by the decoder with its ProtocolError code', () => {
  for (const e of of('message')) {
    try {
      decodeMessage(bytesOf(e.file!));
      assert.unreachable(`${e.name} decoded`);
    } catch (err) {
      assert.instance(err, ProtocolError, `${e.name}: ${(err as Error).message}`);
      assert.is((err as ProtocolError).code, e.expect, `${e.name}: ${(err as Error).message}`);
    }
  }
});

test('every hostile module is refused by loadBundle with its ExecError code, unknown imports listing the allowed ones', async () => {
  for (const e of of('bundle')) {
    try {
      await loadBundle(bytesOf(e.file!), e.options);
      assert.unreachable(`${e.name} loaded`);
    } catch (err) {
      assert.instance(err, ExecError, `${e.name}: ${(err as Error).message}`);
      assert.is((err as ExecError).code, e.expect, `${e.name}: ${(err as Error).message}`);
      if (e.expect === 'import-denied') assert.match((err as Error).message, /allowed imports: weave:host\/control\.yield, .*env\.abort/);
    }
  }
});

test('every hostile exec gets an error reply with its code from a HubCore, which then runs a job', async () => {
  for (const e of of('hub')) {
    const core = new HubCore('corpus', () => false, { sandbox: e.sandbox });
    const reply = await core.handle(await requestFor(e));
    assert.is(reply.kind, 'error', `${e.name}: ${JSON.stringify(reply).slice(0, 200)}`);
    assert.is((reply as { code: string }).code, e.expect, `${e.name}: ${(reply as { message: string }).message}`);
    const ok = await core.handle(await requestFor({ name: 'after', feed: 'hub', expect: '', why: '', program: 'test/programs/fib.ts', entry: 'fib', args: [15] }));
    assert.is(ok.kind, 'ran', `${e.name}: the hub does not run a job after it`);
  }
});

test('a start function looping with no yield point: the watchdog replaces the worker and the slot keeps serving', async () => {
  for (const e of of('thread')) {
    const t = new HubThread('corpus-thread', { sandbox: e.sandbox });
    try {
      const t0 = Date.now();
      const reply = await t.request(await requestFor(e));
      assert.is(reply.kind, 'error');
      assert.is((reply as { code: string }).code, e.expect, (reply as { message: string }).message);
      assert.ok(Date.now() - t0 >= e.sandbox!.hardDeadlineMs!, 'answered before the hard deadline');
      const ok = await t.request(await requestFor({ name: 'after', feed: 'hub', expect: '', why: '', program: 'test/programs/fib.ts', entry: 'fib', args: [15] }));
      assert.is(ok.kind, 'ran', JSON.stringify(ok).slice(0, 200));
    } finally {
      await t.close();
    }
  }
});

test('a hub process answers hostile messages, checkpoints, modules and programs with typed errors, then runs a job', async () => {
  ns = await startNatsServer();
  // --insecure: plain checkpoints reach the decoder (a sealing hub refuses them before
  // decoding: test/seal.test.ts covers that side).
  hub = await startHubProcess(ns.url, 'hostile', ['--slots', '1', '--no-gpu', '--insecure', '--deadline-ms', '2000', '--max-memory-mib', '16']);
  nc = await connect({ servers: ns.url });
  const wire = new Wire(nc);
  const subject = 'weave.hub.hostile.exec';
  const ask = async (bytes: Uint8Array): Promise<HubReply> => decodeMessage(await wire.request(subject, bytes, { timeoutMs: 30_000 })) as unknown as HubReply;
  const codeOf = (r: HubReply) => (r.kind === 'error' ? r.code : `(${r.kind})`);
  let sent = 0;
  for (const e of of('message')) {
    assert.is(codeOf(await ask(bytesOf(e.file!))), 'bad-message', e.name);
    sent++;
  }
  const fib = await program('test/programs/fib.ts');
  const fibHash = createHash('sha256').update(fib).digest('hex');
  for (const e of of('checkpoint').filter((x) => !x.options)) {
    const req = { kind: 'exec', v: PROTOCOL_VERSION, job: `cp-${e.name}`, bundle: fibHash, bundleBytes: fib, entry: 'fib', fragment: 0, migrateEvery: 0, checkpoint: bytesOf(e.file!) };
    assert.is(codeOf(await ask(encodeMessage(req as Message))), `checkpoint-${e.expect}`, e.name);
    sent++;
  }
  for (const e of of('bundle').filter((x) => !x.options)) {
    const bytes = bytesOf(e.file!);
    const req = { kind: 'exec', v: PROTOCOL_VERSION, job: `wasm-${e.name}`, bundle: createHash('sha256').update(bytes).digest('hex'), bundleBytes: bytes, entry: 'main', fragment: 0, migrateEvery: 0, args: [] };
    assert.is(codeOf(await ask(encodeMessage(req as Message))), e.expect, e.name);
    sent++;
  }
  // The hub was started with a 2 s deadline and a 16 MiB memory limit.
  for (const name of ['infinite-loop', 'memory-bomb', 'runaway-recursion', 'start-trap', 'bundle-unknown-import']) {
    const e = of('hub').find((x) => x.name === name)!;
    const r = await ask(encodeMessage(await requestFor(e) as Message));
    assert.is(codeOf(r), e.expect, `${name}: ${(r as { message?: string }).message}`);
    sent++;
  }
  // A start function that loops with no yield point: past the hard deadline (2 s + 5 s)
  // the slot's only worker is replaced, and the job below runs on the new one.
  const loop = of('thread')[0];
  const stuck = await ask(encodeMessage(await requestFor(loop) as Message));
  assert.is(codeOf(stuck), 'deadline-exceeded', (stuck as { message?: string }).message);
  sent++;
  assert.ok(sent >= 80, `${sent} hostile requests`);
  assert.is(hub.proc.exitCode, null, 'the hub process exited');
  mkdirSync('build/test', { recursive: true });
  writeFileSync('build/test/corpus-fib.wasm', fib);
  const remote = await runCli('weave', ['run', 'build/test/corpus-fib.wasm', '20', '--nats', ns.url, '--json']);
  assert.is(remote.status, 0, remote.stderr);
  const local = await runCli('weave', ['run', 'build/test/corpus-fib.wasm', '20', '--json']);
  assert.is(local.status, 0, local.stderr);
  assert.is(JSON.parse(remote.stdout).result, JSON.parse(local.stdout).result);
  // What a user sees from weave run when the sandbox stops a job: the cause in the exit
  // code (5 a deadline, 3 a sandbox limit), and with --json the error as JSON on stdout.
  for (const [name, exit, code] of [['infinite-loop', 5, 'deadline-exceeded'], ['memory-bomb', 3, 'memory-limit']] as const) {
    const e = of('hub').find((x) => x.name === name)!;
    const file = `build/test/corpus-${name}.wasm`;
    writeFileSync(file, await program(e.program!, e.build));
    const r = await runCli('weave', ['run', file, ...e.args!.map(String), '--entry', e.entry!, '--nats', ns.url, '--json']);
    assert.is(r.status, exit, `${name}: ${r.stderr}`);
    assert.is(JSON.parse(r.stdout).error.code, code, name);
  }
  assert.is(hub.proc.exitCode, null, 'the hub process exited');
  assert.not.match(hub.log(), /uncaught|unhandled/i);
});

test.run();
