// Counted loops in the shapes weave runs without a fuel check per iteration while the
// fuel covers them (fragments/passes/counted-loop.ts), and their edges: a start at or past
// the bound, counters next to i32's largest value, unsigned counters, `!=` bounds that
// wrap around, `<=`, `i + 1 < n`, do-while bodies, breaks out of the loop, bounds computed from locals,
// constant bounds, inner loops of a nest, and module-level state written inside them;
// and loops that step by more than one, which stay checked (strided).

let total: i64 = 0;
const table = new StaticArray<i32>(256);

function fill(seed: i32): void {
  let x = seed;
  for (let i = 0; i < 256; i++) {
    x = x * 1103515245 + 12345;
    unchecked(table[i] = x >>> 8);
  }
}

/** `n` and `start` steer every loop; the result folds what each computed. */
export function countedLoops(n: i32, start: i32): i64 {
  fill(start ^ n);
  let acc: i64 = 0;
  // Up from `start` to `n` (none when start >= n).
  for (let i = start; i < n; i++) acc = acc * 31 + i;
  // The same, unsigned: a negative start is a large counter.
  for (let u = <u32>start; u < <u32>n; u++) acc ^= (<i64>u) << 3;
  // `!=` to a bound: wraps past i32's largest value when start > n.
  for (let i = start; i != n; i++) {
    acc += i & 0xff;
    if (<u32>(i - start) > 3000000) break;
  }
  // Do-while: the body runs once even when start >= n.
  let j = start;
  do {
    acc = acc * 17 + j;
    j++;
  } while (j < n);
  // A break out of the loop partway.
  for (let i = 0; i < n; i++) {
    if (unchecked(table[i & 255]) % 97 == 5 && i > (n >> 1)) break;
    acc += unchecked(table[i & 255]);
  }
  // `<=` to a bound computed from locals the loop does not write, signed and unsigned.
  for (let i = start; i <= n * 2 - start; i++) acc = (acc << 1) ^ i;
  for (let u = <u32>(start & 0xffff); u <= <u32>n + 3; u++) acc += <i64>(u & 0xf);
  let k = start;
  do {
    acc ^= <i64>k * 7;
    k++;
  } while (k <= n);
  // The counter plus a constant against the bound: `i + 1 < n`, and across the wrap.
  for (let i = start; i + 1 < n; i++) acc += (<i64>i) * 3;
  for (let i = i32.MAX_VALUE - 15 + (start & 7); i + 16 < i32.MIN_VALUE + 40; i++) acc ^= i;
  // A constant bound, and module-level state written in the loop.
  for (let i = 0; i < 1000; i++) total += i ^ <i32>(acc & 7);
  // Inner counted loops of a nest, their bound the outer counter.
  for (let a = 0; a < (n & 511); a++) {
    for (let b = 0; b < a; b++) acc += unchecked(table[(a * b) & 255]) ^ b;
  }
  return acc ^ total;
}

/** Next to i32's largest value: the counter must not wrap in the copy either. */
export function nearMax(count: i32): i64 {
  let acc: i64 = 0;
  const top = i32.MAX_VALUE;
  for (let i = top - count; i < top; i++) acc += i;
  for (let i = top - count; i != top; i++) acc ^= <i64>i << 1;
  // From the top across the wrap to i32's smallest values, with `!=`.
  for (let i = top - (count >> 1); i != i32.MIN_VALUE + (count >> 1); i++) acc += i & 0xffff;
  let u = u32.MAX_VALUE - <u32>count;
  while (u < u32.MAX_VALUE) { acc += <i64>u; u++; }
  // `<=` up to one below the largest values (at the largest, the loop would never end).
  for (let i = top - count; i <= top - 1; i++) acc += i & 0xfff;
  for (let v = u32.MAX_VALUE - <u32>count; v <= u32.MAX_VALUE - 1; v++) acc ^= <i64>v;
  return acc;
}

/**
 * Counters that step by more than one (weave keeps these checked; a copy for them was
 * tried): a constant, or a local (a sieve's `j += i`), with `<` and `<=`, signed and
 * unsigned; strides of zero and below (the loop ends only by its break); and bounds so
 * near the largest value that the step past them wraps, where the loop goes on with the
 * wrapped counter until its break.
 */
export function strided(n: i32, step: i32): i64 {
  let acc: i64 = 0;
  // A sieve: the inner loop's stride is the outer counter.
  const marks = new Uint8Array(n + 1);
  for (let i = 2; i <= n; i++) {
    if (marks[i]) continue;
    acc += i;
    if (i > n / i) continue;
    for (let j = i * i; j <= n; j += i) marks[j] = 1;
  }
  // Constant strides.
  for (let i = step & 3; i < n; i += 3) acc = acc * 31 + i;
  for (let i = -n; i <= n; i += 7) acc ^= <i64>i << 2;
  for (let u = <u32>(step & 0xff); u < <u32>n; u += 5) acc += <i64>u * 3;
  // The stride a parameter: of any sign, zero included.
  let k = 0;
  for (let j = 0; j < n; j += step) {
    acc = acc * 17 + j;
    if (++k > 5000) break;
  }
  // Past the largest value: 100 - 2 is 14 strides of 7, the 15th wraps to a negative
  // counter, which is still <= the bound.
  const top = i32.MAX_VALUE;
  k = 0;
  for (let j = top - 100; j <= top - 2; j += 7) {
    acc += j & 0xffff;
    if (++k > 200) break;
  }
  k = 0;
  for (let v = u32.MAX_VALUE - 50; v < u32.MAX_VALUE - 1; v += 4) {
    acc ^= <i64>v;
    if (++k > 100) break;
  }
  // A stride from a local, a bound from the parameter, a break partway.
  const s = (step & 7) + 2;
  for (let j = 1; j < n * 3; j += s) {
    if (j > n * 2 && (j & 63) == 1) break;
    acc += j;
  }
  return acc;
}
