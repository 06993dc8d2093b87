/**
 * Structured logs: one JSON object per line on stderr, so `hub start 2>&1 | jq` works and
 * stdout stays free for results. Level from WEAVE_LOG_LEVEL (debug, info, warn, error).
 * Lines are pino's (`level` as a name, `time` as ISO 8601), written synchronously.
 *   const log = createLogger({ hub: 'a' }); log.info('ready', { slots: 2 });
 *   // {"level":"info","time":"…","hub":"a","msg":"ready","slots":2}
 */
import { pino, stdTimeFunctions } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * A logger whose every line carries `base` (say, the hub id). `write` replaces stderr
 * (tests); it gets whole lines, newline included. An unknown WEAVE_LOG_LEVEL means info:
 * a typo in the environment must not stop a hub.
 */
export function createLogger(base: Record<string, unknown>, write?: (line: string) => void): Logger {
  const wanted = process.env.WEAVE_LOG_LEVEL as LogLevel | undefined;
  const p = pino({
    base,
    level: wanted && LEVELS.includes(wanted) ? wanted : 'info',
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  // Synchronous: a hub that exits right after a fatal line must not lose it, and worker
  // threads write their own lines (fd 2 directly, not through the main thread).
  }, write ? { write } : pino.destination({ fd: 2, sync: true }));
  // The message goes in the object, ahead of the fields, not as pino's trailing `msg`:
  // a line reads message first, and `"msg":"x","code":…` stays greppable as before.
  const at = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => p[level]({ msg, ...fields });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A logger that drops everything (library use, tests). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
