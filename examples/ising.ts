// The 2D Ising model (a square lattice of +1/-1 spins on a torus), stepped by Metropolis
// sweeps, in the shape simulation modules take: `init` sets the lattice up, `step`
// advances it one sweep, `energy` and `magnetization` measure it, and `run` drives
// them from one entry. The flip probabilities exp(-dE/T) are a table the top-level code
// fills, and top-level code also sets up a default 16x16 lattice, so `step` or `energy`
// called alone on a fresh instance work on that. Randomness is Math.random, which weave
// seeds the same way everywhere.
//
//   npx weave build examples/ising.ts -o build/ising.wasm
//   npx weave run build/ising.wasm 32 40 --entry run              # 32x32 lattice, 40 sweeps
//   npx weave run build/ising.wasm 32 40 3.5 --entry runAt        # the same above T_c
//   npx weave run build/ising.wasm --entry step                   # one sweep of the default lattice

const DEFAULT_SIZE = 16;
const DEFAULT_TEMPERATURE: f64 = 2.0;
const COUPLING: f64 = 1.0;

let size: i32 = 0;
let spins = new Int8Array(0);
let temperature: f64 = DEFAULT_TEMPERATURE;
let sweeps: i32 = 0;
// Flip probability for a spin whose neighbours sum to 2k - 4 (k = 0..4), aligned with it.
const accept = new StaticArray<f64>(5);

function fillAcceptTable(): void {
  for (let k = 0; k < 5; k++) {
    const dE = 2.0 * COUPLING * <f64>(2 * k - 4);
    accept[k] = dE <= 0 ? 1.0 : Math.exp(-dE / temperature);
  }
}

@inline function at(x: i32, y: i32): i32 {
  // A torus: indices wrap at both edges.
  const n = size;
  return ((y + n) % n) * n + (x + n) % n;
}

/** Sets up an n x n lattice, all spins up except a checkerboard patch in one corner. */
export function init(n: i32): void {
  if (n < 2 || n > 1024) throw new Error("lattice size must be 2..1024, got " + n.toString());
  size = n;
  spins = new Int8Array(n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) spins[y * n + x] = x < n / 4 && y < n / 4 && ((x + y) & 1) ? -1 : 1;
  }
  sweeps = 0;
}

/** Sets the temperature for later sweeps in the same instance. */
export function setTemperature(t: f64): void {
  if (!(t > 0)) throw new Error("temperature must be positive");
  temperature = t;
  fillAcceptTable();
}

/** One Metropolis sweep: size*size flip attempts at random sites. Returns the flips made. */
export function step(): i32 {
  const n = size;
  let flips = 0;
  for (let i = 0; i < n * n; i++) {
    const x = <i32>(Math.random() * <f64>n);
    const y = <i32>(Math.random() * <f64>n);
    const s = <i32>spins[at(x, y)];
    const around = <i32>spins[at(x + 1, y)] + <i32>spins[at(x - 1, y)] + <i32>spins[at(x, y + 1)] + <i32>spins[at(x, y - 1)];
    // s * around is in {-4, -2, 0, 2, 4}; flipping costs 2 J s around.
    const k = (s * around + 4) >> 1;
    if (Math.random() < accept[k]) {
      spins[at(x, y)] = <i8>-s;
      flips++;
    }
  }
  sweeps++;
  return flips;
}

/** Energy per site: -J times the sum over neighbouring pairs, divided by the sites. */
export function energy(): f64 {
  const n = size;
  let e: f64 = 0;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const s = <f64>spins[y * n + x];
      e -= COUPLING * s * (<f64>spins[at(x + 1, y)] + <f64>spins[at(x, y + 1)]);
    }
  }
  return e / <f64>(n * n);
}

/** Mean spin, in [-1, 1]. */
export function magnetization(): f64 {
  let m: i32 = 0;
  for (let i = 0; i < spins.length; i++) m += spins[i];
  return <f64>m / <f64>spins.length;
}

/** Sweeps made since the last init. */
export function sweepCount(): i32 {
  return sweeps;
}

/** init(n), then `steps` sweeps; returns the final energy plus |magnetization| / 1000. */
export function run(n: i32, steps: i32): f64 {
  init(n);
  let flips: i64 = 0;
  for (let s = 0; s < steps; s++) flips += step();
  return energy() + Math.abs(magnetization()) / 1000.0 + <f64>flips * 1e-9;
}

/** `run` at temperature t. */
export function runAt(n: i32, steps: i32, t: f64): f64 {
  setTemperature(t);
  return run(n, steps);
}

fillAcceptTable();
init(DEFAULT_SIZE);
