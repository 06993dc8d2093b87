/**
 * Connecting to NATS, with the settings every weave process uses: reconnect for ever
 * (a server restart must not end a hub), TLS and an nkey or creds file when the server
 * asks for them (docs/security.md), and a clear, typed error when the server cannot be
 * reached or refuses us.
 *   const nc = await connectNats(resolveNatsUrl(flag), { name: 'hub a', tlsCa: 'ca.pem', nkey: 'hub-a.nk' });
 */
import { readFile } from 'node:fs/promises';
import { connect, credsAuthenticator, nkeyAuthenticator, nkeys, type ConnectionOptions, type NatsConnection } from 'nats';
import { TransportError } from '../protocol/index.js';
import { presizePayloads } from './presize.js';
import { installSendInPlace } from './send-in-place.js';

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/** The flag, else $NATS_URL, else the default local server. */
export function resolveNatsUrl(flag?: string): string {
  return flag || process.env.NATS_URL || DEFAULT_NATS_URL;
}

/**
 * How a process checks the server and proves who it is: file paths, all optional. With
 * none set the connection is plain and anonymous, as before.
 */
export interface NatsAuth {
  /** PEM CA that signed the server's certificate; trusted instead of the system's CAs. */
  tlsCa?: string;
  /** PEM client certificate, for servers that verify clients (`verify: true`); needs tlsKey. */
  tlsCert?: string;
  /** PEM private key of tlsCert. */
  tlsKey?: string;
  /** A JWT user credentials file (`nsc` / operator mode). Not with nkey. */
  creds?: string;
  /** A file holding an nkey user seed (`SU…`): the server's config lists its public key. Not with creds. */
  nkey?: string;
}

/** The NatsAuth fields, with the environment variable each falls back to. */
export const NATS_AUTH_ENV: Readonly<Record<keyof NatsAuth, string>> = {
  tlsCa: 'NATS_TLS_CA', tlsCert: 'NATS_TLS_CERT', tlsKey: 'NATS_TLS_KEY', creds: 'NATS_CREDS', nkey: 'NATS_NKEY',
};

/** Each field from `flags`, else its environment variable (NATS_AUTH_ENV); unset ones are left out. */
export function resolveNatsAuth(flags: NatsAuth, env: NodeJS.ProcessEnv = process.env): NatsAuth {
  const out: NatsAuth = {};
  for (const k of Object.keys(NATS_AUTH_ENV) as Array<keyof NatsAuth>) {
    const v = flags[k] || env[NATS_AUTH_ENV[k]];
    if (v) out[k] = v;
  }
  return out;
}

/**
 * Just the NatsAuth fields of options that extend it (HubOptions, MeshOptions), the ones
 * that are set: what connectNats needs of them, and nothing else.
 */
export function natsAuthOf(opts: NatsAuth): NatsAuth {
  const out: NatsAuth = {};
  for (const k of Object.keys(NATS_AUTH_ENV) as Array<keyof NatsAuth>) {
    const v = opts[k];
    if (typeof v === 'string' && v) out[k] = v;
  }
  return out;
}

export interface ConnectOptions extends NatsAuth {
  name: string;
  /** Wait between reconnect attempts. @default 250 */
  reconnectWaitMs?: number;
}

/**
 * Connect with weave's settings.
 * Throws TransportError: code 'auth' when the server refuses the credentials, the TLS
 * handshake fails either way, or a credentials file cannot be read (the message names
 * the flag to check); code 'connect' when no server answers at `url`.
 */
export async function connectNats(url: string, opts: ConnectOptions): Promise<NatsConnection> {
  const extra: Partial<ConnectionOptions> = {};
  try {
    if (opts.tlsCa || opts.tlsCert || opts.tlsKey) {
      extra.tls = { ...(opts.tlsCa && { caFile: opts.tlsCa }), ...(opts.tlsCert && { certFile: opts.tlsCert }), ...(opts.tlsKey && { keyFile: opts.tlsKey }) };
    }
    // Read once, here: a missing file is the user's to fix, not a reason to retry for ever.
    if (opts.creds) extra.authenticator = credsAuthenticator(await readFile(opts.creds));
    else if (opts.nkey) {
      const seed = await readSeed(opts.nkey);
      extra.authenticator = nkeyAuthenticator(seed);
      // Replies and progress come to an inbox under this user's public key, so the
      // server's permissions can let each user read its own inboxes and no one else's.
      extra.inboxPrefix = inboxPrefixOf(nkeys.fromSeed(seed).getPublicKey());
    }
  } catch (e) {
    if (e instanceof TransportError) throw e;
    const which = opts.creds ? `--creds ${opts.creds}` : `--nkey ${opts.nkey}`;
    throw new TransportError(`cannot read ${which}: ${(e as Error).message}`, { code: 'auth', cause: e });
  }
  // Large checkpoints gathered in one buffer their size, not doubled into it (presize.ts).
  presizePayloads();
  // And large payloads marked for it sent from where they lie, not joined into a copy (send-in-place.ts).
  installSendInPlace();
  try {
    return await connect({
      servers: url.split(',').map((s) => s.trim()).filter(Boolean),
      name: opts.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: opts.reconnectWaitMs ?? 250,
      pingInterval: 10_000,
      ...extra,
    });
  } catch (e) {
    const err = e as Error & { code?: string };
    const why = authFailure(err, url, opts);
    throw new TransportError(
      why
        ? `NATS at ${url} ${why} (${err.message})`
        : `cannot connect to NATS at ${url} (${err.code ?? err.message}): start a server with 'nats-server -js', or pass --nats URL / set NATS_URL`,
      { code: why ? 'auth' : 'connect', cause: e },
    );
  }
}

