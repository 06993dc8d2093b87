/**
 * The differential runner's judge for NaNs whose bits differ (test/gen/canonical-nans.ts):
 * canonical builds leave the engine no choice of payload, and a woven build that computes
 * another NaN than plain's is still caught.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { canonicalNaNs } from './gen/canonical-nans.js';
import { compileProgram, weaveAt } from './gen/build.js';
import { canonicalJudge, type Case } from './gen/differential.js';
import { runPlain } from './gen/run-plain.js';
import type { Outcome } from './gen/outcome.js';

const test = suite('nan judge');
const dir = mkdtempSync(path.join(os.tmpdir(), 'weave-nan-judge-'));

// Two NaNs of other payloads added, or one negated (a sign operation moves bits exactly).
const SOURCE = `
export function add(a: i32, b: i32): f32 { return reinterpret<f32>(a) + reinterpret<f32>(b); }
export function neg(a: i32): f32 { return -reinterpret<f32>(a); }
export function sqrt64(a: i64): f64 { return Math.sqrt(reinterpret<f64>(a)); }
`;
// A build that computes another NaN: the payload of a constant, which no engine may change.
const WRONG = `
export function add(a: i32, b: i32): f32 { return reinterpret<f32>(0x7fc00001); }
export function neg(a: i32): f32 { return -reinterpret<f32>(a); }
export function sqrt64(a: i64): f64 { return Math.sqrt(reinterpret<f64>(a)); }
`;
const compile = async (name: string, source: string) => {
  const file = path.join(dir, `${name}.ts`);
  writeFileSync(file, source);
  return { file, core: await compileProgram(file, 'incremental') };
};
const ADD: Case = { sig: { name: 'add', params: ['i32', 'i32'], result: 'f32' }, args: [0x7fc00001, 0x7fc004fa] };
const NEG: Case = { sig: { name: 'neg', params: ['i32'], result: 'f32' }, args: [0x7fc004fa] };
const SQRT: Case = { sig: { name: 'sqrt64', params: ['i64'], result: 'f64' }, args: [0x7ff800000000abcdn] };
const f32 = (hex: string): Outcome => ({ kind: 'value', type: 'f32', hex });

test('a canonical build gives the canonical NaN for arithmetic on NaNs, and leaves sign operations exact', async () => {
  const { core } = await compile('canon', SOURCE);
  const plain = await WebAssembly.compile(core as Uint8Array<ArrayBuffer>);
  const canon = await WebAssembly.compile(canonicalNaNs(core) as Uint8Array<ArrayBuffer>);
  const raw = await runPlain(plain, ADD.sig, ADD.args);
  // V8 on x86 keeps an operand's payload: not the canonical bits (little-endian hex).
  assert.ok(raw.kind === 'value' && raw.hex !== '0000c07f', JSON.stringify(raw));
  assert.equal(await runPlain(canon, ADD.sig, ADD.args), f32('0000c07f'));
  assert.equal(await runPlain(canon, SQRT.sig, SQRT.args), { kind: 'value', type: 'f64', hex: '000000000000f87f' });
  assert.equal(await runPlain(canon, NEG.sig, NEG.args), f32('fa04c0ff'));
  assert.equal(await runPlain(canon, NEG.sig, NEG.args), await runPlain(plain, NEG.sig, NEG.args));
});

test('the judge calls NaNs of other bits the engine\'s choice when the canonical builds agree, and weave\'s fault when they do not', async () => {
  const right = await compile('right', SOURCE);
  const wrong = await compile('wrong', WRONG);
  const how = { fuel: 1, migrate: true };
  const [expected, got] = [f32('0100c07f'), f32('fa04c07f')];
  const judge = canonicalJudge(right.core, async (canon, g) => (await weaveAt(canon, g, right.file, 'incremental')).bundle);
  assert.ok(await judge.agree('function', ADD, expected, got, how), 'the same program, woven');
  // The woven side built from a program that returns a NaN constant of its own.
  const faulty = canonicalJudge(right.core, async (_canon, g) => (await weaveAt(canonicalNaNs(wrong.core), g, wrong.file, 'incremental')).bundle);
  assert.not.ok(await faulty.agree('function', ADD, expected, got, how), 'another NaN, computed by the woven build');
  // Only NaNs against NaNs are judged: a number against a NaN is a mismatch outright.
  assert.not.ok(await judge.agree('function', ADD, f32('0000803f'), got, how));
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
