/**
 * Sealed checkpoints and signed results: a checkpoint opens only for the hub (or client)
 * it was sealed to, only as the job, attempt, place and sequence it was sealed as; a live
 * hub refuses plain, altered and replayed checkpoints with typed errors and keeps serving;
 * the engine takes a result only when the hub it assigned signed it for this attempt. The
 * in-place AES-GCM of the native addon gives node:crypto's bytes, both ways.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkResultMac, createIdentity, openAnon, openFrom, resultMac, resultStatement, sealAnon, sealTo, sign, verify, SealError, type Identity, type SealContext,
} from '../runtime/net/index.js';
import { gcmKind, gcmStream, openInPlace, openWithNodeCrypto, sealInPlace, sealWithNodeCrypto, streamWithNodeCrypto } from '../runtime/net/gcm.js';
import { connectMesh, runJob, type Transport } from '../runtime/engine/index.js';
import { HubCore } from '../runtime/hub/index.js';
import { loadBundle, type LoadedBundle } from '../runtime/exec/index.js';
import { PROTOCOL_VERSION, decodeMessage, encodeMessage, type ExecRequest, type HubReply } from '../runtime/protocol/index.js';
import { runCli, startHubProcess, startNatsServer, type HubProcess, type NatsServer } from './helpers/nats-server.js';
import { buildModule } from './helpers/build-module.js';

const test = suite('seal');
const ctx: SealContext = { job: 'j.0', attempt: 0, fragment: 3, seq: 1, bundle: 'b'.repeat(64), from: 'a', to: 'b' };
const bytes = new Uint8Array(100_000).map((_, i) => (i * 31) & 255);
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof SealError ? e.code : `not a SealError: ${(e as Error).message}`;
  }
  return 'opened';
};

test('a checkpoint opens for its receiver, as sealed, and for nobody else', () => {
  const a = createIdentity();
  const b = createIdentity();
  const box = sealTo(a, b.public.seal, ctx, bytes);
  assert.ok(Buffer.from(openFrom(b, a.public.seal, ctx, box)).equals(Buffer.from(bytes)));
  assert.is(code(() => openFrom(createIdentity(), a.public.seal, ctx, box)), 'tampered', 'another hub');
  assert.is(code(() => openFrom(b, createIdentity().public.seal, ctx, box)), 'tampered', 'claimed from another sender');
  for (const change of [{ job: 'k.0' }, { attempt: 1 }, { fragment: 4 }, { seq: 2 }, { bundle: 'c'.repeat(64) }, { from: 'x' }, { to: 'a' }]) {
    assert.is(code(() => openFrom(b, a.public.seal, { ...ctx, ...change }, box)), 'tampered', JSON.stringify(change));
  }
  for (const at of [0, 3, 20, box.byteLength >> 1, box.byteLength - 1]) {
    const bad = box.slice();
    bad[at] ^= 1;
    assert.ok(['tampered', 'malformed'].includes(code(() => openFrom(b, a.public.seal, ctx, bad))), `bit flip at ${at}`);
  }
  assert.is(code(() => openFrom(b, a.public.seal, ctx, box.subarray(0, 20))), 'malformed');
  const twice = sealTo(a, b.public.seal, ctx, bytes);
  assert.not.ok(Buffer.from(twice).equals(Buffer.from(box)), 'a fresh nonce every time');
});

test('AES-GCM in place: the addon and node:crypto give the same bytes, open each other\'s seals and refuse altered ones', () => {
  // A built addon that does not load would leave every hub on the slower path unnoticed.
  if (process.env.WEAVE_NO_NATIVE !== '1' && existsSync(fileURLToPath(new URL('../../native/build/Release/weave_seal.node', import.meta.url)))) assert.is(gcmKind(), 'openssl');
  const key = new Uint8Array(32).map((_, i) => i * 7);
  const nonce = new Uint8Array(12).map((_, i) => 200 - i);
  const aad = new TextEncoder().encode('weave-seal-v1\0j.0\0a\0b');
  for (const n of [0, 1, 15, 16, 17, 65_535, 65_537, (1 << 20) + 3]) {
    const plain = new Uint8Array(n).map((_, i) => (i * 131 + n) & 255);
    const viaAddon = plain.slice();
    const viaNode = plain.slice();
    const t1 = new Uint8Array(16);
    const t2 = new Uint8Array(16);
    sealInPlace(key, nonce, aad, viaAddon, t1);
    sealWithNodeCrypto(key, nonce, aad, viaNode, t2);
    assert.ok(Buffer.from(viaAddon).equals(viaNode) && Buffer.from(t1).equals(t2), `${n} bytes: the same ciphertext and tag`);
    assert.ok(openWithNodeCrypto(key, nonce, aad, viaAddon, t1) && Buffer.from(viaAddon).equals(plain), `${n} bytes: node:crypto opens it`);
    assert.ok(openInPlace(key, nonce, aad, viaNode, t2) && Buffer.from(viaNode).equals(plain), `${n} bytes: in place opens it`);
    sealInPlace(key, nonce, aad, viaAddon, t1);
    if (n > 0) {
      const altered = viaAddon.slice();
      altered[n >> 1] ^= 1;
      assert.not.ok(openInPlace(key, nonce, aad, altered, t1), `${n} bytes: an altered byte is refused`);
    }
    const tag = t1.slice();
    tag[3] ^= 0x80;
    assert.not.ok(openInPlace(key, nonce, aad, viaAddon.slice(), tag), `${n} bytes: an altered tag is refused`);
    assert.not.ok(openInPlace(key, nonce, new TextEncoder().encode('other'), viaAddon.slice(), t1), `${n} bytes: other associated data is refused`);
  }
  // Arguments the addon refuses before touching a byte (its checks; node:crypto has its own).
  if (gcmKind() === 'openssl') {
    const data = new Uint8Array(64);
    assert.throws(() => sealInPlace(key.subarray(1), nonce, aad, data, new Uint8Array(16)), /key must be 32 bytes/);
    assert.throws(() => sealInPlace(key, nonce, aad, data, data.subarray(40, 56)), /overlap/);
    assert.throws(() => sealInPlace(key, nonce, aad, new Float64Array(4) as unknown as Uint8Array, new Uint8Array(16)), /Uint8Array/);
  }
});

test('AES-GCM a piece at a time: the same bytes and tag as in one call, from the addon and node:crypto, refusing altered pieces', () => {
  const key = new Uint8Array(32).map((_, i) => 3 + i);
  const nonce = new Uint8Array(12).map((_, i) => i * 9);
  const aad = new TextEncoder().encode('weave-seal-v1\0s.0');
  for (const n of [0, 1, 16, 100_003, (1 << 20) + 5]) {
    const plain = new Uint8Array(n).map((_, i) => (i * 97 + 5) & 255);
    const whole = plain.slice();
    const wholeTag = new Uint8Array(16);
    sealInPlace(key, nonce, aad, whole, wholeTag);
    // Pieces of uneven sizes, one of them empty, as a socket's writes would cut them.
    const cuts = [0, Math.min(n, 7), Math.min(n, 7), Math.min(n, 65_536 + 7), n];
    for (const make of [gcmStream, streamWithNodeCrypto]) {
      const data = plain.slice();
      const tag = new Uint8Array(16);
      const s = make(key, nonce, aad, 'seal');
      for (let i = 1; i < cuts.length; i++) s.update(data.subarray(cuts[i - 1], cuts[i]));
      assert.ok(s.finish(tag), `${make.name}, ${n} bytes: sealed`);
      assert.ok(Buffer.from(data).equals(whole) && Buffer.from(tag).equals(wholeTag), `${make.name}, ${n} bytes: the bytes and tag of one call`);
      const o = make(key, nonce, aad, 'open');
      for (let i = 1; i < cuts.length; i++) o.update(data.subarray(cuts[i - 1], cuts[i]));
      assert.ok(o.finish(tag) && Buffer.from(data).equals(plain), `${make.name}, ${n} bytes: opened a piece at a time`);
      if (n > 0) {
        const altered = whole.slice();
        altered[n - 1] ^= 4;
        const bad = make(key, nonce, aad, 'open');
        bad.update(altered.subarray(0, n >> 1));
        bad.update(altered.subarray(n >> 1));
        assert.not.ok(bad.finish(wholeTag), `${make.name}, ${n} bytes: an altered last byte is refused`);
      }
    }
  }
  if (gcmKind() === 'openssl') {
    const s = gcmStream(key, nonce, aad, 'seal');
    s.finish(new Uint8Array(16));
    assert.throws(() => s.update(new Uint8Array(4)), /finished/, 'a finished stream takes nothing more');
    assert.throws(() => gcmStream(key.subarray(2), nonce, aad, 'seal'), /key must be 32 bytes/);
  }
});

test('a stored checkpoint opens only for the client it was sealed to', () => {
  const client = createIdentity();
  const box = sealAnon(client.public.seal, ctx, bytes);
  assert.ok(Buffer.from(openAnon(client, ctx, box)).equals(Buffer.from(bytes)));
  assert.is(code(() => openAnon(createIdentity(), ctx, box)), 'tampered');
  assert.is(code(() => openAnon(client, { ...ctx, job: 'j.1' }, box)), 'tampered');
});

test('processes started at once on a new machine make one identity: all keep the key on disk, none reads half a file', async () => {
  // Chaos and CI start several `weave run`s and hubs at once; before the identity was
  // linked into place whole, they overwrote each other's keys (and one read a half file).
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weave-identity-'));
  try {
    const file = path.join(dir, 'sub', 'identity.json');
    const mod = new URL('../runtime/net/index.js', import.meta.url).href;
    const at = Date.now() + 1500;
    const code = `const m = await import(${JSON.stringify(mod)}); while (Date.now() < ${at}); const me = await m.loadOrCreateIdentity(${JSON.stringify(file)}); console.log(Buffer.from(me.public.sign).toString('hex'));`;
    const keys = await Promise.all(Array.from({ length: 6 }, () => new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--input-type=module', '-e', code], (e, out, err) => (e ? reject(new Error(err)) : resolve(out.trim()))))));
    const onDisk = JSON.parse(readFileSync(file, 'utf8')) as { sign: string };
    assert.ok(onDisk.sign.includes('PRIVATE KEY'));
    assert.equal([...new Set(keys)].length, 1, `keys: ${keys.join(' ')}`);
    assert.equal(readdirSync(path.dirname(file)), ['identity.json'], 'no temporary file left');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a result signature binds the job, attempt, hub and bytes', () => {
  const hub = createIdentity();
  const r = { job: 'j.0', attempt: 0, hub: 'a', result: new Uint8Array([1, 2]), yields: 9 };
  const sig = sign(hub, resultStatement(r));
  assert.ok(verify(hub.public.sign, resultStatement(r), sig));
  for (const change of [{ job: 'j.1' }, { attempt: 1 }, { hub: 'b' }, { result: new Uint8Array([1, 3]) }, { yields: 8 }, { output: new Uint8Array([0]) }]) {
    assert.not.ok(verify(hub.public.sign, resultStatement({ ...r, ...change }), sig), JSON.stringify(Object.keys(change)));
  }
  assert.not.ok(verify(createIdentity().public.sign, resultStatement(r), sig), 'another hub');
});

test('a result MAC binds the job, attempt, hub and bytes, and is the one client\'s and hub\'s alone', () => {
  const hub = createIdentity();
  const client = createIdentity();
  const r = { job: 'j.0', attempt: 0, hub: 'a', result: new Uint8Array([1, 2]), yields: 9 };
  const mac = resultMac(hub, client.public.seal, r);
  assert.ok(checkResultMac(client, hub.public.seal, r, mac));
  for (const change of [{ job: 'j.1' }, { attempt: 1 }, { seq: 1 }, { hub: 'b' }, { result: new Uint8Array([1, 3]) }, { yields: 8 }, { output: new Uint8Array([0]) }]) {
    assert.not.ok(checkResultMac(client, hub.public.seal, { ...r, ...change }, mac), JSON.stringify(Object.keys(change)));
  }
  assert.not.ok(checkResultMac(client, createIdentity().public.seal, r, mac), 'checked as another hub\'s');
  assert.not.ok(checkResultMac(createIdentity(), hub.public.seal, r, mac), 'another client');
  assert.not.ok(checkResultMac(client, hub.public.seal, r, resultMac(createIdentity(), client.public.seal, r)), 'made by another hub');
  assert.not.ok(checkResultMac(client, hub.public.seal, r, mac.subarray(0, 16)), 'cut short');
  assert.not.ok(checkResultMac(client, hub.public.seal, r, undefined), 'none');
});

type Ran = Extract<HubReply, { kind: 'ran' }>;
/** How a hub's reply to `req` is answered under hub id `hub`. */
type Answer = (r: Ran, req: ExecRequest, hub: string) => Ran;