/** The user seed in `file`, checked now: a bad one would otherwise fail deep in the handshake. */
/** The inboxes of nkey user `publicKey` (`U…`): `_INBOX.<publicKey>`; its permissions allow subscribing to `<that>.>` only. */
export function inboxPrefixOf(publicKey: string): string {
  return `_INBOX.${publicKey}`;
}

/** Where this connection's inboxes are: its nkey user's prefix, or `_INBOX` without one. */
export function inboxRoot(nc: NatsConnection): string {
  return (nc as { options?: { inboxPrefix?: string } }).options?.inboxPrefix || '_INBOX';
}

async function readSeed(file: string): Promise<Uint8Array> {
  const seed = new TextEncoder().encode((await readFile(file, 'utf8')).trim());
  let ok = false;
  try {
    ok = nkeys.fromSeed(seed).getPublicKey().startsWith('U');
  } catch { /* not a seed at all */ }
  if (!ok) throw new TransportError(`--nkey ${file} does not hold an nkey user seed (a line starting 'SU'); scripts/dev-certs.mjs writes them`, { code: 'auth' });
  return seed;
}

/** Node's codes for a server certificate it does not trust. */
const UNTRUSTED = /^(SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE)$/;

/** What to check, when the failure is about who we are or who the server is; undefined otherwise. */
function authFailure(err: Error & { code?: string }, url: string, opts: ConnectOptions): string | undefined {
  const code = err.code ?? '';
  const msg = err.message;
  if (code === 'AUTHORIZATION_VIOLATION' || code === 'AUTHENTICATION_EXPIRED' || /authori[sz]ation violation/i.test(msg)) {
    return opts.nkey || opts.creds
      ? `refused the credentials in ${opts.nkey ? `--nkey ${opts.nkey}` : `--creds ${opts.creds}`}: check that the server's config lists this user (its public key) and that the file is the right one`
      : 'requires credentials: pass --nkey SEEDFILE or --creds FILE (or set NATS_NKEY / NATS_CREDS)';
  }
  if (code === 'PERMISSIONS_VIOLATION' || /permissions violation/i.test(msg)) {
    return "refused a subject this user may not use: check the user's permissions in the server's config (docs/security.md)";
  }
  if (UNTRUSTED.test(code)) {
    return `sent a certificate this process does not trust: pass the CA that signed it with --tls-ca FILE (or NATS_TLS_CA)${opts.tlsCa ? `; ${opts.tlsCa} is not that CA` : ''}`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return "sent a certificate for another name: connect with a host name or address the server's certificate lists";
  }
  if (/certificate required|alert.*certificate|bad certificate|unknown ca/i.test(msg) || /^ERR_SSL_/.test(code)) {
    return 'rejected the TLS handshake: it verifies clients, so pass a certificate its CA signed with --tls-cert FILE --tls-key FILE (or NATS_TLS_CERT / NATS_TLS_KEY)';
  }
  if (code === 'SERVER_OPT_NA' && /tls/i.test(msg)) {
    return 'does not offer TLS, but this process asked for it (--tls-*): use the server\'s TLS port or drop the TLS flags';
  }
  // A server that verifies clients drops one without a certificate after the handshake,
  // and nats.js only sees its connect time out (20 s): say what most likely happened.
  if (code === 'TIMEOUT' && !opts.tlsCert && (opts.tlsCa || /(^|,)\s*tls:\/\//.test(url))) {
    return 'did not finish the connection in time; a TLS server that verifies clients (tls { verify: true }) drops one without a certificate this way: pass --tls-cert FILE --tls-key FILE (or NATS_TLS_CERT / NATS_TLS_KEY)';
  }
  return undefined;
}
