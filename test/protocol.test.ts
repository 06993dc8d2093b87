/**
 * The protocol's schemas: each kind's type and validator in one, refusals that name the
 * field and the rule, fields a peer adds dropped, keys copied out of the message's buffer,
 * and a kind a receiver does not take refused as such.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  MAX_ARGS, MAX_ARG_BYTES, MESSAGE_KINDS, PROTOCOL_VERSION, ProtocolError, decodeMessage, encodeMessage, parseMessage, type Envelope,
} from '../runtime/protocol/index.js';

const test = suite('protocol schemas');
const HASH = 'ab'.repeat(32);
const exec = (extra: Record<string, unknown> = {}) => ({ kind: 'exec', v: PROTOCOL_VERSION, job: 'j.0', bundle: HASH, entry: 'main', fragment: 0, migrateEvery: 0, args: [1, 2n, null, new Uint8Array(3)], ...extra });
const parse = (m: Record<string, unknown>) => parseMessage(decodeMessage(encodeMessage(m as Envelope)));

function refused(m: Record<string, unknown>, message: string | RegExp): void {
  try {
    parse(m);
    assert.unreachable(`accepted ${JSON.stringify(Object.keys(m))}`);
  } catch (e) {
    assert.instance(e, ProtocolError);
    assert.is((e as ProtocolError).code, 'malformed');
    if (typeof message === 'string') assert.is((e as Error).message, message);
    else assert.match((e as Error).message, message);
  }
}

test('a valid exec comes back typed, with its arguments of every kind', () => {
  const m = parse(exec({ route: ['a', 'b'], hop: 1, stay: true }));
  assert.is(m.kind, 'exec');
  if (m.kind !== 'exec') return;
  assert.equal(m.args, [1, 2n, null, new Uint8Array(3)]);
  assert.equal(m.route, ['a', 'b']);
});

test('NaN, the infinities and -0 are arguments like any f64', () => {
  const m = parse(exec({ args: [NaN, Infinity, -Infinity, -0] }));
  if (m.kind !== 'exec' || !m.args) throw new Error(m.kind);
  assert.ok(Number.isNaN(m.args[0] as number));
  assert.is(m.args[1], Infinity);
  assert.is(m.args[2], -Infinity);
  assert.ok(Object.is(m.args[3], -0), 'a -0 argument arrives as -0, not +0');
});

test('each bad field is named with what it must be', () => {
  refused(exec({ bundle: 'xyz' }), "exec: 'bundle' must be a sha-256 hex digest");
  refused(exec({ job: '' }), "exec: 'job' must be a string of 1-128 characters");
  refused(exec({ fragment: -1 }), "exec: 'fragment' must be a non-negative integer");
  refused(exec({ fragment: 1.5 }), "exec: 'fragment' must be a non-negative integer");
  refused(exec({ origin: 'weave.hub.x' }), "exec: 'origin' must be a 'weave.client.' subject");
  refused(exec({ replyTo: 'weave.hub.x.exec' }), "exec: 'replyTo' must be an '_INBOX.' subject");
  refused(exec({ route: ['a', 'b c'] }), "exec: 'route' must be a list of hub ids");
  refused(exec({ bases: [{ hub: 'a', id: '0123', step: -1 }] }), "exec: 'bases' must be a list of at most 1024 maps of hub, id and step");
  refused(exec({ bases: Array.from({ length: 1025 }, (_, i) => ({ hub: `h${i}`, id: 'ab', step: 1 })) }), "exec: 'bases' must be a list of at most 1024 maps of hub, id and step");
  refused(exec({ client: { sign: new Uint8Array(32), seal: new Uint8Array(31) } }), "exec: 'client' must be a map of 32-byte sign and seal keys");
  refused(exec({ recovery: { reason: 'whim', from: 'start' } }), /exec: 'recovery' must be a map of 'reason'/);
  refused(exec({ args: [1, 'two'] }), `exec: 'args' must be an array of at most ${MAX_ARGS} numbers, byte strings or nulls`);
  refused(exec({ args: undefined }), "exec: 'args' must be present when there is no checkpoint");
  refused(exec({ args: [new Uint8Array(MAX_ARG_BYTES + 1)] }), `exec: 'args' must be at most ${MAX_ARG_BYTES} bytes in all`);
  refused({ kind: 'exec', v: PROTOCOL_VERSION }, "exec: 'job' must be a string of 1-128 characters");
  refused({ kind: 'move', v: PROTOCOL_VERSION, job: 'j.0', to: 'b', key: new Uint8Array(5) }, "move: 'key' must be a 32-byte sealing key");
  refused({ kind: 'fence', v: PROTOCOL_VERSION, job: 'j', attempt: -2 }, "fence: 'attempt' must be a non-negative integer");
});

test('fields a peer adds, and a hub\'s own notes, do not survive the schema', () => {
  // diffTo: which base a slot diffs for is the hub's own reading of `bases`, never a peer's word.
  const m = parse(exec({ tag: 7, opened: true, evil: 'x', diffTo: { id: 'ab', step: 1 } })) as unknown as Record<string, unknown>;
  assert.equal([m.tag, m.opened, m.evil, m.diffTo], [undefined, undefined, undefined, undefined]);
});

test('keys are copied out of the message, whose buffer may be handed to a slot', () => {
  const bytes = encodeMessage(exec({ keys: { a: new Uint8Array(32).fill(1) }, client: { sign: new Uint8Array(32).fill(2), seal: new Uint8Array(32).fill(3) } }) as Envelope);
  const m = parseMessage(decodeMessage(bytes));
  if (m.kind !== 'exec') return assert.unreachable();
  bytes.fill(0);
  assert.equal([m.keys!.a[0], m.client!.sign[0], m.client!.seal[0]], [1, 2, 3]);
  assert.is(m.keys!.a.byteLength, 32);
});

test('a receiver refuses a kind it does not take, naming itself', () => {
  try {
    parseMessage(decodeMessage(encodeMessage({ kind: 'advert', v: PROTOCOL_VERSION })), ['exec', 'ping'], 'a hub');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, ProtocolError);
    assert.is((e as ProtocolError).code, 'unknown-kind');
    assert.is((e as Error).message, "a hub does not take 'advert' messages");
  }
});

test('another protocol version is refused, saying which side is older', () => {
  const refusal = (v: unknown) => {
    try {
      decodeMessage(encodeMessage({ kind: 'ping', v } as never));
    } catch (e) {
      assert.instance(e, ProtocolError);
      assert.is((e as ProtocolError).code, 'version');
      return (e as Error).message;
    }
    assert.unreachable(`version ${String(v)} was taken`);
  };
  assert.is(PROTOCOL_VERSION, 5, 'tickets MAC\'d per hub since version 5');
  assert.is(refusal(4), 'protocol version 4 is not supported (this build speaks 5): the sender runs an older weave; run one weave version on every hub and client');
  assert.is(refusal(6), 'protocol version 6 is not supported (this build speaks 5): the sender runs a newer weave; run one weave version on every hub and client');
  assert.is(refusal('5'), 'protocol version "5" (a string) is not supported (this build speaks 5)');
});

test('every kind the framing knows has a schema, and only those', () => {
  assert.equal([...MESSAGE_KINDS].sort(), [
    'advert', 'bundle', 'bundle-bytes', 'data-bytes', 'data-read', 'discover', 'drain', 'drop-job', 'error', 'exec', 'fence', 'heartbeat', 'move', 'need-bundle', 'ok', 'ping', 'pong', 'progress', 'ran',
  ]);
  for (const kind of ['ping', 'discover', 'drain']) assert.is(parse({ kind, v: PROTOCOL_VERSION }).kind, kind);
});

test.run();
