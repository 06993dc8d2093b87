// Strings and Array<string> on the managed heap: concatenation, push, join,
// split, substring and charCodeAt. Each round builds a sentence, splits it
// back and folds the pieces into a 32-bit hash.

function wordFor(i: i32): string {
  // Concatenation of a literal prefix, a number and a varying suffix.
  return "w" + (i % 97).toString() + (i % 3 == 0 ? "x" : "yz");
}

function hashString(h: u32, s: string): u32 {
  for (let i = 0; i < s.length; i++) {
    h = (h ^ <u32>s.charCodeAt(i)) * 16777619;
  }
  return h;
}

/** Builds `rounds` sentences of `words` words each and returns a hash of their pieces. */
export function stringHash(words: i32, rounds: i32): i32 {
  let h: u32 = 2166136261;
  for (let r = 0; r < rounds; r++) {
    const parts = new Array<string>();
    for (let i = 0; i < words; i++) {
      parts.push(wordFor(i * 7 + r));
    }
    const sentence = parts.join(",");
    const back = sentence.split(",");
    for (let i = 0; i < back.length; i++) {
      // Hash a suffix, not the whole word, to exercise substring too.
      h = hashString(h, back[i].substring(1));
    }
    h ^= <u32>sentence.length;
  }
  return <i32>h;
}
