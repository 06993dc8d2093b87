// Strings, arrays and typed arrays at the boundary, as users export them.
const suffix = "!";
let calls = 0;

export function count(s: string): i32 {
  calls++;
  let words = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const space = s.charCodeAt(i) == 32;
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words + calls - 1;
}

export function shout(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(s.charCodeAt(i) ^ 32);
  return out + suffix;
}

export function sum(a: Array<i64>): i64 {
  let t: i64 = 0;
  for (let i = 0; i < a.length; i++) t += a[i];
  return t;
}

export function scale(a: Float64Array, k: f64): Float64Array {
  const o = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) o[i] = a[i] * k;
  return o;
}

export function fnv(b: Uint8Array): u32 {
  let h: u32 = 2166136261;
  for (let i = 0; i < b.length; i++) { h ^= b[i]; h *= 16777619; }
  return h;
}

export function isNull(s: string | null): bool {
  return s == null;
}

export function times(a: i32, b: i32 = 5): i32 {
  return a * b;
}

export function squares(n: i32): Array<i32> {
  const r = new Array<i32>();
  for (let i = 0; i < n; i++) r.push(i * i);
  return r;
}

export function ramp(n: i32): StaticArray<u16> {
  const r = new StaticArray<u16>(n);
  for (let i = 0; i < n; i++) r[i] = <u16>(i * 1000);
  return r;
}

export function reversed(b: ArrayBuffer): ArrayBuffer {
  const src = Uint8Array.wrap(b);
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = src[src.length - 1 - i];
  return out.buffer;
}

export function big(n: i32): u64 {
  let x: u64 = 0xffffffffffffffff;
  for (let i = 0; i < n; i++) x -= <u64>i;
  return x;
}

export function nothing(n: i32): string | null {
  return n > 0 ? null : "zero";
}
