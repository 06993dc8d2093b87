/**
 * The NATS security flags every command that connects takes, in one place: the options
 * table, the --help lines, and flags-then-environment resolution with the files checked.
 *   options: { nats: { type: 'string' }, ...NATS_AUTH_OPTIONS },
 *   const auth = natsAuthFlags(values);   // then startHub({ ...opts, ...auth })
 */
import { existsSync } from 'node:fs';
import { NATS_AUTH_ENV, resolveNatsAuth, type NatsAuth } from '../runtime/net/index.js';
import { UsageError, type Command } from './command.js';

export const NATS_AUTH_OPTIONS: Command['options'] = {
  'tls-ca': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  creds: { type: 'string' },
  nkey: { type: 'string' },
};

/** The --help lines for NATS_AUTH_OPTIONS, aligned with `width` columns of flag. */
export function natsAuthHelp(width: number): string {
  const row = (flag: string, text: string) => `  ${flag.padEnd(width)} ${text}`;
  return [
    row('--tls-ca FILE', 'trust the CA in FILE (PEM) for the server\'s certificate ($NATS_TLS_CA)'),
    row('--tls-cert FILE', 'client certificate (PEM) for servers that verify clients ($NATS_TLS_CERT)'),
    row('--tls-key FILE', 'its private key (PEM) ($NATS_TLS_KEY)'),
    row('--nkey SEEDFILE', 'authenticate with the nkey user seed in SEEDFILE ($NATS_NKEY)'),
    row('--creds FILE', 'authenticate with a JWT user credentials file ($NATS_CREDS);'),
    row('', 'not with --nkey. Secure mode: docs/security.md'),
  ].join('\n');
}

/**
 * The flags, else their environment variables, checked: files exist, a certificate comes
 * with its key, one of --creds and --nkey. Throws UsageError naming the flag.
 */
export function natsAuthFlags(values: Record<string, unknown>): NatsAuth {
  const auth = resolveNatsAuth({
    tlsCa: values['tls-ca'] as string | undefined, tlsCert: values['tls-cert'] as string | undefined,
    tlsKey: values['tls-key'] as string | undefined, creds: values.creds as string | undefined, nkey: values.nkey as string | undefined,
  });
  const flag: Record<keyof NatsAuth, string> = { tlsCa: 'tls-ca', tlsCert: 'tls-cert', tlsKey: 'tls-key', creds: 'creds', nkey: 'nkey' };
  for (const [k, file] of Object.entries(auth) as Array<[keyof NatsAuth, string]>) {
    const from = values[flag[k]] ? `--${flag[k]}` : `$${NATS_AUTH_ENV[k]}`;
    if (!existsSync(file)) throw new UsageError(`${from} ${file}: no such file`);
  }
  if (auth.creds && auth.nkey) throw new UsageError('use --creds or --nkey, not both (check $NATS_CREDS and $NATS_NKEY too)');
  if (!auth.tlsCert !== !auth.tlsKey) throw new UsageError('--tls-cert and --tls-key go together: a client certificate needs its key');
  return auth;
}
