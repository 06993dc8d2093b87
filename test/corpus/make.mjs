// Regenerates the hostile-input corpus: `npm run build && node test/corpus/make.mjs`.
// Writes checkpoint/, message/ and wasm/ and index.json, which lists every input, what it
// is fed to and the typed error code it must get. Deterministic: the same bytes each run.
// Programs (test/programs/hostile-*.ts) are built by the test itself, not here.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Encoder } from 'cbor-x';
import binaryen from 'binaryen';
import { encodeCheckpoint } from '../../dist/runtime/snapshot/index.js';
import { encodeMessage, PROTOCOL_VERSION } from '../../dist/runtime/protocol/index.js';

/** The protocol version this build speaks: messages meant to fail for another reason carry it. */
const V = PROTOCOL_VERSION;

const here = path.dirname(fileURLToPath(import.meta.url));
const cbor = new Encoder({ useRecords: false, mapsAsObjects: true });
const entries = [];
for (const dir of ['checkpoint', 'message', 'wasm']) {
  rmSync(path.join(here, dir), { recursive: true, force: true });
  mkdirSync(path.join(here, dir));
}
function add(dir, name, bytes, feed, expect, why, extra = {}) {
  const file = `${dir}/${name}.bin`;
  writeFileSync(path.join(here, file), bytes);
  entries.push({ name, file, feed, expect, why, ...extra });
}
const cat = (...parts) => Buffer.concat(parts.map((p) => Buffer.from(p)));
const flip = (bytes, at, bit = 0) => { const b = Buffer.from(bytes); b[at] ^= 1 << bit; return b; };

// ---- checkpoints (decodeCheckpoint) ----
const memory = new Uint8Array(65536);
memory[8192] = 7;
memory[40000] = 9;
const meta0 = { kind: 'full', id: '0123456789abcdef', bundle: 'a'.repeat(64), entry: 'main', fragment: 1, paused: false, yields: 3 };
const good = Buffer.from(encodeCheckpoint({ ...meta0, memory }));
/** A checkpoint with this meta (any value) and data, with a correct CRC. */
function frame(meta, data = new Uint8Array(0), { version = 2, metaBytes } = {}) {
  const m = metaBytes ?? cbor.encode(meta);
  const head = Buffer.alloc(18);
  head.write('WVCP', 0, 'latin1');
  head.writeUInt16BE(version, 4);
  head.writeUInt32BE(m.length, 6);
  head.writeUInt32BE(data.length, 10);
  head.writeUInt32BE(crc32(Buffer.from(data), crc32(Buffer.from(m))), 14);
  return cat(head, m, data);
}
const idx = (...is) => { const b = Buffer.alloc(4 * is.length); is.forEach((v, i) => b.writeUInt32LE(v, 4 * i)); return b; };
const page = (n = 1) => new Uint8Array(4096 * n).fill(1);
const fullMeta = (over = {}) => ({ ...meta0, memoryLength: 65536, pageSize: 4096, indices: idx(2), ...over });
const cp = (name, bytes, expect, why, options) => add('checkpoint', name, bytes, 'checkpoint', expect, why, options ? { options } : {});

