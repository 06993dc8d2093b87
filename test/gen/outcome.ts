/**
 * What one run of an export ended with, in a form that compares exactly: a value as its
 * little-endian bytes (floats by bit pattern, NaN payloads included), or a trap by its
 * essential message (the abort text and location, or the Wasm trap kind), whoever ran it.
 *   const a = valueOutcome('f64', bytes); const b = trapOutcome(err);
 *   sameOutcome(a, b); formatOutcome(a)   // "f64 7ff8000000000001" / "trap: divide by zero"
 */
import type { WasmType } from './types.js';

export type Outcome =
  | { kind: 'value'; type: WasmType; hex: string }
  | { kind: 'trap'; message: string }
  /** Not the program's doing: weave or the harness failed (a build error, a sandbox refusal). */
  | { kind: 'error'; message: string }
  /** A value as `weave run` printed it (NATS runs): compared with the value printed the same way. */
  | { kind: 'printed'; text: string };

export function valueOutcome(type: WasmType, bytes: Uint8Array): Outcome {
  return { kind: 'value', type, hex: Buffer.from(bytes).toString('hex') };
}

/**
 * The essential part of a trap message. Weave prefixes `trap in fragment N of 'E': ` and
 * a start function's trap with its own words; an abort ends `at FILE:LINE:COL`, and the
 * program's own file is named `<program>` so the message does not depend on where the
 * source was written.
 */
export function essentialTrap(message: string): string {
  let m = message.replace(/^trap in fragment \d+ of '[^']*': /, '').replace(/^the module's start function trapped: /, 'start: ');
  m = m.replace(/ at (?!~lib\/)[^\s]*?\.ts:(\d+):(\d+)$/, ' at <program>:$1:$2');
  return m;
}

export function trapOutcome(err: unknown): Outcome {
  const msg = err instanceof Error ? err.message : String(err);
  if (err instanceof RangeError && /call stack/i.test(msg)) return { kind: 'trap', message: 'stack overflow' };
  return { kind: 'trap', message: essentialTrap(msg) };
}

export function sameOutcome(a: Outcome, b: Outcome): boolean {
  if (a.kind === 'value' && b.kind === 'printed') return printedValue(a) === b.text;
  if (a.kind !== b.kind) return false;
  if (a.kind === 'printed' && b.kind === 'printed') return a.text === b.text;
  if (a.kind === 'value' && b.kind === 'value') return a.type === b.type && a.hex === b.hex;
  return (a as { message: string }).message === (b as { message: string }).message;
}

/** Both are NaNs of one float type (their bits may differ). */
export function bothNaN(a: Outcome, b: Outcome): boolean {
  if (a.kind !== 'value' || b.kind !== 'value' || a.type !== b.type) return false;
  const isNaN = (o: Extract<Outcome, { kind: 'value' }>) => {
    const bytes = Buffer.from(o.hex, 'hex');
    return o.type === 'f64' ? Number.isNaN(bytes.readDoubleLE()) : o.type === 'f32' ? Number.isNaN(bytes.readFloatLE()) : false;
  };
  return isNaN(a) && isNaN(b);
}

export function formatOutcome(o: Outcome): string {
  if (o.kind === 'value') return `${o.type} ${o.hex}${describe(o)}`;
  if (o.kind === 'printed') return `printed ${o.text}`;
  return `${o.kind}: ${o.message}`;
}

/** The value as a number too, for people reading a report. */
function describe(o: Extract<Outcome, { kind: 'value' }>): string {
  const b = Buffer.from(o.hex, 'hex');
  const v = o.type === 'i32' ? b.readInt32LE() : o.type === 'i64' ? b.readBigInt64LE() : o.type === 'f32' ? b.readFloatLE() : b.readDoubleLE();
  return ` (${Object.is(v, -0) ? '-0' : String(v)})`;
}

/** The value as `weave run` prints it (String(value); NaN payloads and -0 are lost there). */
export function printedValue(o: Outcome): string | undefined {
  if (o.kind !== 'value') return undefined;
  const b = Buffer.from(o.hex, 'hex');
  const v = o.type === 'i32' ? b.readInt32LE() : o.type === 'i64' ? b.readBigInt64LE() : o.type === 'f32' ? b.readFloatLE() : b.readDoubleLE();
  return String(v);
}
