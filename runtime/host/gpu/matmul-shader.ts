/**
 * The matmul-f32 compute shader, generated per variant: a tiled kernel with workgroup
 * memory and a block of outputs per invocation in registers, and the plan of one dispatch
 * (variant, workgroup counts, the uniform's contents).
 *
 *   const plan = planMatmul(m, n, k);                 // tile 128 or 64, vec4 when k, n % 4 == 0
 *   const code = matmulWgsl(plan.variant);            // compile once per variant and device
 *   pass.dispatchWorkgroups(plan.groupsX, plan.groupsY); // with plan.dims in the uniform
 *
 * Why it is built this way (docs/gpu.md has the long form):
 * - Each invocation sums its outputs over p in order, from +0, like matmulF32Reference:
 *   tiling and register blocking change which invocation computes an element, never the
 *   order of its sum. The only difference from the reference is a fused multiply-add the
 *   compiler may choose, which the tolerance allows. No split-k, for the same reason.
 * - 16 x 16 invocations; each computes T x T outputs (T = 8 for 128-wide tiles, 4 for 64)
 *   as (T/4)^2 blocks of 4 x 4, 64 apart, so that each block's four columns are one vec4
 *   in workgroup memory and neighbouring invocations read neighbouring vec4s.
 * - The A tile is stored transposed (As[p][row]) so that a 4-row column of it is one vec4
 *   too. The invocations that load A each load a 4 x 4 block and transpose it in
 *   registers: every workgroup store is a whole vec4, never a vector component (a
 *   component store from several invocations can become a read-modify-write race in
 *   some backends' output).
 * - Two copies of each tile (16 KiB, the WebGPU default limit): the next tile is fetched
 *   into registers before the current one is used and stored into the other copy after,
 *   so each k step needs one barrier and global latency hides behind the arithmetic.
 * - The code is unrolled here, in TypeScript, into named vec4 accumulators with constant
 *   indices: no driver is trusted to unroll a loop or to keep an indexed array in registers.
 * - Out-of-range rows, columns and k are loaded as 0, so a partial tile adds 0 * 0 = +0 to
 *   real elements; the garbage that pads c (possibly NaN from inf * 0) is never stored.
 */

/** Invocations per workgroup side; the kernels ask the device for 16 x 16 = 256. */
export const MATMUL_THREADS = 16;

export type MatmulTile = 64 | 128;

export interface MatmulVariant {
  /** Side of the block of c one workgroup computes: 128 (8 x 8 per invocation) or 64 (4 x 4). */
  tile: MatmulTile;
  /** a, b and c read and written as vec4, which needs k and n to be multiples of 4. */
  vec4: boolean;
}

export interface MatmulPlan {
  variant: MatmulVariant;
  groupsX: number;
  groupsY: number;
  /** The uniform's four u32s: m, n, k and the number of k steps. */
  dims: Uint32Array<ArrayBuffer>;
}

/**
 * Below this many 128-wide tiles the 64-wide kernel is chosen: a data-centre GPU has
 * about 130 compute units and wants at least one workgroup on each; smaller tiles give
 * four times as many workgroups at some cost in reuse.
 */
export const MIN_WORKGROUPS_FOR_TILE_128 = 256;

/** k per step: the A tile's 4 x 4 blocks and the B tile's vec4s must fit 256 invocations. */
function depthOf(tile: MatmulTile): number {
  return tile === 128 ? 8 : 16;
}

/**
 * The variant and dispatch for c (m x n) = a (m x k) b (k x n). `tile` forces a tile size
 * (tests, benchmarks); 'auto' takes 128 when that still gives enough workgroups.
 */
export function planMatmul(m: number, n: number, k: number, tile: MatmulTile | 'auto' = 'auto'): MatmulPlan {
  const big = Math.ceil(m / 128) * Math.ceil(n / 128);
  const side: MatmulTile = tile === 'auto' ? (big >= MIN_WORKGROUPS_FOR_TILE_128 ? 128 : 64) : tile;
  const variant: MatmulVariant = { tile: side, vec4: k % 4 === 0 && n % 4 === 0 };
  const steps = Math.ceil(k / depthOf(side));
  return { variant, groupsX: Math.ceil(n / side), groupsY: Math.ceil(m / side), dims: Uint32Array.of(m, n, k, steps) };
}

