// Work done almost all inside AssemblyScript's runtime: each of a few loop iterations
// appends 16,384 characters to a growing string, so the runtime copies up to megabytes
// (and, under the stub runtime, grows memory) per iteration of the program's only loop.
const chunk: string = 'abcdefgh'.repeat(2048);
let text: string = '';

export function build(n: i32): i32 {
  for (let i = 0; i < n; i++) text = text.concat(chunk);
  return text.length ^ text.charCodeAt(text.length - 1 - n);
}
