#!/usr/bin/env node
/**
 * Development certificates, nkeys and a nats-server config for weave in secure mode
 * (docs/security.md): a throw-away CA, a server certificate for 127.0.0.1/localhost, a
 * client certificate and an nkey per hub and per client, and nats.conf with TLS (clients
 * verified), one nkey user per identity and per-subject permissions. For a laptop or CI,
 * not production: the CA key sits unencrypted beside the rest.
 *   node scripts/dev-certs.mjs build/secure --hubs a,b --clients me
 *   nats-server -c build/secure/nats.conf
 *   hub start --nats tls://127.0.0.1:4222 --name a --tls-ca build/secure/ca.pem \
 *     --tls-cert build/secure/hub-a-cert.pem --tls-key build/secure/hub-a-key.pem --nkey build/secure/hub-a.nk
 *
 * Needs openssl on PATH; the nkeys come from the `nats` package (its nkeys module).
 * Exit codes: 0 written, 1 openssl failed or is missing, 2 bad arguments.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { nkeys } from 'nats';

const USAGE = `usage: node scripts/dev-certs.mjs DIR [--hubs a,b] [--clients client] [--port N] [--no-jetstream] [--days N]

Writes into DIR: ca.pem (+ ca-key.pem), server-cert.pem/server-key.pem (127.0.0.1, localhost),
hub-<id>-cert.pem/-key.pem and hub-<id>.nk (nkey seed) per hub, client-<id>-cert.pem/-key.pem
and client-<id>.nk per client, and nats.conf. Hub ids must match 'hub start --name'.

options:
  --hubs IDS      comma-separated hub ids (default: a,b)
  --clients IDS   comma-separated client names (default: client)
  --port N        the server's client port; 0 lets the OS pick one (default 4222)
  --no-jetstream  leave JetStream off (then jobs have no record; --checkpoint-every fails)
  --days N        certificate lifetime (default 30)`;

/** The JetStream buckets weave uses (runtime/net/jobs.ts, kv.ts), by their stream names. */
const STREAMS = { jobs: 'KV_weave-jobs', jobData: 'OBJ_weave-job-data', checkpoints: 'OBJ_weave-checkpoints', policy: 'KV_weave-policy', history: 'KV_weave-history' };
const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

function fail(code, msg) {
  process.stderr.write(`dev-certs: ${msg}\n`);
  process.exit(code);
}

/**
 * The JetStream API a user needs to open (creating on first use), read, write and watch
 * the given KV buckets and object stores, and nothing on other streams: no stream delete,
 * no listing. Found by running weave against a server that logs every violation.
 */
function jetstreamSubjects({ kv = [], os = [], ownKeys = {} }) {
  // STREAM.NAMES: a KV watch (weave run --attach) looks its stream up by subject first.
  // It lists names only, but of every stream in the account: no narrower subject exists.
  const out = ['$JS.API.INFO', '$JS.API.STREAM.NAMES'];
  const streams = [...kv.map((b) => `KV_${b}`), ...Object.keys(ownKeys).map((b) => `KV_${b}`), ...os.map((b) => `OBJ_${b}`)];
  for (const s of streams) {
    out.push(
      `$JS.API.STREAM.INFO.${s}`, `$JS.API.STREAM.CREATE.${s}`, `$JS.API.STREAM.MSG.GET.${s}`,
      `$JS.API.DIRECT.GET.${s}`, `$JS.API.DIRECT.GET.${s}.>`, `$JS.API.STREAM.PURGE.${s}`,
      `$JS.API.CONSUMER.CREATE.${s}`, `$JS.API.CONSUMER.CREATE.${s}.>`, `$JS.API.CONSUMER.DELETE.${s}.>`,
      `$JS.API.CONSUMER.INFO.${s}.>`, `$JS.FC.${s}.>`,
    );
  }
  for (const b of kv) out.push(`$KV.${b}.>`);
  // Buckets where a user writes under its own key alone (and reads every key by watching);
  // `<key>.d` is its own too (weave-history: what changed since its last whole value).
  for (const [b, key] of Object.entries(ownKeys)) out.push(`$KV.${b}.${key}`, `$KV.${b}.${key}.d`);
  for (const b of os) out.push(`$O.${b}.>`);
  return out;
}

