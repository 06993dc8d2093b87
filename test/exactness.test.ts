/**
 * The heart of weave: a job checkpointed and restored at any yield point, into a fresh
 * instance of any fragment's module, finishes with exactly the bytes of an uninterrupted
 * run of the plain asc -O3 build.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cases, args, woven, plainResult, runLocally, prng, type Case } from './helpers/programs.js';
import { FragmentTrap, type LoadedBundle } from '../runtime/exec/index.js';

const test = suite('exactness');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const MAX_POINTS = 400;

for (const c of cases().filter((x) => !x.traps)) {
  test(`${c.entry} (${c.file}) resumes bit-exactly after a restore at every yield point on small input`, async () => {
    const b = await woven(c.file, { yieldInterval: 1 });
    const ref = await plainResult(c, c.small);
    const plain = await runLocally(b, c.entry, args(c, c.small));
    assert.is(hex(plain.result), hex(ref), 'woven run without restores equals plain asc');
    // A restore costs about a millisecond; space the yield points (host fuel) so a case
    // has at most ~MAX_POINTS of them, then restore at every one.
    const fuel = Math.max(1, Math.ceil(plain.yields / MAX_POINTS));
    const spaced = fuel === 1 ? plain : await runLocally(b, c.entry, args(c, c.small), { fuel });
    const every = await runLocally(b, c.entry, args(c, c.small), { fuel, pauseAt: () => true, restoreAtBoundaries: true });
    assert.is(hex(every.result), hex(ref));
    assert.is(every.yields, spaced.yields, 'restores do not change the yield count');
    assert.ok(every.restores >= spaced.yields, `restored at each of ${spaced.yields} yield points (did ${every.restores})`);
  });

  test(`${c.entry} resumes bit-exactly after restores at points spread over the run on large input`, async () => {
    const b = await woven(c.file, { yieldInterval: 1 });
    const fuel = 20_000;
    const ref = await plainResult(c, c.large);
    // Restores at yield points k, 2k, 4k, ... (k drawn per case from 1-8): early, middle
    // and late in a run of any length, with no run before it to count its yield points
    // (that run was a third of this file's time). The last lies in the run's second half.
    const k = 1 + Math.floor(prng(c.entry.length * 7919)() * 8);
    const at = (n: number) => n % k === 0 && ((n / k) & (n / k - 1)) === 0;
    const r = await runLocally(b, c.entry, args(c, c.large), { fuel, pauseAt: at });
    const points: number[] = [];
    for (let n = k; n <= r.yields; n *= 2) points.push(n);
    assert.is(hex(r.result), hex(ref), `restored at yields ${points.join(', ')} of ${r.yields}`);
    assert.ok(points.length >= 3, `only ${points.length} restore points in ${r.yields} yield points: make the large input larger`);
    assert.ok(r.restores >= points.length, `restored ${r.restores} times at ${points.length} points`);
  });
}

/**
 * A run restored at every one of its yield points, spaced (host fuel, at least 50) so that
 * there are at most MAX_POINTS: wordfreq's small input passed thousands at fuel 50, each
 * restore a fresh instance, for the same check a few hundred make.
 */
async function restoredEverywhere(b: LoadedBundle, c: Case, raw: Case['small']) {
  const counted = await runLocally(b, c.entry, args(c, raw), { fuel: 50 });
  const fuel = 50 * Math.max(1, Math.ceil(counted.yields / MAX_POINTS));
  const r = await runLocally(b, c.entry, args(c, raw), { fuel, pauseAt: () => true, restoreAtBoundaries: true });
  assert.ok(counted.yields === 0 || r.yields > 0, 'the spaced run passes yield points');
  assert.ok(r.restores >= r.yields, `restored at each of its ${r.yields} yield points (did ${r.restores})`);
  return r;
}

for (const granularity of ['function', 'nested'] as const) {
  for (const c of cases().filter((x) => x.file.startsWith('examples/'))) {
    test(`${c.entry} is exact at every yield point with --granularity ${granularity}`, async () => {
      const b = await woven(c.file, { yieldInterval: 1, granularity });
      const ref = await plainResult(c, c.small);
      const r = await restoredEverywhere(b, c, c.small);
      assert.is(hex(r.result), hex(ref));
      const loop = await woven(c.file, { yieldInterval: 1 });
      if (granularity === 'nested') assert.ok(b.manifest.fragments.length >= loop.manifest.fragments.length, 'nested granularity splits at least as finely as loop');
      if (granularity === 'function') assert.is(b.manifest.fragments.filter((f) => f.entry === c.entry).length, 1);
    });
  }
}

for (const c of cases().filter((x) => x.file.startsWith('examples/') || x.entry === 'stringHash')) {
  test(`${c.entry} is exact at every yield point on the stub runtime`, async () => {
    const b = await woven(c.file, { yieldInterval: 1, runtime: 'stub' });
    const ref = await plainResult(c, c.small, 'stub');
    const r = await restoredEverywhere(b, c, c.small);
    assert.is(hex(r.result), hex(ref));
  });
}

test('a trap reports the fragment and the AssemblyScript message with file:line', async () => {
  const c = cases().find((x) => x.traps)!;
  const b = await woven(c.file, { yieldInterval: 1 });
  try {
    await runLocally(b, c.entry, args(c, c.small), { pauseAt: (n) => n % 7 === 0 });
    assert.unreachable('should trap');
  } catch (err) {
    assert.instance(err, FragmentTrap);
    assert.match((err as Error).message, /trap in fragment \d+ of 'checked': bad input at test\/programs\/trap\.ts:\d+:\d+/);
  }
});

test.run();