/**
 * A transport whose hubs run the job for real, then answer with each of `forgeries` in
 * turn and with `genuine` after them (the engine stops using a hub that sent a forgery, so
 * one hub more than forgeries). `submits()` counts the answers.
 */
function forgingTransport(b: LoadedBundle, ids: Record<string, Identity>, forgeries: Answer[], genuine: Answer): { t: Transport; submits: () => number } {
  const real = new HubCore('real');
  let submits = 0;
  const t: Transport = {
    kind: 'routed',
    hubs: () => Object.entries(ids).map(([id, k]) => ({ id, keys: k.public })),
    request: async () => ({ kind: 'ok', v: PROTOCOL_VERSION }),
    stored: async () => [],
    forgetStored: async () => {},
    jobs: async () => undefined,
    fence: () => {},
    move: async () => false,
    placed: () => () => {},
    running: () => false,
    async submit(hub, req) {
      const r = await real.handle({ ...req, bundleBytes: b.bytes });
      if (r.kind !== 'ran') return r;
      return (forgeries[submits++] ?? genuine)(r, req, hub);
    },
    async close() {},
  };
  return { t, submits: () => submits };
}

const fourHubs = () => Object.fromEntries(['a', 'b', 'c', 'd'].map((h) => [h, createIdentity()]));

