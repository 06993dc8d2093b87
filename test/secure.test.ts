/**
 * Secure mode (docs/security.md): a real nats-server with TLS (clients verified) and nkey
 * users whose permissions scripts/dev-certs.mjs writes. Without credentials a client is
 * refused with a message naming the flag; a hub's nkey cannot listen on another hub's exec
 * subject; and a real job runs end to end with JetStream checkpoints, as the embedded run.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NatsError } from 'nats';
import { runCli, startHubProcess, startNatsServer, type HubProcess, type NatsServer } from './helpers/nats-server.js';
import { connectNats } from '../runtime/net/index.js';

const test = suite('secure');
const MODULE = 'build/test/secure-particles.wasm';
const ARGS = ['300', '30000'];
let dir = '';
let ns: NatsServer | undefined;
let hubs: HubProcess[] = [];
/** Why the suite cannot run here, printed by every test; empty when it can. */
let skip = '';

const url = () => `tls://127.0.0.1:${ns!.port}`;
const file = (name: string) => path.join(dir, name);
/** The TLS flags of identity `who` ('hub-sa', 'client-c'): the CA and its client certificate. */
const tls = (who: string) => ['--tls-ca', file('ca.pem'), '--tls-cert', file(`${who}-cert.pem`), '--tls-key', file(`${who}-key.pem`)];
const skipped = () => {
  if (skip) console.log(`  secure: skipped: ${skip}`);
  return !!skip;
};

test.before(async () => {
  if (spawnSync('openssl', ['version']).error) {
    skip = 'openssl is not installed (apt-get install -y openssl); scripts/dev-certs.mjs needs it';
    return;
  }
  mkdirSync('build/test', { recursive: true });
  dir = mkdtempSync(path.join(os.tmpdir(), 'weave-secure-'));
  const certs = spawnSync(process.execPath, ['scripts/dev-certs.mjs', dir, '--hubs', 'sa,sb', '--clients', 'c', '--port', '0'], { encoding: 'utf8' });
  assert.is(certs.status, 0, certs.stderr);
  ns = await startNatsServer({ config: readFileSync(file('nats.conf'), 'utf8') });
  const [built] = await Promise.all([
    runCli('weave', ['build', 'examples/particles.ts', '-o', MODULE, '--yield-interval', '50']),
    (async () => {
      hubs = await Promise.all(['sa', 'sb'].map((h) => startHubProcess(url(), h, ['--slots', '1', '--no-gpu', ...tls(`hub-${h}`), '--nkey', file(`hub-${h}.nk`)])));
    })(),
  ]);
  assert.is(built.status, 0, built.stderr);
});

test.after(async () => {
  await Promise.all(hubs.map((h) => h.stop('SIGKILL')));
  await ns?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a client without credentials, or with a CA it was not given, is refused with what to pass', async () => {
  if (skipped()) return;
  const noKey = await runCli('weave', ['run', MODULE, ...ARGS, '--nats', url(), ...tls('client-c')]);
  assert.is(noKey.status, 1, noKey.stderr);
  assert.match(noKey.stderr, `weave run: NATS at ${url()} requires credentials: pass --nkey SEEDFILE or --creds FILE`);
  assert.is(noKey.stdout, '');

  const noCa = await runCli('weave', ['run', MODULE, ...ARGS, '--nats', url(), '--nkey', file('client-c.nk')]);
  assert.is(noCa.status, 1, noCa.stderr);
  assert.match(noCa.stderr, 'sent a certificate this process does not trust: pass the CA that signed it with --tls-ca FILE');

  // A seed the server does not list: the hub's public key is listed, a fresh one is not.
  const missing = await runCli('weave', ['run', MODULE, ...ARGS, '--nats', url(), ...tls('client-c'), '--nkey', file('nope.nk')]);
  assert.is(missing.status, 2, missing.stderr);
  assert.match(missing.stderr, `--nkey ${file('nope.nk')}: no such file`);
});

test("a hub's nkey cannot subscribe to another hub's exec subject", async () => {
  if (skipped()) return;
  const nc = await connectNats(url(), { name: 'rogue hub', tlsCa: file('ca.pem'), tlsCert: file('hub-sa-cert.pem'), tlsKey: file('hub-sa-key.pem'), nkey: file('hub-sa.nk') });
  try {
    const outcome = (subject: string) => new Promise<NatsError | null>((resolve) => {
      nc.subscribe(subject, { callback: (err) => { if (err) resolve(err); } });
      // A violation comes back before the answer to a ping sent after the subscribe.
      void nc.flush().then(() => setTimeout(() => resolve(null), 200));
    });
    const [other, own] = await Promise.all([outcome('weave.hub.sb.exec'), outcome('weave.jobs.fence')]);
    assert.ok(other, 'subscribing to hub sb\'s exec subject with hub sa\'s nkey was allowed');
    assert.is(other!.code, 'PERMISSIONS_VIOLATION');
    assert.match(other!.message, 'Permissions Violation for Subscription to "weave.hub.sb.exec"');
    assert.is(own, null, 'the same user may subscribe to the fence subject');
  } finally {
    await nc.close();
  }
});

test('a job runs end to end over TLS with nkeys and JetStream checkpoints, with the embedded result', async () => {
  if (skipped()) return;
  const embedded = await runCli('weave', ['run', MODULE, ...ARGS]);
  assert.is(embedded.status, 0, embedded.stderr);
  const r = await runCli('weave', ['run', MODULE, ...ARGS, '--nats', url(), ...tls('client-c'), '--nkey', file('client-c.nk'), '--checkpoint-every', '20000', '--json']);
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.is(out.result, embedded.stdout.trim());
  assert.ok(out.yields > 20000, `the job yielded ${out.yields} times: too few for a stored checkpoint`);
  const job = /weave: job ([0-9a-f]{16})\n/.exec(r.stderr)?.[1];
  assert.ok(job, `no job record (JetStream) on stderr:\n${r.stderr}`);
  const logs = hubs.flatMap((h) => h.log().split('\n'));
  assert.ok(logs.some((l) => l.includes('"msg":"result committed"') && l.includes(job!)), 'no hub committed the result to the job record');
  assert.equal(logs.filter((l) => /"level":"(warn|error)"/.test(l)), [], 'the hubs logged no warnings (a refused checkpoint store or commit logs one)');

  // The same credentials from the environment, for weave hubs.
  const env = { ...process.env, NATS_TLS_CA: file('ca.pem'), NATS_TLS_CERT: file('client-c-cert.pem'), NATS_TLS_KEY: file('client-c-key.pem'), NATS_NKEY: file('client-c.nk') };
  const listed = await runCli('weave', ['hubs', '--nats', url(), '--json'], env);
  assert.is(listed.status, 0, listed.stderr);
  assert.equal(JSON.parse(listed.stdout).map((h: { id: string }) => h.id), ['sa', 'sb']);
});

test.run();
