/**
 * Property tests of the checkpoint codec and the message decoder: 10,000 mutated inputs
 * (test/corpus/fuzz-cases.ts), each decoded to a valid value or refused with the typed
 * error. `npm run fuzz` runs 100,000+ of each.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fuzz, type FuzzTarget } from './corpus/fuzz-cases.js';

const test = suite('decoder fuzzing');
const CASES = 5_000;

for (const target of ['checkpoint', 'message'] as FuzzTarget[]) {
  test(`${CASES} mutated ${target}s decode to a valid value or throw the typed error, never anything else`, () => {
    const r = fuzz(target, CASES, 20261129);
    assert.equal(r.failures, [], JSON.stringify(r.failures.slice(0, 3)));
    // The mutations reach past the first checks: both outcomes and several codes occur.
    assert.ok(r.decoded > 0, 'no input decoded');
    assert.ok(Object.keys(r.rejected).length >= 3, JSON.stringify(r.rejected));
    // A generous bound: a hang or a quadratic blow-up takes seconds, a decode well under one.
    assert.ok(r.maxMs < 2_000, `slowest decode ${r.maxMs} ms`);
  });
}

test.run();