test('the engine discards a result not signed by the assigned hub for this attempt, and re-runs', async () => {
  const b = await loadBundle(new Uint8Array(readFileSync('build/test/seal-particles.wasm')));
  const ids = fourHubs();
  const statement = (req: ExecRequest, r: Ran, hub: string, attempt = req.attempt!) => resultStatement({ job: req.job, attempt, hub, result: r.result!, yields: r.yields });
  const { t, submits } = forgingTransport(b, ids, [
    (r, req, hub) => ({ ...r, hub, sig: sign(createIdentity(), statement(req, r, hub)) }), // another key
    (r, req, hub) => ({ ...r, hub, sig: sign(ids[hub], statement(req, r, hub, req.attempt! + 1)) }), // another attempt
    (r, req, hub) => ({ ...r, hub: 'z', sig: sign(ids[hub], statement(req, r, 'z')) }), // a hub not assigned
  ], (r, req, hub) => ({ ...r, hub, sig: sign(ids[hub], statement(req, r, hub)) }));
  const out = await runJob(t, b, { args: [100, 50] });
  assert.is(submits(), 4, 'three forgeries discarded, the fourth (genuine) taken');
  assert.is(out.retries, 3);
  const plain = await new HubCore('p').handle({ kind: 'exec', v: PROTOCOL_VERSION, job: 'p', bundle: b.hash, bundleBytes: b.bytes, entry: 'simulate', fragment: b.manifest.entries[0].fragments[0], args: [100, 50], migrateEvery: 0, stay: true });
  assert.is(Buffer.from(out.resultBytes).toString('hex'), Buffer.from((plain as Ran).result!).toString('hex'));
});

