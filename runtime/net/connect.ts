/**
 * Connecting to NATS, with the settings every weave process uses: reconnect for ever
 * (a server restart must not end a hub), and a clear, typed error when there is no server.
 *   const nc = await connectNats(resolveNatsUrl(flag), { name: 'hub a' });
 */
import { connect, type NatsConnection } from 'nats';
import { TransportError } from '../hub/errors.js';

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/** The flag, else $NATS_URL, else the default local server. */
export function resolveNatsUrl(flag?: string): string {
  return flag || process.env.NATS_URL || DEFAULT_NATS_URL;
}

export interface ConnectOptions {
  name: string;
  /** Wait between reconnect attempts. @default 250 */
  reconnectWaitMs?: number;
}

export async function connectNats(url: string, opts: ConnectOptions): Promise<NatsConnection> {
  try {
    return await connect({
      servers: url.split(',').map((s) => s.trim()).filter(Boolean),
      name: opts.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: opts.reconnectWaitMs ?? 250,
      pingInterval: 10_000,
    });
  } catch (e) {
    const err = e as Error & { code?: string };
    const auth = /auth/i.test(err.message) || err.code === 'AUTHORIZATION_VIOLATION';
    throw new TransportError(
      auth
        ? `NATS at ${url} refused the credentials: ${err.message}`
        : `cannot connect to NATS at ${url} (${err.code ?? err.message}): start a server with 'nats-server -js', or pass --nats URL / set NATS_URL`,
      { code: auth ? 'auth' : 'connect', cause: e },
    );
  }
}
