// A module as users write them: several exports sharing module-level state that the
// top-level code sets up. Every export must be callable as a job's entry.
const table = new Map<string, i64>();
let calls: i32 = 0;
const primes: i32[] = [];

for (let i = 2; primes.length < 50; i++) {
  let prime = true;
  for (let j = 0; j < primes.length && primes[j] * primes[j] <= i; j++) {
    if (i % primes[j] == 0) { prime = false; break; }
  }
  if (prime) primes.push(i);
}
table.set("seed", 0x9e3779b97f4a7c15);

export function boom(n: i32): i32 {
  let s = 0;
  for (let i = 0; i < n; i++) s += primes[i % primes.length] * i;
  calls++;
  return s + calls;
}

export function div(a: i32, b: i32): i32 {
  return a / b;
}

export function grow(n: i32): i32 {
  const a = new Array<i32>(0);
  for (let i = 0; i < n; i++) a.push(i);
  return a.length;
}

export function mix(n: i32): i64 {
  let h = table.get("seed");
  for (let i = 0; i < n; i++) {
    h ^= <i64>primes[i % primes.length];
    h *= 0x100000001b3;
    table.set("k" + (i % 7).toString(), h);
  }
  let s: i64 = 0;
  const keys = table.keys();
  for (let i = 0; i < keys.length; i++) s += table.get(keys[i]);
  return s;
}

export function words(n: i32): i32 {
  let text = "";
  for (let i = 0; i < n; i++) text += (i % 3 == 0 ? "ab " : "cde ");
  return text.split(" ").length + primes[n % primes.length];
}
