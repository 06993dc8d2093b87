/**
 * The core-module ABI of wit/weave-host.wit: for each interface and function, its WIT
 * parameter and result types, from which the lowered (core Wasm) signature follows by the
 * canonical ABI. The host lowers calls with this table; test/wit.test.ts checks it against
 * the signatures jco derives from the WIT itself, so the two cannot drift apart.
 *   const sig = HOST_ABI.simd['dot-f32'];   // { params: ['u32', 'u32', 'u32'], result: 'f32' }
 */
export type WitType = 'u32' | 's32' | 'u64' | 's64' | 'f32' | 'f64' | 'bool' | 'string';

export interface WitFunction {
  params: WitType[];
  result?: WitType;
}

const mm = { params: ['u32', 'u32', 'u32', 'u32', 'u32', 'u32'] } satisfies WitFunction;

export const HOST_ABI = {
  control: {
    yield: { params: [], result: 's32' },
    progress: { params: ['f64', 'f64'] },
    log: { params: ['u32', 'string'] },
  },
  io: {
    'input-length': { params: [], result: 'u64' },
    'input-read': { params: ['u64', 'u32', 'u32'], result: 'u32' },
    'output-write': { params: ['u32', 'u32'] },
  },
  simd: {
    'dot-f32': { params: ['u32', 'u32', 'u32'], result: 'f32' },
    'dot-f64': { params: ['u32', 'u32', 'u32'], result: 'f64' },
    'sum-f32': { params: ['u32', 'u32'], result: 'f32' },
    'sum-f64': { params: ['u32', 'u32'], result: 'f64' },
    'axpy-f32': { params: ['f32', 'u32', 'u32', 'u32'] },
    'axpy-f64': { params: ['f64', 'u32', 'u32', 'u32'] },
    'matmul-f32': mm,
    'matmul-f64': mm,
  },
  gpu: {
    'matmul-f32': mm,
    'map-f32': { params: ['u32', 'u32', 'u32', 'u32', 'u32'], result: 'bool' },
  },
  data: {
    length: { params: ['string'], result: 's64' },
    read: { params: ['string', 'u64', 'u32', 'u32'], result: 's64' },
  },
} as const satisfies Record<string, Record<string, WitFunction>>;

export type HostInterface = keyof typeof HOST_ABI;

/** Core Wasm value types of one WIT type, in order (a string is a pointer and a length). */
export function coreTypes(t: WitType): Array<'i32' | 'i64' | 'f32' | 'f64'> {
  switch (t) {
    case 'u32': case 's32': case 'bool': return ['i32'];
    case 'u64': case 's64': return ['i64'];
    case 'f32': return ['f32'];
    case 'f64': return ['f64'];
    case 'string': return ['i32', 'i32'];
  }
}

/** kebab-case WIT name to the camelCase name jco gives the TypeScript binding. */
export function bindingName(witName: string): string {
  return witName.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
