/**
 * Hub log lines for a person at a terminal: the JSON line pino writes, turned into
 * `14:02:07.311 INFO  fast  ready  slots=2 metrics=http://127.0.0.1:9464/metrics`.
 * Time of day, level, the hub, the message, then the other fields as key=value (strings
 * quoted when they hold spaces, objects as JSON). The level is coloured when `colour`.
 *   prettyLine('{"level":"info","time":"…","hub":"a","msg":"ready","slots":2}\n', false);
 */

const LEVEL_COLOUR: Record<string, string> = { debug: '\x1b[2m', info: '\x1b[32m', warn: '\x1b[33m', error: '\x1b[31m' };

/** One pretty line (newline included) from one JSON log line; a line that is not JSON passes as it is. */
export function prettyLine(json: string, colour: boolean): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : json + '\n';
  }
  const { level, time, hub, msg, ...rest } = o;
  const at = typeof time === 'string' && time.length >= 23 ? time.slice(11, 23) : String(time ?? '');
  const name = String(level ?? 'info');
  const tag = name.toUpperCase().padEnd(5);
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${value(v)}`).join(' ');
  const head = `${at} ${colour ? `${LEVEL_COLOUR[name] ?? ''}${tag}\x1b[0m` : tag}${hub === undefined ? '' : ` ${String(hub)}`}`;
  return `${head}  ${String(msg ?? '')}${fields ? `  ${fields}` : ''}\n`;
}

function value(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v;
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
