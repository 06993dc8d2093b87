/**
 * Who a hub or client is: an Ed25519 signing key (results, adverts) and an X25519 sealing
 * key (checkpoints sealed to it can be opened only with it). Adverts and exec requests
 * carry the public halves.
 *
 * A hub makes a fresh identity at every start unless given a file; a client keeps one in
 * `~/.weave/identity.json` (or `$WEAVE_IDENTITY`), because the checkpoints hubs store for
 * its jobs are sealed to it: `weave run --attach` from the same account opens them.
 *   const me = await loadOrCreateIdentity(defaultIdentityPath());
 *   const sig = sign(me, bytes);   verify(me.public.sign, bytes, sig);
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TransportError } from '../protocol/index.js';
import { boundedMap, hex } from '../util/index.js';

export interface PublicIdentity {
  /** Raw 32-byte Ed25519 public key. */
  sign: Uint8Array;
  /** Raw 32-byte X25519 public key. */
  seal: Uint8Array;
}

/** What an engine knows of a hub: its signing key always, its sealing key unless --insecure. */
export interface HubKeys {
  sign: Uint8Array;
  seal?: Uint8Array;
}

export interface Identity {
  signKey: KeyObject;
  sealKey: KeyObject;
  public: PublicIdentity;
}

/** The raw 32 bytes of an Ed25519 or X25519 public key (the last 32 of its SPKI DER). */
function raw(pub: KeyObject): Uint8Array {
  const der = pub.export({ type: 'spki', format: 'der' });
  return new Uint8Array(der.subarray(der.length - 32));
}

function fromKeys(signKey: KeyObject, sealKey: KeyObject): Identity {
  return { signKey, sealKey, public: { sign: raw(createPublicKey(signKey)), seal: raw(createPublicKey(sealKey)) } };
}

export function createIdentity(): Identity {
  return fromKeys(generateKeyPairSync('ed25519').privateKey, generateKeyPairSync('x25519').privateKey);
}

/** SPKI DER prefixes for raw 32-byte public keys (RFC 8410). */
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const X25519_SPKI = Buffer.from('302a300506032b656e032100', 'hex');

/**
 * Peers' keys as KeyObjects, by kind and raw bytes. Building one (createPublicKey) took
 * 0.23 ms of the engine's 0.66 ms per tiny job, once per signature checked; a mesh has few
 * peers, and the bound keeps a flood of made-up keys from growing it.
 */
const keyObjects = boundedMap<string, KeyObject>(1024);

/** A peer's raw public key as a KeyObject. Throws TransportError on a bad key. */
export function publicKey(kind: 'sign' | 'seal', bytes: Uint8Array): KeyObject {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength !== 32) throw new TransportError(`a ${kind} public key must be 32 bytes`, { code: 'auth' });
  const id = kind + Buffer.from(bytes.buffer, bytes.byteOffset, 32).toString('hex');
  const known = keyObjects.get(id);
  if (known) return known;
  const der = Buffer.concat([kind === 'sign' ? ED25519_SPKI : X25519_SPKI, bytes]);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch (e) {
    throw new TransportError(`not a valid ${kind} public key: ${(e as Error).message}`, { code: 'auth', cause: e });
  }
  keyObjects.set(id, key);
  return key;
}

export function sign(me: Identity, bytes: Uint8Array): Uint8Array {
  return new Uint8Array(edSign(null, bytes, me.signKey));
}

/** True when `sig` is `signer`'s signature of `bytes`; false for any bad input. */
export function verify(signer: Uint8Array, bytes: Uint8Array, sig: Uint8Array): boolean {
  try {
    return edVerify(null, bytes, publicKey('sign', signer), sig);
  } catch {
    return false;
  }
}

export function defaultIdentityPath(): string {
  return process.env.WEAVE_IDENTITY || path.join(os.homedir(), '.weave', 'identity.json');
}

/** The identity kept in `file`, made (owner-only) the first time. Throws TransportError on a bad file. */
export async function loadOrCreateIdentity(file: string): Promise<Identity> {
  const text = (await readIdentityText(file)) ?? (await createIdentityFile(file));
  try {
    const j = JSON.parse(text) as { v: number; sign: string; seal: string };
    return fromKeys(createPrivateKey(j.sign), createPrivateKey(j.seal));
  } catch (e) {
    throw new TransportError(`identity ${file} is not a weave identity (${(e as Error).message}); move it away and a new one is made`, { code: 'auth', cause: e });
  }
}