cp('empty', new Uint8Array(0), 'truncated', 'no bytes at all');
cp('magic-only', Buffer.from('WVCP'), 'truncated', 'the magic and nothing else');
cp('header-only', good.subarray(0, 18), 'truncated', 'a header whose meta and data are missing');
cp('cut-in-meta', good.subarray(0, 60), 'truncated', 'cut inside the meta map');
cp('cut-in-data', good.subarray(0, good.length - 100), 'truncated', 'cut inside the page data');
cp('one-byte-short', good.subarray(0, good.length - 1), 'truncated', 'the last byte missing');
cp('trailing-byte', cat(good, [0]), 'malformed', 'one byte after the checkpoint');
cp('two-checkpoints', cat(good, good), 'malformed', 'two checkpoints back to back');
cp('flip-data', flip(good, good.length - 50, 3), 'checksum', 'one bit flipped in a page');
cp('flip-meta', flip(good, 30, 5), 'checksum', 'one bit flipped in the meta');
cp('flip-crc', flip(good, 15, 0), 'checksum', 'one bit flipped in the CRC');
cp('flip-magic', flip(good, 0, 1), 'malformed', 'one bit flipped in the magic');
cp('version-1', frame(fullMeta(), page(), { version: 1 }), 'version', 'format version 1 (older runtime)');
cp('version-3', frame(fullMeta(), page(), { version: 3 }), 'version', 'format version 3 (newer runtime)');
cp('version-ffff', frame(fullMeta(), page(), { version: 0xffff }), 'version', 'format version 65535');
{ const b = Buffer.from(good); b.writeUInt32BE(0xffffffff, 6); cp('meta-length-huge', b, 'truncated', 'metaLength 2^32-1: must not be allocated'); }
{ const b = Buffer.from(good); b.writeUInt32BE(0xffffffff, 10); cp('data-length-huge', b, 'truncated', 'dataLength 2^32-1: must not be allocated'); }
{ const b = Buffer.from(good); b.writeUInt32BE(b.readUInt32BE(6) - 1, 6); cp('meta-length-short', b, 'malformed', 'metaLength one less: a trailing byte'); }
cp('png', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'malformed', 'a PNG header');
cp('json', Buffer.from('{"kind":"full","memory":[]}'), 'malformed', 'JSON, not a checkpoint');
cp('wasm', Buffer.from('0061736d01000000', 'hex'), 'malformed', 'a Wasm module');
cp('oversized-input', good, 'too-large', 'longer than maxBytes', { maxBytes: 1024 });
cp('oversized-memory', frame(fullMeta({ memoryLength: 2 ** 32, indices: idx() })), 'too-large', 'a 4 GiB memory described in 200 bytes', { maxBytes: 64 << 20 });
cp('meta-not-cbor', frame(null, page(), { metaBytes: Buffer.from([0xff, 0xff, 0xff]) }), 'malformed', 'meta is not CBOR');
cp('meta-array', frame([1, 2, 3]), 'malformed', 'meta is a CBOR array');
cp('meta-string', frame('full'), 'malformed', 'meta is a CBOR string');
cp('unknown-field', frame(fullMeta({ evil: 1 }), page()), 'malformed', 'meta with a field nobody defined');
cp('bad-kind', frame(fullMeta({ kind: 'weird' }), page()), 'malformed', "kind 'weird'");
cp('bad-bundle', frame(fullMeta({ bundle: 'not-hex' }), page()), 'malformed', 'bundle is not a SHA-256');
cp('negative-fragment', frame(fullMeta({ fragment: -1 }), page()), 'malformed', 'fragment -1');
cp('float-yields', frame(fullMeta({ yields: 1.5 }), page()), 'malformed', 'yields 1.5');
cp('bad-page-size', frame(fullMeta({ pageSize: 3 }), page()), 'malformed', 'pageSize 3');
cp('odd-memory-length', frame(fullMeta({ memoryLength: 65535 }), page()), 'malformed', 'memoryLength not a multiple of 64 KiB');
cp('indices-unsorted', frame(fullMeta({ indices: idx(3, 2) }), page(2)), 'malformed', 'page indices out of order');
cp('indices-out-of-range', frame(fullMeta({ indices: idx(16) }), page()), 'malformed', 'page 16 of a 16-page memory');
cp('indices-ragged', frame(fullMeta({ indices: Buffer.from([1, 0, 0]) }), page()), 'malformed', 'indices not a multiple of 4 bytes');
cp('data-mismatch', frame(fullMeta({ indices: idx(1, 2) }), page()), 'malformed', 'two pages listed, one carried');
cp('diff-without-base', frame(fullMeta({ kind: 'diff' }), page()), 'malformed', 'a diff with no base id');
cp('full-with-base', frame(fullMeta({ base: 'x' }), page()), 'malformed', 'a full checkpoint naming a base');
cp('output-not-bytes', frame(fullMeta({ output: 'text' }), page()), 'malformed', 'output as a string');
// Route diffs (docs/checkpoint-format.md): page steps must fit the pages and come after `since`.
const u32 = (...vs) => idx(...vs);
const routeDiff = (over = {}) => fullMeta({ kind: 'diff', base: 'fedcba9876543210', since: 1, steps: u32(2), ...over });
cp('diff-steps-short', frame(routeDiff({ steps: u32() }), page()), 'malformed', 'a route diff with no step for its one page');
cp('diff-step-not-after-since', frame(routeDiff({ steps: u32(1) }), page()), 'malformed', 'a page changed at step 1 in a diff of what changed after step 1');
cp('diff-since-without-steps', frame(routeDiff({ steps: undefined }), page()), 'malformed', 'since without steps');
cp('diff-since-negative', frame(routeDiff({ since: -1 }), page()), 'malformed', 'since -1');
cp('full-steps-wrong-length', frame(fullMeta({ steps: u32(1, 1, 1) }), page()), 'malformed', 'a full checkpoint with 3 page steps for 16 pages');
cp('full-with-since', frame(fullMeta({ since: 0 }), page()), 'malformed', "a full checkpoint with a diff's since");
cp('deep-nesting', frame(null, new Uint8Array(0), { metaBytes: Buffer.alloc(100000, 0x81) }), 'malformed', 'meta nested 100000 arrays deep');
cp('huge-array-header', frame(null, new Uint8Array(0), { metaBytes: Buffer.from('9bffffffffffffffff', 'hex') }), 'malformed', 'a CBOR array claiming 2^64-1 items');
cp('huge-string-header', frame(null, new Uint8Array(0), { metaBytes: Buffer.from('7bffffffffffffffff', 'hex') }), 'malformed', 'a CBOR string claiming 2^64-1 bytes');
cp('huge-map-header', frame(null, new Uint8Array(0), { metaBytes: Buffer.from('bbffffffffffffffff', 'hex') }), 'malformed', 'a CBOR map claiming 2^64-1 pairs');

