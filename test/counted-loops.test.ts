/**
 * Counted loops run unchecked while their fuel covers them (fragments/passes/counted-loop.ts).
 * Exactness against plain asc, at every yield point, is exactness.test.ts's job (its
 * cases include test/programs/counted-loops.ts); this file checks what that cannot see:
 * that the copy is really made for the shapes it is meant for, that it cannot run past
 * its fuel (a long loop still yields at its interval), and that a loop it must not touch
 * stays checked only.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runLocally } from './helpers/programs.js';
import { buildSnippet } from './helpers/snippet.js';

const test = suite('counted loops');

/** Builds `source` (exporting `f(n: i32): i64`); returns the loaded bundle and how many loops its module holds. */
async function build(name: string, source: string, yieldInterval: number) {
  const { loaded, text } = await buildSnippet('counted-loops', name, source, yieldInterval);
  return { loaded, loops: (text.match(/\(loop /g) ?? []).length };
}

const loop = (header: string) => `export function f(n: i32): i64 {
  let acc: i64 = 0;
  for (${header}) acc = acc * 31 + (i ^ (acc >>> 7));
  return acc;
}
`;

/** A loop that is not counted (its counter doubles): the loop count the others are compared with. */
const unCounted = () => build('doubling', loop('let i = 0; i < n; i = i * 2 + 1'), 1000);

test('a counted loop gets a copy without fuel checks, in asc\'s carried `i + 1 < n` form too; one stepping by two or by a local does not', async () => {
  const plain = (await unCounted()).loops;
  const loops = async (name: string, source: string) => (await build(name, source, 1000)).loops;
  assert.is(await loops('up', loop('let i = 0; i < n; i++')), plain + 1, '`i < n; i++`: one loop more (the copy) than a doubling counter');
  assert.is(await loops('upto', loop('let i = 0; i <= n; i++')), plain + 1, '`i <= n; i++`: one loop more (the copy)');
  assert.is(await loops('step', loop('let i = 0; i < n; i += 2')), plain, '`i += 2`: no copy');
  assert.is(await loops('stride', `export function f(n: i32): i64 {
  let acc: i64 = 0;
  const s = (n & 3) + 1;
  for (let i = 0; i < n; i += s) acc = acc * 31 + (i ^ (acc >>> 7));
  return acc;
}
`), plain, '`i += s`: no copy');
  // asc keeps `i + 1` in a second local, tees it in the check and copies it back last:
  // `if ((t = i + 1) < n) { …; i = t }`.
  const pairs = (header: string) => `export function f(n: i32): i64 {
  const a = new StaticArray<i64>(n);
  for (let i = 0; i < n; i++) unchecked(a[i] = <i64>i * 7);
  let acc: i64 = 0;
  for (${header}) acc = acc * 31 + (unchecked(a[i + 1]) ^ unchecked(a[i]));
  return acc;
}
`;
  const carried = await build('carried', pairs('let i = 0; i + 1 < n; i++'), 1000);
  assert.is(carried.loops, (await loops('carried-doubling', pairs('let i = 0; i + 1 < n; i = i * 2 + 1'))) + 1, '`i + 1 < n` carried in a second local: copied');
  const n = 1_000_000;
  const r = await runLocally(carried.loaded, 'f', [n]);
  // 2n + 1 entries of both loops: a yield every 1,000.
  assert.ok(r.yields >= Math.floor(2 * n / 1000) - 2 && r.yields <= Math.ceil((2 * n + 2) / 1000), `${r.yields} yields for ${2 * n} entries`);
});

test('the copy cannot run past its fuel: a long counted loop yields at its interval', async () => {
  const { loaded } = await build('long', loop('let i = 0; i < n; i++'), 1000);
  const n = 2_000_000;
  const r = await runLocally(loaded, 'f', [n]);
  // One unit an entry, n + 1 entries: a yield every 1,000 of them.
  assert.ok(r.yields >= Math.floor(n / 1000) - 1 && r.yields <= Math.ceil((n + 2) / 1000), `${r.yields} yields for ${n} iterations at an interval of 1000`);
  // And the same number when the host's allowance differs from the build's interval.
  const small = await runLocally(loaded, 'f', [n], { fuel: 7 });
  assert.ok(small.yields >= Math.floor(n / 7) - 1, `${small.yields} yields at an allowance of 7`);
});

test('a loop that writes its bound, or steps its counter twice, stays checked only', async () => {
  const writesBound = await build('bound', `export function f(n: i32): i64 {
  let acc: i64 = 0;
  for (let i = 0; i < n; i++) { acc += i; if ((acc & 3) == 1) n--; }
  return acc;
}
`, 1000);
  const twice = await build('twice', `export function f(n: i32): i64 {
  let acc: i64 = 0;
  for (let i = 0; i < n; i++) { acc += i; if ((acc & 7) == 3) i++; }
  return acc;
}
`, 1000);
  const plain = (await unCounted()).loops;
  assert.is(writesBound.loops, plain, 'a loop that writes its bound is not copied');
  assert.is(twice.loops, plain, 'a loop that steps its counter twice is not copied');
  // Both still yield: a long run passes yield points.
  assert.ok((await runLocally(writesBound.loaded, 'f', [3_000_000])).yields > 100);
  assert.ok((await runLocally(twice.loaded, 'f', [3_000_000])).yields > 100);
});

test.run();
