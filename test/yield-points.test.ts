/**
 * The yield-points pass on hand-written modules (fragments/passes/yield-points.ts): what
 * loops that only count and memory work charge the fuel counter, read back from it.
 * Programs as users write them are exactness.test.ts's; this file checks what a result
 * cannot show.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import binaryen from 'binaryen';
import { addYieldPoints, FUEL_GLOBAL } from '../fragments/passes/yield-points.js';

const test = suite('yield points');

/**
 * `charger(n)` fills n bytes (one unit per 64); `callsInLoop(n)` calls it in each of n
 * iterations; `bareLoop(n)` counts n iterations and calls nothing. All only count.
 */
const MODULE = `(module
 (memory 1)
 (func $charger (param $n i32) (memory.fill (i32.const 0) (i32.const 0) (local.get $n)))
 (func $callsInLoop (param $n i32) (param $bytes i32)
  (loop $l
   (call $charger (local.get $bytes))
   (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
 (func $bareLoop (param $n i32)
  (loop $l (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
 (export "callsInLoop" (func $callsInLoop))
 (export "bareLoop" (func $bareLoop)))`;

function woven(interval: number): Uint8Array<ArrayBuffer> {
  const m = binaryen.parseText(MODULE);
  m.setFeatures(binaryen.Features.All);
  addYieldPoints(m, { interval, mode: () => 'count' });
  m.addGlobalExport(FUEL_GLOBAL, 'fuel');
  assert.ok(m.validate(), 'the woven module validates');
  const bytes = m.emitBinary() as Uint8Array<ArrayBuffer>;
  m.dispose();
  return bytes;
}

test('counting functions charge one unit an iteration and what their fills cost, and stop at the floor', () => {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(woven(1_000_000)), { 'weave:host/control': { yield: () => 1_000_000 } });
  const x = instance.exports as { fuel: WebAssembly.Global; callsInLoop: (n: number, b: number) => void; bareLoop: (n: number) => void };
  x.callsInLoop(10, 640);
  assert.is(x.fuel.value, 1_000_000 - 10 - 10 * 10, '10 iterations and 10 fills of 640 bytes (10 units each)');
  x.fuel.value = 1_000_000;
  x.bareLoop(25);
  assert.is(x.fuel.value, 1_000_000 - 25);
  // Counting never yields; the counter stops at -2^30, around a call or in a bare loop.
  x.fuel.value = -(2 ** 30) + 3;
  x.callsInLoop(50, 64);
  assert.is(x.fuel.value, -(2 ** 30));
  x.fuel.value = -(2 ** 30) + 3;
  x.bareLoop(50);
  assert.is(x.fuel.value, -(2 ** 30));
});

test.run();