export function matmulKey(v: MatmulVariant): string {
  return `matmul-f32/${v.tile}/${v.vec4 ? 'vec4' : 'scalar'}`;
}

/** WGSL for one variant; see the module comment for the design. */
export function matmulWgsl(v: MatmulVariant): string {
  const t = v.tile / MATMUL_THREADS; // outputs per invocation per side
  const s = t / 4; // 4 x 4 blocks per invocation per side
  const bm = v.tile;
  const bk = depthOf(v.tile);
  const bm4 = bm / 4;
  const bk4 = bk / 4;
  const aBlocks = bm4 * bk4;
  const threads = MATMUL_THREADS * MATMUL_THREADS;
  if (bk * bm4 !== threads || aBlocks > threads) throw new Error(`matmul tile ${v.tile} does not fit ${threads} invocations`);
  const elem = v.vec4 ? 'vec4<f32>' : 'f32';
  const acc = (i: number, r: number, j: number) => `c${i}${r}${j}`;
  const lines: string[] = [];
  const emit = (indent: number, text: string) => lines.push(' '.repeat(indent) + text);

  emit(0, `// weave matmul-f32: ${bm} x ${bm} outputs per workgroup, ${t} x ${t} per invocation, k step ${bk}, ${v.vec4 ? 'vec4' : 'scalar'} loads`);
  emit(0, 'struct Dims { m: u32, n: u32, k: u32, steps: u32 }');
  emit(0, `@group(0) @binding(0) var<storage, read> a: array<${elem}>;`);
  emit(0, `@group(0) @binding(1) var<storage, read> b: array<${elem}>;`);
  emit(0, `@group(0) @binding(2) var<storage, read_write> c: array<${elem}>;`);
  emit(0, '@group(0) @binding(3) var<uniform> dims: Dims;');
  emit(0, `var<workgroup> As: array<vec4<f32>, ${2 * bk * bm4}>; // A tile transposed, As[p][row], two copies`);
  emit(0, `var<workgroup> Bs: array<vec4<f32>, ${2 * bk * bm4}>; // B tile, Bs[p][col]`);
  emit(0, '');
  for (const [name, mat, rows, cols] of [['loadA', 'a', 'm', 'k'], ['loadB', 'b', 'k', 'n']] as const) {
    emit(0, `// Four consecutive elements of ${mat} (${rows} x ${cols}) from (row, col); 0 outside it.`);
    emit(0, `fn ${name}(row: u32, col: u32) -> vec4<f32> {`);
    if (v.vec4) {
      emit(2, `if (row < dims.${rows} && col < dims.${cols}) { return ${mat}[(row * dims.${cols} + col) / 4u]; }`);
      emit(2, 'return vec4<f32>(0.0);');
    } else {
      emit(2, 'var v = vec4<f32>(0.0);');
      emit(2, `if (row < dims.${rows}) {`);
      emit(4, `let at = row * dims.${cols} + col;`);
      ['x', 'y', 'z', 'w'].forEach((comp, e) => emit(4, `if (col + ${e}u < dims.${cols}) { v.${comp} = ${mat}[at + ${e}u]; }`));
      emit(2, '}');
      emit(2, 'return v;');
    }
    emit(0, '}');
  }
  emit(0, '');
  emit(0, `@compute @workgroup_size(${MATMUL_THREADS}, ${MATMUL_THREADS})`);
  emit(0, 'fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {');
  emit(2, `let row0 = wg.y * ${bm}u;`);
  emit(2, `let col0 = wg.x * ${bm}u;`);
  emit(2, `// This invocation's share of each tile: a 4 x 4 block of A (the first ${aBlocks}), one vec4 of B.`);
  emit(2, `let loadsA = li < ${aBlocks}u;`);
  emit(2, `let aRow = (li / ${bk4}u) * 4u;`);
  emit(2, `let aCol = (li % ${bk4}u) * 4u;`);
  emit(2, `let bRow = li / ${bm4}u;`);
  emit(2, `let bCol = li % ${bm4}u;`);
  emit(2, 'var pa0 = vec4<f32>(0.0); var pa1 = vec4<f32>(0.0); var pa2 = vec4<f32>(0.0); var pa3 = vec4<f32>(0.0);');
  emit(2, 'var pb = vec4<f32>(0.0);');
  for (let i = 0; i < s; i++) for (let r = 0; r < 4; r++) for (let j = 0; j < s; j++) emit(2, `var ${acc(i, r, j)} = vec4<f32>(0.0);`);

  const fetch = (indent: number, tileIndex: string) => {
    emit(indent, `let k0 = ${tileIndex} * ${bk}u;`);
    emit(indent, 'if (loadsA) {');
    for (let r = 0; r < 4; r++) emit(indent + 2, `pa${r} = loadA(row0 + aRow + ${r}u, k0 + aCol);`);
    emit(indent, '}');
    emit(indent, 'pb = loadB(k0 + bRow, col0 + bCol * 4u);');
  };
  const stash = (indent: number, half: string) => {
    emit(indent, 'if (loadsA) {');
    emit(indent + 2, `let at = (${half} * ${bk}u + aCol) * ${bm4}u + aRow / 4u;`);
    ['x', 'y', 'z', 'w'].forEach((comp, e) => emit(indent + 2, `As[at + ${e * bm4}u] = vec4<f32>(pa0.${comp}, pa1.${comp}, pa2.${comp}, pa3.${comp});`));
    emit(indent, '}');
    emit(indent, `Bs[(${half} * ${bk}u + bRow) * ${bm4}u + bCol] = pb;`);
  };

  emit(2, '{');
  fetch(4, '0u');
  emit(2, '}');
  stash(2, '0u');
  emit(2, 'workgroupBarrier();');
  emit(2, 'for (var ks = 0u; ks < dims.steps; ks++) {');
  emit(4, 'let cur = ks & 1u;');
  emit(4, 'let more = ks + 1u < dims.steps;');
  emit(4, 'if (more) {');
  fetch(6, '(ks + 1u)');
  emit(4, '}');
  emit(4, `let ao = cur * ${bk * bm4}u + lid.y;`);
  emit(4, `let bo = cur * ${bk * bm4}u + lid.x;`);
  for (let p = 0; p < bk; p++) {
    emit(4, '{');
    for (let i = 0; i < s; i++) emit(6, `let a${i} = As[ao + ${p * bm4 + i * MATMUL_THREADS}u];`);
    for (let j = 0; j < s; j++) emit(6, `let b${j} = Bs[bo + ${p * bm4 + j * MATMUL_THREADS}u];`);
    for (let i = 0; i < s; i++) {
      for (let r = 0; r < 4; r++) {
        for (let j = 0; j < s; j++) emit(6, `${acc(i, r, j)} = ${acc(i, r, j)} + a${i}.${'xyzw'[r]} * b${j};`);
      }
    }
    emit(4, '}');
  }
  emit(4, 'if (more) {');
  stash(6, '(cur ^ 1u)');
  emit(4, '}');
  emit(4, 'workgroupBarrier();');
  emit(2, '}');

  for (let i = 0; i < s; i++) {
    for (let r = 0; r < 4; r++) {
      for (let j = 0; j < s; j++) {
        const row = `row0 + ${i * 4 * MATMUL_THREADS + r}u + lid.y * 4u`;
        const col = `col0 + ${j * 4 * MATMUL_THREADS}u + lid.x * 4u`;
        emit(2, '{');
        emit(4, `let row = ${row};`);
        emit(4, `let col = ${col};`);
        if (v.vec4) {
          emit(4, `if (row < dims.m && col < dims.n) { c[(row * dims.n + col) / 4u] = ${acc(i, r, j)}; }`);
        } else {
          emit(4, 'if (row < dims.m) {');
          emit(6, 'let at = row * dims.n + col;');
          ['x', 'y', 'z', 'w'].forEach((comp, e) => emit(6, `if (col + ${e}u < dims.n) { c[at + ${e}u] = ${acc(i, r, j)}.${comp}; }`));
          emit(4, '}');
        }
        emit(2, '}');
      }
    }
  }
  emit(0, '}');
  return lines.join('\n') + '\n';
}