/** A hub: its own exec/ping, discovery, fences, datasets; talks to other hubs only to hand work over. */
function hubPermissions(id, pub) {
  return {
    publish: {
      allow: [
        'weave.hubs.advert', // its advert
        `weave.hubs.beat.${id}`, // its heartbeat, nobody else's (engines judge a job's hub by it)
        'weave.hub.*.exec', // hand a running fragment to another hub (--migrate-every, drain, re-weave)
        'weave.data.*', // read a dataset range another hub serves
        'weave.client.*.bundle', // fetch a job's bundle from the client that submitted it
        '_INBOX.>', // replies (chunked, so not allow_responses) and progress events to clients
        // weave-history: its own measured history, under its own key and <key>.d (hub start --reweave learned).
        ...jetstreamSubjects({ kv: ['weave-jobs'], os: ['weave-job-data', 'weave-checkpoints'], ownKeys: { 'weave-history': id } }),
      ],
    },
    subscribe: {
      allow: [
        `weave.hub.${id}.>`, // its own exec and ping, nobody else's
        'weave.hubs.advert', // other hubs' adverts: where a job it runs could move (--reweave)
        'weave.hubs.discover',
        'weave.jobs.fence',
        'weave.data.*', // serve its datasets (queue group weave-data)
        `_INBOX.${pub}.>`, // its own inboxes only (the hub connects with this inbox prefix)
      ],
    },
  };
}

/** A client (`weave run`, `weave hubs`): submits to hubs, serves its bundles, keeps job records. */
function clientPermissions(pub) {
  return {
    publish: {
      allow: [
        'weave.hub.*.exec', 'weave.hub.*.ping', 'weave.hubs.discover', 'weave.jobs.fence', '_INBOX.>',
        ...jetstreamSubjects({ kv: ['weave-jobs', 'weave-policy'], os: ['weave-job-data', 'weave-checkpoints'] }),
      ],
    },
    subscribe: {
      allow: [
        'weave.hubs.advert',
        'weave.hubs.beat.*', // hubs' heartbeats: how a lost hub is told from a slow one
        // NatsMesh picks a random client id per connection, so this cannot name one client.
        'weave.client.*.>',
        // Its own inboxes only: replies, progress and results to other clients stay unread.
        `_INBOX.${pub}.>`,
      ],
    },
  };
}

function openssl(args, cwd) {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    if (e.code === 'ENOENT') fail(1, 'openssl is not installed (apt-get install -y openssl)');
    fail(1, `openssl ${args[0]} failed: ${e.stderr?.toString().trim() || e.message}`);
  }
}

/** An EC P-256 key and a certificate the CA signs, with the given extensions. */
function issue(dir, base, cn, ext, days) {
  openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', `${base}-key.pem`, '-out', `${base}.csr`, '-subj', `/CN=${cn}`], dir);
  writeFileSync(path.join(dir, `${base}.ext`), ext.join('\n') + '\n');
  openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-set_serial', `0x${randomBytes(8).toString('hex')}`,
    '-days', String(days), '-out', `${base}-cert.pem`, '-extfile', `${base}.ext`], dir);
  rmSync(path.join(dir, `${base}.csr`));
  rmSync(path.join(dir, `${base}.ext`));
}

/** An nkey user: the seed into `<base>.nk` (owner-only), the public key back. */
function nkeyUser(dir, base) {
  const kp = nkeys.createUser();
  writeFileSync(path.join(dir, `${base}.nk`), new TextDecoder().decode(kp.getSeed()) + '\n', { mode: 0o600 });
  return kp.getPublicKey();
}

