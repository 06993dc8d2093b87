/**
 * Fuel charged for bulk memory work (fragments/passes/memory-fuel.ts): one unit per 64
 * bytes a copy or fill moves, nothing and no code for a constant size under 64 bytes
 * (AssemblyScript's shadow-stack frames), a constant charge for a constant size.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runLocally } from './helpers/programs.js';
import { buildSnippet } from './helpers/snippet.js';

const test = suite('memory fuel');

/** A loop that fills `bytes` bytes (a constant) an iteration through a call. */
const filling = (bytes: number) => `const BUF = memory.data(8192);
function fill(k: i32): void { memory.fill(BUF, <u8>k, ${bytes}); }
export function f(n: i32): i32 {
  let s = 0;
  for (let i = 0; i < n; i++) { fill(i); s += load<u8>(BUF + 7); }
  return s;
}
`;

const loops = (text: string) => (text.match(/\(loop /g) ?? []).length;
const expected = (n: number) => { let s = 0; for (let i = 0; i < n; i++) s += i & 255; return s; };

test('a fill of 20 bytes charges nothing: its loop counts only its iterations, and is a counted loop', async () => {
  const small = await buildSnippet('memory-fuel', 'small', filling(20), 1000);
  const big = await buildSnippet('memory-fuel', 'big', filling(6400), 1000);
  // A loop whose body charges fuel keeps its checks; one that charges nothing gets the
  // unchecked copy of counted-loop.ts: one loop more.
  assert.is(loops(small.text), loops(big.text) + 1, 'the 20-byte fill left no charge in the loop');
  const n = 100_000;
  const r = await runLocally(small.loaded, 'f', [n]);
  assert.is(Buffer.from(r.result).readInt32LE(0), expected(n));
  assert.ok(r.yields >= 99 && r.yields <= 101, `${r.yields} yields: one per 1,000 iterations`);
});

test('a fill of 6,400 bytes charges 100 units each time', async () => {
  const { loaded } = await buildSnippet('memory-fuel', 'big', filling(6400), 1000);
  const n = 100_000;
  const r = await runLocally(loaded, 'f', [n]);
  assert.is(Buffer.from(r.result).readInt32LE(0), expected(n));
  // 101 units an iteration (the iteration and its fill): the tenth of each allowance of
  // 1,000 overdraws it, and the yield grants a fresh 1,000 (the overdraft is not carried).
  assert.ok(r.yields >= 9_990 && r.yields <= 10_010, `${r.yields} yields for ${n} iterations of 101 units`);
});

test('a fill of a computed size charges what it fills', async () => {
  const { loaded } = await buildSnippet('memory-fuel', 'computed', filling(6400).replace('6400); }', '6400 + (k & 1)); }'), 1000);
  const n = 100_000;
  const r = await runLocally(loaded, 'f', [n]);
  assert.is(Buffer.from(r.result).readInt32LE(0), expected(n));
  assert.ok(r.yields >= 9_990 && r.yields <= 10_010, `${r.yields} yields for ${n} iterations of 101 units`);
});

test.run();