// ---- messages (decodeMessage) ----
const msg = (name, bytes, expect, why) => add('message', name, bytes, 'message', expect, why);
const goodMsg = Buffer.from(encodeMessage({ kind: 'exec', v: V, job: 'j', bundle: 'a'.repeat(64), entry: 'main', fragment: 0, migrateEvery: 0, checkpoint: good }));
const frameMsg = (map, rest = [], version = 1) => { const m = Buffer.isBuffer(map) ? map : cbor.encode(map); const h = Buffer.alloc(6); h[0] = 0x57; h[1] = version; h.writeUInt32BE(m.length, 2); return cat(h, m, ...rest); };
msg('empty', new Uint8Array(0), 'malformed', 'no bytes');
msg('short', Buffer.from([0x57, 1, 0]), 'malformed', 'shorter than the 6-byte frame');
msg('no-frame', Buffer.from('hello, hub'), 'malformed', "no 'W' frame");
msg('checkpoint-bytes', good, 'version', "a checkpoint sent as a message: 'WVCP' reads as a 'W' frame of version 0x56");
msg('frame-version-2', frameMsg({ kind: 'ping', v: V }, [], 2), 'version', 'framing version 2');
msg('frame-version-0', frameMsg({ kind: 'ping', v: V }, [], 0), 'version', 'framing version 0');
{ const b = Buffer.from(goodMsg); b.writeUInt32BE(0xffffffff, 2); msg('map-length-huge', b, 'malformed', 'map length 2^32-1'); }
msg('truncated', goodMsg.subarray(0, goodMsg.length - 10), 'malformed', 'an exec cut inside its attachment');
msg('trailing', cat(goodMsg, [1, 2, 3]), 'malformed', 'bytes after the last attachment');
msg('map-not-cbor', frameMsg(Buffer.from([0xff, 0xfe])), 'malformed', 'the map is not CBOR');
msg('map-is-array', frameMsg([1, 2]), 'malformed', 'an array instead of a map');
msg('map-is-bytes', frameMsg(Buffer.from([0x43, 1, 2, 3])), 'malformed', 'a byte string instead of a map');
msg('no-kind', frameMsg({ v: V }), 'malformed', "no 'kind'");
msg('kind-number', frameMsg({ kind: 7, v: V }), 'malformed', "'kind' is a number");
msg('version-next', frameMsg({ kind: 'ping', v: V + 1 }), 'version', 'a protocol version newer than this build speaks');
msg('version-hostile-map', frameMsg({ kind: 'ping', v: { toString: 5 } }), 'version', "'v' is a map whose toString is not a function (found by fuzzing: String(v) threw a TypeError)");
msg('version-missing', frameMsg({ kind: 'ping' }), 'version', "no 'v'");
msg('unknown-kind', frameMsg({ kind: 'rm-rf', v: V }), 'unknown-kind', "kind 'rm-rf'");
msg('att-not-list', frameMsg({ kind: 'ping', v: V, $att: 'x' }), 'malformed', "'$att' is a string");
msg('att-overrun', frameMsg({ kind: 'exec', v: V, $att: [['checkpoint', 1 << 30]] }, [[1, 2, 3]]), 'malformed', 'an attachment claiming 1 GiB');
msg('att-negative', frameMsg({ kind: 'exec', v: V, $att: [['checkpoint', -5]] }), 'malformed', 'an attachment of -5 bytes');
msg('att-self', frameMsg({ kind: 'exec', v: V, $att: [['$att', 1]] }, [[0]]), 'malformed', "an attachment named '$att'");
msg('att-float', frameMsg({ kind: 'exec', v: V, $att: [['checkpoint', 1.5]] }, [[0, 0]]), 'malformed', 'an attachment of 1.5 bytes');
msg('deep-nesting', frameMsg(Buffer.alloc(100000, 0x81)), 'malformed', 'the map nested 100000 arrays deep');
msg('huge-array-header', frameMsg(Buffer.from('9bffffffffffffffff', 'hex')), 'malformed', 'a CBOR array claiming 2^64-1 items');
msg('huge-string-header', frameMsg(Buffer.from('a161617bffffffffffffffff', 'hex')), 'malformed', 'a map whose value claims 2^64-1 bytes');

