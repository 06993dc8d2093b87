// Word frequencies over generated text.
//
// Builds `words` pseudo-random words from a small syllable table (an LCG
// seeded with `seed` picks them), joins them into one text, splits it back
// into words, counts them in a Map<string, i32>, sorts by count (then
// alphabetically) and renders "word count" lines. Returns a 64-bit FNV-1a
// hash of the rendered report, so any change in the counts changes the result.
//
//   npx weave build examples/wordfreq.ts -o build/wordfreq.wasm
//   npx weave run build/wordfreq.wasm wordfreq 500 7        # small
//   npx weave run build/wordfreq.wasm wordfreq 150000 7     # large (benchmark)

const SYLLABLES: string[] = [
  "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "qua", "bri", "sto",
];

const FNV_OFFSET: u64 = 0xcbf29ce484222325;
const FNV_PRIME: u64 = 0x100000001b3;

class Lcg {
  constructor(private state: u32) {}

  next(): u32 {
    // Numerical Recipes constants; the high bits are the useful ones.
    this.state = this.state * 1664525 + 1013904223;
    return this.state >>> 8;
  }
}

function makeWord(rng: Lcg): string {
  // 1..3 syllables keeps the vocabulary small enough for repeats.
  const count = <i32>(rng.next() % 3) + 1;
  let word = "";
  for (let i = 0; i < count; i++) {
    word += SYLLABLES[<i32>(rng.next() % <u32>SYLLABLES.length)];
  }
  return word;
}

function generateText(words: i32, seed: i32): string {
  const rng = new Lcg(<u32>seed);
  const parts = new Array<string>();
  for (let i = 0; i < words; i++) {
    parts.push(makeWord(rng));
  }
  return parts.join(" ");
}

function countWords(text: string): Map<string, i32> {
  const counts = new Map<string, i32>();
  const words = text.split(" ");
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.length == 0) continue;
    counts.set(w, counts.has(w) ? counts.get(w) + 1 : 1);
  }
  return counts;
}

let sortCounts: Map<string, i32> | null = null;

// Comparators cannot capture locals in AssemblyScript, so the map being
// sorted is parked in a global for the duration of the sort.
function byCountThenWord(a: string, b: string): i32 {
  const counts = sortCounts!;
  const ca = counts.get(a);
  const cb = counts.get(b);
  if (ca != cb) return cb - ca;
  return a < b ? -1 : a > b ? 1 : 0;
}

function render(counts: Map<string, i32>): string {
  const keys = counts.keys();
  sortCounts = counts;
  keys.sort(byCountThenWord);
  sortCounts = null;
  const lines = new Array<string>();
  for (let i = 0; i < keys.length; i++) {
    lines.push(keys[i] + " " + counts.get(keys[i]).toString());
  }
  return lines.join("\n");
}

function fnv1a(s: string): u64 {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) {
    h ^= <u64>s.charCodeAt(i);
    h *= FNV_PRIME;
  }
  return h;
}

/** Counts the words of `words` generated words from `seed`; returns a hash of the sorted report. */
export function wordfreq(words: i32, seed: i32): i64 {
  const text = generateText(words, seed);
  const counts = countWords(text);
  const report = render(counts);
  // Mix in the text length so the hash also covers the generation step.
  return <i64>(fnv1a(report) ^ <u64>text.length);
}
