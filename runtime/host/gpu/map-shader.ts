/**
 * The map-f32 compute shader: out[i] = op(x[i], y[i]), one element per invocation, with
 * Wasm's rules for NaN and signed zeros in max, min and relu.
 *
 *   const code = MAP_WGSL;   // uniform: op, n, groupsX, 0
 *   pass.dispatchWorkgroups(groupsX, groupsY);   // groupsX * groupsY * MAP_GROUP >= n
 */

/** Invocations per map workgroup. */
export const MAP_GROUP = 256;


/**
 * WGSL lets a compiler assume there are no NaNs or infinities, so max and min are done on
 * the bits: NaN is found with integer tests, and the order is the integer order of a key
 * that puts -0 below +0. Both return one of their inputs unchanged.
 */
export const MAP_WGSL = /* wgsl */ `
struct Params { op: u32, n: u32, groupsX: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

fn isNan(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
fn orderKey(v: f32) -> u32 {
  let u = bitcast<u32>(v);
  return select(u | 0x80000000u, ~u, (u & 0x80000000u) != 0u);
}
fn wasmMax(a: f32, b: f32) -> f32 {
  if (isNan(a)) { return a; }
  if (isNan(b)) { return b; }
  return select(b, a, orderKey(a) > orderKey(b));
}
fn wasmMin(a: f32, b: f32) -> f32 {
  if (isNan(a)) { return a; }
  if (isNan(b)) { return b; }
  return select(b, a, orderKey(a) < orderKey(b));
}

@compute @workgroup_size(${MAP_GROUP})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let i = (wg.y * params.groupsX + wg.x) * ${MAP_GROUP}u + li;
  if (i >= params.n) { return; }
  let a = x[i];
  var r: f32;
  switch params.op {
    case 0u: { r = a + y[i]; }
    case 1u: { r = a - y[i]; }
    case 2u: { r = a * y[i]; }
    case 3u: { r = wasmMax(a, y[i]); }
    case 4u: { r = wasmMin(a, y[i]); }
    default: { r = wasmMax(a, 0.0); }
  }
  out[i] = r;
}
`;