test('the engine discards a result MAC\'d by another hub, for another attempt, or by a hub not assigned, and re-runs', async () => {
  const b = await loadBundle(new Uint8Array(readFileSync('build/test/seal-particles.wasm')));
  const client = createIdentity();
  const ids = fourHubs();
  const fields = (req: ExecRequest, r: Ran, hub: string, attempt = req.attempt!) => ({ job: req.job, attempt, hub, result: r.result!, yields: r.yields });
  const { t, submits } = forgingTransport(b, ids, [
    (r, req, hub) => ({ ...r, hub, mac: resultMac(ids[hub === 'a' ? 'b' : 'a'], client.public.seal, fields(req, r, hub)) }), // another hub's key
    (r, req, hub) => ({ ...r, hub, mac: resultMac(ids[hub], client.public.seal, fields(req, r, hub, req.attempt! + 1)) }), // another attempt
    (r, req, hub) => ({ ...r, hub: 'z', mac: resultMac(ids[hub], client.public.seal, fields(req, r, 'z')) }), // a hub not assigned
  ], (r, req, hub) => ({ ...r, hub, mac: resultMac(ids[hub], client.public.seal, fields(req, r, hub)) }));
  const out = await runJob(t, b, { args: [100, 50], identity: client });
  assert.is(submits(), 4, 'three forgeries discarded, the fourth (genuine) taken');
  assert.is(out.retries, 3);
});

let ns: NatsServer | undefined;
let hub: HubProcess | undefined;
test.after(async () => {
  await hub?.stop('SIGKILL');
  await ns?.stop();
});

