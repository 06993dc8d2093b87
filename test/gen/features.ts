/**
 * Feature tags: every construct the generator emits records one, so coverage is counted
 * from what was generated, not assumed. The suite asserts each tag below occurs.
 *   const m = generateModule(7); m.features.has('loop.do-while');
 *   for (const [tag, why] of Object.entries(FEATURES)) ...
 */
export const FEATURES = {
  'module.exports': 'a module with several exports',
  'module.toplevel': 'module-level state set up by top-level code (the start function)',
  'loop.for': 'a for loop',
  'loop.while': 'a while loop',
  'loop.do-while': 'a do-while loop',
  'loop.nested': 'a loop inside a loop',
  'loop.break': 'break out of the innermost loop',
  'loop.continue': 'continue the innermost loop',
  // AssemblyScript 0.28 has no labelled statements ("Not implemented: Break label"): these
  // are the flag-and-break forms its programs use instead.
  'loop.break-outer': 'labelled break out of an outer loop (flag form)',
  'loop.continue-outer': 'labelled continue of an outer loop (flag form)',
  'loop.early-return': 'return from inside a loop',
  'if.chain': 'an if / else if / else chain',
  'switch.fallthrough': 'a switch whose cases fall through',
  'call.recursion': 'a recursive function',
  'call.mutual-recursion': 'two functions calling each other',
  'class.inheritance': 'a class extending another, overriding a method and calling super',
  'class.interface': 'an interface implemented by classes, called through the interface',
  'generic.class': 'a generic class used at two types',
  'generic.function': 'a generic function used at two types',
  'func.ref': 'a call through a function reference (call_indirect)',
  'heap.array': 'Array<T>: push, pop, index, length',
  'heap.typed-array': 'a typed array',
  'heap.string': 'strings: concatenation, toString, charCodeAt, length, compare',
  'heap.map': 'Map<K, V>',
  'heap.set': 'Set<T>',
  'num.i32': 'i32 arithmetic',
  'num.i64': 'i64 arithmetic',
  'num.f32': 'f32 arithmetic',
  'num.f64': 'f64 arithmetic',
  'num.small-int': 'u8 / i16 / u32 / u64 wrap-around',
  'num.nan': 'NaN, its payloads (reinterpret) and comparisons',
  'num.overflow': 'integer overflow at the type bounds, infinities',
  'num.convert': 'conversions between number types',
  'mem.load-store': 'raw load / store at absolute addresses',
  'mem.grow': 'memory.grow',
  'math.random': 'Math.random (seeded by the host)',
  'trap.assert': 'assert(cond, message): abort',
  'trap.bounds': 'an index that may be out of range: abort',
  'trap.div': 'integer division that may divide by zero or overflow',
  'trap.unreachable': 'unreachable()',
  'trap.memory': 'a load that may be out of bounds',
} as const;

export type Feature = keyof typeof FEATURES;
export const FEATURE_TAGS = Object.keys(FEATURES) as Feature[];