// ---- Wasm (loadBundle) ----
// Names kept in the binary: load-time weaving leaves '~'-named functions without yield points.
binaryen.setDebugInfo(true);
const wat = (text) => { const m = binaryen.parseText(text); m.setFeatures(binaryen.Features.All); const b = m.emitBinary(); m.dispose(); return b; };
const leb = (n) => { const out = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; };
const section = (id, body) => cat([id, ...leb(body.length)], body);
const wasmHead = Buffer.from('0061736d01000000', 'hex');
const wasm = (name, bytes, expect, why, extra) => add('wasm', name, bytes, 'bundle', expect, why, extra);
const fib = wat('(module (memory (export "memory") 1) (func (export "main") (param i32) (result i32) local.get 0))');
wasm('empty', new Uint8Array(0), 'bad-module', 'no bytes');
wasm('text', Buffer.from('(module)'), 'bad-module', 'WAT text, not a binary');
wasm('bad-version', Buffer.from('0061736d02000000', 'hex'), 'bad-module', 'Wasm binary version 2');
wasm('truncated', fib.subarray(0, fib.length - 5), 'bad-module', 'a valid module cut short');
wasm('bad-section-size', cat(wasmHead, [1, 0xff, 0xff, 0xff, 0xff, 0x0f]), 'bad-module', 'a section claiming 4 GiB');
wasm('import-memory', wat('(module (import "env" "memory" (memory 1)))'), 'import-denied', 'imports a memory');
wasm('import-wasi', wat('(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32))))'), 'import-denied', 'imports WASI');
wasm('import-proto', wat('(module (import "env" "toString" (func)))'), 'import-denied', "imports 'env.toString' (an Object.prototype name)");
wasm('import-proto-module', wat('(module (import "__proto__" "valueOf" (func)))'), 'import-denied', "imports from '__proto__'");
wasm('import-undeclared-host', wat('(module (import "weave:host/control" "spawn" (func)))'), 'import-denied', 'a host function wit/ does not declare');
wasm('import-table', wat('(module (import "env" "table" (table 1 funcref)))'), 'import-denied', 'imports a table');
wasm('huge-memory', wat('(module (memory 60000))'), 'memory-limit', 'an initial memory of 60000 pages (3.7 GiB)');
wasm('memory-over-limit', wat('(module (memory 300))'), 'memory-limit', '300 initial pages against a 256-page limit', { options: { maxMemoryPages: 256 } });
wasm('shared-memory', cat(wasmHead, section(5, [1, 3, 1, 1])), 'bad-module', 'a shared memory');
wasm('memory64', cat(wasmHead, section(5, [1, 4, 1])), 'bad-module', 'a 64-bit memory');
{
  const m = wat('(module (memory (export "memory") 1))');
  const name = Buffer.from('weave.manifest');
  wasm('garbage-manifest', cat(m, section(0, cat([name.length], name, [0xff, 0x00, 0x13]))), 'bad-module', 'a weave.manifest section that is not CBOR');
  wasm('wrong-manifest', cat(m, section(0, cat([name.length], name, cbor.encode({ version: 99 })))), 'bad-module', 'a manifest of another version');
}

// ---- Wasm and programs run on a HubCore (exec) ----
const startTrap = wat(`(module (memory (export "memory") 1)
  (func $~start unreachable) (start $~start)
  (func (export "main") (param i32) (result i32) local.get 0))`);
writeFileSync(path.join(here, 'wasm/start-trap.bin'), startTrap);
entries.push({ name: 'start-trap', file: 'wasm/start-trap.bin', feed: 'hub', entry: 'main', args: [1], expect: 'start-trap', why: 'a start function that traps' });
const startLoop = wat(`(module (memory (export "memory") 1)
  (func $~start (loop $l (br $l))) (start $~start)
  (func (export "main") (param i32) (result i32) local.get 0))`);