function main(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: {
      hubs: { type: 'string' }, clients: { type: 'string' }, port: { type: 'string' },
      'no-jetstream': { type: 'boolean' }, days: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    } });
  } catch (e) {
    fail(2, `${e.message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) { process.stdout.write(USAGE + '\n'); return; }
  if (positionals.length !== 1) fail(2, `give one output folder\n${USAGE}`);
  const dir = path.resolve(positionals[0]);
  const ids = (v, d) => (v ?? d).split(',').map((s) => s.trim()).filter(Boolean);
  const hubs = ids(values.hubs, 'a,b');
  const clients = ids(values.clients, 'client');
  for (const id of [...hubs, ...clients]) if (!TOKEN.test(id)) fail(2, `'${id}': ids are 1-64 letters, digits, '-' or '_'`);
  const port = values.port ?? '4222';
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) fail(2, `--port takes a port number, or 0 for any, got '${port}'`);
  const days = values.days ?? '30';
  if (!/^\d{1,4}$/.test(days) || Number(days) < 1) fail(2, `--days takes a whole number of days, got '${days}'`);

  mkdirSync(dir, { recursive: true });
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem',
    '-days', days, '-subj', '/CN=weave dev CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  issue(dir, 'server', 'localhost', ['basicConstraints=CA:FALSE', 'keyUsage=digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth',
    'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1'], days);
  const users = [];
  for (const id of hubs) {
    issue(dir, `hub-${id}`, `hub-${id}`, ['basicConstraints=CA:FALSE', 'keyUsage=digitalSignature', 'extendedKeyUsage=clientAuth'], days);
    const pub = nkeyUser(dir, `hub-${id}`);
    users.push({ nkey: pub, permissions: hubPermissions(id, pub), comment: `hub ${id}` });
  }
  for (const id of clients) {
    issue(dir, `client-${id}`, `client-${id}`, ['basicConstraints=CA:FALSE', 'keyUsage=digitalSignature', 'extendedKeyUsage=clientAuth'], days);
    const pub = nkeyUser(dir, `client-${id}`);
    users.push({ nkey: pub, permissions: clientPermissions(pub), comment: `client ${id}` });
  }

  // JSON is valid nats-server config, and quoting keeps '$JS…' from reading as a variable.
  const q = (s) => JSON.stringify(s);
  const list = (xs) => `[${xs.map(q).join(', ')}]`;
  const conf = [
    '# weave development server: scripts/dev-certs.mjs wrote this; see docs/security.md',
    // nats-server's 'any port' is -1 (its 0 means the default, 4222)
    `listen: ${q(`127.0.0.1:${Number(port) === 0 ? -1 : port}`)}`,
    'tls {',
    `  cert_file: ${q(path.join(dir, 'server-cert.pem'))}`,
    `  key_file: ${q(path.join(dir, 'server-key.pem'))}`,
    `  ca_file: ${q(path.join(dir, 'ca.pem'))}`,
    '  # every client shows a certificate this CA signed, before it may even try an nkey',
    '  verify: true',
    '  timeout: 2',
    '}',
    ...(values['no-jetstream'] ? [] : [`jetstream { store_dir: ${q(path.join(dir, 'jetstream'))} }`]),
    'authorization {',
    '  users: [',
    ...users.map((u) => [
      `    # ${u.comment}`,
      `    { nkey: ${q(u.nkey)}, permissions: {`,
      `        publish: { allow: ${list(u.permissions.publish.allow)} }`,
      `        subscribe: { allow: ${list(u.permissions.subscribe.allow)} }`,
      '    } }',
    ].join('\n')),
    '  ]',
    '}',
  ].join('\n') + '\n';
  writeFileSync(path.join(dir, 'nats.conf'), conf);
  for (const f of ['ca-key.pem', 'server-key.pem', ...hubs.map((h) => `hub-${h}-key.pem`), ...clients.map((c) => `client-${c}-key.pem`)]) {
    chmodSync(path.join(dir, f), 0o600);
  }
  process.stdout.write(`dev-certs: wrote ${dir}: CA, server certificate, ${hubs.length} hub(s) (${hubs.join(', ')}), ${clients.length} client(s) (${clients.join(', ')}), nats.conf\n`);
}

main(process.argv.slice(2));
