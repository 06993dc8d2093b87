/**
 * How a message kind is declared: one valibot object schema gives both its TypeScript type
 * (`v.InferOutput`) and its validator, and each field says in words what it must be, so a
 * refusal names the field and the rule ("exec: 'bundle' must be a sha-256 hex digest").
 * Unknown fields are dropped by the validator: nothing a peer adds reaches a hub's logic.
 *   const PING = message('ping', {});
 *   const m = parseWith(PING, decoded);   // throws ProtocolError('malformed', …)
 */
import * as v from 'valibot';
import { ProtocolError } from './errors.js';
import { PROTOCOL_VERSION } from './version.js';

/** A field: its schema and what it must be, in words (completes "'field' must be …"). */
export type Field = readonly [v.GenericSchema, string];

/** A rule across fields: the field it blames, the test, and what that field must be. */
export type Rule = readonly [string, (m: Record<string, unknown>) => boolean, string];

type SchemaOf<K extends string, E extends Record<string, Field>> = v.ObjectSchema<
  { kind: v.LiteralSchema<K, undefined>; v: v.LiteralSchema<typeof PROTOCOL_VERSION, undefined> } & { [F in keyof E]: E[F][0] },
  undefined
>;

export interface MessageSchema<K extends string = string, S extends v.GenericSchema = v.GenericSchema> {
  kind: K;
  schema: S;
  /** What each field must be, for error messages. */
  want: Readonly<Record<string, string>>;
  rules: readonly Rule[];
}

/** Declare message kind `kind` with its fields (beyond `kind` and `v`) and cross-field rules. */
export function message<const K extends string, const E extends Record<string, Field>>(kind: K, fields: E, rules: readonly Rule[] = []): MessageSchema<K, SchemaOf<K, E>> {
  const entries: Record<string, v.GenericSchema> = { kind: v.literal(kind), v: v.literal(PROTOCOL_VERSION) };
  const want: Record<string, string> = { kind: `'${kind}'`, v: `${PROTOCOL_VERSION}` };
  for (const [name, [schema, words]] of Object.entries(fields)) {
    entries[name] = schema;
    want[name] = words;
  }
  return { kind, schema: v.object(entries) as unknown as SchemaOf<K, E>, want, rules };
}

/** Check `value` against `m`. Returns the typed message; throws ProtocolError('malformed') naming the first bad field. */
export function parseWith<S extends v.GenericSchema>(m: MessageSchema<string, S>, value: unknown): v.InferOutput<S> {
  const r = v.safeParse(m.schema, value, { abortEarly: true });
  if (!r.success) {
    const issue = r.issues[0];
    const field = issue.path?.[0]?.key;
    if (typeof field !== 'string') throw new ProtocolError('malformed', `${m.kind}: the message must be a map`);
    throw new ProtocolError('malformed', `${m.kind}: '${field}' must be ${m.want[field] ?? 'absent'}`);
  }
  for (const [field, ok, words] of m.rules) {
    if (!ok(r.output as Record<string, unknown>)) throw new ProtocolError('malformed', `${m.kind}: '${field}' must be ${words}`);
  }
  return r.output;
}

// Field schemas the message kinds share.

/** Hub, client and dataset ids, job record ids: one NATS subject token. */
export const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

/** True when `id` can be a hub, client, dataset or job id (one NATS subject token, no wildcards). */
export function isSubjectToken(id: string): boolean {
  return TOKEN.test(id);
}

export const token = v.pipe(v.string(), v.regex(TOKEN));
/** An exec job key: `<job>.<attempt>` over NATS, any id on the embedded mesh. */
export const jobKey = v.pipe(v.string(), v.minLength(1), v.maxLength(128));
export const uint = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
export const int = v.pipe(v.number(), v.safeInteger());
export const num = v.pipe(v.number(), v.finite());
export const bool = v.boolean();
export const str = v.string();
/** Byte strings of any buffer (a view into a message, a transferred buffer, a SharedArrayBuffer). */
export const bytes = v.custom<Uint8Array>((x) => x instanceof Uint8Array);
export const hex64 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));
/** A raw 32-byte public key (Ed25519 or X25519), copied: keys outlive the message, whose buffer may go to a slot. */
export const key32 = v.pipe(bytes, v.length(32), v.transform((k): Uint8Array => new Uint8Array(k)));
export const publicKeys = v.object({ sign: key32, seal: key32 });
/** An Ed25519 signature, copied for the same reason as key32 (tickets outlive the message). */
export const sig64 = v.pipe(bytes, v.length(64), v.transform((s): Uint8Array => new Uint8Array(s)));
/** An HMAC-SHA256 (a ticket's for one hub), copied for the same reason. */
export const mac32 = v.pipe(bytes, v.length(32), v.transform((s): Uint8Array => new Uint8Array(s)));
export const strings = v.array(v.string());
export const opt = v.optional;