writeFileSync(path.join(here, 'wasm/start-loop.bin'), startLoop);
entries.push({ name: 'start-loop', file: 'wasm/start-loop.bin', feed: 'thread', entry: 'main', args: [1], expect: 'deadline-exceeded', sandbox: { deadlineMs: 500, hardDeadlineMs: 1500 }, why: 'a start function looping forever with no yield point: the watchdog replaces the worker' });
const hub = (name, o) => entries.push({ name, feed: 'hub', ...o });
hub('infinite-loop', { program: 'test/programs/hostile-loop.ts', entry: 'spin', args: [1], sandbox: { deadlineMs: 300 }, expect: 'deadline-exceeded', why: 'an infinite loop, stopped at a yield point past the deadline' });
hub('memory-bomb', { program: 'test/programs/hostile-bomb.ts', entry: 'bomb', args: [0], sandbox: { maxMemoryPages: 256 }, expect: 'memory-limit', why: 'allocates 1 MiB after 1 MiB until memory.grow is refused at 16 MiB' });
hub('runaway-recursion', { program: 'test/programs/hostile-recursion.ts', entry: 'recurse', args: [1000000000], expect: 'stack-limit', why: 'recursion a billion levels deep overflows the call stack' });
hub('deep-asyncify-stack', { program: 'test/programs/hostile-recursion.ts', build: { yieldInterval: 1 }, entry: 'recurse', args: [10000], request: { migrateEvery: 29000 }, expect: 'stack-limit', why: 'a pause 9000 calls deep does not fit the Asyncify buffer' });
hub('asyncify-stack-limit', { program: 'test/programs/hostile-recursion.ts', build: { yieldInterval: 1 }, entry: 'recurse', args: [50], request: { migrateEvery: 100 }, sandbox: { maxStackBytes: 256 }, expect: 'stack-limit', why: 'a pause 30 calls deep against a 256-byte maxStackBytes' });
hub('checkpoint-bit-flip', { program: 'test/programs/fib.ts', entry: 'fib', args: [10], checkpoint: 'checkpoint/flip-data.bin', expect: 'checkpoint-checksum', why: 'a corrupted checkpoint' });
hub('checkpoint-truncated', { program: 'test/programs/fib.ts', entry: 'fib', args: [10], checkpoint: 'checkpoint/cut-in-data.bin', expect: 'checkpoint-truncated', why: 'a truncated checkpoint' });
hub('checkpoint-version', { program: 'test/programs/fib.ts', entry: 'fib', args: [10], checkpoint: 'checkpoint/version-3.bin', expect: 'checkpoint-version', why: 'a checkpoint of another format version' });
hub('checkpoint-oversized', { program: 'test/programs/fib.ts', entry: 'fib', args: [10], checkpoint: 'checkpoint/flip-data.bin', sandbox: { maxCheckpointBytes: 1000 }, expect: 'checkpoint-too-large', why: 'a checkpoint above maxCheckpointBytes' });
hub('checkpoint-memory-over-limit', { program: 'test/programs/fib.ts', entry: 'fib', args: [10], synthCheckpointPages: 300, sandbox: { maxMemoryPages: 256 }, expect: 'memory-limit', why: 'a valid checkpoint of 300 pages against a 256-page limit' });
hub('bundle-unknown-import', { file: 'wasm/import-wasi.bin', entry: 'main', args: [], expect: 'import-denied', why: 'a bundle importing WASI' });
hub('bundle-not-wasm', { file: 'wasm/text.bin', entry: 'main', args: [], expect: 'bad-module', why: 'bundle bytes that are not Wasm' });
hub('wrong-protocol-version', { raw: { kind: 'ping', v: 9 }, expect: 'version', why: 'a request of protocol version 9' });
hub('unknown-request', { raw: { kind: 'format-disk', v: V }, expect: 'bad-request', why: 'a request kind nobody defined' });
hub('not-an-object', { raw: 42, expect: 'bad-request', why: 'a request that is a number' });

writeFileSync(path.join(here, 'index.json'), JSON.stringify({
  about: 'Hostile inputs and the typed error each must get. feed: checkpoint = decodeCheckpoint(bytes, options); message = decodeMessage(bytes); bundle = loadBundle(bytes, options); hub = HubCore.handle(exec or raw request) with sandbox; thread = the same on a HubThread. Regenerate with node test/corpus/make.mjs.',
  entries,
}, null, 1) + '\n');
console.log(`${entries.length} corpus entries`);
