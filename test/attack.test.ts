/**
 * Issue 20, a peer on the bus, default mode: a real nats-server (JetStream), real hub
 * processes with default flags (and one --insecure), and an attacker that is just another
 * NATS client. Each case is an attack of the issue; each asserts what the attacker got
 * (never a forged result, a state, a second run) and that it really tried (its forgery
 * was sent), so a case cannot pass by the attack not happening. The secure-mode cases
 * (TLS + nkeys, `weave auth` permissions) are in attack-secure.test.ts.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import { Encoder } from 'cbor-x';
import { runCli, startHubProcess, startNatsServer, type HubProcess, type NatsServer } from './helpers/nats-server.js';
import { buildModule } from './helpers/build-module.js';
import { Wire, connectNats, createIdentity, execSubject, resultStatement, sign, JOBS_BUCKET, type NatsConnection } from '../runtime/net/index.js';
import { PROTOCOL_VERSION, decodeMessage, encodeMessage } from '../runtime/protocol/index.js';

const test = suite('attack');
const MODULE = 'build/test/attack-particles.wasm';
const ARGS = ['64', '400'];
let ns: NatsServer;
let hubs: HubProcess[] = [];
let embedded = '';

test.before(async () => {
  mkdirSync('build/test', { recursive: true });
  ns = await startNatsServer({ jetstream: true });
  const [built] = await Promise.all([
    buildModule(['examples/particles.ts', '-o', MODULE, '--yield-interval', '50']),
    (async () => {
      hubs = await Promise.all([
        startHubProcess(ns.url, 'ha', ['--slots', '1', '--no-gpu']),
        startHubProcess(ns.url, 'hb', ['--slots', '1', '--no-gpu', '--insecure']),
      ]);
    })(),
  ]);
  assert.is(built.status, 0, built.stderr);
  const r = await runCli('weave', ['run', MODULE, ...ARGS]);
  assert.is(r.status, 0, r.stderr);
  embedded = r.stdout.trim();
});

test.after(async () => {
  await Promise.all(hubs.map((h) => h.stop('SIGKILL')));
  await ns?.stop();
});

/** The job id `weave run` prints on stderr over JetStream. */
const jobOf = (stderr: string) => /weave: job ([0-9a-f]{16})/.exec(stderr)?.[1];

/** A client that answers execs on the hubs' subjects first, with a forged `done` from hub `as`. */
async function ghost(nc: NatsConnection, as: string, times: number): Promise<{ sent: () => number; stop: () => void }> {
  const wire = new Wire(nc);
  let sent = 0;
  const subs = ['ha', 'hb'].map((h) => wire.serve(execSubject(h), async (bytes) => {
      const m = decodeMessage(bytes) as { kind: string };
      if (m.kind !== 'exec' || sent >= times) return undefined;
      sent++;
      return encodeMessage({ kind: 'ran', v: PROTOCOL_VERSION, outcome: 'done', fragment: -1, result: new Uint8Array(8).fill(0x41), execMs: 1, yields: 1, hub: as, committed: false });
    }));
  await nc.flush();
  return { sent: () => sent, stop: () => { for (const s of subs) s.unsubscribe(); wire.close(); } };
}

test('an unsigned result sent first from a hub nobody placed the job on is refused; the real one is printed and recorded', async () => {
  const nc = await connectNats(ns.url, { name: 'ghost' });
  try {
    for (const as of ['ghost', 'ha', 'hb']) {
      const g = await ghost(nc, as, 1);
      const r = await runCli('weave', ['run', MODULE, ...ARGS, '--nats', ns.url, '--json']);
      assert.ok(g.sent() >= 1, `the forgery as '${as}' was sent`);
      assert.is(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.is(out.result, embedded, `the real result, not the one forged as '${as}'`);
      assert.ok(out.retries >= 1, `the forged reply as '${as}' took the place of the real one, and was refused: ${out.retries} retries`);
      const job = jobOf(r.stderr);
      assert.ok(job, r.stderr);
      const attached = await runCli('weave', ['run', '--attach', job!, '--nats', ns.url]);
      assert.is(attached.status, 0, attached.stderr);
      assert.is(attached.stdout.trim(), embedded, 'the record holds the real result');
      g.stop();
    }
  } finally {
    await nc.close();
  }
});

test('a result written straight into the job record is refused by --attach: unsigned, or signed with a key the hub does not advertise', async () => {
  const r = await runCli('weave', ['run', MODULE, ...ARGS, '--nats', ns.url]);
  assert.is(r.status, 0, r.stderr);
  const job = jobOf(r.stderr)!;
  const nc = await connectNats(ns.url, { name: 'record forger' });
  try {
    const kv = await nc.jetstream().views.kv(JOBS_BUCKET);
    const cbor = new Encoder({ useRecords: false, mapsAsObjects: true });
    const forged = new Uint8Array(8).fill(0x41);
    const rewrite = async (f: (rec: Record<string, any>) => void) => {
      const e = (await kv.get(job))!;
      const rec = cbor.decode(e.value) as Record<string, any>;
      f(rec);
      await kv.put(job, cbor.encode(rec));
    };
    const attach = () => runCli('weave', ['run', '--attach', job, '--nats', ns.url]);
    await rewrite((rec) => { rec.result = forged; rec.committed = { ...rec.committed, sig: undefined }; });
    const unsigned = await attach();
    assert.is.not(unsigned.status, 0, `an unsigned record's result was delivered: ${unsigned.stdout}`);
    assert.match(unsigned.stderr, 'is not signed by the hub that committed it');
    const mine = createIdentity();
    await rewrite((rec) => {
      const c = rec.committed;
      c.signer = mine.public.sign;
      c.sig = sign(mine, resultStatement({ job: `${job}.${c.attempt}`, attempt: c.attempt, seq: c.seq ?? 0, hub: c.hub, result: forged, output: rec.output, yields: c.yields }));
    });
    const foreign = await attach();
    assert.is.not(foreign.status, 0, `a record signed with another key was delivered: ${foreign.stdout}`);
    assert.match(foreign.stderr, 'other than the one it advertises');
  } finally {
    await nc.close();
  }
});

test.run();
