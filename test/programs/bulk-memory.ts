// Work done almost all inside AssemblyScript's standard library, where a loop of the
// program's own runs few times or not at all.
const chunk: string = 'abcdefgh'.repeat(2048);
let text: string = '';

/** Each of a few iterations appends 16,384 characters to a growing string: the runtime
 *  copies up to megabytes (and, under the stub runtime, grows memory) per iteration. */
export function build(n: i32): i32 {
  for (let i = 0; i < n; i++) text = text.concat(chunk);
  return text.length ^ text.charCodeAt(text.length - 1 - n);
}

/** One call of the library splits a string of n words. */
export function splitWords(n: i32): i32 {
  const words = 'ab '.repeat(n).split(' ');
  return words.length + words[n >> 1].length;
}

/** One call of the library sorts n numbers, calling back into the program to compare. */
export function sortDescending(n: i32): i32 {
  const a = new Array<i32>(n);
  let x: u32 = 12345;
  for (let i = 0; i < n; i++) {
    x = x * 1664525 + 1013904223;
    a[i] = <i32>(x >>> 8);
  }
  a.sort((p: i32, q: i32): i32 => (q > p ? 1 : q < p ? -1 : 0));
  return a[0] ^ a[n >> 1] ^ a[n - 1];
}