test('a live hub refuses plain, altered, replayed and misdirected checkpoints, then runs a job', async () => {
  ns = await startNatsServer();
  hub = await startHubProcess(ns.url, 'sealed', ['--slots', '1', '--no-gpu']);
  const b: LoadedBundle = await loadBundle(new Uint8Array(readFileSync('build/test/seal-particles.wasm')));
  const me = createIdentity();
  const mesh = await connectMesh({ nats: ns.url });
  try {
    const keys = mesh.hubs().find((h) => h.id === 'sealed')!.keys!;
    // A real paused checkpoint of the job, made in this process.
    const fragment = b.manifest.entries[0].fragments[0];
    const first = await new HubCore('maker').handle({ kind: 'exec', v: PROTOCOL_VERSION, job: 'm', bundle: b.hash, bundleBytes: b.bytes, entry: 'simulate', fragment, args: [200, 100], migrateEvery: 500, stay: true, full: true });
    assert.is(first.kind === 'ran' && first.outcome, 'paused');
    const cp = (first as Extract<HubReply, { kind: 'ran' }>).checkpoint!;
    const at = (first as Extract<HubReply, { kind: 'ran' }>).fragment;
    const exec = (job: string, checkpoint: Uint8Array, sealed: boolean): ExecRequest => ({
      kind: 'exec', v: PROTOCOL_VERSION, job, bundle: b.hash, bundleBytes: b.bytes, entry: 'simulate', fragment: at, checkpoint, sealed,
      migrateEvery: 0, stay: true, full: true, attempt: 0, client: me.public, keys: { sealed: keys.seal },
    });
    const seal = (job: string) => sealTo(me, keys.seal, { job, attempt: 0, fragment: at, seq: 0, bundle: b.hash, from: 'engine', to: 'sealed' }, cp);
    const errorCode = (r: HubReply) => (r.kind === 'error' ? r.code : r.kind);

    assert.is(errorCode(await mesh.request('sealed', exec('plain.0', cp, false))), 'seal-unsealed');
    const altered = seal('alt.0');
    altered[altered.byteLength - 40] ^= 4;
    assert.is(errorCode(await mesh.request('sealed', exec('alt.0', altered, true))), 'seal-tampered');
    assert.is(errorCode(await mesh.request('sealed', exec('other.0', seal('mine.0'), true))), 'seal-tampered', 'sealed for another job');
    const good = exec('ok.0', seal('ok.0'), true);
    const ran = await mesh.request('sealed', good);
    assert.is(ran.kind === 'ran' && ran.outcome, 'done', JSON.stringify(ran).slice(0, 200));
    // No record: the result is MAC'd for this client alone (runtime/net/result-mac.ts), by the hub's sealing key.
    assert.ok(ran.kind === 'ran' && ran.mac && checkResultMac(me, keys.seal, { job: 'ok.0', attempt: 0, hub: 'sealed', result: ran.result!, yields: ran.yields }, ran.mac), 'MAC\'d by the hub');
    assert.is(errorCode(await mesh.request('sealed', good)), 'seal-replayed');
    // The bundle: sealed to the hub it was given to, and to nobody else.
    const ask = async (hub: string) => decodeMessage(await mesh.wire.request(`weave.client.${mesh.clientId}.bundle`, encodeMessage({ kind: 'bundle', v: PROTOCOL_VERSION, hash: b.hash, hub })));
    const mine = await ask('sealed');
    assert.is(mine.kind, 'bundle-bytes');
    assert.ok(mine.sealed && !Buffer.from(mine.bytes as Uint8Array).equals(Buffer.from(b.bytes)), 'sealed, not the plain module');
    assert.is((await ask('stranger')).code, 'not-yours');
    assert.match(hub.log(), /refused a checkpoint/);
  } finally {
    await mesh.close();
  }
  // Still serving: a whole job, migrating hub to itself is not possible with one hub, so plain.
  const r = await runCli('weave', ['run', 'build/test/seal-particles.wasm', '200', '100', '--nats', ns.url]);
  assert.is(r.status, 0, r.stderr);
  const local = await runCli('weave', ['run', 'build/test/seal-particles.wasm', '200', '100', '--hubs', '1']);
  assert.is(r.stdout, local.stdout);
  assert.is(hub.proc.exitCode, null, 'the hub is alive');
});

test.before(async () => {
  mkdirSync('build/test', { recursive: true });
  const r = await buildModule(['examples/particles.ts', '-o', 'build/test/seal-particles.wasm', '--yield-interval', '50']);
  assert.is(r.status, 0, r.stderr);
});



test('--insecure hubs hand plain checkpoints over, hub to hub, and the result is the same', async () => {
  const plainNs = await startNatsServer();
  const pair = await Promise.all(['p1', 'p2'].map((n) => startHubProcess(plainNs.url, n, ['--slots', '1', '--no-gpu', '--insecure'])));
  try {
    const r = await runCli('weave', ['run', 'build/test/seal-particles.wasm', '500', '4000', '--nats', plainNs.url, '--migrate-every', '20000', '--json']);
    assert.is(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { result: string; migrations: number };
    assert.ok(out.migrations > 3, `migrations ${out.migrations}`);
    const local = await runCli('weave', ['run', 'build/test/seal-particles.wasm', '500', '4000', '--hubs', '1']);
    assert.is(out.result, local.stdout.trim());
  } finally {
    await Promise.all(pair.map((h) => h.stop('SIGKILL')));
    await plainNs.stop();
  }
});
test.run();