async function readIdentityText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new TransportError(`cannot read identity ${file}: ${(e as Error).message}`, { code: 'auth', cause: e });
  }
}

/**
 * Makes the identity file and returns its text, or the text of the one another process
 * made first. Several `weave run`s and hubs started at once on a new machine all find no
 * file: the key is written whole to a file of this process's own and then linked into
 * place, which fails when another got there first, so nobody reads a half-written file
 * (once "Unexpected end of JSON input") or keeps a key that another process's overwrote.
 */
async function createIdentityFile(file: string): Promise<string> {
  const me = createIdentity();
  const pem = (k: KeyObject) => k.export({ type: 'pkcs8', format: 'pem' }).toString();
  const text = JSON.stringify({ v: 1, sign: pem(me.signKey), seal: pem(me.sealKey) }) + '\n';
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  try {
    await link(tmp, file);
    return text;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new TransportError(`cannot write identity ${file}: ${(e as Error).message}`, { code: 'auth', cause: e });
    return (await readIdentityText(file)) ?? createIdentityFile(file);
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

/**
 * What a hub signs when it finishes a job attempt: the job key and attempt, itself, the
 * hand-over sequence it finished at (`seq`, 0 when it ran the attempt from the start), and
 * digests of the result and output, so a result cannot be moved to another job, attempt,
 * place in the route or hub, or altered, without the signature failing.
 */
export function resultStatement(r: { job: string; attempt: number; hub: string; result: Uint8Array; output?: Uint8Array; yields: number; seq?: number }): Uint8Array {
  const digest = (b?: Uint8Array) => createHash('sha256').update(b ?? new Uint8Array(0)).digest('hex');
  return Buffer.from(`weave-result-v2\0${r.job}\0${r.attempt}\0${r.seq ?? 0}\0${r.hub}\0${digest(r.result)}\0${digest(r.output)}\0${r.yields}`);
}

/**
 * What a job's client signs when it fences attempts of the job before `attempt` out (a new
 * attempt started, or the job was cancelled): hubs take a fence only for the jobs of the
 * client that signed it, so no other peer can stop a job it did not submit.
 */
export function fenceStatement(job: string, attempt: number): Uint8Array {
  return Buffer.from(`weave-fence-v1\0${job}\0${attempt}`);
}

/**
 * What a hub's heartbeat thread signs, with the hub's result-signing key, in every beat: an
 * engine takes a beat only from the key the hub advertises, and only with a higher `seq`
 * for the same boot, so nobody can keep a dead hub "alive" by forging or replaying beats.
 */
export function heartbeatStatement(b: { hub: string; boot: string; seq: number; everyMs: number; yields: readonly number[] }): Uint8Array {
  return Buffer.from(`weave-beat-v1\0${b.hub}\0${b.boot}\0${b.seq}\0${b.everyMs}\0${b.yields.join(',')}`);
}

/** The fields of a finished attempt's result a hub signs (resultStatement). */
export type ResultFields = Parameters<typeof resultStatement>[0];

/** True when `sig` is the signature of hub key `signer` over result `r`; false for anything else. */
export function verifyResult(signer: Uint8Array, r: ResultFields, sig: Uint8Array | undefined): boolean {
  return !!sig && verify(signer, resultStatement(r), sig);
}

/**
 * What an engine signs into every exec it sends (and every move it asks): everything that
 * steers the job's traffic. A hub acts on route, keys, reply and progress subjects and the
 * job record only when the client that owns the job key signed them, so a peer can
 * neither redirect a hand-over, a result or a state, nor name a hub to move a job to.
 */
export interface ExecTicket {
  /** The exec job key and attempt, the job record (when durable) and the bundle. */
  job: string;
  attempt: number;
  record?: string;
  bundle: string;
  /** The hubs the job may be handed to, in order, and their sealing keys. */
  route: readonly string[];
  keys: Readonly<Record<string, Uint8Array>>;
  /** Subject prefixes the engine takes replies and progress on (`<prefix>.<token>`). */
  inboxes: readonly string[];
  /** When the engine signed it (epoch ms): hubs refuse an engine exec far from now. */
  issued: number;
}

export function ticketStatement(t: ExecTicket): Uint8Array {
  const keys = Object.keys(t.keys).sort().map((id) => `${id}=${hex(t.keys[id])}`).join(',');
  return Buffer.from(`weave-ticket-v1\0${t.job}\0${t.attempt}\0${t.record ?? ''}\0${t.bundle}\0${t.route.join(',')}\0${keys}\0${t.inboxes.join(',')}\0${t.issued}`);
}
